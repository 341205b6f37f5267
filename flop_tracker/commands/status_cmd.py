"""`status`: how old each source's newest data is, its last live attempt, and whether it is stale."""

from __future__ import annotations

import argparse

from flop_tracker import freshness
from flop_tracker.commands.common import paths_from
from flop_tracker.console import console, fail

# `--fail-on-stale` exits with this when a source or feed is stale, so a scheduled job can alert on it
# apart from a failure (1), bad arguments (2) and a locked database (3).
EXIT_STALE = 4

EPILOG = f"""\
examples:
  flop-tracker status                      one line per source and lab feed
  flop-tracker status --format json        a list of objects with the keys source,
                                           last_attempt, result, newest_data_date,
                                           age_days, limit_days, state
  flop-tracker status --fail-on-stale      exit {EXIT_STALE} when anything is stale (for cron)

columns: last live is the day of the source's newest live fetch and result what it
came to (ok, unchanged, degraded = loaded without some expected columns, failed,
unreachable); newest data is the date the newest data describes (a leaderboard's
own date, an export's date, a post's date), never the day it was fetched; age is
its age in days and limit the age past which it is stale (warn_after in
models/staging/<source>/_<source>__sources.yml; each lab feed's stale_after_days in
seeds/curated/lab_feeds.csv). state: fresh, stale, or never (no data loaded).
Lab feeds are listed under announcements (hf:ORG, or developer and kind) once any
announcement was loaded; in JSON their source is feed:URL.

exit status: 0, or {EXIT_STALE} with --fail-on-stale when a source or feed is stale;
1 when freshness could not be checked, 3 when the database is in use.
"""


def report(lines: list[freshness.Freshness], fmt: str) -> None:
    """Print the freshness lines as a table with a summary line, or as JSON."""
    if fmt == "json":
        print(freshness.as_json(lines))
        return
    console.print(freshness.table(lines))
    console.print(freshness.summary(lines), markup=False, overflow="fold")


def check(args: argparse.Namespace) -> int:
    """Check freshness, print it, and return the exit status `--fail-on-stale` asks for."""
    try:
        lines = freshness.source_freshness(paths_from(args))
    except freshness.FreshnessError as exc:
        fail(str(exc))
        return 1
    report(lines, getattr(args, "format", "table"))
    return EXIT_STALE if args.fail_on_stale and freshness.any_stale(lines) else 0


def add_fail_on_stale(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--fail-on-stale",
        action="store_true",
        help=f"exit {EXIT_STALE} when a source or lab feed is stale (for a scheduled job to alert on)",
    )


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "status",
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="how old each source's newest data is, and which are stale",
        description="For each source (and lab feed): its last live attempt and result, the date its\n"
        "newest data describes, that date's age, its limit and its state. The ages and\n"
        "limits are dbt's own source freshness (`dbt source freshness`, run in-process on\n"
        "the loaded data); nothing is fetched (`check-sources` fetches each address once).",
        epilog=EPILOG,
    )
    p.add_argument("--format", choices=["table", "json"], default="table", help="table (default) or json")
    add_fail_on_stale(p)
    p.set_defaults(func=check)

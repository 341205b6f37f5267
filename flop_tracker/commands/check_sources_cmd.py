"""`check-sources`: fetch each live address once and say what came back; nothing is written."""

from __future__ import annotations

import argparse

from rich.progress import BarColumn, Progress, TextColumn

from flop_tracker import check_sources as checks_mod
from flop_tracker import pipeline
from flop_tracker.console import console, fail
from ingest.settings import SettingsError, client_for

EPILOG = """\
examples:
  flop-tracker check-sources                     every source's live addresses
  flop-tracker check-sources lmarena epoch       just these sources
  flop-tracker check-sources lmarena --url https://mirror.example/leaderboard-text.json
                                                 try another address for one source
  flop-tracker check-sources --format json       one object per address, for scripts

columns: result is the HTTP status and ok (fetched and parsed), failed (fetched, not
parsed: the reason follows the table) or unreachable; type is the content type's
subtype (json, xml, csv, html...); newest is the date of the newest data, as the data
states it (a publication date, a file name's date, the host's Last-Modified, the newest
row's date); "undated" when nothing states one (the JSON says data_date_basis "none").
Exit status: 0 when every address fetched and parsed, 1 otherwise, 2 on bad arguments.
"""


def cmd_check_sources(args: argparse.Namespace) -> int:
    try:
        sources = pipeline.selected_sources(args.sources)
    except KeyError as exc:
        fail(str(exc.args[0]))
        return 2
    urls = None
    if args.url:
        if len(sources) != 1 or not args.sources:
            fail("--url needs exactly one SOURCE, e.g. `flop-tracker check-sources lmarena --url https://...`")
            return 2
        urls = {sources[0].name: tuple(args.url)}
    try:
        settings = pipeline.load_live_settings()
    except SettingsError as exc:
        fail(str(exc))
        return 2
    client = client_for(settings)
    total = sum(len(pipeline.live_addresses(s, settings, (urls or {}).get(s.name))) for s in sources)
    with Progress(
        TextColumn("checking"),
        BarColumn(bar_width=24),
        TextColumn("{task.completed}/{task.total} {task.description}"),
        console=console,
        transient=True,
        disable=args.format == "json",
    ) as progress:
        task = progress.add_task("", total=total)
        results = checks_mod.check_sources(
            sources,
            settings,
            client,
            urls,
            advance=lambda c: progress.update(task, advance=1, description=c.source),
        )
    if args.format == "json":
        print(checks_mod.as_json(results))
    else:
        console.print(checks_mod.table(results))
        for line in checks_mod.problems(results):
            console.print(line, markup=False, overflow="fold")
        console.print(checks_mod.summary_line(results), markup=False)
        if not settings.contact:
            console.print(
                "note: no contact in the User-Agent; set [http] contact in flop-tracker.toml\n"
                "or $FLOP_TRACKER_CONTACT so hosts can reach whoever runs this tracker",
                markup=False,
            )
    return 0 if all(c.result == "ok" for c in results) else 1


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "check-sources",
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="fetch each live address once and report status, type, size, rows, newest date",
        description="Fetch every live address of each source once (the sources' own, or where the\n"
        "settings file or --url points), parse it with the source's parser, and report what\n"
        "came back. A dry run: nothing is stored and the database is not opened, so it can\n"
        "run beside a build. Run it when the network is back, or after moving a source.",
        epilog=EPILOG,
    )
    p.add_argument("sources", nargs="*", metavar="SOURCE", help="sources to check (default: all with an address)")
    p.add_argument("--url", action="append", metavar="URL", help="check the one SOURCE at URL instead (repeatable)")
    p.add_argument("--format", choices=["table", "json"], default="table", help="table (default) or json")
    p.set_defaults(func=cmd_check_sources)

"""`flop-tracker changes`: what the newest build changed against an earlier one."""

from __future__ import annotations

import argparse
import sys

from flop_tracker import changes, changes_render
from flop_tracker.commands.common import paths_from
from flop_tracker.commands.query_cmd import iso_date, positive_int
from flop_tracker.console import console, err_console


def cmd_changes(args: argparse.Namespace) -> int:
    report = changes.changes(paths_from(args), since=args.since, back=args.builds or 1)
    if args.format == "json":
        if report.note or report.baseline is None:
            err_console.print(report.note or changes_render.heading(report), markup=False, soft_wrap=True)
        sys.stdout.write(report.as_json())
    elif args.format == "markdown":
        sys.stdout.write(changes_render.markdown(report))
    else:
        console.print(changes_render.tables(report))
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "changes",
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="what the newest build changed: new candidates, crossings, moves, re-reviews",
        description="Compare the newest recorded build with an earlier one (by default the one before\n"
        "it), from the history every complete build keeps (history.models_history):\n\n"
        "  new_candidates  models that entered the candidates file\n"
        "  crossed         classification moved across 1e25 (above class <-> below class)\n"
        "  moved           estimate moved by more than 0.3 dex, with the evidence\n"
        "  re_review       reviewer decisions the newest build flags for re-review\n"
        "  new_models      models new to the dataset\n"
        "  gone_models     models no longer in the dataset",
        epilog="examples:\n"
        "  flop-tracker changes                      against the previous build\n"
        "  flop-tracker changes --since 2025-07-01   against the last build before then\n"
        "  flop-tracker changes --builds 4 --format markdown > digest.md\n"
        "  flop-tracker changes --format json        one object, a list per key",
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument("--since", type=iso_date, metavar="DATE", help="compare with the last build before DATE")
    which.add_argument("--builds", type=positive_int, metavar="N", help="compare with the build N builds back")
    p.add_argument("--format", choices=["table", "markdown", "json"], default="table", help="output (default: table)")
    p.set_defaults(func=cmd_changes)

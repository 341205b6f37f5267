"""`flop-tracker chart`: training compute against release date, as PNG and as a self-contained HTML page."""

from __future__ import annotations

import argparse
from pathlib import Path

from flop_tracker import chart
from flop_tracker.commands.common import paths_from
from flop_tracker.commands.query_cmd import iso_date
from flop_tracker.console import console


def cmd_chart(args: argparse.Namespace) -> int:
    data, png, page = chart.chart(
        paths_from(args),
        Path(args.png) if args.png else None,
        Path(args.html) if args.html else None,
        args.since,
    )
    console.print(f"drew {len(data.points)} models", markup=False)
    if data.undated:
        console.print(f"{data.undated} models have no release date and are not drawn", markup=False)
    console.print(f"wrote {png}", markup=False, soft_wrap=True)
    console.print(f"wrote {page} (self-contained: open it in any browser, offline)", markup=False, soft_wrap=True)
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "chart",
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="plot training compute against release date (PNG and self-contained HTML)",
        description="Training compute against release date on a log axis, with the 1e25 FLOP line, a colour\n"
        "per classification, the 90% interval as error bars and reviewer-decided models ringed.\n"
        "Writes a PNG and an HTML page that needs no network (inline SVG, one point per model).",
        epilog="example:\n  flop-tracker chart --since 2023-01-01 --png compute.png --html compute.html",
    )
    p.add_argument("--png", metavar="PATH", help="PNG file (default: data/charts/training_compute.png)")
    p.add_argument("--html", metavar="PATH", help="HTML file (default: data/charts/training_compute.html)")
    p.add_argument("--since", type=iso_date, metavar="DATE", help="only models released on or after DATE")
    p.set_defaults(func=cmd_chart)

"""`flop-tracker site`: a static site to browse the dataset, its history and the latest changes."""

from __future__ import annotations

import argparse
from pathlib import Path

from flop_tracker.commands.common import paths_from
from flop_tracker.console import console


def cmd_site(args: argparse.Namespace) -> int:
    from flop_tracker.site import build_site

    output = Path(args.output)
    result = build_site(paths_from(args), output)
    console.print(
        f"wrote {args.output}/index.html ({result.models} models) and {result.pages} pages in {args.output}/models/",
        markup=False,
        soft_wrap=True,
    )
    console.print(f"open {args.output}/index.html in a browser, or publish the folder on any static host", markup=False)
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "site",
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="write a static site: every model in a sortable table, a page per model, the latest changes",
        description="Write a static site from the database. index.html: every model in a table you\n"
        "can sort and filter by classification, developer, method and release window, the\n"
        "compute-vs-date chart, the latest changes. models/<model>.html: every method's\n"
        "estimate and interval on a log axis with the 1e25 line, reasoning, sources, the\n"
        "decision, the estimate's history, evidence dates. Works from the file system and\n"
        "any static host; nothing is loaded from another host.",
        epilog="examples:\n"
        "  flop-tracker site --output site        then open site/index.html\n"
        "  flop-tracker site --output public      the folder a static host publishes",
    )
    p.add_argument("--output", required=True, metavar="DIR", help="folder to write the site into")
    p.set_defaults(func=cmd_site)

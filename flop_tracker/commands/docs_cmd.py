"""`flop-tracker docs`: dbt's documentation site as one offline HTML file (lineage from raw to the mart)."""

from __future__ import annotations

import argparse
from pathlib import Path

from flop_tracker.commands.common import paths_from
from flop_tracker.console import console, fail
from flop_tracker.dbt_runner import run_dbt
from flop_tracker.pipeline import ensure_raw
from kernel.files import atomic_write


def cmd_docs(args: argparse.Namespace) -> int:
    paths = paths_from(args)
    ensure_raw(paths)  # sources must exist for the catalog, even before the first ingest
    with console.status("dbt docs generate --static...", spinner="dots"):
        outcome = run_dbt(["docs", "generate", "--static"], paths)
    target = paths.data_dir / ".dbt" / "target" / "static_index.html"
    if not outcome.success or not target.is_file():
        fail("dbt docs generate failed" + (f": {outcome.error}" if outcome.error else ""))
        for line in outcome.failures:
            fail(f"  {line}")
        return 1
    if args.output:
        target = atomic_write(Path(args.output), target.read_bytes())
    console.print(f"wrote {target}", markup=False, soft_wrap=True)
    console.print("open it in a browser: one self-contained page, no server or network needed", markup=False)
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "docs",
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="generate dbt's documentation and lineage as one offline HTML page",
        description="Run `dbt docs generate --static` against the data directory's database: every model,\n"
        "column, test and the lineage graph from the raw tables to the models mart, in one HTML\n"
        "file that opens without a server (default: <data dir>/.dbt/target/static_index.html).",
    )
    p.add_argument("--output", metavar="PATH", help="also copy the page here")
    p.set_defaults(func=cmd_docs)

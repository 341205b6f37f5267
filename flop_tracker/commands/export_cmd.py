"""`flop-tracker export --format csv|parquet|json|epoch [--output PATH]`."""

from __future__ import annotations

import argparse
from pathlib import Path

from flop_tracker import export
from flop_tracker.commands.common import paths_from
from flop_tracker.console import console, fail


def cmd_export(args: argparse.Namespace) -> int:
    paths = paths_from(args)
    output = Path(args.output) if args.output else None
    if output is not None and output.is_dir():  # like cp: into the folder, under the default name
        output = output / export.default_output(paths, args.format).name
    target = output or export.default_output(paths, args.format)
    try:
        target, rows = export.export(paths, args.format, target)
    except OSError as exc:
        fail(f"{target}: cannot write: {exc.strerror or exc}")
        return 2
    console.print(f"wrote {rows} models to {target} ({args.format})", markup=False, soft_wrap=True)
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "export",
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="write the models mart as csv, parquet, json, or in Epoch AI's column layout",
        description="Write every model of the built dataset (all columns of the `models` mart).\n"
        "--format epoch writes Epoch AI's export header (Model, Organization, Publication date,\n"
        "Training compute (FLOP), Parameters, Training compute notes, Link, Confidence; other\n"
        "columns empty). Text cells starting with = + - @ are neutralised in csv and epoch files\n"
        "so a spreadsheet never runs them.",
        epilog="examples:\n"
        "  flop-tracker export --format parquet\n"
        "  flop-tracker export --format epoch --output epoch_layout.csv",
    )
    p.add_argument("--format", choices=export.FORMATS, default="csv", help="file format (default: csv)")
    p.add_argument(
        "--output",
        metavar="PATH",
        help="file to write, or a folder to write models.<ext> into (default: data/exports/models.<ext>)",
    )
    p.set_defaults(func=cmd_export)

"""Options shared by subcommands and the steps they share (ingest, build)."""

from __future__ import annotations

import argparse

from kernel.paths import Paths, resolve_paths


def common_parser() -> argparse.ArgumentParser:
    """`--data-dir`, accepted by every subcommand."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="data directory holding tracker.duckdb, raw/, clean/ and staging/ "
        "(default: $FLOP_TRACKER_DATA_DIR or data/ in the project)",
    )
    return parser


def paths_from(args: argparse.Namespace) -> Paths:
    return resolve_paths(getattr(args, "data_dir", None))

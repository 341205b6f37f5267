"""`flop-tracker`: one console script, one subcommand per job."""

from __future__ import annotations

import argparse
import sys
from types import ModuleType
from typing import NoReturn

from flop_tracker import __version__

# The commands, and duckdb, rich, pyarrow and the rest beneath them, are imported inside `main`, never
# at the top of this module: the console script imports this module outside any handler, and a Ctrl-C
# during those imports (half a second of every start) printed a traceback.


def commands() -> list[ModuleType]:
    """The command modules, in the order `--help` lists them."""
    from flop_tracker.commands import (
        backtest_cmd,
        changes_cmd,
        chart_cmd,
        check_sources_cmd,
        docs_cmd,
        export_cmd,
        pipeline_cmds,
        query_cmd,
        review_cmd,
        site_cmd,
        sql_cmd,
        status_cmd,
        validate_cmd,
    )

    return [
        pipeline_cmds,
        status_cmd,
        check_sources_cmd,
        validate_cmd,
        query_cmd,
        sql_cmd,
        export_cmd,
        chart_cmd,
        backtest_cmd,
        docs_cmd,
        review_cmd,
        changes_cmd,
        site_cmd,
    ]


DESCRIPTION = """\
Find every AI model trained with more than 1e25 FLOP, estimate its training
compute with an honest interval, and keep every reviewer's decision.

typical session:
  flop-tracker run                 ingest every source, then build the dataset
  flop-tracker review-candidates   confirm or reject candidates (y/n + reason)
  flop-tracker query --above-threshold --format table
"""


class ArgumentParser(argparse.ArgumentParser):
    """argparse with its errors in one line (the usage block is what `--help` is for)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="flop-tracker",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"flop-tracker {__version__}")
    from flop_tracker.commands import common as common_mod

    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    shared = common_mod.common_parser()
    for module in commands():
        module.register(sub, shared)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command. Ctrl-C at any point, while the commands load too, ends with one line and 130.

    Commands that must stop something on Ctrl-C (sql's watchdog, an interrupted build) handle it
    themselves and return their own status; what reaches here is an interrupt nobody else caught.
    """
    try:
        return _run(argv)
    except KeyboardInterrupt:
        # No rich here: the Ctrl-C may have come while it was being imported.
        sys.stderr.write("error: interrupted\n")
        return 130


def _run(argv: list[str] | None) -> int:
    from flop_tracker.console import fail
    from kernel.database import DatabaseLockedError, DatabaseOpenError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except DatabaseLockedError as exc:
        fail(str(exc))
        return 3
    except DatabaseOpenError as exc:
        fail(str(exc))
        return 2
    except FileNotFoundError as exc:
        fail(str(exc))
        return 2
    except OSError as exc:  # a file that cannot be read or written: which one and why, in one line
        fail(f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror else str(exc))
        return 2


if __name__ == "__main__":
    sys.exit(main())

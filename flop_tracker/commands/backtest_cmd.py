"""`flop-tracker backtest --epoch FILE --as-of DATE [--until DATE] [--step-days N] [--report PATH]`."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from rich.table import Table

from flop_tracker import backtest
from flop_tracker.commands.common import paths_from
from flop_tracker.commands.query_cmd import iso_date, positive_int
from flop_tracker.console import console, fail
from ingest.base import IngestError
from kernel.files import atomic_write
from kernel.paths import PROJECT_ROOT
from kernel.text import terminal_text


def true_above_table(report: backtest.BacktestReport) -> Table:
    table = Table(title="Epoch >=1e25 models released in the window", title_justify="left")
    for name, justify in (("model", "left"), ("Epoch", "right"), ("flagged", "left"), ("lead d", "right")):
        table.add_column(name, justify=justify, overflow="fold")
    for m in report.true_above:
        name = m.truth.epoch_name if m.truth and m.truth.epoch_name else m.model_id
        table.add_row(
            terminal_text(name, 30),
            f"{m.epoch_flop:.2e}",
            f"{m.flag_date} (as of {m.flag_checkpoint})" if m.flagged else "never",
            "-" if m.lead_days is None else str(m.lead_days),
        )
    return table


def cmd_backtest(args: argparse.Namespace) -> int:
    epoch_file = Path(args.epoch)
    if not epoch_file.is_file():
        fail(f"{epoch_file}: no such file")
        return 2
    if args.until is not None and args.until <= args.as_of:
        fail(f"the window is empty: --until {args.until} is not after --as-of {args.as_of}")
        return 2
    report_path = Path(args.report) if args.report else PROJECT_ROOT / "docs" / f"backtest_{args.as_of}.md"

    status = console.status("backtest: rebuilding...", spinner="dots")

    def progress(k: int, total: int, as_of) -> None:
        status.update(f"backtest: rebuilding as of {as_of}" + (f" ({k}/{total})" if total else ""))

    try:
        with status:
            report = backtest.backtest(
                paths_from(args),
                epoch_file,
                args.as_of,
                until=args.until,
                step_days=args.step_days,
                exclude_epoch_values=not args.use_epoch_values,
                progress=progress,
            )
    except (IngestError, ValueError) as exc:
        fail(f"{epoch_file.name}: {exc}")
        return 2
    except RuntimeError as exc:
        fail(str(exc))
        return 1
    console.print(f"Backtest as of {report.as_of} against {epoch_file.name}", markup=False)
    for line in backtest.summary_lines(report):
        console.print(f"  {line}", markup=False)
    console.print(true_above_table(report))
    command = "flop-tracker " + " ".join(shlex.quote(a) for a in sys.argv[1:]) if args.record_command else ""
    atomic_write(report_path, backtest.markdown(report, command))
    console.print(f"wrote {report_path}", markup=False, soft_wrap=True)
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "backtest",
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="rebuild as of a past date and score the models released after it against an Epoch file",
        description="Rebuild a scratch copy of the database with only the evidence dated before each\n"
        "checkpoint (the as-of date, then every --step-days, then --until), and score the models\n"
        "released in between against an Epoch export: recall, precision, median |log10 error|, and\n"
        "for each >=1e25 model how many days before Epoch's figure the tracker flagged it.\n"
        "Your dataset and CSV files are not changed. Writes a markdown report.",
        epilog="example:\n  flop-tracker backtest --epoch ../shared/data/epoch/large_scale_ai_models_2025-05-20.csv "
        "--as-of 2025-01-01",
    )
    p.add_argument("--epoch", required=True, metavar="FILE", help="an Epoch AI CSV export (the reference)")
    p.add_argument("--as-of", required=True, type=iso_date, metavar="DATE", help="start of the window (YYYY-MM-DD)")
    p.add_argument(
        "--until",
        type=iso_date,
        metavar="DATE",
        help="end of the window, exclusive (default: the Epoch file's capture date)",
    )
    p.add_argument(
        "--step-days", type=positive_int, default=30, metavar="N", help="days between rebuilds (default: 30)"
    )
    p.add_argument(
        "--use-epoch-values",
        action="store_true",
        help="let a model's own Epoch figure count once its publication date has passed (default: excluded)",
    )
    p.add_argument("--report", metavar="PATH", help="markdown report (default: docs/backtest_<DATE>.md)")
    p.add_argument(
        "--no-record-command",
        dest="record_command",
        action="store_false",
        help="do not write the command line into the report",
    )
    p.set_defaults(func=cmd_backtest)

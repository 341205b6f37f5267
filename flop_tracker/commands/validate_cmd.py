"""`flop-tracker validate --epoch FILE [--exclude-epoch-values]`."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from flop_tracker.commands.common import paths_from
from flop_tracker.console import console, fail
from flop_tracker.validation import Coverage, ValidationReport, validate
from ingest.base import IngestError
from kernel.text import terminal_text


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.2e}"


def _width(c: Coverage) -> str:
    return "-" if c.median_width_dex is None else f"{c.median_width_dex:.2f}"


def render_calibration(report: ValidationReport) -> None:
    """The interval line, overall and per primary method, and the share of candidates left uncertain."""
    c = report.coverage
    console.print(
        f"  interval  {c.share or 0:.2f} of Epoch figures inside the 90% interval ({c.inside} of {c.total}), "
        f"median width {_width(c)} dex",
        markup=False,
        soft_wrap=True,
    )
    for method, m in report.coverage_by_method.items():
        console.print(
            f"    {method:<21} {m.share or 0:.2f} ({m.inside} of {m.total}), median width {_width(m)} dex",
            markup=False,
            soft_wrap=True,
        )
    console.print("  Epoch's interval readings, checked against the same model's disclosed compute:", markup=False)
    for r in report.epoch_readings:
        share = f"{r.inside / r.compared:.2f}" if r.compared else "   -"
        width = f", median width {r.median_width_dex:.2f} dex" if r.median_width_dex is not None else ""
        console.print(
            f"    {r.reading:<21} {share} ({r.inside} of {r.compared}){width}; {r.figures} Epoch figures read so",
            markup=False,
            soft_wrap=True,
        )
    candidates = report.candidates
    console.print(
        f"  uncertain {report.uncertain_share or 0:.2f} of the candidates file ({len(report.uncertain)} of "
        f"{len(candidates)})",
        markup=False,
        soft_wrap=True,
    )


def render(report: ValidationReport) -> None:
    mode = "own Epoch values EXCLUDED (leave-one-out)" if report.excluded_own_values else "Epoch values used"
    console.print(f"Validation against {Path(report.epoch_file).name} ({mode})", markup=False)
    truth = report.true_above_on_leaderboards
    flagged = report.flagged_with_figure
    console.print(
        f"  recall    {report.recall or 0:.2f}  ({len(report.recalled)} of {len(truth)} Epoch >=1e25 models "
        "on the leaderboards are in the candidates file)",
        markup=False,
        soft_wrap=True,
    )
    above = sum(r.epoch_flop >= 1e25 for r in flagged)
    console.print(
        f"  precision {report.precision or 0:.2f}  ({above} of {len(flagged)} candidates with an Epoch figure "
        "are >=1e25 by Epoch)",
        markup=False,
        soft_wrap=True,
    )
    median = report.median_abs_log_error
    console.print(
        f"  median |log10(estimate/Epoch)| {median if median is not None else float('nan'):.2f} "
        f"over {len(report.compared)} models",
        markup=False,
        soft_wrap=True,
    )
    render_calibration(report)
    table = Table(title="Worst misses", title_justify="left")
    for col in ("model", "Epoch", "estimate", "method", "why listed"):
        table.add_column(col, overflow="fold")
    shown = 0
    for r in report.missed:
        table.add_row(
            terminal_text(r.model_id, 28),
            _fmt(r.epoch_flop),
            _fmt(r.training_flop),
            terminal_text(r.method or "-"),
            "missed",
        )
        shown += 1
    for r in report.false_flags[:5]:
        table.add_row(
            terminal_text(r.model_id, 28),
            _fmt(r.epoch_flop),
            _fmt(r.training_flop),
            terminal_text(r.method or "-"),
            "false flag",
        )
    for r in [x for x in report.worst_errors if x not in report.missed][: max(0, 8 - shown)]:
        table.add_row(
            terminal_text(r.model_id, 28),
            _fmt(r.epoch_flop),
            _fmt(r.training_flop),
            terminal_text(r.method or "-"),
            f"error {r.log_error:+.2f} dex",
        )
    console.print(table)


def cmd_validate(args: argparse.Namespace) -> int:
    epoch_file = Path(args.epoch)
    if not epoch_file.is_file():
        fail(f"{epoch_file}: no such file")
        return 2
    try:
        report = validate(paths_from(args), epoch_file, args.exclude_epoch_values)
    except (IngestError, ValueError) as exc:
        fail(f"{epoch_file.name}: {exc}")
        return 2
    except RuntimeError as exc:
        fail(str(exc))
        return 1
    render(report)
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "validate",
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="compare classification and estimates with an Epoch export",
        description="Rebuild a scratch copy of the database and compare it with an Epoch AI export:\n"
        "recall of Epoch's >=1e25 models that appear on the leaderboards, precision among\n"
        "candidates Epoch has a figure for, median |log10(estimate/Epoch)| and the worst misses.\n"
        "Your dataset and CSV files are not changed.",
        epilog="example:\n  flop-tracker validate --epoch ../shared/data/epoch/large_scale_ai_models_2025-05-20.csv "
        "--exclude-epoch-values",
    )
    p.add_argument("--epoch", required=True, metavar="FILE", help="an Epoch AI CSV export")
    p.add_argument(
        "--exclude-epoch-values",
        action="store_true",
        help="measure the estimator itself: no model's own Epoch figure is used for its estimate "
        "or fitted into a regression that scores it (other models' figures still serve as references)",
    )
    p.set_defaults(func=cmd_validate)

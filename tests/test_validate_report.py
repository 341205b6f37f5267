"""What `validate` prints about its intervals: coverage of Epoch's figures and width, overall and per method."""

from __future__ import annotations

import math

import pytest

from flop_tracker.commands.validate_cmd import render
from flop_tracker.console import console
from flop_tracker.validation import Coverage, EpochReading, Row, ValidationReport


def row(model_id: str, epoch: float | None, flop: float, low: float, high: float, method: str, cls: str) -> Row:
    flagged = cls in {"high_confidence_above_1e25", "likely_above_1e25", "uncertain"}
    return Row(model_id, model_id, epoch, flop, low, high, method, cls, flagged, True)


@pytest.fixture
def report() -> ValidationReport:
    r = ValidationReport("large_scale_ai_models_2025-05-20.csv", True)
    r.rows = [
        # DeepSeek-V3: 6 x 37e9 x 14.8e12 = 3.2856e24, x/1.5..x1.5; Epoch 3.41e24 inside; width log10(2.25) = 0.352
        row(
            "deepseek-v3",
            3.41e24,
            3.2856e24,
            3.2856e24 / 1.5,
            3.2856e24 * 1.5,
            "operation_counting",
            "likely_below_1e25",
        ),
        # Epoch 3.8e25 outside 5e24..2e25 (width log10(4) = 0.602)
        row("a", 3.8e25, 1e25, 5e24, 2e25, "benchmark_regression", "uncertain"),
        # Epoch 1e24 inside 1e23..1e25 (width 2.0)
        row("b", 1e24, 1e24, 1e23, 1e25, "benchmark_regression", "likely_below_1e25"),
        # no Epoch figure: a candidate, never in the coverage
        row("c", None, 2e25, 1e25, 4e25, "family_lineage", "likely_above_1e25"),
    ]
    r.epoch_readings = [
        EpochReading("stated 90% CI", 0, 0, None, 3),
        EpochReading("confident (x3)", 60, 60, 0.954, 563),
    ]
    return r


def test_coverage_counts_epoch_figures_inside_the_interval(report: ValidationReport):
    assert report.coverage == Coverage(2, 3, pytest.approx(math.log10(4)))
    assert report.coverage_by_method["benchmark_regression"] == Coverage(1, 2, pytest.approx((math.log10(4) + 2) / 2))
    assert report.coverage_by_method["operation_counting"].share == 1.0
    assert "family_lineage" not in report.coverage_by_method  # no Epoch figure to check it against
    assert (len(report.uncertain), len(report.candidates)) == (1, 2)


def test_validate_prints_the_interval_line_overall_and_per_method(report: ValidationReport):
    with console.capture() as captured:
        render(report)
    lines = captured.get().splitlines()
    assert "  interval  0.67 of Epoch figures inside the 90% interval (2 of 3), median width 0.60 dex" in lines
    assert "    benchmark_regression  0.50 (1 of 2), median width 1.30 dex" in lines
    assert "    operation_counting    1.00 (1 of 1), median width 0.35 dex" in lines
    assert "    stated 90% CI            - (0 of 0); 3 Epoch figures read so" in lines
    assert "    confident (x3)        1.00 (60 of 60), median width 0.95 dex; 563 Epoch figures read so" in lines
    assert "  uncertain 0.50 of the candidates file (1 of 2)" in lines

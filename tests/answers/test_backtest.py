"""`flop-tracker backtest`: the window's scoring by hand, and a real as-of rebuild of the fixture database.

The fixture Epoch file (tests/fixtures/answers/epoch) holds six models. Two figures differ from
Epoch's on purpose so the scoring has something to find: Pangu Ultra at 8.0e24 (Epoch: 1.07e25)
makes the tracker's flag a false one, and Gemma 3 27B at 2.0e24 (Epoch: 2.3e24) gives an error.
The LMArena Elo history fixture dates each model's first leaderboard appearance.
"""

from __future__ import annotations

import hashlib
import math
from datetime import date
from pathlib import Path

import pytest

from flop_tracker import backtest
from flop_tracker.backtest import Checkpoint, Snapshot, Truth, checkpoint_dates, flag_date, score
from flop_tracker.cli import main
from kernel.paths import DB_ENV, DECISIONS_ENV
from tests.answers.conftest import EPOCH_FILE

D = date


def snap(flop: float, flagged: bool, release: date | None = None, seen: date | None = None, updated=None) -> Snapshot:
    return Snapshot(flop, flop / 3, flop * 3, "m", "c", flagged, release, seen, updated)


def test_checkpoints_step_then_end():
    assert checkpoint_dates(D(2025, 1, 1), D(2025, 5, 20), 60) == [
        D(2025, 1, 1),
        D(2025, 3, 2),
        D(2025, 5, 1),
        D(2025, 5, 20),
    ]
    assert checkpoint_dates(D(2025, 1, 1), D(2025, 1, 2), 30) == [D(2025, 1, 1), D(2025, 1, 2)]
    with pytest.raises(ValueError, match="the window is empty"):
        checkpoint_dates(D(2025, 1, 1), D(2025, 1, 1), 30)


def test_flag_date_rules():
    cps = [
        Checkpoint(D(2025, 1, 1), {"old": snap(2e25, True, D(2024, 5, 1), D(2024, 4, 20))}),
        Checkpoint(
            D(2025, 3, 1),
            {
                "new": snap(2e25, True, D(2025, 2, 10), D(2025, 2, 3)),  # unknown before: first appearance
                "late": snap(2e24, False, D(2025, 1, 20)),
                "early": snap(2e25, True, D(2024, 12, 1)),  # appeared only now: not before the last checkpoint
            },
        ),
        Checkpoint(
            D(2025, 4, 1),
            {
                "late": snap(2e25, True, D(2025, 1, 20), updated=D(2025, 3, 15)),  # newest evidence flipped it
                "stale": snap(2e25, True, D(2025, 1, 20), updated=D(2025, 2, 1)),
            },
        ),
    ]
    cps[1].models["stale"] = snap(2e24, False, D(2025, 1, 20))
    assert flag_date(cps, 0, "old") == D(2024, 4, 20)
    assert flag_date(cps, 1, "new") == D(2025, 2, 3)
    assert flag_date(cps, 1, "early") == D(2025, 1, 1)
    assert flag_date(cps, 2, "late") == D(2025, 3, 15)
    assert flag_date(cps, 2, "stale") == D(2025, 3, 1)


def test_score_by_hand():
    truth = {
        "a": Truth("A", 5e25, D(2025, 2, 1), D(2025, 4, 1)),  # true, flagged
        "b": Truth("B", 3e25, D(2025, 2, 15), D(2025, 3, 1)),  # true, never estimated
        "c": Truth("C", 4e24, D(2025, 2, 20), D(2025, 4, 1)),  # below, flagged: a false flag
        "d": Truth("D", 1e24, D(2025, 2, 20), None),  # below, estimated, not flagged
        "old": Truth("Old", 4e25, D(2024, 6, 1), D(2024, 9, 1)),  # released before the window
    }
    cps = [
        Checkpoint(D(2025, 1, 1), {"old": snap(4e25, True, D(2024, 6, 1))}),
        Checkpoint(
            D(2025, 3, 1),
            {
                "a": snap(1e26, True, D(2025, 2, 1), D(2025, 1, 28)),
                "c": snap(1.2e25, True, D(2025, 2, 20)),
                "d": snap(1e25 / 10, False, D(2025, 2, 20)),
                "e": snap(2e25, True, D(2025, 2, 25)),  # tracker only: flagged, no Epoch figure
            },
            on_leaderboards={"a", "b"},
        ),
        Checkpoint(
            D(2025, 4, 1),
            {"a": snap(5e25, True, D(2025, 2, 1), D(2025, 1, 28)), "d": snap(1e24, False, D(2025, 2, 20))},
            on_leaderboards={"a", "b"},
        ),
    ]
    report = score(cps, truth)
    assert [m.model_id for m in report.models] == ["a", "b", "c", "d", "e"]
    a, b, c, d, e = report.models
    assert (report.recall, report.recall_on_leaderboards, report.precision) == (0.5, 0.5, 0.5)
    assert (a.flag_checkpoint, a.flag_date, a.lead_days, a.days_after_publication) == (
        D(2025, 3, 1),
        D(2025, 1, 28),
        63,
        -4,
    )
    assert (b.flagged, b.first, b.lead_days) == (False, None, None)
    assert (c.flag_date, c.lead_days) == (D(2025, 2, 20), 40)
    # first estimates: a 1e26 vs 5e25, c 1.2e25 vs 4e24, d 1e24 vs 1e24 -> 0.301, 0.477, 0
    assert report.median_abs_log_error_first == pytest.approx(math.log10(2))
    # at the end: a 5e25 (exact), d 1e24 (exact); c and e were not in the last checkpoint
    assert (report.median_abs_log_error_final, report.compared_final) == (0.0, 2)
    assert (report.lead_days, report.median_lead_days) == ([63], 63)
    assert report.candidates_at_start == 1
    assert e.truth is None and e.flagged
    lines = backtest.summary_lines(report)
    assert lines[2] == "recall 0.50: 1 of 2 Epoch >=1e25 models released in the window were flagged"
    assert lines[4] == "precision 0.50: 1 of 2 flagged models with an Epoch figure are >=1e25 by Epoch"
    assert lines[5] == "flagged without an Epoch figure (not scored): 1"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def ran(built, tmp_path_factory: pytest.TempPathFactory):
    """The command, once, on the built database: its output, its report, and the figures it computed."""
    report_path = tmp_path_factory.mktemp("backtest") / "report.md"
    db = built.data_dir / "tracker.duckdb"
    before = (_digest(db), _digest(built.data_dir / "clean" / "above_1e25_flop.csv"))
    computed = []
    real = backtest.backtest
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(DECISIONS_ENV, str(built.decisions_dir))
        mp.setenv(DB_ENV, str(db))  # the scratch rebuilds must not follow it back to the user's database
        mp.setattr(backtest, "backtest", lambda *a, **k: computed.append(real(*a, **k)) or computed[-1])
        code = main(
            [
                "backtest",
                "--data-dir",
                str(built.data_dir),
                "--epoch",
                str(EPOCH_FILE),
                "--as-of",
                "2025-01-01",
                "--step-days",
                "60",
                "--report",
                str(report_path),
            ]
        )
    after = (_digest(db), _digest(built.data_dir / "clean" / "above_1e25_flop.csv"))
    return code, computed[0], report_path, before, after


def test_backtest_leaves_the_users_database_alone(ran):
    code, _, _, before, after = ran
    assert code == 0
    assert before == after


def test_backtest_window_figures(ran):
    _, report, _, _, _ = ran
    assert report.checkpoints == [D(2025, 1, 1), D(2025, 3, 2), D(2025, 5, 1), D(2025, 5, 20)]
    by_id = {m.model_id: m for m in report.models}
    assert "llama-3.1-405b" not in by_id  # released before the window
    assert {"grok-3", "claude-3.7-sonnet", "llama-4-behemoth", "pangu-ultra", "gemma-3-27b"} <= set(by_id)
    # Grok-3 and Claude 3.7 Sonnet have no evidence but their own Epoch figures, which are excluded
    assert [m.model_id for m in report.true_above if not m.flagged] == ["grok-3", "claude-3.7-sonnet"]
    assert (by_id["grok-3"].on_leaderboard, by_id["claude-3.7-sonnet"].on_leaderboard) == (True, True)
    behemoth, pangu, gemma = by_id["llama-4-behemoth"], by_id["pangu-ultra"], by_id["gemma-3-27b"]
    # released 2025-04-05 (not on a leaderboard): unknown as of 2025-03-02, flagged as of 2025-05-01
    assert (behemoth.first_checkpoint, behemoth.flag_checkpoint, behemoth.flag_date) == (
        D(2025, 5, 1),
        D(2025, 5, 1),
        D(2025, 4, 5),
    )
    assert behemoth.first.training_flop == pytest.approx(6 * 288e9 * 30e12)  # active parameters x tokens
    assert (behemoth.truth.figure_date, behemoth.lead_days, behemoth.days_after_publication) == (
        D(2025, 5, 20),
        45,
        0,
    )
    # Pangu Ultra: 6 x 135e9 x 13.2e12 = 1.0692e25, an "uncertain" candidate; Epoch (here) says 8e24
    assert pangu.first.training_flop == pytest.approx(1.0692e25)
    assert (pangu.flag_date, pangu.true_above) == (D(2025, 4, 10), False)
    assert gemma.first.training_flop == pytest.approx(6 * 27.4e9 * 14e12) and not gemma.flagged
    assert report.recall == pytest.approx(1 / 3)
    assert report.recall_on_leaderboards == 0.0
    assert report.precision == 0.5
    errors = [abs(math.log10(1.0692e25 / 8e24)), abs(math.log10(2.3016e24 / 2e24)), 0.0]
    assert report.median_abs_log_error_first == pytest.approx(sorted(errors)[1], abs=1e-9)
    assert (report.lead_days, report.median_lead_days) == ([45], 45)


def test_backtest_prints_and_writes_its_figures(ran, capsys):
    _, report, report_path, _, _ = ran
    text = report_path.read_text(encoding="utf-8")
    assert text.startswith("# Backtest as of 2025-01-01\n")
    for line in backtest.summary_lines(report):
        assert f"- {line}\n" in text
    assert "- recall 0.33: 1 of 3 Epoch >=1e25 models released in the window were flagged\n" in text
    assert "- precision 0.50: 1 of 2 flagged models with an Epoch figure are >=1e25 by Epoch\n" in text
    assert (
        "| Llama 4 Behemoth (preview) **>=1e25** | 5.18e+25 | 2025-04-05 | 5.18e+25 (2025-05-01) "
        "| high_confidence_above_1e25 | 2025-05-01 | 2025-04-05 | 0 | 2025-05-20 | 45 | 5.18e+25 | +0.00 |"
    ) in text
    assert "| Grok-3 **>=1e25** | 4.64e+26 | 2025-02-17 | not known | - | never |" in text


def test_an_empty_window_fails_before_any_rebuild(use_built, capsys):
    code = main(
        [
            "backtest",
            "--data-dir",
            str(use_built.data_dir),
            "--epoch",
            str(EPOCH_FILE),
            "--as-of",
            "2025-05-01",
            "--until",
            "2025-04-01",
        ]
    )
    assert code == 2
    err = " ".join(capsys.readouterr().err.split())
    assert err == "error: the window is empty: --until 2025-04-01 is not after --as-of 2025-05-01"


def test_a_missing_epoch_file_is_named(use_built, tmp_path: Path, capsys):
    code = main(
        ["backtest", "--data-dir", str(use_built.data_dir), "--epoch", str(tmp_path / "x.csv"), "--as-of", "2025-01-01"]
    )
    assert code == 2 and " ".join(capsys.readouterr().err.split()) == f"error: {tmp_path / 'x.csv'}: no such file"

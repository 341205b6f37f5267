"""dbt must never write beside people's decisions: their CSV files stay byte-identical after a build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flop_tracker import pipeline
from kernel.paths import PROJECT_ROOT, Paths


@pytest.mark.dbt
def test_build_leaves_decision_seeds_untouched(paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    decisions = tmp_path / "decisions"
    shutil.copytree(PROJECT_ROOT / "seeds" / "decisions", decisions)
    (decisions / "review_decisions.csv").write_text(
        "model_id,decision,reason,reviewer,decided_at,shown_training_flop,shown_flop_low,shown_flop_high,"
        "shown_classification\nalpha-pro,y,flagship,ana,2026-01-02 03:04:05,2e25,1e24,4e26,likely_above_1e25\n"
    )
    before = {p.name: p.read_bytes() for p in decisions.iterdir()}
    monkeypatch.setenv("FLOP_TRACKER_DECISIONS_DIR", str(decisions))
    outcome = pipeline.build(paths)
    assert outcome.success, outcome.failures or outcome.error
    assert {p.name: p.read_bytes() for p in decisions.iterdir()} == before
    # and the repository's own decisions were not touched either
    header = (PROJECT_ROOT / "seeds" / "decisions" / "review_decisions.csv").read_text().splitlines()[0]
    assert header.startswith("model_id,decision,reason,reviewer,decided_at")

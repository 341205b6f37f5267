"""A verified model stays where the reviewer put it; a new estimate that contradicts the decision is flagged.

Decisions are taken on the estimates the fixture build shows; then manual entries (the
`manual-entry` command with flags) give two of the models a developer-disclosed compute on
the other side of 1e25, and the rebuild must flag them (status needs_re_review) without
moving them. A decision that overruled an interval the reviewer saw is not a contradiction.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flop_tracker import pipeline
from flop_tracker.cli import main
from review.decisions import ReviewDecision, append_decision, now_utc
from review.session import load_mart
from tests.review_helpers import ReviewEnv, built_database, by_id, copy_environment, read_csv

pytestmark = [pytest.mark.dbt, pytest.mark.timeout(300)]


@pytest.fixture
def env(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ReviewEnv:
    return copy_environment(built_database(tmp_path_factory), tmp_path, monkeypatch)


def decide(env: ReviewEnv, model_id: str, verdict: str, reason: str) -> None:
    shown = by_id(load_mart(env.paths))[model_id]
    d = ReviewDecision(
        model_id=model_id,
        decision=verdict,
        reason=reason,
        reviewer="ana",
        decided_at=now_utc(),
        shown_training_flop=shown["training_flop"],
        shown_flop_low=shown["flop_low"],
        shown_flop_high=shown["flop_high"],
        shown_classification=shown["threshold_classification"],
    )
    assert append_decision(d, env.seed).saved


def test_a_new_estimate_across_the_threshold_flags_the_decision_and_moves_nothing(
    env: ReviewEnv, capsys: pytest.CaptureFixture[str]
):
    mart = by_id(load_mart(env.paths))
    assert (mart["eta-large"]["flop_low"], mart["eta-large"]["flop_high"]) == pytest.approx((5e24, 4.5e25))
    assert mart["zeta-ultra"]["flop_low"] == pytest.approx(1.5e25)
    decide(env, "eta-large", "n", "distilled from a larger model")
    decide(env, "zeta-ultra", "y", "cluster disclosure")
    # the reviewer saw this interval (wholly above 1e25) and said no anyway: their call, not a contradiction
    assert mart["llama-3.1-405b"]["flop_low"] > 1e25
    decide(env, "llama-3.1-405b", "n", "overruled on purpose")
    assert pipeline.build(env.paths).success

    below, staging = by_id(read_csv(env.paths.below_csv)), by_id(read_csv(env.paths.staging_csv))
    assert below["eta-large"]["status"] == "confirmed_below_1e25"
    assert below["llama-3.1-405b"]["status"] == "confirmed_below_1e25"
    assert staging["zeta-ultra"]["status"] == "confirmed_above_1e25"

    # new evidence: Eta Large's developer discloses 6e25 FLOP, Zeta Ultra's 2e24
    code = main(
        [
            "manual-entry",
            "--name",
            "Eta Large",
            "--developer",
            "EtaAI",
            "--disclosed-flop",
            "6e25",
            "--source-url",
            "https://example.org/eta-report",
            "--no-build",
        ]
    )
    assert code == 0
    code = main(
        [
            "manual-entry",
            "--name",
            "Zeta Ultra",
            "--developer",
            "ZetaLab",
            "--disclosed-flop",
            "2e24",
            "--source-url",
            "https://example.org/zeta-card",
            "--data-dir",
            str(env.data_dir),
        ]
    )
    assert code == 0, capsys.readouterr().err

    mart = by_id(load_mart(env.paths))
    above = by_id(read_csv(env.paths.above_csv))
    below = by_id(read_csv(env.paths.below_csv))
    staging = by_id(read_csv(env.paths.staging_csv))

    eta = below["eta-large"]  # still in the below file, verified, but flagged
    assert "eta-large" not in above
    assert eta["estimation_method"] == "developer_disclosed" and float(eta["flop_low"]) == pytest.approx(4e25)
    assert eta["verified"] == "y"
    assert eta["status"] == "needs_re_review"
    assert eta["threshold_classification"] == "high_confidence_below_1e25"
    assert eta["notes"].startswith("distilled from a larger model (ana, ")
    assert eta["notes"].endswith("[re-review: verified below 1e25, but the new estimate's interval is wholly above it]")
    assert mart["eta-large"]["review_flag"] == "verified below 1e25, but the new estimate's interval is wholly above it"

    for rows in (above, staging):  # still in staging and in the candidates file, flagged
        zeta = rows["zeta-ultra"]
        assert float(zeta["flop_high"]) == pytest.approx(3e24)
        assert zeta["status"] == "needs_re_review"
        assert zeta["verified"] == "y"
        assert zeta["notes"].endswith(
            "[re-review: verified above 1e25, but the new estimate's interval is wholly below it]"
        )

    assert below["llama-3.1-405b"]["status"] == "confirmed_below_1e25"  # unchanged estimate: no flag
    assert mart["llama-3.1-405b"]["review_flag"] is None
    assert {m for m, r in mart.items() if r["review_flag"]} == {"eta-large", "zeta-ultra"}

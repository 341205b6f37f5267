"""`flop-tracker review-candidates` in a real pseudo-terminal on a small built database.

One session answers y for the first model shown and n for the second, then quits; the
rebuild must put them where the workflow document says. Another session is killed right
after a decision (the decision survives); two sessions review at once (nothing is lost,
the later reviewer is told who decided first).
"""

from __future__ import annotations

import signal
from pathlib import Path

import pexpect
import pytest

from flop_tracker import pipeline
from review.decisions import read_decisions
from review.session import load_mart, pending_candidates
from tests.review_helpers import ReviewEnv, built_database, by_id, cli_command, copy_environment, read_csv

pytestmark = [pytest.mark.dbt, pytest.mark.timeout(300)]
DECISION = r"Decision \(y/n/skip/quit\):"
ABOVE = "reason for confirming this model is above 1e25 FLOP:"
BELOW = "reason for confirming this model is below 1e25 FLOP:"


@pytest.fixture
def env(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ReviewEnv:
    return copy_environment(built_database(tmp_path_factory), tmp_path, monkeypatch)


def spawn(env: ReviewEnv, *args: str, reviewer: str = "ana") -> pexpect.spawn:
    program, argv = cli_command("review-candidates", "--data-dir", str(env.data_dir), "--reviewer", reviewer, *args)
    return pexpect.spawn(program, argv, env=env.env(), encoding="utf-8", timeout=120, dimensions=(60, 200))


def order(env: ReviewEnv) -> list[dict]:
    return pending_candidates(load_mart(env.paths), set())


def test_review_session_in_a_terminal_moves_models_where_the_workflow_says(env: ReviewEnv):
    pending = order(env)
    first, second = pending[0], pending[1]
    assert len(pending) == 9  # six curated candidates and three from the review fixture's Epoch export
    child = spawn(env)
    child.expect("Loading datasets...")
    child.expect("Candidates: 9 models")
    child.expect("Staging: 0 models")
    child.expect("Found 9 new candidates to review")
    child.expect("Options for each model:")
    child.expect(f"MODEL: {first['model']}")
    child.expect(DECISION)
    child.send("y\r")
    child.expect(ABOVE)
    child.send("Disclosed cluster and tokens put it well above\r")
    child.expect(f"Successfully recorded {first['model']}")
    child.expect(f"MODEL: {second['model']}")
    child.expect(DECISION)
    child.send("n\r")
    child.expect(BELOW)
    child.send("\r")  # an empty reason is refused; the prompt stays
    child.send("Distilled model, smaller than the estimate\r")
    child.expect(f"Successfully recorded {second['model']}")
    child.expect(DECISION)
    child.send("q\r")
    child.expect("Saved 2 decisions as ana")
    child.expect(r"Moved to staging \(data/staging/above_1e25_flop_staging.csv\): " + first["model"])
    child.expect(r"Moved to below \(data/clean/below_1e25_flop.csv\): " + second["model"])
    child.expect("Flagged for re-review: none")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    seed = read_decisions(env.seed)
    assert [(d.model_id, d.decision, d.reviewer) for d in seed.values()] == [
        (first["model_id"], "y", "ana"),
        (second["model_id"], "n", "ana"),
    ]
    assert seed[first["model_id"]].reason == "Disclosed cluster and tokens put it well above"
    assert seed[first["model_id"]].shown_training_flop == pytest.approx(first["training_flop"], rel=1e-5)
    assert seed[second["model_id"]].shown_classification == second["threshold_classification"]

    staging = by_id(read_csv(env.paths.staging_csv))
    above = by_id(read_csv(env.paths.above_csv))
    below = by_id(read_csv(env.paths.below_csv))
    assert list(staging) == [first["model_id"]]
    for rows in (staging, above):  # y: in staging, and verified with the reason in the candidates file
        r = rows[first["model_id"]]
        assert r["verified"] == "y"
        assert r["status"] == "confirmed_above_1e25"
        assert r["notes"].startswith("Disclosed cluster and tokens put it well above (ana, ")
    assert second["model_id"] not in above and second["model_id"] not in staging
    r = below[second["model_id"]]  # n: moved to the below file, verified, confirmed below, reason in notes
    assert r["verified"] == "y"
    assert r["status"] == "confirmed_below_1e25"
    assert r["threshold_classification"] == "high_confidence_below_1e25"
    assert r["notes"].startswith("Distilled model, smaller than the estimate (ana, ")
    assert len(above) == 8 and all(v["verified"] == "n" for k, v in above.items() if k != first["model_id"])


def test_a_killed_session_keeps_the_decision_it_made(env: ReviewEnv):
    first, second = order(env)[:2]
    child = spawn(env)
    child.expect(DECISION)
    child.send("y\r")
    child.expect(ABOVE)
    child.send("Known frontier model\r")
    child.expect(f"MODEL: {second['model']}")
    child.expect(DECISION)  # the next question is on screen: the decision must be on disk now
    child.kill(signal.SIGKILL)
    child.close(force=True)
    assert child.signalstatus == signal.SIGKILL
    seed = read_decisions(env.seed)
    assert [(d.model_id, d.decision, d.reason) for d in seed.values()] == [
        (first["model_id"], "y", "Known frontier model")
    ]
    assert not list(env.decisions_dir.glob(".*.tmp"))
    outcome = pipeline.build(env.paths)  # the next build applies it
    assert outcome.success, outcome.failures
    assert [r["model_id"] for r in read_csv(env.paths.staging_csv)] == [first["model_id"]]


def test_two_reviewers_at_once_lose_nothing_and_the_second_is_told(env: ReviewEnv):
    one, two = order(env)[:2]
    alice = spawn(env, "--no-build", reviewer="alice")
    bob = spawn(env, "--no-build", reviewer="bob")
    for child in (alice, bob):
        child.expect(f"MODEL: {one['model']}")
        child.expect(DECISION)
    alice.send("y\r")
    alice.expect(ABOVE)
    alice.send("alice says above\r")
    alice.expect(f"Successfully recorded {one['model']}")
    alice.expect(f"MODEL: {two['model']}")
    alice.expect(DECISION)
    bob.send("n\r")  # bob still sees the first model and disagrees
    bob.expect(BELOW)
    bob.send("bob says below\r")
    bob.expect(f"Not saved: {one['model']} was decided meanwhile: y \\(above 1e25 FLOP\\) by alice")
    bob.expect(f"MODEL: {two['model']}")
    bob.expect(DECISION)
    bob.send("y\r")
    bob.expect(ABOVE)
    bob.send("bob says above\r")
    bob.expect(f"Successfully recorded {two['model']}")
    bob.expect(DECISION)
    alice.send("n\r")
    alice.expect(BELOW)
    alice.send("alice says below\r")
    alice.expect(f"Not saved: {two['model']} was decided meanwhile: y \\(above 1e25 FLOP\\) by bob")
    alice.expect(DECISION)
    for child in (alice, bob):
        child.send("q\r")
        child.expect("Run `flop-tracker build` to apply them")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
    seed = read_decisions(env.seed)
    assert [(d.model_id, d.decision, d.reviewer, d.reason) for d in seed.values()] == [
        (one["model_id"], "y", "alice", "alice says above"),
        (two["model_id"], "y", "bob", "bob says above"),
    ]

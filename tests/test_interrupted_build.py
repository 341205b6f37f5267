"""An interrupted build never leaves the published files out of step with the seeds (issue 15 item 1).

Before: a reviewer's decision is appended, `build` is killed after dbt has written the mart, the
decision is taken back out of the seed, and the next build says "nothing changed, dbt not run" (the
seed matches what the last complete build read) and writes the files from a mart that still holds the
removed decision. Now the build record says "incomplete" before dbt starts and "complete" only after
the three CSV files are written; a build that finds it incomplete rebuilds what that build covered.

Each interruption here is real: `flop-tracker build` runs in a child process that stops at a named
point (a function wrapped to print where it is and wait) and is killed with SIGKILL, or sent Ctrl-C.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import duckdb
import pexpect
import pytest

from flop_tracker import build_state, pipeline
from flop_tracker.build_state import BuildInputs, BuildPlan, plan
from kernel.paths import DATA_DIR_ENV, DB_ENV, DECISIONS_ENV, Paths
from review.decisions import ReviewDecision, append_decision, now_utc
from tests.conftest import ingest_mini_captures

# A child that runs `flop-tracker build` and stops at the point named in argv[1]:
#   before-dbt       the record is marked, dbt has not started
#   mart-built       dbt has written the models mart (and is still running: tests of the mart follow)
#   before-files     dbt finished; the three CSV files are not written yet
#   before-complete  the files are written; the record does not say complete yet
#   after-complete   the record says complete
CHILD = r"""
import sys, time
point = sys.argv[1]

def stop_here():
    print(f"at {point}", flush=True)
    time.sleep(120)

from flop_tracker import build_state, pipeline

def wrap(module, name, after=False):
    real = getattr(module, name)
    def wrapped(*args, **kwargs):
        if not after:
            stop_here()
        result = real(*args, **kwargs)
        if after:
            stop_here()
        return result
    setattr(module, name, wrapped)

if point == "before-dbt":
    wrap(pipeline, "run_dbt")
elif point == "before-files":
    wrap(pipeline, "write_dataset_files")
elif point == "before-complete":
    wrap(pipeline, "write_dataset_files", after=True)
elif point == "after-complete":
    wrap(pipeline, "complete_build", after=True)
elif point == "mart-built":
    import dbt.cli.main
    real_runner = dbt.cli.main.dbtRunner

    def on_event(event):
        if event.info.name == "NodeFinished" and event.data.node_info.unique_id == "model.flop_tracker.models":
            stop_here()

    class Runner(real_runner):
        def __init__(self, *args, callbacks=None, **kwargs):
            super().__init__(*args, callbacks=[*(callbacks or []), on_event], **kwargs)

    dbt.cli.main.dbtRunner = Runner

from flop_tracker.cli import main
sys.exit(main(["build"]))
"""

FILES = ("above", "below", "staging")


def published(paths: Paths) -> dict[str, str]:
    return {
        "above": paths.above_csv.read_text(),
        "below": paths.below_csv.read_text(),
        "staging": paths.staging_csv.read_text(),
    }


def one_row(paths: Paths, sql: str, params: list | None = None) -> tuple | None:
    con = duckdb.connect(str(paths.db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchone()
    finally:
        con.close()


def decision_in_mart(paths: Paths, model_id: str) -> str | None:
    row = one_row(paths, "select decision from main.models where model_id = ?", [model_id])
    return row[0] if row else None


def undecided_candidate(paths: Paths) -> str:
    """The candidate with the highest estimate that no one has decided."""
    return one_row(
        paths,
        "select model_id from main.models where dataset_file = 'candidates' and decision is null "
        "order by training_flop desc, model_id limit 1",
    )[0]


def interrupted_build(paths: Paths, decisions: Path, point: str, how: str) -> str:
    """Run `flop-tracker build` in a child, stop it at `point` and kill it (or Ctrl-C); its output."""
    env = {DATA_DIR_ENV: str(paths.data_dir), DECISIONS_ENV: str(decisions)}
    child = pexpect.spawn(
        sys.executable, ["-c", CHILD, point], env={**_environ(), **env}, encoding="utf-8", timeout=180
    )
    try:
        child.expect(f"at {point}")
        if how == "kill -9":
            child.kill(signal.SIGKILL)
        else:
            child.sendintr()
        child.expect(pexpect.EOF, timeout=60)
        output = child.before
        child.close()
    finally:
        child.terminate(force=True)
    if how == "kill -9":
        assert child.signalstatus == signal.SIGKILL, output
    else:
        assert child.exitstatus == 130 and "error: interrupted" in output, output
    return output


def _environ() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env.pop(DB_ENV, None)
    return env


@pytest.mark.dbt
def test_an_interrupted_build_then_a_restored_seed_gives_what_a_full_build_writes(paths: Paths, decisions_copy: Path):
    decisions = decisions_copy
    ingest_mini_captures(paths)
    full = pipeline.build(paths, full=True)
    assert full.success, full.failures or full.error
    reference = published(paths)  # what `build --full` writes for the seeds as they are
    model_id = undecided_candidate(paths)
    seed = decisions / "review_decisions.csv"
    original = seed.read_bytes()
    assert model_id not in reference["staging"]

    for point, how in [
        ("mart-built", "kill -9"),
        ("before-files", "kill -9"),
        ("before-complete", "kill -9"),
        ("before-files", "Ctrl-C"),
        ("before-dbt", "kill -9"),
    ]:
        decided = ReviewDecision(model_id=model_id, decision="y", reason="t", reviewer="t", decided_at=now_utc())
        assert append_decision(decided, seed).saved
        interrupted_build(paths, decisions, point, how)
        if point != "before-dbt":  # the interrupted build got as far as the mart
            assert decision_in_mart(paths, model_id) == "y", (point, how)
        seed.write_bytes(original)  # the reviewer takes the decision back

        plain = pipeline.build(paths)
        assert plain.success, (point, how, plain.failures or plain.error)
        assert published(paths) == reference, (point, how, plain.plan)
        assert decision_in_mart(paths, model_id) is None, (point, how)
    # and nothing more to do afterwards: the record is complete again
    assert pipeline.build(paths).plan == "nothing changed since the last build"


@pytest.mark.dbt
def test_a_build_killed_once_complete_is_already_in_the_history(paths: Paths, decisions_copy: Path):
    """A complete build published its files, so its state is in history.models_history before the record
    says complete: killed right after, the decision it published is there (before, the snapshot ran last,
    and a build killed in between had published files no history held)."""
    decisions = decisions_copy
    ingest_mini_captures(paths)
    assert pipeline.build(paths, full=True).success
    model_id = undecided_candidate(paths)
    (builds,) = one_row(paths, "select count(*) from history.builds")
    decided = ReviewDecision(model_id=model_id, decision="y", reason="t", reviewer="t", decided_at=now_utc())
    assert append_decision(decided, decisions / "review_decisions.csv").saved
    interrupted_build(paths, decisions, "after-complete", "kill -9")
    assert model_id in paths.staging_csv.read_text()  # published
    assert one_row(paths, "select count(*) from history.builds") == (builds + 1,)
    assert one_row(
        paths, "select decision from history.models_history where model_id = ? and dbt_valid_to is null", [model_id]
    ) == ("y",)
    assert pipeline.build(paths).plan == "nothing changed since the last build"


# -- the planner ------------------------------------------------------------------------------------
BEFORE = BuildInputs(
    project="p1",
    sources={"lmarena.lmarena_scores": "10:3", "epoch.epoch_models": "5:2"},
    seeds={"review_decisions": "d1", "known_model_specs": "k1"},
)


def test_an_unfinished_selection_is_rebuilt_even_when_nothing_changed():
    unfinished = BuildPlan(full=False, select=["review_decisions+"], reason="changed seeds review_decisions")
    decided = plan(BEFORE, BEFORE.model_copy(), unfinished)
    assert (decided.full, decided.select) == (False, ["review_decisions+"])
    assert decided.reason == "the last build did not finish: rebuilding what it covered (review_decisions+)"


def test_an_unfinished_selection_joins_what_changed_since():
    unfinished = BuildPlan(full=False, select=["review_decisions+"], reason="x")
    now = BEFORE.model_copy(update={"sources": {**BEFORE.sources, "lmarena.lmarena_scores": "20:4"}})
    decided = plan(BEFORE, now, unfinished)
    assert decided.select == ["review_decisions+", "source:lmarena.lmarena_scores+"]
    assert decided.reason == (
        "the last build did not finish: rebuilding what it covered (review_decisions+); "
        "new data in lmarena: rebuilding what depends on them"
    )


def test_an_unfinished_full_build_is_done_again_in_full():
    unfinished = BuildPlan(full=True, reason="no complete build of this database yet")
    decided = plan(BEFORE, BEFORE.model_copy(), unfinished)
    assert decided.full
    assert decided.reason == "the last build did not finish: rebuilding everything"


def test_the_record_says_incomplete_from_before_dbt_until_complete(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(build_state, "MART", "main.t")
    con = duckdb.connect(str(tmp_path / "x.duckdb"))
    try:
        con.execute("create table main.t (x int)")
        build_state.save_inputs(con, BEFORE)
        assert build_state.last_build(con) == build_state.LastBuild(inputs=BEFORE, unfinished=None)
        step = BuildPlan(full=False, select=["review_decisions+"], reason="changed seeds review_decisions")
        build_state.mark_incomplete(con, step)
        assert build_state.last_build(con) == build_state.LastBuild(inputs=BEFORE, unfinished=step)
        build_state.save_inputs(con, BEFORE)
        assert build_state.last_build(con).unfinished is None
    finally:
        con.close()

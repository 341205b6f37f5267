"""Build only what changed: the planner's decisions, and that a partial rebuild equals a full one."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from flop_tracker import build_state, pipeline
from flop_tracker.build_state import BuildInputs, plan
from ingest.runner import Ingestor
from kernel.paths import DECISIONS_ENV, PROJECT_ROOT, Paths
from review.decisions import ReviewDecision, append_decision, now_utc
from tests.conftest import FIXTURES

BEFORE = BuildInputs(
    project="p1",
    sources={"lmarena.lmarena_scores": "10:3", "epoch.epoch_models": "5:2", "ingest.ingest_runs": "3:3"},
    seeds={"review_decisions": "d1", "known_model_specs": "k1"},
)


def _with(**changes: object) -> BuildInputs:
    return BEFORE.model_copy(update=changes)


def test_no_previous_build_means_everything():
    decided = plan(None, BEFORE)
    assert decided.full and decided.select == []
    assert decided.reason == "no complete build of this database yet"


def test_a_changed_project_means_everything():
    decided = plan(BEFORE, _with(project="p2"))
    assert decided.full
    assert "project" in decided.reason


def test_new_raw_rows_rebuild_only_what_reads_that_table():
    now = _with(sources={**BEFORE.sources, "lmarena.lmarena_scores": "20:4", "ingest.ingest_runs": "4:4"})
    decided = plan(BEFORE, now)
    assert not decided.full
    assert decided.select == ["source:ingest.ingest_runs+", "source:lmarena.lmarena_scores+"]
    assert decided.reason == "new data in ingest, lmarena: rebuilding what depends on them"


def test_an_edited_seed_rebuilds_what_reads_it():
    decided = plan(BEFORE, _with(seeds={**BEFORE.seeds, "review_decisions": "d2"}))
    assert (decided.full, decided.select) == (False, ["review_decisions+"])
    assert decided.reason == "changed seeds review_decisions: rebuilding what depends on them"


def test_nothing_changed_means_nothing_to_do():
    decided = plan(BEFORE, BEFORE.model_copy())
    assert decided.nothing_to_do
    assert decided.reason == "nothing changed since the last build"


def test_a_removed_seed_or_source_means_everything():
    assert plan(BEFORE, _with(seeds={"review_decisions": "d1"})).full
    assert plan(BEFORE, _with(sources={"lmarena.lmarena_scores": "10:3"})).full


def test_raw_table_fingerprint_is_rows_and_newest_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(build_state, "dbt_sources", lambda: {"s.t": ("raw", "t"), "s.gone": ("raw", "gone")})
    con = duckdb.connect(str(tmp_path / "x.duckdb"))
    con.execute("create schema raw")
    con.execute("create table raw.t (name varchar, ingest_run_id bigint)")
    con.execute("insert into raw.t values ('a', 1), ('b', 1), ('c', 7)")
    assert build_state.current_inputs(con).sources == {"s.t": "3:7", "s.gone": "absent"}
    con.execute("insert into raw.t values ('d', 8)")
    assert build_state.current_inputs(con).sources["s.t"] == "4:8"
    con.close()


def test_project_fingerprint_follows_contents_not_times(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = tmp_path / "project"
    (root / "models").mkdir(parents=True)
    (root / "models" / "a.sql").write_text("select 1")
    (root / "dbt_project.yml").write_text("name: x\n")
    monkeypatch.setattr(build_state, "PROJECT_ROOT", root)
    monkeypatch.setattr(build_state, "curated_seeds_dir", lambda: root / "seeds")
    monkeypatch.setattr(build_state, "decisions_dir", lambda: root / "decisions")
    first = build_state.project_fingerprint()
    (root / "models" / "a.sql").touch()
    assert build_state.project_fingerprint() == first
    (root / "models" / "a.sql").write_text("select 2")
    assert build_state.project_fingerprint() != first


def _mart(paths: Paths) -> list[tuple]:
    con = duckdb.connect(str(paths.db), read_only=True)
    try:
        return con.execute("select * exclude (last_updated) from main.models order by model_id").fetchall()
    finally:
        con.close()


@pytest.mark.dbt
def test_partial_rebuilds_equal_a_full_build(paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    decisions = tmp_path / "decisions"
    shutil.copytree(PROJECT_ROOT / "seeds" / "decisions", decisions)
    monkeypatch.setenv(DECISIONS_ENV, str(decisions))
    lmarena, epoch = pipeline.selected_sources(["lmarena", "epoch"])
    with Ingestor(paths, pipeline.selected_sources(None)) as ingestor:
        assert ingestor.ingest_file(lmarena, FIXTURES / "lmarena" / "mini_table.csv").status == "ok"
        assert ingestor.ingest_file(epoch, FIXTURES / "epoch" / "mini_epoch.csv").status == "ok"

    first = pipeline.build(paths)
    assert first.success, first.failures or first.error
    assert first.plan == "no complete build of this database yet"
    everything = first.counts["success"]  # every seed and model

    again = pipeline.build(paths)  # nothing new: dbt is not run, the files are still written
    assert (again.success, again.counts, again.plan) == (True, {}, "nothing changed since the last build")
    assert paths.above_csv.exists() and paths.below_csv.exists() and paths.staging_csv.exists()

    with Ingestor(paths, pipeline.selected_sources(None)) as ingestor:  # a new leaderboard snapshot
        assert ingestor.ingest_file(lmarena, FIXTURES / "lmarena" / "mini_page.html").status == "ok"
    newer = pipeline.build(paths)
    assert newer.success, newer.failures or newer.error
    assert newer.plan == "new data in ingest, lmarena: rebuilding what depends on them"
    assert 0 < newer.counts["success"] < everything  # the seeds, and what reads no leaderboard, stay
    con = duckdb.connect(str(paths.db), read_only=True)
    try:  # the page's own model reached identity
        assert (
            con.execute(
                "select count(*) from intermediate.int_models_identified where model_id = 'gamma-8x7b'"
            ).fetchone()[0]
            == 1
        )
    finally:
        con.close()

    model_id = _mart(paths)[0][0]
    append_decision(
        ReviewDecision(model_id=model_id, decision="n", reason="checked", reviewer="t", decided_at=now_utc())
    )
    decided = pipeline.build(paths)
    assert decided.success, decided.failures or decided.error
    assert decided.plan == "changed seeds review_decisions: rebuilding what depends on them"
    # the seed, the latest-decision table and the mart; nothing else
    assert decided.counts["success"] == 3
    con = duckdb.connect(str(paths.db), read_only=True)
    try:
        row = con.execute("select decision, dataset_file from main.models where model_id = ?", [model_id]).fetchone()
    finally:
        con.close()
    assert row == ("n", "below")
    partial = _mart(paths)

    full = pipeline.build(paths, full=True)
    assert full.success and full.counts["success"] == everything
    assert _mart(paths) == partial  # what the partial rebuilds made is what a full build makes


@pytest.mark.dbt
def test_a_build_of_a_selection_forgets_the_recorded_inputs(paths: Paths):
    lmarena = pipeline.selected_sources(["lmarena"])[0]
    with Ingestor(paths, pipeline.selected_sources(None)) as ingestor:
        assert ingestor.ingest_file(lmarena, FIXTURES / "lmarena" / "mini_table.csv").status == "ok"
    assert pipeline.build(paths).success
    assert pipeline.build(paths).plan == "nothing changed since the last build"
    assert pipeline.build(paths, ["stg_lmarena__scores"]).success
    after = pipeline.build(paths)  # the database was built some other way: everything again
    assert after.success and after.plan == "no complete build of this database yet"


@pytest.mark.dbt
def test_a_seed_whose_columns_changed_is_reloaded_not_a_failed_build(paths: Paths):
    """A database built before a seed gained a column (lab_feeds' stale_after_days) must still build.

    dbt reloads an existing seed table in place (truncate, insert with the table's old columns), which
    fails on the new file; a user who pulls a commit that adds a seed column would be stuck. The old
    table is simulated by dropping the column; the next build must recreate the table from the file.
    """
    from tests.conftest import ingest_mini_captures

    ingest_mini_captures(paths)
    assert pipeline.build(paths).success
    con = duckdb.connect(str(paths.db))
    try:
        con.execute("alter table seeds.lab_feeds drop column stale_after_days")
    finally:
        con.close()
    outcome = pipeline.build(paths, full=True)
    assert outcome.success, outcome.failures or outcome.error
    con = duckdb.connect(str(paths.db), read_only=True)
    try:
        columns = {r[0] for r in con.execute("describe seeds.lab_feeds").fetchall()}
    finally:
        con.close()
    assert "stale_after_days" in columns

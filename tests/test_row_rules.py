"""The row_rules data test: each broken rule is named with its row count, and the build stops."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flop_tracker import pipeline
from ingest.runner import Ingestor
from kernel.paths import Paths
from tests.conftest import FIXTURES

COLUMNS = "model_key, display_name, category, style_control, score, snapshot_date, capture_format, ingest_run_id"


@pytest.mark.dbt
def test_every_kind_of_rule_is_named_with_its_count(paths: Paths):
    lmarena = pipeline.selected_sources(["lmarena"])[0]
    with Ingestor(paths, pipeline.selected_sources(None)) as ingestor:
        assert ingestor.ingest_file(lmarena, FIXTURES / "lmarena" / "mini_table.csv").status == "ok"
    con = duckdb.connect(str(paths.db))
    try:  # one row per rule kind, each breaking exactly one rule of stg_lmarena__scores
        con.execute(
            f"insert into raw.lmarena_scores ({COLUMNS}) values "
            "(null, 'Nameless', 'text', false, 1200, date '2025-01-01', 'csv', 1), "  # not_null(model_key)
            "('odd', 'Odd', 'text', false, 1200, date '2025-01-01', 'scraped', 1), "  # accepted_values
            "('hot', 'Hot', 'text', false, 99999, date '2025-01-01', 'csv', 1), "  # the score's range
            "('twice', 'Twice', 'text', false, 1200, date '2025-01-02', 'csv', 1), "  # the grain, twice
            "('twice', 'Twice', 'text', false, 1201, date '2025-01-02', 'csv', 1)"
        )
    finally:
        con.close()
    outcome = pipeline.build(paths)
    assert not outcome.success
    assert outcome.failures == [
        "row_rules_stg_lmarena__scores: 4 rule(s) broken: accepted_values(capture_format) (1 row); "
        "expression(arena_score between 100 and 3000) (1 row); not_null(model_key) (1 row); "
        "unique(ingest_run_id, model_name, category, is_style_controlled, snapshot_date) (1 row)"
    ]
    assert not paths.above_csv.exists()  # a failed build writes no files


@pytest.mark.dbt
def test_a_where_filter_limits_an_expression_to_its_rows(paths: Paths, tmp_path: Path):
    lmarena = pipeline.selected_sources(["lmarena"])[0]
    with Ingestor(paths, pipeline.selected_sources(None)) as ingestor:
        assert ingestor.ingest_file(lmarena, FIXTURES / "lmarena" / "mini_table.csv").status == "ok"
    assert pipeline.build(paths).success
    con = duckdb.connect(str(paths.db))
    try:  # models: "dataset_file = 'below'" where decision = 'n'; a candidate with decision 'y' is fine
        model_id = con.execute("select min(model_id) from main.models").fetchone()[0]
        con.execute("update main.models set decision = 'n', dataset_file = 'candidates' where model_id = ?", [model_id])
        broken = con.execute(
            "select count(*) from main.models where decision = 'n' and dataset_file <> 'below'"
        ).fetchone()[0]
    finally:
        con.close()
    assert broken == 1
    outcome = pipeline.build(paths, ["test_name:row_rules"])
    failures = [f for f in outcome.failures if f.startswith("row_rules_models:")]
    assert failures == [
        "row_rules_models: 1 rule(s) broken: expression(dataset_file = 'below' where decision = 'n') (1 row)"
    ]


# Models whose description names a grain but whose rows really can repeat, and why.
GRAIN_IS_A_ROW = {"stg_epoch__models": "Epoch's All AI Models export repeats a few names (two SigLIP rows)"}


def test_every_model_that_states_its_grain_tests_it():
    """A description that says "one row per ..." promises a grain: its row_rules must check it (unique)."""
    import yaml

    from kernel.paths import PROJECT_ROOT

    missing = []
    for path in sorted((PROJECT_ROOT / "models").rglob("_*__models.yml")):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            if "one row per" not in model.get("description", "").lower() or model["name"] in GRAIN_IS_A_ROW:
                continue
            rules = [t["row_rules"] for t in model.get("data_tests", []) if isinstance(t, dict) and "row_rules" in t]
            if not any(r.get("arguments", {}).get("unique") for r in rules):
                missing.append(model["name"])
    assert missing == []

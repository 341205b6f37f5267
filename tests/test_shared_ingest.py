"""Every real LMArena and Epoch file in ../shared/data ingests with an exact row count, once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from ingest.epoch import EpochSource
from ingest.lmarena import LMArenaSource
from ingest.runner import Ingestor
from kernel.paths import Paths

# file -> (rows loaded, {raw table: rows}); counts come from the files themselves:
# the text JSON has 7461 model-category cells over 29 categories, the history 11827 non-zero cells,
# the CSV export 266 rows of which one (Yi-34B-Chat) is an exact repeat, the metadata 293 rows with
# the same repeat, the page 183 text + 48 vision + 8 text-to-image + 13 copilot rows.
EXPECTED = {
    "lmarena/arena_catalog_leaderboard-text_2025-12-11.json": {"lmarena_scores": 7461},
    "lmarena/arena_catalog_leaderboard-text-style-control_2025-12-17.json": {"lmarena_scores": 7462},
    "lmarena/arena_catalog_scatterplot-data_2025-12-17.json": {"lmarena_models": 141},
    "lmarena/elo_history_2023-05_to_2025-02.csv": {"lmarena_scores": 11827},
    "lmarena/leaderboard_page_2025-03-25.html": {"lmarena_scores": 252, "lmarena_models": 223},
    "lmarena/leaderboard_table_metadata_2025-05-11.csv": {"lmarena_models": 292},
    "lmarena/lmarena_text_2025-08-04.csv": {"lmarena_scores": 265, "lmarena_models": 265},
    "epoch/large_scale_ai_models_2025-05-20.csv": {"epoch_models": 311},
    "epoch/notable_ai_models_2025-05-20.csv": {"epoch_models": 954},
    "epoch/all_ai_models_2025-04-23.csv": {"epoch_models": 2225},  # 2228 rows, 3 empty placeholders
}
SOURCES = {"lmarena": LMArenaSource(), "epoch": EpochSource()}


def table_counts(con: duckdb.DuckDBPyConnection, run_id: int) -> dict[str, int]:
    out = {}
    for table in ("lmarena_scores", "lmarena_models", "epoch_models"):
        n = con.execute(f"select count(*) from raw.{table} where ingest_run_id = ?", [run_id]).fetchone()[0]
        if n:
            out[table] = n
    return out


@pytest.mark.shared
def test_each_real_file_loads_exact_rows_and_a_second_load_adds_nothing(shared_data: Path, paths: Paths):
    with Ingestor(paths, list(SOURCES.values())) as ing:
        for rel, expected in EXPECTED.items():
            source = SOURCES[rel.split("/")[0]]
            first = ing.ingest_file(source, shared_data / rel)
            assert first.status == "ok", first.line
            run_id = ing.con.execute("select max(run_id) from raw.ingest_runs").fetchone()[0]
            assert table_counts(ing.con, run_id) == expected, rel
            assert first.rows == sum(expected.values())
            total_before = ing.con.execute("select sum(rows) from raw.ingest_runs").fetchone()[0]
            again = ing.ingest_file(source, shared_data / rel)
            assert again.status == "unchanged"
            assert ing.con.execute("select sum(rows) from raw.ingest_runs").fetchone()[0] == total_before
        n_runs = ing.con.execute("select count(*) from raw.ingest_runs where status = 'ok'").fetchone()[0]
    assert n_runs == len(EXPECTED)


@pytest.mark.shared
def test_real_values_survive_parsing(shared_data: Path, paths: Paths):
    with Ingestor(paths, list(SOURCES.values())) as ing:
        ing.ingest_file(SOURCES["lmarena"], shared_data / "lmarena/leaderboard_page_2025-03-25.html")
        ing.ingest_file(SOURCES["lmarena"], shared_data / "lmarena/lmarena_text_2025-08-04.csv")
        ing.ingest_file(SOURCES["epoch"], shared_data / "epoch/large_scale_ai_models_2025-05-20.csv")
        con = ing.con
        page = con.execute(
            "select score, score_low, score_high, votes, organization, snapshot_date from raw.lmarena_scores "
            "where capture_format = 'page' and category = 'text' and model_key = 'gemini-2.5-pro-exp-03-25'"
        ).fetchone()
        assert page == (1443.0, 1435.0, 1454.0, 3474, "Google", date(2025, 3, 25))
        csv_row = con.execute(
            "select score, score_low, score_high, votes from raw.lmarena_scores "
            "where capture_format = 'csv' and display_name = 'Gemini-2.5-Pro'"
        ).fetchone()
        assert csv_row == (1470.0, 1465.0, 1475.0, 26019)
        qwen = con.execute(
            "select parameters, training_compute_flop, training_dataset_size, confidence, publication_date "
            "from raw.epoch_models where model_name = 'Qwen3-235B-A22B'"
        ).fetchone()
        assert qwen == (235e9, 4.752e24, 36e12, "Likely", date(2025, 4, 29))
        categories = dict(
            con.execute(
                "select category, count(*) from raw.lmarena_scores where capture_format = 'page' group by 1"
            ).fetchall()
        )
        assert categories == {"text": 183, "vision": 48, "text_to_image": 8, "copilot": 13}

"""The previous system's real files in ../shared/data load with exact counts and the values they carry."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ingest.previous_system import PreviousSystemSource
from ingest.runner import Ingestor
from kernel.paths import Paths

SRC = PreviousSystemSource()
# Counted from the files: scores are the benchmark values over all model entries (every entry has at least one),
# e.g. OpenLM 214 entries with 194 Elo + 194 coding + 61 vision + 129 AAI + 128 MMLU-Pro values = 706.
EXPECTED = {
    "previous_system/scraped/lmarena_models.json": ("previous_system_scores", 217),
    "previous_system/scraped/olympic_arena_models.json": ("previous_system_scores", 40),
    "previous_system/scraped/openlm_arena_models.json": ("previous_system_scores", 706),
    "previous_system/scraped/physics_iq_models.json": ("previous_system_scores", 8),
    "previous_system/scraped/superclue_models.json": ("previous_system_scores", 155),
    "previous_system/scraped/video_arena_models.json": ("previous_system_scores", 14),
    "previous_system/clean/above_1e25_flop.csv": ("previous_system_estimates", 104),
    "previous_system/clean/below_1e25_flop.csv": ("previous_system_estimates", 192),
    "previous_system/staging/above_1e25_flop_staging.csv": ("previous_system_estimates", 35),
    "previous_system/published/published_data.csv": ("previous_system_estimates", 26),
}


@pytest.mark.shared
def test_every_real_file_is_found_by_the_globs_and_loads_exact_rows(shared_data: Path, paths: Paths):
    found = sorted(str(p.relative_to(shared_data)) for g in SRC.capture_globs for p in shared_data.glob(g))
    assert found == sorted(EXPECTED)
    with Ingestor(paths, [SRC]) as ing:
        for rel, (table, n) in EXPECTED.items():
            result = ing.ingest_file(SRC, shared_data / rel)
            assert (result.status, result.rows) == ("ok", n), result.line
            run = ing.con.execute("select max(run_id) from raw.ingest_runs").fetchone()[0]
            assert (
                ing.con.execute(f"select count(*) from raw.{table} where ingest_run_id = ?", [run]).fetchone()[0] == n
            )
        con = ing.con
        per_board = dict(
            con.execute(
                "select leaderboard, count(distinct entry_index) from raw.previous_system_scores group by 1"
            ).fetchall()
        )
        assert per_board == {
            "lmarena": 217,
            "openlm_arena": 214,
            "superclue": 31,
            "olympic_arena": 8,
            "physics_iq": 8,
            "video_arena": 7,
        }
        assert con.execute("select distinct snapshot_date from raw.previous_system_scores").fetchall() == [
            (date(2025, 8, 15),)
        ]
        kinds = dict(
            con.execute(
                "select file_kind, count(*) filter (where verified) from raw.previous_system_estimates group by 1"
            ).fetchall()
        )
        assert kinds == {"candidates": 7, "below": 3, "staging": 1, "published": 0}


@pytest.mark.shared
def test_real_values_survive(shared_data: Path, paths: Paths):
    with Ingestor(paths, [SRC]) as ing:
        for rel in EXPECTED:
            ing.ingest_file(SRC, shared_data / rel)
        con = ing.con
        # The old LMArena file lists deepseek_r1 twice (R1 and R1-0528 collapsed by its name normalisation).
        assert con.execute(
            "select entry_index, score_value from raw.previous_system_scores "
            "where leaderboard = 'lmarena' and model_name = 'deepseek_r1' order by entry_index"
        ).fetchall() == [(8, 1418.0), (18, 1394.0)]
        gemini = dict(
            con.execute(
                "select score_name, score_value from raw.previous_system_scores "
                "where leaderboard = 'openlm_arena' and model_name = 'gemini_2.5_pro'"
            ).fetchall()
        )
        assert gemini == {
            "openlm_arena_elo": 1469.0,
            "coding_score": 1471.0,
            "vision_score": 1318.0,
            "aai_score": 65.0,
            "mmlu_pro_score": 86.2,
        }
        assert con.execute(
            "select score_value, developer from raw.previous_system_scores "
            "where leaderboard = 'superclue' and model_name = 'gpt_5' and score_name = 'superclue_overall'"
        ).fetchone() == (75.34, "OpenAI")
        # Physics-IQ lists 4 of its 8 entries under "Unknown": loaded as no developer.
        assert con.execute(
            "select count(*) from raw.previous_system_scores where leaderboard = 'physics_iq' and developer is null"
        ).fetchone() == (4,)
        # The file writes 4.379999999999999e+25: kept exactly as written.
        assert con.execute(
            "select training_flop, verified, notes from raw.previous_system_estimates "
            "where file_kind = 'below' and model_name = 'grok_3_mini'"
        ).fetchone() == (
            4.379999999999999e25,
            True,
            "Moved from above_1e25_flop.csv by manual review. Reason: This is a mini model so likely smaller than 1e25",
        )
        llama = con.execute(
            "select release_date, training_flop, parameters, hardware_quantity, training_time_hours, confidence "
            "from raw.previous_system_estimates where file_kind = 'published' and model_name = 'Llama 3.1-405B'"
        ).fetchone()
        assert llama == (date(2024, 7, 23), 3.8e25, 405e9, 16384.0, 2142.0, "Confident")
        assert con.execute(
            "select count(*), count(training_flop), max(snapshot_date) from raw.previous_system_estimates "
            "where file_kind = 'candidates'"
        ).fetchone() == (104, 92, date(2025, 8, 15))
        # The 9.9e24 cap the old system applied to 30 developers shows in its below file.
        assert con.execute(
            "select count(*) from raw.previous_system_estimates where file_kind = 'below' and training_flop = 9.9e24"
        ).fetchone() == (50,)

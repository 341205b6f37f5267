"""Artificial Analysis export: parser on a fixture written for these tests, the real 506-row export,
and the SQL collapse to one row per model."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from flop_tracker import pipeline
from ingest.artificial_analysis import ArtificialAnalysisSource
from ingest.base import CaptureMeta, IngestError
from ingest.runner import Ingestor
from kernel.paths import Paths
from tests.conftest import FIXTURES

SRC = ArtificialAnalysisSource()
FIXTURE = FIXTURES / "artificial_analysis" / "mini_leaderboard.csv"
REL = "artificial_analysis/leaderboard_2025-08-14.csv"


def parse(content: bytes | None = None):
    meta = CaptureMeta(origin="/x/lb.csv", captured_at=datetime(2025, 8, 14, 9, 30), filename="lb.csv")
    return SRC.parse(content if content is not None else FIXTURE.read_bytes(), meta).tables[
        "artificial_analysis_entries"
    ]


def test_rows_are_per_provider_with_percentages_prices_and_context_in_tokens():
    rows = parse()
    assert [(r.model_name, r.provider) for r in rows] == [
        ("Alpha Pro (high)", "AlphaLab"),
        ("Alpha Pro (high)", "Cloudy"),
        ("Gamma 70B", "Deepinfra"),
        ("Gamma 70B", "Together.ai"),
    ]
    a = rows[0]
    assert (a.api_id, a.license, a.context_window_tokens, a.creator) == (
        "alpha-pro-2025-08-07",
        "Proprietary",
        400_000,
        None,
    )
    assert (a.intelligence_index, a.mmlu_pro_pct, a.gpqa_diamond_pct, a.humanitys_last_exam_pct) == (69, 87, 85, 27)
    assert (a.livecodebench_pct, a.scicode_pct, a.ifbench_pct, a.aime_2025_pct, a.aa_lcr_pct) == (67, 43, 73, 94, 76)
    assert (a.aime_2024_pct, a.math_500_pct, a.humaneval_pct, a.chatbot_arena_elo) == (96, 99, 99, None)
    assert (a.blended_price_usd_per_mtok, a.input_price_usd_per_mtok, a.output_price_usd_per_mtok) == (3.44, 1.25, 10)
    assert (a.median_output_tokens_per_s, a.median_first_chunk_s) == (112.2, 66.95)
    assert a.snapshot_date == date(2025, 8, 14)
    g = rows[2]
    assert (g.intelligence_index, g.ifbench_pct, g.chatbot_arena_elo, g.context_window_tokens) == (
        None,
        None,
        1255,
        128_000,
    )
    t = rows[3]
    assert (t.context_window_tokens, t.median_output_tokens_per_s, t.median_first_chunk_s) == (1_000_000, None, None)


def test_columns_are_found_by_name_and_a_creator_column_is_kept():
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    order = list(reversed(range(len(header))))
    reordered = [",".join(line.split(",")[i] for i in order) for line in lines]
    reordered[0] = "Creator," + reordered[0]
    creators = ["AlphaLab", "AlphaLab", "Gamma AI", "Gamma AI"]
    reordered[1:] = [f"{c},{line}" for c, line in zip(creators, reordered[1:], strict=True)]
    rows = parse("\n".join(reordered).encode())
    assert [(r.model_name, r.provider, r.creator, r.intelligence_index) for r in rows] == [
        ("Alpha Pro (high)", "AlphaLab", "AlphaLab", 69),
        ("Alpha Pro (high)", "Cloudy", "AlphaLab", 69),
        ("Gamma 70B", "Deepinfra", "Gamma AI", None),
        ("Gamma 70B", "Together.ai", "Gamma AI", None),
    ]
    assert rows[0].model_dump(exclude={"creator"}) == parse()[0].model_dump(exclude={"creator"})


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ((",87%,85%,27%", ",high,85%,27%"), r"line 2 \('Alpha Pro \(high\)', AlphaLab\): MMLU-Pro .* 'high' is not"),
        ((",400k,Yes,Yes", ",lots,Yes,Yes"), "Context Window 'lots' is not like 128k"),
        (
            ("Cloudy,Alpha Pro", "AlphaLab,Alpha Pro"),
            "line 3: model 'Alpha Pro \\(high\\)' from 'AlphaLab' appears twice",
        ),
        (
            ("Artificial Analysis Intelligence Index", "Index"),
            "^missing required column 'Artificial Analysis Intelligence Index': not an Artificial Analysis leaderboard "
            "export; columns found: API Provider, Model, Context Window, Function Calling, JSON Mode, License, ",
        ),
        ((",ModelProviders\nCloudy", ",ModelProviders,extra\nCloudy"), "line 2 has 40 fields, header has 39"),
    ],
)
def test_problems_are_named(edit: tuple[str, str], message: str):
    text = FIXTURE.read_text(encoding="utf-8")
    assert edit[0] in text
    with pytest.raises(IngestError, match=message):
        parse(text.replace(*edit, 1).encode())


def test_foreign_content_is_refused():
    with pytest.raises(IngestError, match="got HTML or JSON"):
        parse(b'{"data": []}')
    with pytest.raises(IngestError, match="header but no rows"):
        parse(FIXTURE.read_text(encoding="utf-8").splitlines()[0].encode())


@pytest.mark.shared
def test_the_real_export_loads_506_provider_rows(shared_data: Path, paths: Paths):
    with Ingestor(paths, [SRC]) as ing:
        first = ing.ingest_file(SRC, shared_data / REL)
        assert (first.status, first.rows) == ("ok", 506)
        assert ing.ingest_file(SRC, shared_data / REL).status == "unchanged"
        con = ing.con
        counts = con.execute(
            "select count(*), count(distinct model_name), count(distinct provider), count(intelligence_index), "
            "count(creator), count(chatbot_arena_elo), count(context_window_tokens) "
            "from raw.artificial_analysis_entries"
        ).fetchone()
        assert counts == (506, 281, 63, 244, 0, 137, 506)
        gpt5 = con.execute(
            "select provider, api_id, intelligence_index, mmlu_pro_pct, gpqa_diamond_pct, context_window_tokens, "
            "blended_price_usd_per_mtok, snapshot_date from raw.artificial_analysis_entries "
            "where model_name = 'GPT-5 (high)'"
        ).fetchall()
        assert gpt5 == [("OpenAI", "gpt-5-2025-08-07", 69.0, 87.0, 85.0, 400_000, 3.44, date(2025, 8, 14))]
        ds = con.execute(
            "select count(*), count(distinct intelligence_index) from raw.artificial_analysis_entries "
            "where model_name = 'DeepSeek V3 0324 (Mar ''25)'"
        ).fetchone()
        assert ds == (13, 1)


@pytest.mark.shared
@pytest.mark.dbt
def test_the_collapse_gives_one_row_per_model_with_provider_medians(shared_data: Path, paths: Paths):
    with Ingestor(paths, [SRC]) as ing:
        assert ing.ingest_file(SRC, shared_data / REL).status == "ok"
        assert ing.ingest_file(SRC, FIXTURE, captured_at=datetime(2025, 9, 1)).status == "ok"
    outcome = pipeline.build(paths, ["+int_artificial_analysis_scores_collapsed"])
    assert outcome.success, outcome.failures or outcome.error
    con = duckdb.connect(str(paths.db), read_only=True)
    try:
        per_snapshot = con.execute(
            "select snapshot_date, count(*), count(intelligence_index), sum(provider_count) "
            "from intermediate.int_artificial_analysis_scores_collapsed group by 1 order by 1"
        ).fetchall()
        assert per_snapshot == [(date(2025, 8, 14), 281, 113, 506), (date(2025, 9, 1), 2, 1, 4)]
        alpha = con.execute(
            "select provider_count, providers_with_index, intelligence_index, mmlu_pro_pct, "
            "blended_price_usd_per_mtok_median, blended_price_usd_per_mtok_min, context_window_tokens_max "
            "from intermediate.int_artificial_analysis_scores_collapsed where model_name = 'Alpha Pro (high)'"
        ).fetchone()
        assert alpha == (2, 2, 69.0, 87.0, pytest.approx((3.44 + 4.00) / 2), 3.44, 400_000)
        gamma = con.execute(
            "select provider_count, providers_with_index, intelligence_index, chatbot_arena_elo, "
            "context_window_tokens_max from intermediate.int_artificial_analysis_scores_collapsed "
            "where model_name = 'Gamma 70B'"
        ).fetchone()
        assert gamma == (2, 0, None, 1255.0, 1_000_000)
        ds = con.execute(
            "select provider_count, intelligence_index, gpqa_diamond_pct from "
            "intermediate.int_artificial_analysis_scores_collapsed where model_name = 'DeepSeek V3 0324 (Mar ''25)'"
        ).fetchone()
        assert ds == (13, 44.0, 66.0)
    finally:
        con.close()

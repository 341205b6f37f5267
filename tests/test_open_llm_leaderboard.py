"""Open LLM Leaderboard v2 dump: parser on a fixture written for these tests, then the real 3827-row dump."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from ingest.base import CaptureMeta, IngestError
from ingest.open_llm_leaderboard import OpenLLMLeaderboardSource
from ingest.runner import Ingestor
from kernel.paths import Paths
from tests.conftest import FIXTURES

SRC = OpenLLMLeaderboardSource()
FIXTURE = FIXTURES / "open_llm_leaderboard" / "mini_contents.csv"
REL = "huggingface/open_llm_leaderboard_v2_2025-02-08.csv"


def parse(content: bytes | None = None):
    meta = CaptureMeta(origin="/x/contents.csv", captured_at=datetime(2025, 2, 8), filename="contents.csv")
    return SRC.parse(content if content is not None else FIXTURE.read_bytes(), meta).tables[
        "open_llm_leaderboard_entries"
    ]


def test_rows_keep_repo_params_moe_base_and_the_six_scores():
    rows = parse()
    assert [r.eval_name for r in rows] == [
        "alpha-lab_Alpha-7B-Chat_bfloat16",
        "mix-co_Mix-4x7B-MoE_float16",
        "ghost_Unknown-Model_float16",
    ]
    a = rows[0]
    assert (a.model_name, a.precision, a.model_kind, a.weight_type, a.architecture) == (
        "alpha-lab/Alpha-7B-Chat",
        "bfloat16",
        "chat models (RLHF, DPO, IFT, ...)",
        "Original",
        "MistralForCausalLM",
    )
    assert a.parameters == 7_242_000_000  # 7.242 B
    assert (a.is_moe, a.is_merged, a.is_flagged, a.available_on_hub, a.is_official_provider) == (
        False,
        False,
        False,
        True,
        False,
    )
    assert (a.average_score, a.ifeval, a.bbh, a.math_lvl5, a.gpqa, a.musr, a.mmlu_pro) == (
        18.5,
        50.0,
        20.25,
        5.0,
        4.0,
        8.0,
        23.75,
    )
    assert (a.base_model, a.hub_license, a.hub_likes, a.co2_cost_kg) == ("alpha-lab/Alpha-7B", "apache-2.0", 12, 0.61)
    assert (a.upload_date, a.submission_date) == (date(2024, 4, 13), date(2024, 8, 5))
    assert a.model_sha == "26a66f0d862e2024ce4ad0a09c37052ac36e8af6"
    moe = rows[1]
    assert (moe.is_moe, moe.is_merged, moe.parameters, moe.base_model) == (
        True,
        True,
        24_154_000_000,
        "mix-co/Mix-4x7B-MoE",  # " (Merge)" dropped
    )
    assert (moe.hub_license, moe.upload_date, moe.model_kind) == (None, None, "base merges and moerges")


def test_sentinels_become_unknowns():
    ghost = parse()[2]
    assert (ghost.parameters, ghost.architecture, ghost.base_model, ghost.submission_date) == (None, None, None, None)
    assert (ghost.model_sha, ghost.is_flagged, ghost.weight_type, ghost.model_kind) == (None, True, "Adapter", "other")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ((",7.242,", ",seven,"), r"line 2 \('alpha-lab/Alpha-7B-Chat'\): #Params \(B\) 'seven' is not a number"),
        ((",2024-08-05,", ",Aug 5,"), "Submission Date 'Aug 5' is not a date"),
        ((",True,False,False,True,", ",yes,False,False,True,"), "Available on the hub 'yes' is not True or False"),
        (("ghost_Unknown-Model_float16", "alpha-lab_Alpha-7B-Chat_bfloat16"), "line 4: eval_name .* appears twice"),
        (
            (",eval_name,", ",evaluation,"),
            "^missing required column .eval_name.: not an Open LLM Leaderboard dump; columns found: evaluation, ",
        ),
    ],
)
def test_problems_are_named(edit: tuple[str, str], message: str):
    text = FIXTURE.read_text(encoding="utf-8")
    assert edit[0] in text
    with pytest.raises(IngestError, match=message):
        parse(text.replace(*edit, 1).encode())


def test_truncated_and_foreign_files_are_refused():
    text = FIXTURE.read_text(encoding="utf-8")
    with pytest.raises(IngestError, match="line 4: row ends early"):
        parse(text[: text.index("ghost/Unknown-Model") + 5].encode())
    with pytest.raises(IngestError, match="line 4: row ends early"):
        parse(text.rstrip().removesuffix(",0,Removed").encode())  # the last two cells lost
    with pytest.raises(IngestError, match="got HTML or JSON"):
        parse(b"<html></html>")
    with pytest.raises(IngestError, match="header but no rows"):
        parse(text.splitlines()[0].encode())


@pytest.mark.shared
def test_the_real_dump_loads_3827_rows_with_spot_values(shared_data: Path, paths: Paths):
    with Ingestor(paths, [SRC]) as ing:
        first = ing.ingest_file(SRC, shared_data / REL)
        assert (first.status, first.rows) == ("ok", 3827)
        assert ing.ingest_file(SRC, shared_data / REL).status == "unchanged"
        con = ing.con
        counts = con.execute(
            "select count(*), count(distinct eval_name), count(distinct model_name), count(*) filter (where is_moe), "
            "count(parameters), count(base_model), count(architecture), count(submission_date), "
            "count(*) filter (where model_kind = 'pretrained') from raw.open_llm_leaderboard_entries"
        ).fetchone()
        # 5 rows give -1 or 0 parameters, 404 say base model "Removed", 60 have no architecture, 7 no date.
        assert counts == (3827, 3827, 3753, 62, 3822, 3423, 3767, 3820, 232)
        first_row = con.execute(
            "select model_name, precision, architecture, parameters, is_moe, base_model, average_score, ifeval, "
            "mmlu_pro, submission_date, captured_at from raw.open_llm_leaderboard_entries "
            "where eval_name = '0-hero_Matter-0.2-7B-DPO_bfloat16'"
        ).fetchone()
        assert first_row[:6] == (
            "0-hero/Matter-0.2-7B-DPO",
            "bfloat16",
            "MistralForCausalLM",
            7_242_000_000,
            False,
            "0-hero/Matter-0.2-7B-DPO",
        )
        assert first_row[6:9] == pytest.approx((8.805656367208497, 33.02792147058693, 1.8173758865248217))
        assert first_row[9:] == (date(2024, 8, 5), datetime(2025, 2, 8))
        moe = con.execute(
            "select parameters, is_moe, base_model from raw.open_llm_leaderboard_entries "
            "where model_name = 'AuraIndustries/Aura-MoE-2x4B' "
        ).fetchone()
        assert moe == (7_231_000_000, True, "AuraIndustries/Aura-MoE-2x4B")

"""Model identity on the real captures in ../shared/data (issue 14 item 4, issue 15 item 6).

Every case names real rows of the shared files: which names must meet at one model_id, which
must stay apart, and that Python (kernel.model_names) resolves every real name exactly as the
dbt model int_model_names_normalized does, because both run the same macros.
"""

from __future__ import annotations

import csv

import duckdb
import pytest

from kernel.model_names import resolve_names
from kernel.paths import PROJECT_ROOT, Paths

pytestmark = [pytest.mark.shared, pytest.mark.dbt]


def _query(paths: Paths, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(paths.db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _id_of(paths: Paths, source: str, raw_name: str) -> str:
    rows = _query(
        paths,
        "select distinct model_id from intermediate.int_model_names_normalized where source_name = ? and raw_name = ?",
        [source, raw_name],
    )
    assert len(rows) == 1, (source, raw_name, rows)
    return rows[0][0]


def _tracked(paths: Paths) -> dict[str, list[str]]:
    return dict(_query(paths, "select model_id, known_names from intermediate.int_models_identified"))


def test_python_resolves_every_real_name_as_dbt_does(shared_build: Paths):
    """One rule: the names of every source (Artificial Analysis' are cleaned of their provider tier
    first, so they are left out here) resolve in Python to the ids and exclusions dbt gave them."""
    rows = _query(
        shared_build,
        "select distinct source_name, raw_name, model_id, is_excluded from intermediate.int_model_names_normalized "
        "where source_name <> 'artificial_analysis' order by source_name, raw_name",
    )
    assert len(rows) == 8631  # 8595 names of the sources, 36 of the moe_disclosed_parameters seed
    resolved = resolve_names([(source, raw) for source, raw, _, _ in rows])
    assert [(r.source_name, r.raw_name, r.model_id, r.is_excluded) for r in resolved] == rows


def test_one_model_on_several_rows_is_one_id(shared_build: Paths):
    """Issue 14: qwen3-235b, qwen3-235b-2507, qwen3-235b-a22b, qwen3-235b-a22b-2507 were four candidates;
    Claude Opus 4 was claude-opus-4 and claude-4-opus (Artificial Analysis' word order, its Vertex tier)."""
    tracked = _tracked(shared_build)
    for gone in ("qwen3-235b", "qwen3-235b-2507", "claude-4-opus", "claude-4-opus-vertex", "claude-opus"):
        assert gone not in tracked, gone
    # April's hybrid model, by every source's spelling
    for source, name in [
        ("artificial_analysis", "Qwen3 235B"),
        ("artificial_analysis", "Qwen3 235B (Reasoning) Base"),
        ("openlm", "qwen3_235b"),
        ("lmarena", "qwen3-235b-a22b-no-thinking"),
        ("huggingface", "Qwen/Qwen3-235B-A22B"),
        ("epoch", "Qwen3-235B-A22B"),
    ]:
        assert _id_of(shared_build, source, name) == "qwen3-235b-a22b", name
    # July's release: Instruct-2507 and Thinking-2507 are one model, not April's
    for source, name in [
        ("artificial_analysis", "Qwen3 235B 2507 (Reasoning)"),
        ("artificial_analysis", "Qwen3 235B 2507 (Non-reasoning)"),
        ("lmarena", "qwen3-235b-a22b-instruct-2507"),
        ("lmarena", "qwen3-235b-a22b-thinking-2507"),
        ("huggingface", "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8"),
    ]:
        assert _id_of(shared_build, source, name) == "qwen3-235b-a22b-2507", name
    for source, name in [
        ("artificial_analysis", "Claude 4 Opus"),
        ("artificial_analysis", "Claude 4 Opus Thinking Vertex"),
        ("lmarena", "claude-opus-4-20250514-thinking-16k"),
        ("lmarena", "Claude Opus 4 (20250514)"),
        ("known_model_specs", "Claude Opus 4"),
    ]:
        assert _id_of(shared_build, source, name) == "claude-opus-4", name
    # OpenLM's page of 2025-08-15 lists claude_opus above claude_opus_4: Opus 4.1
    assert _id_of(shared_build, "openlm", "claude_opus") == "claude-opus-4.1"


def test_different_models_keep_their_own_ids(shared_build: Paths):
    """Issue 14: sizes in parentheses, -preview, and a release suffix read as a date merged models."""
    epoch = dict(
        _query(
            shared_build,
            "select names.model_id, max(epoch.training_compute_flop) from staging.stg_epoch__models as epoch "
            "join intermediate.int_model_names_normalized as names "
            "on names.source_name = 'epoch' and names.raw_name = epoch.model_name group by names.model_id",
        )
    )
    assert _id_of(shared_build, "epoch", "Qwen2.5 Instruct (7B)") == "qwen2.5-7b"
    assert _id_of(shared_build, "epoch", "Qwen2.5 Instruct (72B)") == "qwen2.5-72b"
    assert epoch["qwen2.5-7b"] == pytest.approx(8.2188e23, rel=1e-3)
    assert epoch["qwen2.5-72b"] == pytest.approx(7.8516e24, rel=1e-3)
    assert _id_of(shared_build, "lmarena", "o1-preview") == "o1-preview"
    assert _id_of(shared_build, "lmarena", "o1-2024-12-17") == "o1"
    assert _id_of(shared_build, "lmarena", "qwq-32b-preview") == "qwq-32b-preview"
    assert _id_of(shared_build, "epoch", "GLM-4-9B-0414") == "glm-4-9b-0414"
    assert _id_of(shared_build, "known_model_specs", "GLM-4-9B") == "glm-4-9b"
    tracked = _tracked(shared_build)
    assert "o1-preview" not in tracked["o1"] and "o1-preview" in tracked["o1-preview"]


@pytest.mark.parametrize(
    ("epoch_name", "seed_name"),
    [
        ("PaLM (540B)", "PaLM 540B"),
        ("Gemini Nano-1", "Gemini 1.0 Nano-1"),
        ("Gemini Nano-2", "Gemini 1.0 Nano-2"),
        ("DeepSeek-Coder-V2 236B", "DeepSeek-Coder-V2"),
        ("phi-3-small 7.4B", "Phi-3-small"),
        ("phi-3-medium 14B", "Phi-3-medium"),
        ("Cohere Command A", "Command A"),
        ("Arctic", "Snowflake Arctic"),
        ("BLOOM-176B", "BLOOM"),
    ],
)
def test_epoch_names_meet_their_curated_row(shared_build: Paths, epoch_name: str, seed_name: str):
    """Issue 14: nine Epoch names never met the known_model_specs row of the same model."""
    assert _id_of(shared_build, "epoch", epoch_name) == _id_of(shared_build, "known_model_specs", seed_name)


def test_a_bare_name_is_the_model_its_source_means(shared_build: Paths):
    """Issue 14: the exclusion of bare family names hid Epoch's Claude (2023-03-14) and Hunyuan (Tencent,
    2023-09-07, 1.2e24 FLOP) and LifeArchitect's Gemma and Qwen; elsewhere a bare name is still dropped."""
    tracked = _tracked(shared_build)
    assert "Claude" in tracked["claude-1"]
    assert tracked["tencent-hunyuan"] == ["Hunyuan"]
    assert _id_of(shared_build, "lifearchitect", "Gemma") == "gemma-7b"
    assert _id_of(shared_build, "lifearchitect", "Qwen") == "qwen-72b"
    flop = _query(
        shared_build,
        "select training_compute_flop from intermediate.int_epoch_compute_latest where model_id = ?",
        ["tencent-hunyuan"],
    )
    assert flop[0][0] == pytest.approx(1.2e24, rel=1e-3)
    excluded = dict(
        _query(
            shared_build,
            "select raw_name, exclusion_reason from intermediate.int_model_names_normalized "
            "where source_name = 'openlm' and is_excluded",
        )
    )
    assert excluded == {"glm": "generic family name: names no single trained model"}


def test_deepseek_chat_is_an_api_name_not_deepseek_v3():
    """Issue 14: deepseek-chat served V2.5, V3 and V3.1 at different times; it was aliased to V3."""
    (resolution,) = resolve_names([("lmarena", "deepseek-chat")])
    assert resolution.is_excluded
    assert resolution.model_id == "deepseek-chat"
    assert resolution.exclusion_reason.startswith("API name, not one model")


def test_no_two_ids_share_a_hub_repo_or_an_epoch_row_unless_a_seed_says_why(shared_build: Paths):
    """Issue 14: the build reports look-alike ids that hold one Hub repo or Epoch row; on the shared data every
    flagged pair is explained in distinct_model_pairs, and every row of that seed is still needed."""
    rows = _query(
        shared_build,
        "select model_id, other_model_id, is_allowed from intermediate.int_model_duplicates_flagged order by all",
    )
    assert [(a, b) for a, b, allowed in rows if not allowed] == []
    with (PROJECT_ROOT / "seeds" / "curated" / "distinct_model_pairs.csv").open(encoding="utf-8") as handle:
        seed = {(row["model_id"], row["other_model_id"]) for row in csv.DictReader(handle)}
    assert {(a, b) for a, b, allowed in rows if allowed} == seed
    assert len(seed) == 12

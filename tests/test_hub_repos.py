"""Which repositories a live run fetches config.json and cards for: tracked models', unquantised copies preferred."""

from __future__ import annotations

import duckdb
import pytest

from flop_tracker.hub_repos import is_quantised_copy, tracked_hub_repos


@pytest.mark.parametrize(
    ("repo", "quantised"),
    [
        ("Qwen/Qwen3-14B-AWQ", True),
        ("Qwen/Qwen3-235B-A22B-Instruct-2507-FP8", True),
        ("lmstudio-community/Qwen3-4B-MLX-4bit", True),
        ("JunHowie/Qwen3-4B-Instruct-2507-GPTQ-Int4", True),
        ("nvidia/Qwen3-30B-A3B-NVFP4", True),
        ("Qwen/Qwen3-30B-A3B", False),
        ("deepseek-ai/DeepSeek-V3-0324", False),
        ("openai/gpt-oss-120b", False),  # mxfp4 inside, but the developer's own repository
        ("mlx-community/foo", False),  # the owner's name is not the marker
    ],
)
def test_quantised_copies_are_told_by_their_names(repo: str, quantised: bool):
    assert is_quantised_copy(repo) is quantised


def test_tracked_models_repositories_with_originals_preferred():
    con = duckdb.connect()
    con.execute("create schema intermediate")
    con.execute("create table intermediate.int_models_identified (model_id varchar)")
    con.execute(
        "insert into intermediate.int_models_identified values ('qwen3-14b'), ('deepseek-v3.2'), ('gpt-oss-120b')"
    )
    con.execute(
        "create table intermediate.int_model_names_normalized (source_name varchar, raw_name varchar, model_id varchar)"
    )
    con.execute(
        """insert into intermediate.int_model_names_normalized values
        ('huggingface', 'Qwen/Qwen3-14B-AWQ', 'qwen3-14b'),
        ('huggingface', 'Qwen/Qwen3-14B', 'qwen3-14b'),
        ('huggingface', 'Qwen/Qwen3-14B-Base', 'qwen3-14b'),
        ('huggingface', 'QuantTrio/DeepSeek-V3.2-AWQ', 'deepseek-v3.2'),
        ('huggingface', 'Qwen/Qwen3-8B', 'qwen3-8b'),
        ('lmarena', 'gpt-oss-120b', 'gpt-oss-120b'),
        ('huggingface', 'no-slash-name', 'gpt-oss-120b')"""
    )
    # only a quantised copy is known for DeepSeek-V3.2: it is fetched; qwen3-8b is not tracked
    assert tracked_hub_repos(con) == ["QuantTrio/DeepSeek-V3.2-AWQ", "Qwen/Qwen3-14B", "Qwen/Qwen3-14B-Base"]
    assert tracked_hub_repos(con, limit=1) == ["QuantTrio/DeepSeek-V3.2-AWQ"]


def test_before_any_build_nothing_is_fetched():
    assert tracked_hub_repos(duckdb.connect()) == []

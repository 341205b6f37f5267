"""The two curated MoE seeds the estimation stage reads: which Hub model types are mixtures of experts, and the
disclosed total/active counts the active-fraction prior is fitted on. Structure, exact figures, and sources."""

from __future__ import annotations

import csv
from pathlib import Path

import yaml

from tests.test_seed_files import FORBIDDEN_DEVELOPERS

SEEDS = Path(__file__).resolve().parents[1] / "seeds" / "curated"
PROJECT = Path(__file__).resolve().parents[1] / "dbt_project.yml"


def rows(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with (SEEDS / name).open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def test_architecture_seed_maps_each_model_type_once_with_a_source():
    header, data = rows("moe_architectures.csv")
    assert header == ["model_type", "architecture", "is_moe", "source_url", "note"]
    types = [r["model_type"] for r in data]
    assert len(types) == len(set(types)) == 26
    assert {r["is_moe"] for r in data} == {"true", "false"}
    moe = sorted(r["model_type"] for r in data if r["is_moe"] == "true")
    assert moe == [
        "dbrx", "deepseek_v2", "deepseek_v3", "ernie4_5_moe", "glm4_moe", "glm4_moe_lite", "glm_moe_dsa", "gpt_oss",
        "granitemoe", "granitemoeshared", "jamba", "kimi_k2", "llama4", "longcat_flash", "minimax_m2", "mixtral",
        "olmoe", "qwen2_moe", "qwen3_5_moe", "qwen3_moe", "qwen3_next",
    ]  # fmt: skip
    assert all(r["source_url"].startswith("https://") and r["note"] for r in data)


def test_disclosed_counts_seed_has_36_models_from_18_developers_with_exact_figures():
    header, data = rows("moe_disclosed_parameters.csv")
    assert header == [
        "model_name", "developer", "hf_repo", "total_parameters", "active_parameters", "source_url", "statement",
    ]  # fmt: skip
    by_name = {r["model_name"]: r for r in data}
    assert len(by_name) == len(data) == 36
    assert len({r["developer"] for r in data}) == 18
    assert not {r["developer"] for r in data} & FORBIDDEN_DEVELOPERS
    figures = {n: (float(r["total_parameters"]), float(r["active_parameters"])) for n, r in by_name.items()}
    assert figures["DeepSeek-V3"] == (671e9, 37e9)
    assert figures["Kimi K2"] == (1e12, 32e9)
    assert figures["Mixtral 8x7B"] == (46.7e9, 12.9e9)
    assert figures["gpt-oss-120b"] == (117e9, 5.1e9)
    assert figures["Granite-3.0-1B-A400M"] == (1.3e9, 400e6)
    assert figures["GLM-5"] == (744e9, 40e9)
    # 2026 MoE models whose Hub model_type no seed row names (mimo_v2_flash, step3p5)
    assert figures["MiMo-V2-Flash"] == (309e9, 15e9)
    assert figures["Step-3.5-Flash"] == (196e9, 11e9)
    fractions = sorted(a / t for t, a in figures.values())
    # sparsest: Kimi K2 (3.2%); densest: Granite 3.0 1B-A400M (30.8%)
    assert (round(fractions[0], 4), round(fractions[-1], 4)) == (0.032, 0.3077)
    for r in data:
        assert r["source_url"].startswith("https://") and len(r["statement"]) > 20, r["model_name"]
        repo = r["hf_repo"]
        assert repo == "" or repo.count("/") == 1, repo


def test_both_seeds_have_pinned_column_types_and_described_columns():
    project = yaml.safe_load(PROJECT.read_text())["seeds"]["flop_tracker"]
    described = {
        s["name"]: [c["name"] for c in s["columns"]]
        for s in yaml.safe_load((SEEDS / "_curated__seeds.yml").read_text())["seeds"]
    }
    for seed in ("moe_architectures", "moe_disclosed_parameters"):
        header, _ = rows(f"{seed}.csv")
        assert list(project[seed]["+column_types"]) == header
        assert described[seed] == header

"""Integrity checks for the curated seed files (stdlib csv + pytest only).

seeds/curated/known_model_specs.csv - public disclosures about model training runs
seeds/curated/hardware_specs.csv    - dense (no structured sparsity) peak FLOP/s per chip
"""

import csv
import datetime as dt
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[1] / "seeds" / "curated"
MODELS_CSV = SEEDS / "known_model_specs.csv"
HARDWARE_CSV = SEEDS / "hardware_specs.csv"

MODEL_HEADER = [
    "model_name",
    "developer",
    "release_date",
    "total_parameters",
    "active_parameters",
    "training_tokens",
    "hardware_type",
    "hardware_count",
    "training_time_hours",
    "training_precision",
    "disclosed_training_flop",
    "training_cost_usd",
    "architecture",
    "source_url",
    "notes",
]
HARDWARE_HEADER = [
    "hardware_type",
    "vendor",
    "release_year",
    "peak_flops_fp32",
    "peak_flops_tf32",
    "peak_flops_fp16",
    "peak_flops_bf16",
    "peak_flops_fp8",
    "memory_gb",
    "source_url",
]
MODEL_NUMERIC = [
    "total_parameters",
    "active_parameters",
    "training_tokens",
    "hardware_count",
    "training_time_hours",
    "disclosed_training_flop",
    "training_cost_usd",
]
HARDWARE_NUMERIC = [
    "release_year",
    "peak_flops_fp32",
    "peak_flops_tf32",
    "peak_flops_fp16",
    "peak_flops_bf16",
    "peak_flops_fp8",
    "memory_gb",
]
PEAK_COLUMNS = [c for c in HARDWARE_NUMERIC if c.startswith("peak_flops_")]

# Every value of Epoch's "Training hardware" column for models with compute >= 1e24
# (exports of 2025-04/05); these names must be present in hardware_specs.csv.
EPOCH_HARDWARE_GE_1E24 = [
    "Google TPU v3",
    "Google TPU v4",
    "Google TPU v5p",
    "Huawei Ascend 910",
    "Huawei Ascend 910B",
    "NVIDIA A100",
    "NVIDIA A100 SXM4 40 GB",
    "NVIDIA A100 SXM4 80 GB",
    "NVIDIA H100 SXM5 80GB",
    "NVIDIA H800 SXM5",
    "NVIDIA Tesla V100 DGXS 32 GB",
]
REQUIRED_DEVELOPERS = [
    "OpenAI",
    "Anthropic",
    "Google DeepMind",
    "Meta",
    "xAI",
    "Mistral AI",
    "Alibaba",
    "DeepSeek",
    "Moonshot AI",
    "Zhipu AI",
    "MiniMax",
    "NVIDIA",
    "Microsoft",
    "Amazon",
    "Cohere",
    "AI21 Labs",
    "01.AI",
    "Tencent",
    "Baidu",
    "Technology Innovation Institute",
    "Inflection AI",
    "Databricks",
    "Snowflake",
]
# Non-canonical spellings that must not appear (one spelling per developer).
FORBIDDEN_DEVELOPERS = {
    "Google",
    "DeepMind",
    "Google Brain",
    "Google Research",
    "Meta AI",
    "Facebook",
    "Mistral",
    "Alibaba Cloud",
    "Qwen",
    "Moonshot",
    "Zhipu",
    "AI21",
    "Nvidia",
    "TII",
    "Inflection",
}


def _read(path):
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [dict(zip(header, r, strict=True)) for r in reader if r]
    return header, rows


@pytest.fixture(scope="module")
def models():
    return _read(MODELS_CSV)


@pytest.fixture(scope="module")
def hardware():
    return _read(HARDWARE_CSV)


@pytest.fixture(scope="module")
def by_name(models):
    return {r["model_name"]: r for r in models[1]}


@pytest.fixture(scope="module")
def hw_by_type(hardware):
    return {r["hardware_type"]: r for r in hardware[1]}


def _num(value):
    return float(value) if value != "" else None


def _six_nd(row):
    return 6 * float(row["active_parameters"]) * float(row["training_tokens"])


# ---------------------------------------------------------------- structure


def test_model_header_exact(models):
    assert models[0] == MODEL_HEADER


def test_hardware_header_exact(hardware):
    assert hardware[0] == HARDWARE_HEADER


def test_rows_have_all_columns(models, hardware):
    for header, rows in (models, hardware):
        for row in rows:
            assert len(row) == len(header), row


def test_at_least_110_models(models):
    assert len(models[1]) >= 110


def test_model_names_unique(models):
    names = [r["model_name"] for r in models[1]]
    dupes = sorted({n for n in names if names.count(n) > 1})
    assert not dupes, dupes
    assert all(n.strip() == n and n for n in names)


def test_hardware_types_unique(hardware):
    types = [r["hardware_type"] for r in hardware[1]]
    assert len(types) == len(set(types))
    assert all(t.strip() == t and t for t in types)


@pytest.mark.parametrize("which", ["models", "hardware"])
def test_source_url_present_and_http(which, models, hardware):
    rows = (models if which == "models" else hardware)[1]
    for row in rows:
        url = row["source_url"]
        assert url.startswith(("http://", "https://")), (row, url)
        assert " " not in url and len(url) > len("https://x.y")


# ---------------------------------------------------------------- values


def test_model_numbers_parse_and_positive(models):
    for row in models[1]:
        for col in MODEL_NUMERIC:
            value = _num(row[col])
            if value is not None:
                assert value > 0, (row["model_name"], col, row[col])
        if row["hardware_count"]:
            assert float(row["hardware_count"]).is_integer(), row["model_name"]


def test_hardware_numbers_parse_and_positive(hardware):
    for row in hardware[1]:
        for col in HARDWARE_NUMERIC:
            value = _num(row[col])
            if value is not None:
                assert value > 0, (row["hardware_type"], col, row[col])
        assert any(row[c] for c in PEAK_COLUMNS), row["hardware_type"]
        assert 2010 <= int(row["release_year"]) <= dt.date.today().year


def test_active_not_above_total(models):
    for row in models[1]:
        total, active = _num(row["total_parameters"]), _num(row["active_parameters"])
        if total is not None and active is not None:
            assert active <= total, row["model_name"]
            if row["architecture"] == "dense":
                assert active == total, row["model_name"]
            if row["architecture"] == "moe":
                assert active < total, row["model_name"]


def test_parameters_have_active_when_total_known(models):
    for row in models[1]:
        if row["total_parameters"] and row["architecture"] == "dense":
            assert row["active_parameters"], row["model_name"]


def test_release_dates_parse(models):
    today = dt.date.today()
    for row in models[1]:
        d = dt.date.fromisoformat(row["release_date"])
        assert len(row["release_date"]) == 10
        assert dt.date(2017, 1, 1) <= d <= today, row["model_name"]


def test_categorical_values(models):
    for row in models[1]:
        assert row["training_precision"] in {"", "bf16", "fp8", "fp16", "tf32"}, row["model_name"]
        # empty architecture = not publicly disclosed
        assert row["architecture"] in {"", "dense", "moe"}, row["model_name"]


def test_developer_spellings(models):
    developers = {r["developer"] for r in models[1]}
    assert all(developers), "empty developer"
    assert not developers & FORBIDDEN_DEVELOPERS, developers & FORBIDDEN_DEVELOPERS
    missing = [d for d in REQUIRED_DEVELOPERS if d not in developers]
    assert not missing, missing


def test_hardware_type_referenced_exists(models, hw_by_type):
    used = {r["hardware_type"] for r in models[1] if r["hardware_type"]}
    assert used, "no hardware referenced at all"
    assert not used - set(hw_by_type), used - set(hw_by_type)


def test_hours_only_with_count(models):
    for row in models[1]:
        if row["training_time_hours"]:
            assert row["hardware_count"], row["model_name"]


def test_epoch_hardware_covered(hw_by_type):
    missing = [h for h in EPOCH_HARDWARE_GE_1E24 if h not in hw_by_type]
    assert not missing, missing


def test_peak_ordering_sane(hardware):
    for row in hardware[1]:
        fp32, bf16, fp16, fp8 = (
            _num(row[c]) for c in ("peak_flops_fp32", "peak_flops_bf16", "peak_flops_fp16", "peak_flops_fp8")
        )
        low = bf16 or fp16
        if fp32 and low:
            assert low > fp32, row["hardware_type"]
        if fp8 and low:
            assert fp8 >= low, row["hardware_type"]
        # dense peaks only: nothing in this generation exceeds ~10 PFLOP/s per chip
        for c in PEAK_COLUMNS:
            if row[c]:
                assert float(row[c]) < 1e16, (row["hardware_type"], c)


def test_six_nd_close_to_disclosed(models):
    """Where both are known, 6*N*D should be within 2x of the stated FLOP count."""
    checked = 0
    for row in models[1]:
        if row["disclosed_training_flop"] and row["active_parameters"] and row["training_tokens"]:
            ratio = _six_nd(row) / float(row["disclosed_training_flop"])
            assert 0.5 < ratio < 2, (row["model_name"], ratio)
            checked += 1
    assert checked >= 4


# ---------------------------------------------------------------- spot checks


def test_spot_llama31_405b(by_name):
    row = by_name["Llama 3.1 405B"]
    assert row["developer"] == "Meta"
    assert _six_nd(row) == pytest.approx(6 * 405e9 * 15.6e12, rel=1e-9)
    assert _six_nd(row) == pytest.approx(3.79e25, rel=0.01)
    assert float(row["disclosed_training_flop"]) == pytest.approx(3.8e25, rel=0.01)
    assert row["hardware_type"] == "NVIDIA H100 SXM5 80GB"
    assert int(row["hardware_count"]) == 16384


def test_spot_deepseek_v3(by_name):
    row = by_name["DeepSeek-V3"]
    assert float(row["total_parameters"]) == pytest.approx(671e9)
    assert float(row["active_parameters"]) == pytest.approx(37e9)
    assert _six_nd(row) == pytest.approx(3.29e24, rel=0.01)
    gpu_hours = float(row["hardware_count"]) * float(row["training_time_hours"])
    assert gpu_hours == pytest.approx(2.788e6, rel=0.005)
    assert float(row["training_cost_usd"]) == pytest.approx(2 * 2.788e6, rel=0.001)
    assert row["training_precision"] == "fp8"
    assert row["architecture"] == "moe"


def test_spot_gpt3(by_name):
    row = by_name["GPT-3 175B"]
    assert float(row["disclosed_training_flop"]) == pytest.approx(3.14e23, rel=0.001)
    assert _six_nd(row) == pytest.approx(3.14e23, rel=0.01)


def test_spot_mixtral_8x7b(by_name):
    row = by_name["Mixtral 8x7B"]
    assert float(row["total_parameters"]) == pytest.approx(46.7e9)
    assert float(row["active_parameters"]) == pytest.approx(12.9e9)


def test_spot_qwen3_235b(by_name):
    row = by_name["Qwen3-235B-A22B"]
    assert _six_nd(row) == pytest.approx(6 * 22e9 * 36e12, rel=1e-9)  # 4.752e24


def test_spot_hardware_peaks(hw_by_type):
    h100 = hw_by_type["NVIDIA H100 SXM5 80GB"]
    assert float(h100["peak_flops_bf16"]) == pytest.approx(989.4e12, rel=0.01)
    assert float(h100["peak_flops_fp8"]) == pytest.approx(2 * 989.4e12, rel=0.01)
    a100 = hw_by_type["NVIDIA A100 SXM4 80 GB"]
    assert float(a100["peak_flops_bf16"]) == pytest.approx(312e12, rel=0.01)
    assert float(a100["peak_flops_tf32"]) == pytest.approx(156e12, rel=0.01)
    assert float(hw_by_type["Google TPU v4"]["peak_flops_bf16"]) == pytest.approx(275e12, rel=0.01)
    assert float(hw_by_type["Google TPU v5p"]["peak_flops_bf16"]) == pytest.approx(459e12, rel=0.01)
    assert hw_by_type["Google TPU v4"]["peak_flops_fp32"] == ""


def test_spot_hardware_estimate_llama65b(by_name, hw_by_type):
    """2048 A100 x ~21 days: 6ND must imply a plausible utilisation (20-70%)."""
    row = by_name["LLaMA 65B"]
    peak = float(hw_by_type[row["hardware_type"]]["peak_flops_bf16"])
    capacity = peak * float(row["hardware_count"]) * float(row["training_time_hours"]) * 3600
    assert 0.2 < _six_nd(row) / capacity < 0.7

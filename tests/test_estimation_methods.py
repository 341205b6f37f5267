"""Every estimation method, checked against values computed by hand (or by an independent numpy fit).

One small database is built from fixture captures written for these tests: a leaderboard
snapshot of 15 reference models whose compute is known (14 from the curated known-specs seed,
one from a fixture Epoch row) plus two models with no disclosure, so the benchmark regression,
its leave-one-out, and family lineage can be recomputed independently here.
"""

from __future__ import annotations

import csv
import math
import shutil
from datetime import date

import duckdb
import numpy as np
import pytest

from flop_tracker import pipeline
from kernel.paths import PROJECT_ROOT, Paths
from tests.conftest import FIXTURES
from tests.estimation_oracle import name_parameters_flop, token_regression

SEED = PROJECT_ROOT / "seeds" / "curated" / "known_model_specs.csv"
SNAPSHOT = FIXTURES / "estimation" / "lmarena" / "lmarena_text_2025-06-01.csv"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    root = tmp_path_factory.mktemp("estimation")
    captures = root / "captures"
    shutil.copytree(FIXTURES / "estimation", captures)
    for name in ("mini_page.html",):  # plus the spine's page fixture (Gamma 8x7B for name parsing)
        shutil.copy(FIXTURES / "lmarena" / name, captures / "lmarena" / name)
    shutil.copy(FIXTURES / "epoch" / "mini_epoch.csv", captures / "epoch" / "mini_epoch.csv")
    paths = Paths(root / "data")
    summary = pipeline.ingest(
        paths, pipeline.selected_sources(["lmarena", "epoch"]), live=False, captures_dir=captures, quiet=True
    )
    assert not summary.failed, [r.line for r in summary.failed]
    outcome = pipeline.build(paths)
    assert outcome.success, outcome.failures or outcome.error
    con = duckdb.connect(str(paths.db), read_only=True)
    yield con
    con.close()


def one(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple:
    row = con.execute(sql, params or []).fetchone()
    assert row is not None, sql
    return row


def estimate(con, table: str, model_id: str) -> tuple[float, float, float]:
    return one(
        con, f"select training_flop, flop_low, flop_high from intermediate.{table} where model_id = ?", [model_id]
    )


def test_operation_counting_llama_405b_by_hand(db):
    # 6 x 405e9 x 15.6e12 = 3.7908e25, interval x/1.5..x1.5
    assert estimate(db, "int_estimates_operation_counting", "llama-3.1-405b") == pytest.approx(
        (3.7908e25, 3.7908e25 / 1.5, 3.7908e25 * 1.5), rel=1e-9
    )


def test_operation_counting_uses_active_parameters_for_moe(db):
    # DeepSeek-V3: 37e9 ACTIVE of 671e9 total, 14.8e12 tokens: 6 x 37e9 x 14.8e12 = 3.2856e24 (not 5.96e25)
    flop, _, _ = estimate(db, "int_estimates_operation_counting", "deepseek-v3")
    assert flop == pytest.approx(3.2856e24, rel=1e-9)
    reasoning = one(
        db, "select reasoning from intermediate.int_estimates_operation_counting where model_id = 'deepseek-v3'"
    )[0]
    assert "3.70e+10 active parameters" in reasoning and "6.71e+11 total" in reasoning


def test_developer_disclosed_wins_for_llama_405b(db):
    assert estimate(db, "int_estimates_developer_disclosed", "llama-3.1-405b") == pytest.approx(
        (3.8e25, 3.8e25 / 1.5, 3.8e25 * 1.5)
    )
    method, rank = one(
        db,
        "select method, method_rank from intermediate.int_estimates_ranked where model_id = 'llama-3.1-405b' "
        "order by method_rank limit 1",
    )
    assert (method, rank) == ("developer_disclosed", 1)


def test_hardware_llama_405b_by_hand(db):
    # 16384 H100 x 989.4e12 FLOP/s (bf16 dense) x 1882 h x 3600 s x utilisation 0.4 (0.3..0.5)
    full = 16384 * 989.4e12 * 1882 * 3600
    assert estimate(db, "int_estimates_hardware", "llama-3.1-405b") == pytest.approx(
        (0.4 * full, 0.3 * full, 0.5 * full)
    )


def test_training_cost_deepseek_v3_by_hand(db):
    # $5,576,000 / $2 per H800-hour = 2.788e6 GPU-hours x 3600 s x 1978.9e12 FLOP/s (fp8) x 0.4
    full = 5_576_000 / 2.0 * 3600 * 1978.9e12
    assert estimate(db, "int_estimates_training_cost", "deepseek-v3") == pytest.approx(
        (0.4 * full, 0.3 * full, 0.5 * full)
    )


def test_epoch_reference_reads_confidence_as_interval(db):
    # Beta-70B: Epoch 6.3e24, Confident -> x/3..x3
    assert estimate(db, "int_estimates_epoch", "beta-70b") == pytest.approx((6.3e24, 2.1e24, 1.89e25))


def test_name_parameters_reads_mixture_sizes_and_predicts_tokens_like_numpy(db):
    """Gamma 8x7B: 8 experts x 7B = 56e9 total, top-2 -> 14e9 active. Its developer has no disclosed corpus, so
    its tokens come from the regression log10(tokens) ~ log10(total params) + year, fitted on the fixture's 24
    Epoch calibration rows plus Beta-70B (70e9 params, 15e12 tokens). Gamma was first seen on 2025-03-25, after
    the newest calibration point (2024-06-15): the prediction is made at that edge and the interval widened by
    the distance to the extrapolated trend. The interval's half-width is the conformal 90% quantile (24th of 25)
    of the points' held-out misses in standard errors, times the standard error at the edge; the FLOP interval
    adds operation counting's log10(1.5) in quadrature."""
    reasoning = one(
        db, "select reasoning from intermediate.int_estimates_name_parameters where model_id = 'gamma-8x7b'"
    )[0]
    assert reasoning.startswith(
        "Parameters: 5.60e+10 total (name: 8x7b (top-2 of 8 experts assumed)), mixture of experts (name); "
        "1.40e+10 active (name: 8x7b (top-2 of 8 experts assumed))"
    )
    calibration = [
        (
            math.log10(float(r["Parameters"])),
            _years(date.fromisoformat(r["Publication date"])),
            math.log10(float(r["Training dataset size (datapoints)"])),
        )
        for r in csv.DictReader((FIXTURES / "estimation" / "epoch" / "epoch_calibration_2025-05-20.csv").open())
    ]
    calibration.append((math.log10(70e9), _years(date(2024, 6, 15)), math.log10(15e12)))  # Beta-70B
    # first seen on the 2025-03-25 page; sized by its total (56e9), costed on its active count (14e9)
    log_tokens, token_half, extrapolated = token_regression(calibration, 56e9, date(2025, 3, 25))
    expected = name_parameters_flop(14e9, log_tokens, token_half)
    flop, low, high = estimate(db, "int_estimates_name_parameters", "gamma-8x7b")
    assert (flop, low, high) == pytest.approx(expected, rel=1e-6)
    assert extrapolated > 0.01  # the fixture's trend was extrapolated, so widened
    assert f"6 x 1.40e+10 x {10**log_tokens:.2e} = {flop:.2e} FLOP" in reasoning


# --- benchmark regression and lineage, recomputed with numpy ---------------------------------


def _years(d: date) -> float:
    return (d - date(2023, 1, 1)).days / 365.25


def _references() -> dict[str, tuple[float, float, float, float]]:
    """model_id -> (score, z, w, log10 FLOP) for the fixture snapshot's reference models, by hand."""
    specs = {r["model_name"]: r for r in csv.DictReader(SEED.open())}

    def six_nd(name: str) -> tuple[float, date]:
        r = specs[name]
        return 6 * float(r["active_parameters"]) * float(r["training_tokens"]), date.fromisoformat(r["release_date"])

    known = {
        "llama-3.1-405b": (3.8e25, date(2024, 7, 23)),  # developer-disclosed outranks 6ND
        "llama-3.1-70b": six_nd("Llama 3.1 70B"),
        "llama-3.1-8b": six_nd("Llama 3.1 8B"),
        "llama-3-70b": six_nd("Llama 3 70B"),
        "llama-3-8b": six_nd("Llama 3 8B"),
        "llama-2-70b": six_nd("Llama 2 70B"),
        "llama-2-13b": six_nd("Llama 2 13B"),
        "llama-2-7b": six_nd("Llama 2 7B"),
        "qwen2.5-72b": six_nd("Qwen2.5-72B"),
        "qwen2.5-32b": six_nd("Qwen2.5-32B"),
        "deepseek-v3": six_nd("DeepSeek-V3"),
        "gemma-2-27b": six_nd("Gemma 2 27B"),
        "gemma-2-9b": six_nd("Gemma 2 9B"),
        "phi-4": six_nd("Phi-4"),
        "zeta-pro-1": (2e25, date(2024, 3, 1)),  # the fixture Epoch row (Confident)
    }
    scores = {}
    for r in csv.DictReader(SNAPSHOT.open()):
        scores[r["model"]] = (float(r["arena_score"]), 1.0 if r["license"] == "Proprietary" else 0.0)
    ids = {
        "Meta-Llama-3.1-405B-Instruct": "llama-3.1-405b",
        "Meta-Llama-3.1-70B-Instruct": "llama-3.1-70b",
        "Meta-Llama-3.1-8B-Instruct": "llama-3.1-8b",
        "Llama-3-70B-Instruct": "llama-3-70b",
        "Llama-3-8B-Instruct": "llama-3-8b",
        "Llama-2-70B-chat": "llama-2-70b",
        "Llama-2-13B-chat": "llama-2-13b",
        "Llama-2-7B-chat": "llama-2-7b",
        "Qwen2.5-72B-Instruct": "qwen2.5-72b",
        "Qwen2.5-32B": "qwen2.5-32b",
        "DeepSeek-V3": "deepseek-v3",
        "Gemma-2-27B-it": "gemma-2-27b",
        "Gemma-2-9B-it": "gemma-2-9b",
        "Phi-4": "phi-4",
        "Zeta-Pro-1": "zeta-pro-1",
    }
    out = {}
    for name, model_id in ids.items():
        flop, released = known[model_id]
        score, w = scores[name]
        out[model_id] = (score, _years(released), w, math.log10(flop))
    return out


def _fit(points: list[tuple[float, float, float, float]]):
    x = np.array([[1.0, s, z, w] for s, z, w, _ in points])
    y = np.array([p[3] for p in points])
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ beta
    s2 = resid @ resid / (len(y) - 4)
    return beta, s2, np.linalg.inv(x.T @ x)


def _t90(df: float) -> float:
    z = 1.6448536
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


def _predict(beta, s2, inv, n, score, z, w):
    v = np.array([1.0, score, z, w])
    return float(v @ beta), float(_t90(n - 4) * math.sqrt(s2 * (1 + v @ inv @ v)))


def test_benchmark_regression_for_an_undisclosed_model_matches_numpy(db):
    refs = _references()
    beta, s2, inv = _fit(list(refs.values()))
    center, half = _predict(beta, s2, inv, len(refs), 1180.0, _years(date(2025, 6, 1)), 1.0)  # Omega-Chat
    flop, low, high = estimate(db, "int_estimates_benchmark", "omega")
    assert math.log10(flop) == pytest.approx(center, abs=1e-6)
    assert math.log10(high) - math.log10(flop) == pytest.approx(half, abs=1e-6)
    n = one(db, "select n from intermediate.int_benchmark_predictions where model_id = 'omega'")[0]
    assert n == 15


def test_benchmark_regression_leaves_a_reference_out_of_its_own_fit(db):
    refs = _references()
    own = refs.pop("qwen2.5-72b")
    beta, s2, inv = _fit(list(refs.values()))
    center, _ = _predict(beta, s2, inv, len(refs), *own[:3])
    flop, _, _ = estimate(db, "int_estimates_benchmark", "qwen2.5-72b")
    assert math.log10(flop) == pytest.approx(center, abs=1e-6)
    n, is_ref = one(
        db, "select n, is_reference from intermediate.int_benchmark_predictions where model_id = 'qwen2.5-72b'"
    )
    assert (n, is_ref) == (14, True)


def test_family_lineage_moves_the_predecessor_by_the_score_difference(db):
    refs = _references()
    beta, _, _ = _fit(list(refs.values()))  # zeta-pro-2 is no reference: its fit is the full fit
    expected = math.log10(2e25) + beta[1] * (1260 - refs["zeta-pro-1"][0])
    flop, _, _ = estimate(db, "int_estimates_lineage", "zeta-pro-2")
    assert math.log10(flop) == pytest.approx(expected, abs=1e-6)
    method = one(db, "select estimation_method from main.models where model_id = 'zeta-pro-2'")[0]
    assert method == "family_lineage"  # lineage outranks the benchmark guess


def test_p_above_and_classification_follow_the_interval(db):
    rows = db.execute(
        "select training_flop, flop_low, flop_high, p_above_1e25, threshold_classification, dataset_file "
        "from main.models"
    ).fetchall()
    assert len(rows) > 20
    for flop, low, high, p, cls, dataset_file in rows:
        sigma = (math.log10(high) - math.log10(low)) / (2 * 1.6448536)
        expected = 0.5 * (1 + math.erf((math.log10(flop) - 25) / sigma / math.sqrt(2)))
        assert p == pytest.approx(expected, abs=1e-6)
        if low >= 1e25:
            assert cls == "high_confidence_above_1e25"
        elif high < 1e25:
            assert cls == "high_confidence_below_1e25"
        elif p >= 2 / 3:
            assert cls == "likely_above_1e25"
        elif p >= 1 / 3:
            assert cls == "uncertain"
        else:
            assert cls == "likely_below_1e25"
        assert dataset_file == ("candidates" if p >= 1 / 3 or low >= 1e25 else "below")

"""Mixture-of-experts models in the real captures are costed on their active parameters, never their total.

Read from the session's build of ../shared/data (conftest's `shared_build`): int_model_parameters_sized is the one
answer every method reads, so it is checked for every model the Hub says is a mixture, and the estimates are checked
to use it.
"""

from __future__ import annotations

import math
import re

import duckdb
import pytest

from kernel.paths import Paths

pytestmark = [pytest.mark.shared, pytest.mark.dbt]

# Models whose Hub repositories are mixtures of experts, read from the Hub rows themselves: a model_type the
# moe_architectures seed lists as MoE or one named *_moe, the Hub's MoE flag, or more than one expert.
HUB_MOE = """
select names.model_id, min(hub.model_type) as model_type
from staging.stg_huggingface__models as hub
join intermediate.int_model_names_normalized as names
    on names.source_name = 'huggingface' and names.raw_name = hub.repo_id and not names.is_excluded
left join seeds.moe_architectures as architectures on hub.model_type = architectures.model_type
group by names.model_id
having bool_or(coalesce(architectures.is_moe, false) or coalesce(hub.model_type like '%moe%', false)
    or coalesce(hub.is_moe, false) or coalesce(hub.num_experts, 0) > 1)
"""

QUANTISED = re.compile(r"awq|gptq|int4|int8|\dbit|fp4")
# Quantised-only repositories whose names carry no bit width (QuantTrio's AWQ under a plain name).
UNSIZED_NAMES = {"glm-4.7-flash"}
# The one Hub "mixture" whose parameters used are its total, and why.
NOT_A_REAL_MODEL = {"qwen3-next-moe": "tiny-random/qwen3-next-moe, a 2.8M-parameter test repository"}


def query(paths: Paths, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(paths.db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_no_model_the_hub_calls_a_mixture_of_experts_is_sized_by_its_total(shared_build: Paths):
    hub_moe = dict(query(shared_build, HUB_MOE))
    assert len(hub_moe) == 94
    sized = {
        r[0]: r[1:]
        for r in query(
            shared_build,
            "select model_id, total_parameters, active_parameters, active_source, is_moe "
            "from intermediate.int_model_parameters_sized",
        )
    }
    # 20 have no size at all, so no estimate: only quantised repositories (packed weights undercount) and no size
    # in the name (deepseek-v3-nvfp4, glm-4.7-flash-4bit, minimax-m2.5-mlx-4bit, ...)
    unsized = sorted(m for m in hub_moe if m not in sized)
    assert len(unsized) == 20 and all(QUANTISED.search(m) or m in UNSIZED_NAMES for m in unsized), unsized
    costed_on_total = [m for m in hub_moe if m in sized and not sized[m][1] < sized[m][0]]
    assert costed_on_total == list(NOT_A_REAL_MODEL)
    assert all(sized[m][3] is True for m in hub_moe if m in sized)
    by_source: dict[str, int] = {}
    for m in hub_moe:
        if m in sized:
            by_source[sized[m][2]] = by_source.get(sized[m][2], 0) + 1
    assert by_source == {"disclosed": 21, "model_name": 35, "active_fraction_prior": 18}


@pytest.mark.parametrize(
    ("model_id", "total", "active", "source"),
    [
        # the models issue 14 names; totals disclosed or the Hub's safetensors count of the unquantised repository
        ("glm-5", 744e9, 40e9, "disclosed"),  # GLM-5 technical report (the Hub counts 753,864,139,008 with MTP)
        ("qwen3-next-80b-a3b", 81_327_323_552, 3e9, "model_name"),  # median of two Hub repositories; "a3b"
        ("longcat-flash", 560e9, 27e9, "disclosed"),  # 18.6B-31.3B active, ~27B on average (card)
        ("mimo-v2-flash", 309e9, 15e9, "disclosed"),
        ("step-3.5-flash", 196e9, 11e9, "disclosed"),
        ("qwen3.5-397b-a17b", 397e9, 17e9, "disclosed"),  # the Hub counts 403,397,928,944 (with its vision tower)
        ("qwen3.5-122b-a10b", 122e9, 10e9, "disclosed"),
        ("nvidia-nemotron-3-nano-30b-a3b", 31_577_937_344, 3e9, "model_name"),  # BF16 repo; NVFP4/AWQ left out
        ("deepseek-v3", 671e9, 37e9, "disclosed"),
        ("kimi-k2", 1.04e12, 32e9, "disclosed"),
        ("llama-4-maverick", 400e9, 17e9, "disclosed"),
        ("gpt-oss-120b", 116.8e9, 5.1e9, "disclosed"),
        ("mixtral-8x7b", 46.7e9, 12.9e9, "disclosed"),
    ],
)
def test_the_active_count_of_each_family_on_real_names_and_counts(shared_build, model_id, total, active, source):
    row = query(
        shared_build,
        "select total_parameters, active_parameters, active_source, is_moe "
        "from intermediate.int_model_parameters_sized where model_id = ?",
        [model_id],
    )
    assert row == [(pytest.approx(total), pytest.approx(active), source, True)]


def test_a_mixture_s_prior_interval_comes_from_the_fitted_active_fraction(shared_build: Paths):
    """GLM-4.6: the Hub counts 356,785,898,816 parameters (model_type glm4_moe) and nothing states its active count,
    so active = total x 10^(a + b log10 total) from the fit on the MoE models with disclosed counts, with the fit's
    90% prediction interval (t x the standard error of a new model at that size)."""
    (a, b, n, residual_sd, t90, s1, c11), *_ = query(
        shared_build,
        "select intercept, b1, n, residual_sd, t90, s1, c11 from intermediate.int_moe_active_fraction_fitted",
    )
    x = math.log10(356_785_898_816)
    fraction = 10 ** (a + b * x)
    se = residual_sd * (1 + 1 / n + (x - s1 / n) ** 2 / c11) ** 0.5
    ((active, low, high, source),) = query(
        shared_build,
        "select active_parameters, active_low, active_high, active_source from intermediate.int_model_parameters_sized "
        "where model_id = 'glm-4.6'",
    )
    assert source == "active_fraction_prior"
    assert active == pytest.approx(356_785_898_816 * fraction, rel=1e-9)
    assert high / active == pytest.approx(10 ** (t90 * se), rel=1e-6)
    assert low < 32e9 < high  # GLM-4.6's card states 32B active (not used: nothing in the seeds says so)


def test_the_estimates_multiply_the_active_count_never_the_total(shared_build: Paths):
    """Qwen3-235B-A22B-2507: the Hub counts 235,107,904,512 parameters, the name says 22B active; its tokens are the
    newest Qwen3 corpus before it (Qwen3-Coder-480B-A35B's disclosed 7.5T). 6 x 22e9 x 7.5e12 = 9.9e23 FLOP, where
    the total would have given 6 x 2.351e11 x 7.5e12 = 1.06e25, above the line."""
    ((flop, active, total, tokens),) = query(
        shared_build,
        "select training_flop, active_parameters, parameters, training_tokens "
        "from intermediate.int_estimates_name_parameters where model_id = 'qwen3-235b-a22b-2507'",
    )
    assert (active, total) == (22e9, 235_107_904_512)
    assert tokens == pytest.approx(7.5e12)
    assert flop == pytest.approx(9.9e23)
    rows = query(
        shared_build,
        "select estimates.model_id, estimates.training_flop, estimates.active_parameters, sized.active_parameters, "
        "sized.total_parameters, estimates.training_tokens "
        "from intermediate.int_estimates_name_parameters as estimates "
        "join intermediate.int_model_parameters_sized as sized using (model_id) where sized.is_moe",
    )
    assert len(rows) >= 20
    for model_id, flop, used, sized_active, sized_total, tokens in rows:
        assert used == sized_active < sized_total, model_id
        assert flop == pytest.approx(6 * used * tokens), model_id


def test_name_parameters_takes_a_family_s_corpus_for_its_small_models(shared_build: Paths):
    """Qwen3-0.6B (dense: model_type qwen3): 751,645,824 parameters on the Hub x the 36T tokens the Qwen3 report
    states for the family (Qwen3-235B-A22B's seed row): 6 x 751,645,824 x 36e12 = 1.6236e23 FLOP (Epoch: 1.3e23).
    The old global trend gave it 4.5e21, 1.46 dex low."""
    ((flop, active, tokens, token_source, reasoning),) = query(
        shared_build,
        "select training_flop, active_parameters, training_tokens, token_source, reasoning "
        "from intermediate.int_estimates_name_parameters where model_id = 'qwen3-0.6b'",
    )
    assert (active, token_source) == (751_645_824, "same_line")
    assert tokens == pytest.approx(36e12)
    assert flop == pytest.approx(6 * 751_645_824 * 36e12)
    assert "3.60e+13 tokens as qwen3-235b-a22b (same developer and line, 2025-04-29, disclosed)" in reasoning

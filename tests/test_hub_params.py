"""Parameters counted from config.json: real configs (tests/fixtures/huggingface/configs, origins in its README)
against the counts their developers publish, and one test per naming convention and layer schedule."""

from __future__ import annotations

import json

import pytest

from ingest.hub_params import ConfigCountError, count_parameters, moe_layer_indices
from tests.conftest import FIXTURES

CONFIGS = FIXTURES / "huggingface" / "configs"


def config(name: str) -> dict:
    return json.loads((CONFIGS / f"{name}.json").read_text())


def count(name: str):
    return count_parameters(config(name))


# Published active (and total) counts, each with the page that states it. `reading` says which of the two active
# counts the developer publishes: without the input embedding table (compute) or with it (see ingest/hub_params.py).
PUBLISHED = [
    # config, published total, published active, reading, source
    ("deepseek-v3", 671e9, 37e9, "compute",
     "https://github.com/deepseek-ai/DeepSeek-V3/blob/acbbd8938cde6914e00e6a1c43c673fceaba9418/README.md"),
    ("deepseek-v2-lite", 16e9, 2.4e9, "compute",
     "https://github.com/deepseek-ai/DeepSeek-V2/blob/07245dbf855936dce8dcec6977d3c0dc255b823d/README.md"),
    ("gpt-oss-120b", 117e9, 5.1e9, "compute",
     "https://github.com/openai/gpt-oss/blob/0492bd3e037807f434a09583c9ac46d8757b5c4d/README.md"),
    ("glm-4.7", 355e9, 32e9, "compute",  # GLM-4.5's published figures; the same architecture (configs/README.md)
     "https://github.com/zai-org/GLM-4.5/blob/08158da0b5cb63e7e9da9529482cc5d30e2a7437/README.md"),
    ("longcat-flash-chat", 560e9, 27e9, "compute", "https://huggingface.co/docs/transformers/en/model_doc/longcat_flash"),
    ("qwen3-30b-a3b", 30.5e9, 3.3e9, "with embedding", "https://apxml.com/models/qwen3-30b-a3b"),
    ("qwen1.5-moe-a2.7b", 14.3e9, 2.7e9, "with embedding", "https://huggingface.co/Qwen/Qwen1.5-MoE-A2.7B"),
    ("mixtral-8x7b-v0.1", 46.7e9, 12.9e9, "with embedding", "https://www.noze.it/en/insights/mixtral-open-source"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "total", "active", "reading", "source"), PUBLISHED, ids=[p[0] for p in PUBLISHED])
def test_counts_from_real_configs_are_within_5_percent_of_the_published_ones(name, total, active, reading, source):
    counted = count(name)
    got = counted.active_parameters if reading == "compute" else counted.active_with_embedding
    assert abs(got / active - 1) < 0.05, (name, got, active, source)
    assert abs(counted.total_parameters / total - 1) < 0.05, (name, counted.total_parameters, total)
    assert counted.is_moe


def test_exact_counts_and_how_far_each_is_from_the_published_figure():
    """Exact, so any change to the arithmetic shows; the ratios are the table in the hand-off report."""
    exact = {n: count(n) for n, *_ in PUBLISHED}
    assert {n: (c.total_parameters, c.active_parameters, c.active_with_embedding) for n, c in exact.items()} == {
        "deepseek-v3": (671_026_419_200, 36_625_618_432, 37_552_297_472),
        "deepseek-v2-lite": (15_706_484_224, 2_451_435_008, 2_661_150_208),
        "gpt-oss-120b": (116_829_156_672, 5_132_849_472, 5_711_982_912),
        "glm-4.7": (352_797_829_024, 32_856_319_904, 33_632_266_144),
        "longcat-flash-chat": (560_664_958_976, 27_149_490_176, 27_954_796_544),
        "qwen3-30b-a3b": (30_532_122_624, 3_041_867_776, 3_353_032_704),
        "qwen1.5-moe-a2.7b": (14_315_784_192, 2_378_008_576, 2_689_173_504),
        "mixtral-8x7b-v0.1": (46_702_792_704, 12_748_853_248, 12_879_925_248),
    }
    ratios = {
        n: round((c.active_parameters if r == "compute" else c.active_with_embedding) / a, 3)
        for (n, _, a, r, _), c in zip(PUBLISHED, exact.values(), strict=True)
    }
    assert ratios == {
        "deepseek-v3": 0.99, "deepseek-v2-lite": 1.021, "gpt-oss-120b": 1.006, "glm-4.7": 1.027,
        "longcat-flash-chat": 1.006, "qwen3-30b-a3b": 1.016, "qwen1.5-moe-a2.7b": 0.996, "mixtral-8x7b-v0.1": 0.998,
    }  # fmt: skip


def test_mixtral_total_equals_its_safetensors_count():
    """The Hub's safetensors total for Mixtral-8x7B is 46,702,792,704 (the API fixture): the config count is exact."""
    assert count("mixtral-8x7b-v0.1").total_parameters == 46_702_792_704


# -- one test per convention ---------------------------------------------------------------------
def test_num_local_experts_mixtral_style_experts_are_the_intermediate_size():
    c = count("mixtral-8x7b-v0.1")
    assert (c.num_experts, c.num_experts_per_token, c.expert_intermediate_size, c.num_moe_layers) == (8, 2, 14336, 32)
    # per layer: 6 idle experts x 3 x 4096 x 14336 = 1,056,964,608 between total and active
    assert c.total_parameters - c.input_embedding_parameters - c.active_parameters == 32 * 6 * 3 * 4096 * 14336


def test_num_experts_with_decoder_sparse_step_and_mlp_only_layers():
    c = count("qwen3-30b-a3b")
    assert (c.num_experts, c.num_experts_per_token, c.num_moe_layers, c.num_shared_experts) == (128, 8, 48, None)
    sparse = {**config("qwen3-30b-a3b"), "decoder_sparse_step": 2, "mlp_only_layers": [1]}
    assert moe_layer_indices(sparse, 48)[0] == list(range(3, 48, 2))  # layers 2,4,..: (i+1) % 2 == 0, not 1


def test_n_routed_experts_first_k_dense_replace_and_multi_token_prediction():
    c = count("deepseek-v3")
    assert (c.num_experts, c.num_shared_experts, c.num_moe_layers, c.attention) == (256, 1, 58, "mla")
    # the stored MTP layer: one MoE decoder layer + enorm, hnorm, eh_proj (2 x 7168 x 7168) and a norm
    assert c.mtp_parameters == 11_610_068_224


def test_moe_layer_freq_skips_layers_after_the_dense_ones():
    assert moe_layer_indices({"first_k_dense_replace": 1, "moe_layer_freq": 2}, 8)[0] == [1, 3, 5, 7]


def test_mla_with_and_without_a_query_low_rank():
    """DeepSeek-V2-Lite has no q_lora_rank: q is one hidden x heads x (nope + rope) matrix."""
    lite = config("deepseek-v2-lite")
    assert "q_lora_rank" not in lite
    with_rank = count_parameters({**lite, "q_lora_rank": 1536})
    per_layer = 2048 * 1536 + 1536 + 1536 * 16 * 192 - 2048 * 16 * 192
    assert with_rank.total_parameters - count("deepseek-v2-lite").total_parameters == 27 * per_layer


def test_shared_experts_by_count_and_by_their_own_width():
    lite, qwen = count("deepseek-v2-lite"), count("qwen1.5-moe-a2.7b")
    assert (lite.num_shared_experts, lite.num_experts, lite.num_experts_per_token) == (2, 64, 6)
    # Qwen1.5-MoE: one shared expert of width 5632 plus its 2048-wide gate, in every one of 24 layers
    no_shared = count_parameters(
        {k: v for k, v in config("qwen1.5-moe-a2.7b").items() if k != "shared_expert_intermediate_size"}
    )
    assert qwen.active_parameters - no_shared.active_parameters == 24 * (3 * 2048 * 5632 + 2048)


def test_moe_topk_expert_ffn_hidden_size_and_zero_computation_experts():
    """LongCat-Flash: 12 of 512 real + 256 identity experts; the card's 18.6B-31.3B, ~27B average."""
    c = count("longcat-flash-chat")
    assert (c.num_experts, c.num_experts_per_token, c.expert_intermediate_size) == (512, 12, 2048)
    assert (c.active_parameters_low, c.active_parameters, c.active_parameters_high) == (
        18_693_773_312,
        27_149_490_176,
        31_377_348_608,
    )
    assert abs(c.active_parameters_low / 18.6e9 - 1) < 0.01 and abs(c.active_parameters_high / 31.3e9 - 1) < 0.01


def test_experts_per_token_and_biases_of_gpt_oss():
    c = count("gpt-oss-120b")
    assert (c.num_experts, c.num_experts_per_token, c.expert_intermediate_size) == (128, 4, 2880)
    assert c.input_embedding_parameters == 201088 * 2880


def test_moe_k_and_erniestyle_start_end_interval():
    """ERNIE 4.5 names its experts moe_num_experts / moe_k and places MoE layers from a start to an end index."""
    layers = moe_layer_indices({"moe_layer_start_index": 3, "moe_layer_end_index": 53, "moe_layer_interval": 2}, 54)
    assert layers == (list(range(3, 54, 2)), "moe_layer_start/end/interval")
    ernie = {
        "model_type": "ernie4_5_moe", "hidden_size": 64, "num_hidden_layers": 4, "vocab_size": 100,
        "num_attention_heads": 4, "intermediate_size": 96, "moe_intermediate_size": 32, "moe_num_experts": 8,
        "moe_k": 2, "moe_num_shared_experts": 1, "moe_layer_start_index": 1, "moe_layer_end_index": -1,
        "tie_word_embeddings": True,
    }  # fmt: skip
    c = count_parameters(ernie)
    assert (c.num_experts, c.num_experts_per_token, c.num_shared_experts, c.num_moe_layers) == (8, 2, 1, 3)
    attention, norms = 4 * 64 * 64, 2 * 64
    dense = attention + 3 * 64 * 96 + norms
    moe_active = attention + 64 * 8 + 3 * 3 * 64 * 32 + norms  # router + 2 routed + 1 shared
    assert c.active_parameters == 100 * 64 + 64 + dense + 3 * moe_active  # tied: the table is the head


def test_jamba_period_and_offset_place_the_experts_but_mamba_layers_are_refused():
    assert moe_layer_indices({"expert_layer_period": 2, "expert_layer_offset": 1}, 8)[0] == [1, 3, 5, 7]
    with pytest.raises(ConfigCountError, match=r"Mamba layers \(mamba_d_state\)"):
        count_parameters({"model_type": "jamba", "hidden_size": 8, "num_hidden_layers": 2, "vocab_size": 4,
                          "mamba_d_state": 16, "num_experts": 16, "num_experts_per_tok": 2})  # fmt: skip


def test_llama4_interleaves_moe_layers_with_a_shared_expert_and_dense_mlp_width():
    text = {
        "model_type": "llama4_text", "hidden_size": 64, "num_hidden_layers": 4, "vocab_size": 100,
        "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16, "intermediate_size": 32,
        "intermediate_size_mlp": 128, "num_local_experts": 16, "num_experts_per_tok": 1,
        "interleave_moe_layer_step": 2,
    }  # fmt: skip
    c = count_parameters({"model_type": "llama4", "text_config": text})
    assert c.num_moe_layers == 2 and c.num_shared_experts == 1  # layers 1 and 3
    attention = 64 * 64 + 2 * 64 * 32 + 64 * 64
    dense = attention + 3 * 64 * 128 + 128
    moe = attention + 64 * 16 + 2 * 3 * 64 * 32 + 128  # router, one routed + one shared expert
    assert c.active_parameters == 100 * 64 + 64 + 2 * dense + 2 * moe


def test_tied_embeddings_count_the_table_once_as_the_head():
    """Qwen3-4B (dense, tied): 36 x (26,214,656 attention + 74,711,040 MLP + 5,120 norms) + 388,956,160 + 2,560."""
    c = count("qwen3-4b")
    assert (c.is_moe, c.total_parameters, c.active_parameters, c.input_embedding_parameters) == (
        False,
        4_022_468_096,
        4_022_468_096,
        0,
    )


def test_a_config_without_sizes_or_with_unknown_layers_names_what_is_missing():
    with pytest.raises(ConfigCountError, match="^config has no hidden_size, vocab_size$"):
        count_parameters({"num_hidden_layers": 2, "architectures": ["X"]})
    with pytest.raises(ConfigCountError, match=r"has no experts-per-token count"):
        count_parameters({**config("mixtral-8x7b-v0.1"), "num_experts_per_tok": None})
    with pytest.raises(ConfigCountError, match=r"linear-attention layers \(linear_num_value_heads\)"):
        count_parameters({**config("qwen3-30b-a3b"), "model_type": "qwen3_next", "linear_num_value_heads": 32})


# -- the two models whose config.json has no public copy here: figures assembled under config keys ----------------
ASSEMBLED = [
    # config, published total, published active, reading, source of the published counts
    ("qwen3-235b-a22b", 235e9, 22e9, "with embedding",
     "https://docs.vllm.ai/projects/ascend/en/releases-v0.22.1rc/_sources/tutorials/models/Qwen3-235B-A22B.md"),
    ("kimi-k2", 1e12, 32e9, "compute",
     "https://github.com/MoonshotAI/Kimi-K2/blob/11062d119a82873f7f786cd2733c57d42ee65b79/README.md"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "total", "active", "reading", "source"), ASSEMBLED, ids=[a[0] for a in ASSEMBLED])
def test_assembled_architectures_are_within_5_percent_of_the_published_counts(name, total, active, reading, source):
    counted = count_parameters(json.loads((CONFIGS / "assembled" / f"{name}.json").read_text()))
    got = counted.active_parameters if reading == "compute" else counted.active_with_embedding
    assert abs(got / active - 1) < 0.05, (name, got, active, source)
    assert abs(counted.total_parameters / total - 1) < 0.05
    assert (counted.total_parameters, counted.active_parameters, counted.active_with_embedding) == {
        "qwen3-235b-a22b": (235_093_634_560, 21_568_433_664, 22_190_763_520),
        "kimi-k2": (1_026_408_232_448, 31_687_095_808, 32_861_500_928),
    }[name]


@pytest.mark.shared
def test_config_counts_meet_the_hubs_safetensors_counts(shared_data):
    """The cross-check: where the Hub's own safetensors count is known (llmfit's copy in ../shared/data) and the
    weights are stored one element per parameter, the count from the config is the same number."""
    hub = {
        e["name"]: e["parameters_raw"]
        for e in json.loads((shared_data / "huggingface/hf_models_param_counts_2026-03-01.json").read_text())
    }
    exact = {
        "Qwen/Qwen3-235B-A22B": CONFIGS / "assembled" / "qwen3-235b-a22b.json",
        "mistralai/Mixtral-8x7B-Instruct-v0.1": CONFIGS / "mixtral-8x7b-v0.1.json",
        "deepseek-ai/DeepSeek-V2-Lite": CONFIGS / "deepseek-v2-lite.json",
        "Qwen/Qwen1.5-MoE-A2.7B": CONFIGS / "qwen1.5-moe-a2.7b.json",
    }
    for repo, path in exact.items():
        assert count_parameters(json.loads(path.read_text())).total_parameters == hub[repo], repo
    # Kimi K2 stores FP8 weights with their block scales: 62,498,608 more stored elements than parameters
    kimi = count_parameters(json.loads((CONFIGS / "assembled" / "kimi-k2.json").read_text()))
    assert hub["moonshotai/Kimi-K2-Instruct"] - kimi.total_parameters == 62_498_608
    # GLM-4.5 stores its multi-token-prediction layer with its own embedding table and head (2 x 151552 x 5120)
    glm = count("glm-4.7")
    assert hub["zai-org/GLM-4.5"] - glm.total_parameters - glm.mtp_parameters == 2 * 151552 * 5120

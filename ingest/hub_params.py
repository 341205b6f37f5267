"""Total and active parameters of a model counted from its config.json alone, for dense and mixture-of-experts models.

Why count from the config: the Hub's safetensors total is missing for many repositories (gated, not yet indexed,
GGUF-only), is distorted by packed quantisation (AWQ/GPTQ int4, mxfp4) and includes modules kept beside the model
(multi-token-prediction layers, vision towers). Every size that determines the count is in config.json, under one of
several naming conventions, so the count is made from the config and the safetensors subtraction in
`huggingface.moe_active_parameters` stays as a cross-check where a total exists.

What is counted, per decoder layer (SwiGLU feed-forward blocks: gate, up and down matrices):
- attention: standard multi-head / grouped-query (q, k, v, o; q/k/v biases where the config or the family has them;
  gpt-oss's per-head sinks) or DeepSeek's multi-head latent attention (q_lora_rank, kv_lora_rank, qk_nope_head_dim,
  qk_rope_head_dim, v_head_dim, with their norms);
- a dense MLP (intermediate_size; Llama 4's intermediate_size_mlp; LongCat's ffn_hidden_size), or a MoE block:
  router, E routed experts of width moe_intermediate_size / expert_ffn_hidden_size (else intermediate_size, as in
  Mixtral and gpt-oss), shared experts (n_shared_experts x the expert width, or shared_expert_intermediate_size
  with its gate);
- two RMSNorms (q/k norms where the config enables them); the router's bias where it has one (gpt-oss) or its
  load-balancing correction bias (DeepSeek-V3's noaux_tc routing, GLM-4.5).
Plus the token embedding, the output head unless tied, the final norm. Which layers hold experts follows every
schedule in use: first_k_dense_replace with moe_layer_freq (DeepSeek, GLM, Kimi), decoder_sparse_step with
mlp_only_layers (Qwen MoE), interleave_moe_layer_step (Llama 4), moe_layer_start_index / moe_layer_end_index /
moe_layer_interval (ERNIE 4.5), expert_layer_period / expert_layer_offset (Jamba), an explicit moe_layers list.

Active = the parameters one token's forward pass multiplies through: the k routed experts it is sent to, every
shared expert, attention, dense layers and the output head, but not the input embedding table (a lookup, no
multiply-add), so that 6 x active x tokens is the training compute. Developers publish both readings:
DeepSeek-V3's 37B (README_WEIGHTS: "36.6B including 0.9B for the output head"), gpt-oss-120b's 5.1B, GLM-4.5's 32B
and LongCat-Flash's ~27B leave the input embedding out; Qwen's 3.3B (Qwen3-30B-A3B) and 2.7B (Qwen1.5-MoE) and
Mixtral's 12.9B count it, so `active_with_embedding` gives that reading too. Multi-token-prediction layers
(num_nextn_predict_layers) are counted apart (`mtp_parameters`): published counts exclude them (DeepSeek-V3: 671B
for the main model, 685B stored). LongCat-Flash routes each token to moe_topk of n_routed_experts + zero_expert_num
experts, the zero-computation ones costing nothing: `active_parameters` is the expectation under uniform routing
(k x real / all experts), `active_parameters_low`/`_high` the ends (no / all picks real); its card states
18.6B-31.3B, ~27B on average.

Not counted (the result says why instead of guessing): state-space and linear-attention layers (Jamba's Mamba
layers, Qwen3-Next's Gated DeltaNet), vision or audio towers of multimodal models (only the text model is counted).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

EXPERT_KEYS = ("num_local_experts", "num_experts", "n_routed_experts", "moe_num_experts")
TOP_K_KEYS = ("num_experts_per_tok", "moe_topk", "moe_k", "experts_per_token", "num_experts_per_token")
SHARED_KEYS = ("n_shared_experts", "num_shared_experts", "moe_num_shared_experts")
SHARED_WIDTH_KEYS = ("shared_expert_intermediate_size", "moe_shared_expert_intermediate_size")
EXPERT_WIDTH_KEYS = ("moe_intermediate_size", "expert_ffn_hidden_size")
LAYER_KEYS = ("num_hidden_layers", "num_layers", "n_layer")
HIDDEN_KEYS = ("hidden_size", "d_model", "n_embd")
GATED = 3  # gate, up and down matrices of a SwiGLU block
# Families whose attention has q/k/v biases without a config flag saying so.
QKV_BIAS_TYPES = {"qwen2", "qwen2_moe"}
QK_NORM_TYPES = {"qwen3", "qwen3_moe"}
UNCOUNTED_LAYER_KEYS = {
    "mamba_d_state": "Mamba layers",
    "attn_layer_period": "Mamba layers",
    "linear_num_value_heads": "linear-attention layers",
    "linear_attn_config": "linear-attention layers",
    "block_types": "hybrid blocks",
}


class ConfigCountError(ValueError):
    """The config lacks a size the count needs, or has layers this module does not count; one line."""


@dataclass(frozen=True)
class ParameterCount:
    """A model's parameters as counted from its config (see the module docstring for what each includes)."""

    total_parameters: int
    active_parameters: int
    is_moe: bool
    input_embedding_parameters: int  # the token embedding table; 0 when tied to the head (then it is the head)
    mtp_parameters: int = 0
    active_parameters_low: int | None = None  # LongCat: every routed pick a zero-computation expert
    active_parameters_high: int | None = None  # LongCat: every routed pick a real expert
    num_layers: int = 0
    num_moe_layers: int = 0
    num_experts: int | None = None
    num_experts_per_token: int | None = None
    num_shared_experts: int | None = None
    expert_intermediate_size: int | None = None
    attention: str = "mha"
    conventions: tuple[str, ...] = field(default_factory=tuple)

    @property
    def active_with_embedding(self) -> int:
        """The active count with the input embedding table in it (how Qwen and Mistral publish theirs)."""
        return self.active_parameters + self.input_embedding_parameters

    @property
    def active_fraction(self) -> float:
        return self.active_parameters / self.total_parameters


def as_int(value: object) -> int | None:
    """A config value as a whole number (7168, 7168.0, "7168"); None for anything else (true, 1.5, null)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


_int = as_int


def _first(config: dict, keys: Iterable[str]) -> tuple[str | None, int | None]:
    for key in keys:
        value = _int(config.get(key))
        if value is not None:
            return key, value
    return None, None


def text_config(config: dict) -> dict:
    """The language model's own config: a multimodal model's text_config, else the config itself."""
    text = config.get("text_config")
    if isinstance(text, dict) and any(k in text for k in LAYER_KEYS):
        merged = {k: v for k, v in config.items() if k not in ("text_config", "vision_config", "audio_config")}
        merged.update(text)
        return merged
    return config


def moe_layer_indices(config: dict, layers: int) -> tuple[list[int], str]:
    """Indices of the layers that hold routed experts, and which schedule said so."""
    explicit = config.get("moe_layers")
    if isinstance(explicit, list) and all(isinstance(i, int) for i in explicit):
        return sorted(set(explicit)), "moe_layers"
    if "moe_layer_start_index" in config or "moe_layer_end_index" in config:
        start = _int(config.get("moe_layer_start_index")) or 0
        end = _int(config.get("moe_layer_end_index"))
        end = layers - 1 if end is None or end < 0 else end
        step = _int(config.get("moe_layer_interval")) or 1
        return [
            i for i in range(layers) if start <= i <= end and (i - start) % step == 0
        ], "moe_layer_start/end/interval"
    if "expert_layer_period" in config:
        period = _int(config.get("expert_layer_period")) or 1
        offset = _int(config.get("expert_layer_offset")) or 0
        return [i for i in range(layers) if i >= offset and (i - offset) % period == 0], "expert_layer_period/offset"
    if "interleave_moe_layer_step" in config:
        step = _int(config.get("interleave_moe_layer_step")) or 1
        return [i for i in range(layers) if (i + 1) % step == 0], "interleave_moe_layer_step"
    if "decoder_sparse_step" in config or "mlp_only_layers" in config:
        step = _int(config.get("decoder_sparse_step")) or 1
        dense = set(config.get("mlp_only_layers") or [])
        return [i for i in range(layers) if (i + 1) % step == 0 and i not in dense], "decoder_sparse_step"
    first_dense = _int(config.get("first_k_dense_replace")) or 0
    freq = _int(config.get("moe_layer_freq")) or 1
    name = "first_k_dense_replace" if "first_k_dense_replace" in config else "every layer"
    return [i for i in range(layers) if i >= first_dense and (i - first_dense) % freq == 0], name


def _attention(config: dict, hidden: int) -> tuple[int, str]:
    """Parameters of one attention block (projections, biases, attention-internal norms)."""
    heads = _int(config.get("num_attention_heads")) or _int(config.get("n_head"))
    if heads is None:
        raise ConfigCountError("config has no num_attention_heads")
    kv_rank = _int(config.get("kv_lora_rank"))
    if kv_rank is not None:  # DeepSeek multi-head latent attention
        q_rank = _int(config.get("q_lora_rank"))
        nope, rope, v_dim = (_int(config.get(k)) for k in ("qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim"))
        if None in (nope, rope, v_dim):
            raise ConfigCountError("MLA config lacks qk_nope_head_dim, qk_rope_head_dim or v_head_dim")
        q_dim = heads * (nope + rope)
        q = hidden * q_rank + q_rank + q_rank * q_dim if q_rank else hidden * q_dim
        kv = hidden * (kv_rank + rope) + kv_rank + kv_rank * heads * (nope + v_dim)
        return q + kv + heads * v_dim * hidden, "mla"
    kv_heads = _int(config.get("num_key_value_heads")) or heads
    head_dim = _int(config.get("head_dim")) or hidden // heads
    q_out, kv_out = heads * head_dim, kv_heads * head_dim
    params = hidden * q_out + 2 * hidden * kv_out + q_out * hidden
    model_type = str(config.get("model_type") or "")
    if config.get("attention_bias") or config.get("qkv_bias") or model_type in QKV_BIAS_TYPES:
        params += q_out + 2 * kv_out
        if model_type == "gpt_oss":
            params += hidden + heads  # o_proj bias and the per-head attention sinks
    if config.get("use_qk_norm") or config.get("qk_layernorm") or model_type in QK_NORM_TYPES:
        params += 2 * head_dim
    return params, "gqa" if kv_heads < heads else "mha"


def count_parameters(config: dict) -> ParameterCount:
    """Count total and active parameters from a config.json document; ConfigCountError names what is missing."""
    config = text_config(config)
    for key, what in UNCOUNTED_LAYER_KEYS.items():
        if key in config:
            raise ConfigCountError(f"config has {what} ({key}), which are not counted")
    _, hidden = _first(config, HIDDEN_KEYS)
    _, layers = _first(config, LAYER_KEYS)
    vocab = _int(config.get("vocab_size"))
    if hidden is None or layers is None or vocab is None:
        missing = [
            n for n, v in (("hidden_size", hidden), ("num_hidden_layers", layers), ("vocab_size", vocab)) if v is None
        ]
        raise ConfigCountError(f"config has no {', '.join(missing)}")
    model_type = str(config.get("model_type") or "")
    conventions: list[str] = []
    attention, attention_kind = _attention(config, hidden)
    norms = 2 * hidden
    expert_key, experts = _first(config, EXPERT_KEYS)
    top_key, top_k = _first(config, TOP_K_KEYS)
    dense_width = _int(config.get("intermediate_size_mlp")) or _int(config.get("ffn_hidden_size"))
    dense_width = dense_width or _int(config.get("intermediate_size"))
    embedding = vocab * hidden
    head = 0 if config.get("tie_word_embeddings") is True else vocab * hidden
    lookup = embedding if head else 0  # a tied table is the head's matrix, multiplied through by every token
    if not experts or experts <= 1:
        if dense_width is None:
            raise ConfigCountError("config has no intermediate_size")
        layer = attention + GATED * hidden * dense_width + norms
        total = embedding + head + hidden + layers * layer
        return ParameterCount(total, total - lookup, False, lookup, num_layers=layers, attention=attention_kind)
    if top_k is None or top_k > experts:
        raise ConfigCountError(f"MoE config ({expert_key}={experts}) has no experts-per-token count")
    conventions += [expert_key, top_key]
    width_key, expert_width = _first(config, EXPERT_WIDTH_KEYS)
    if expert_width is None:
        width_key, expert_width = "intermediate_size", _int(config.get("intermediate_size"))
    if expert_width is None:
        raise ConfigCountError("MoE config has no expert width (moe_intermediate_size or intermediate_size)")
    conventions.append(width_key)
    shared_key, shared = _first(config, SHARED_KEYS)
    shared_width_key, shared_width = _first(config, SHARED_WIDTH_KEYS)
    shared_params = 0
    if shared_width:  # Qwen-MoE: one shared expert of its own width, with a sigmoid gate
        shared_params = GATED * hidden * shared_width + hidden
        conventions.append(shared_width_key)
    elif shared:
        shared_params = shared * GATED * hidden * expert_width
        conventions.append(shared_key)
    if model_type.startswith("llama4"):  # one shared expert of the routed experts' width in every MoE layer
        shared, shared_params = 1, GATED * hidden * expert_width
        conventions.append("llama4 shared expert")
    expert = GATED * hidden * expert_width
    if model_type == "gpt_oss":
        expert += 2 * expert_width + hidden  # gate_up and down biases
    zero_experts = _int(config.get("zero_expert_num")) or 0
    # gpt-oss's router has a bias; DeepSeek-V3-style routers (noaux_tc, and every GLM-4.5 MoE) a correction bias
    router_bias = model_type == "gpt_oss" or config.get("topk_method") == "noaux_tc" or model_type == "glm4_moe"
    router = hidden * (experts + zero_experts) + (experts if router_bias else 0)
    moe_total = router + experts * expert + shared_params
    moe_active = router + top_k * expert + shared_params
    if model_type == "longcat_flash":  # two attention and two dense MLP sublayers around one MoE block per layer
        conventions.append("longcat zero-computation experts")
        if dense_width is None:
            raise ConfigCountError("LongCat config has no ffn_hidden_size")
        base = 2 * (attention + GATED * hidden * dense_width + norms)
        expected_real = top_k * experts / (experts + zero_experts)
        outer = head + hidden + (0 if head else embedding)  # what a token multiplies through outside the layers
        total = embedding + head + hidden + layers * (base + moe_total)
        high = outer + layers * (base + moe_active)
        low = outer + layers * (base + router + shared_params)
        expected = low + layers * round(expected_real * expert)
        return ParameterCount(
            total, expected, True, lookup, 0, low, high, layers, layers, experts, top_k, shared, expert_width,
            attention_kind, tuple(conventions),
        )  # fmt: skip
    moe_layers, schedule = moe_layer_indices(config, layers)
    conventions.append(schedule)
    if dense_width is None and len(moe_layers) < layers:
        raise ConfigCountError("config has dense layers but no intermediate_size")
    dense_layer = attention + GATED * hidden * (dense_width or 0) + norms
    moe_layer_total = attention + moe_total + norms
    moe_layer_active = attention + moe_active + norms
    n_moe = len(moe_layers)
    n_dense = layers - n_moe
    total = embedding + head + hidden + n_dense * dense_layer + n_moe * moe_layer_total
    active = total - lookup - n_moe * (moe_layer_total - moe_layer_active)
    mtp_layers = _int(config.get("num_nextn_predict_layers")) or 0
    mtp = mtp_layers * (moe_layer_total + 2 * hidden + 2 * hidden * hidden + hidden)  # + enorm, hnorm, eh_proj, norm
    if mtp:
        conventions.append("num_nextn_predict_layers (counted apart)")
    return ParameterCount(
        total, active, True, lookup, mtp, None, None, layers, n_moe, experts, top_k, shared, expert_width,
        attention_kind, tuple(conventions),
    )  # fmt: skip

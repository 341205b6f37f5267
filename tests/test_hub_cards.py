"""What model cards state, read from real card excerpts (tests/fixtures/huggingface/cards, origins in its README)."""

from __future__ import annotations

import pytest

from ingest.hub_cards import CardStatement, sentences, statements
from tests.conftest import FIXTURES

CARDS = FIXTURES / "huggingface" / "cards"


def read(name: str) -> list[tuple]:
    return [(s.kind, s.value, s.accelerator, s.qualifier, s.scope) for s in statements((CARDS / name).read_text())]


def test_deepseek_v3_tokens_hours_and_parameters_each_with_their_scope():
    assert read("deepseek-v3.md") == [
        ("total_parameters", 671e9, None, None, None),
        ("active_parameters", 37e9, None, None, None),
        ("training_tokens", 14.8e12, None, None, None),  # the sentence also names fine-tuning: no single scope
        ("accelerator_hours", 2.788e6, "H800", None, "full training"),
        ("training_tokens", 14.8e12, None, None, "pre-training"),
        ("accelerator_hours", 2.664e6, "H800", None, "pre-training"),
        ("accelerator_hours", 0.1e6, None, None, "post-training"),
    ]


def test_the_sentence_is_kept_as_evidence_without_markup():
    found = statements((CARDS / "deepseek-v3.md").read_text())
    assert found[3].sentence == (
        "Despite its excellent performance, DeepSeek-V3 requires only 2.788M H800 GPU hours for its full training."
    )
    # the downloads table and the note's 685B / 14B are not training statements
    assert not any("685B" in s.sentence for s in found)


def test_kimi_k2_prose_and_summary_table():
    assert read("kimi-k2.md") == [
        ("total_parameters", 1e12, None, None, None),
        ("active_parameters", 32e9, None, None, None),
        ("training_tokens", 15.5e12, None, None, "pre-training"),
        ("total_parameters", 1e12, None, None, None),  # "| Total Parameters | 1T |"
        ("active_parameters", 32e9, None, None, None),  # "| Activated Parameters | 32B |"
    ]


def test_llama4_hours_on_named_hardware_and_two_approximate_token_counts_in_one_sentence():
    assert read("llama4.md") == [
        ("accelerator_hours", 7.38e6, "H100-80GB", None, "pre-training"),
        ("training_tokens", 40e12, None, "approximately", "pre-training"),
        ("training_tokens", 22e12, None, "approximately", "pre-training"),
    ]


def test_dbrx_live_parameters_and_tokens_trained_for_but_not_its_context_length():
    assert read("dbrx.md") == [
        ("total_parameters", 132e9, None, None, None),
        ("active_parameters", 36e9, None, None, None),
        ("training_tokens", 12e12, None, None, "pre-training"),
    ]


def test_gpt_oss_two_models_in_one_list():
    assert read("gpt-oss.md") == [
        ("total_parameters", 117e9, None, None, None),
        ("active_parameters", 5.1e9, None, None, None),
        ("total_parameters", 21e9, None, None, None),
        ("active_parameters", 3.6e9, None, None, None),
    ]


def test_a_card_with_yaml_header_and_code_block():
    assert read("qwen1.5-moe-a2.7b.md") == [
        ("total_parameters", 14.3e9, None, None, None),
        ("active_parameters", 2.7e9, None, None, None),
    ]


def test_a_dataset_size_in_terabytes_is_not_a_token_count():
    """Hunyuan-A13B's card said "Trained on a massive 20TB high-quality dataset": bytes, not tokens."""
    assert read("hunyuan-a13b.md") == [
        ("total_parameters", 80e9, None, None, None),
        ("active_parameters", 13e9, None, None, None),
    ]


def test_a_bulleted_architecture_list():
    assert read("minimax-text-01.md") == [
        ("total_parameters", 456e9, None, None, None),
        ("active_parameters", 45.9e9, None, None, None),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # DeepSeek-V3 technical report, section 3.1 (https://arxiv.org/abs/2412.19437)
        ("DeepSeek-V3 is trained on a cluster equipped with 2048 NVIDIA H800 GPUs.",
         [CardStatement("accelerator_count", 2048.0, "DeepSeek-V3 is trained on a cluster equipped with 2048 NVIDIA "
                        "H800 GPUs.", accelerator="NVIDIA H800")]),
        # the same report, section 3: thousands of hours
        ("Consequently, our pre-training stage is completed in less than two months and costs 2664K GPU hours.",
         [CardStatement("accelerator_hours", 2.664e6, "Consequently, our pre-training stage is completed in less "
                        "than two months and costs 2664K GPU hours.", scope="pre-training")]),
        # Jamba's card: context lengths in thousands of tokens are not training tokens
        ("It supports a 256K context length, and can fit up to 140K tokens on a single 80GB GPU.", []),
    ],
)  # fmt: skip
def test_single_sentences(text: str, expected: list[CardStatement]):
    assert statements(text) == expected


def test_compute_and_tokens_when_another_count_comes_first():
    """The ESM3 model card (EvolutionaryScale's esm3-open-small): 2.78 billion proteins are not tokens."""
    text = (
        "At its largest scale, ESM3 was trained with 1.07e24 FLOPs on 2.78 billion proteins and 771 billion unique "
        "tokens, and has 98 billion parameters."
    )
    assert [(s.kind, s.value) for s in statements(text)] == [("training_tokens", 771e9), ("training_flop", 1.07e24)]


def test_compute_written_with_a_power_of_ten_and_escapes_are_cleaned():
    text = "The model was trained \x1b[31mwith\x1b[0m 3.8 × 10^25 FLOPs."
    found = statements(text)
    assert [(s.kind, s.value) for s in found] == [("training_flop", 3.8e25)]
    assert found[0].sentence == "The model was trained with 3.8 × 10^25 FLOPs."
    assert sentences("| **Total Parameters** | 1T |\n|:---:|:---:|") == ["Total Parameters | 1T"]

"""What a model card states about training: tokens, accelerator hours, accelerator count, compute, parameters.

A card is prose written for people, so only clear statements are read, each kept with the sentence it came from as
evidence (cleaned: no markup, links, terminal escapes or control characters), and nothing is inferred:
- training tokens: a number in trillions or billions (T, B) of tokens in a sentence about (pre-)training
  ("We pre-train DeepSeek-V3 on 14.8 trillion ... tokens", "Pre-trained a 1T parameter MoE model on 15.5T tokens",
  "pretrained on ~40 trillion tokens", "pre-trained for 12T tokens"); thousands or millions of tokens are context
  lengths, and "20TB dataset" is a size in bytes, so neither is read;
- accelerator hours: "2.788M H800 GPU hours", "7.38M GPU hours of computation on H100-80GB";
- accelerators: "trained on 2048 H800 GPUs", "a cluster of 2,048 NVIDIA H800 GPUs";
- compute: "3.8 x 10^25 FLOPs", "2.1e24 FLOP";
- parameters: total and active counts ("671B total parameters with 37B activated", "1 trillion total parameters",
  "14.3B parameters in total and 2.7B activated", "Total Parameters | 1T", "Activated Parameters per Token: 45.9B").
A sentence naming several models is still evidence for the card's model only where it says so; the consumer decides
(`scope` says whether a sentence is about pre-training, post-training or the full training).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kernel.text import clean_terminal

MAX_SENTENCE = 400
_UNITS = {"t": 1e12, "trillion": 1e12, "b": 1e9, "billion": 1e9, "m": 1e6, "million": 1e6, "k": 1e3, "thousand": 1e3}
_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_CODE = re.compile(r"```.*?```", re.S)
_HTML = re.compile(r"<[^>]{0,400}>")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\[[^\]]*\]")
_EMPHASIS = re.compile(r"(\*\*|__|`|\\(?=[~*_\-.]))")
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])|\n+")
_QUALIFIER = r"(?P<q>about |approximately |around |roughly |nearly |over |more than |~\s?|up to )?"

_TRAIN = re.compile(r"\b(pre-?train|pretrain|train)", re.I)
# up to five words between the count and "tokens", none of them a number ("2.78 billion proteins and 771 billion
# unique tokens" is 771 billion tokens)
_TOKENS = re.compile(
    _QUALIFIER + _NUMBER + r"\s?(?P<unit>trillion|billion|T|B)\b(?:\s+[A-Za-z][\w-]*){0,5}?\s+tokens\b", re.I
)
_HOURS = re.compile(
    _NUMBER + r"\s?(?P<unit>M|K|million|thousand)?\s+(?P<hw>(?:[A-Z][\w-]*\s){0,2})?(?:GPU|TPU|accelerator)[- ]hours"
    r"(?:\s+of computation)?(?:\s+on\s+(?P<hw2>[A-Z][\w-]+))?"
)
_ACCELERATORS = re.compile(
    r"\b(?:on|using|of|with)\s+" + _NUMBER + r"\s+(?P<hw>(?:NVIDIA\s+|Google\s+|AMD\s+|Huawei\s+)?[A-Z][\w-]*\d[\w-]*)"
    r"\s+(?:GPUs|TPUs|chips|accelerators|NPUs)\b"
)
_FLOP = re.compile(r"(?P<m>\d+(?:\.\d+)?)\s?(?:[x×*]\s?10\s?\^?\s?(?P<e1>\d{2})|e\+?(?P<e2>\d{2}))\s?FLOPs?\b", re.I)
_PARAMS = r"(?:parameters|params)"
_TOTAL = [
    re.compile(_NUMBER + r"\s?(?P<unit>trillion|billion|million|[TBM])\s+total\s+" + _PARAMS, re.I),
    re.compile(_NUMBER + r"\s?(?P<unit>trillion|billion|million|[TBM])\s+" + _PARAMS + r"\s+in total", re.I),
    re.compile(r"\btotal of\s+" + _NUMBER + r"\s?(?P<unit>trillion|billion|million|[TBM])\b(?!\s+tokens)", re.I),
    re.compile(
        _NUMBER + r"\s?(?P<unit>trillion|billion|million|[TBM])\s+" + _PARAMS + r"\s+(?:with|and)\s+"
        r"\d+(?:\.\d+)?\s?(?:trillion|billion|million|[TBM])\s+(?:" + _PARAMS + r"\s+)?(?:activated|active)\b",
        re.I,
    ),
    re.compile(
        r"\btotal " + _PARAMS + r"(?: \(LLM\))?\s*[:|]\s*" + _NUMBER + r"\s?(?P<unit>trillion|billion|[TBM])\b", re.I
    ),
]
_ACTIVE = [
    re.compile(
        _NUMBER + r"\s?(?P<unit>trillion|billion|million|[TBM])\s+(?:" + _PARAMS + r"\s+)?(?:activated|active|live)\b",
        re.I,
    ),
    re.compile(
        r"\b(?:activated|active) " + _PARAMS + r"(?: per token)?\s*[:|]\s*" + _NUMBER + r"\s?(?P<unit>billion|[TBM])\b",
        re.I,
    ),
]


@dataclass(frozen=True)
class CardStatement:
    """One figure a card states, with the sentence it came from."""

    # training_tokens | accelerator_hours | accelerator_count | training_flop | total_parameters | active_parameters
    kind: str
    value: float
    sentence: str
    accelerator: str | None = None
    qualifier: str | None = None  # approximately | at least | at most, when the sentence says so
    scope: str | None = None  # pre-training | post-training | full training


def card_text(markdown: str) -> str:
    """The card's readable text: YAML header, code blocks, HTML tags, link targets and emphasis removed."""
    text = _FRONT_MATTER.sub("", markdown.replace("\r\n", "\n"))
    text = _CODE.sub("\n", text)
    text = _HTML.sub(" ", text)
    text = _LINK.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)
    return _EMPHASIS.sub("", text)


def sentences(markdown: str) -> list[str]:
    """Sentences and table rows of a card, each cleaned to one printable line."""
    out = []
    for piece in _SPLIT.split(card_text(markdown)):
        line = " ".join(clean_terminal(piece).replace("|", " | ").split()).strip(" |-")
        if len(line) >= 8 and not set(line) <= set("|-: "):
            out.append(line[:MAX_SENTENCE])
    return out


def _number(text: str, unit: str | None = None) -> float:
    value = float(text.replace(",", ""))
    return value * _UNITS[unit.lower()] if unit else value


def _qualifier(word: str | None) -> str | None:
    if not word:
        return None
    word = word.strip().lower()
    if word in ("over", "more than"):
        return "at least"
    if word == "up to":
        return "at most"
    return "approximately"


def _scope(sentence: str) -> str | None:
    lower = sentence.lower()
    if "post-train" in lower or "subsequent training" in lower or "fine-tun" in lower:
        return "post-training" if "pre-train" not in lower or "subsequent" in lower else None
    if "full training" in lower or "total" in lower:
        return "full training"
    if "pre-train" in lower or "pretrain" in lower:
        return "pre-training"
    return None


def statements(markdown: str) -> list[CardStatement]:
    """Every clear statement of training tokens, accelerator hours and count, compute and parameters in a card."""
    found: list[CardStatement] = []
    for sentence in sentences(markdown):
        trains = bool(_TRAIN.search(sentence))
        if trains and "context" not in sentence.lower():
            for m in _TOKENS.finditer(sentence):
                found.append(
                    CardStatement("training_tokens", _number(m.group(2), m.group("unit")), sentence,
                                  qualifier=_qualifier(m.group("q")), scope=_scope(sentence))
                )  # fmt: skip
        for m in _HOURS.finditer(sentence):
            hardware = (m.group("hw") or "").strip() or m.group("hw2")
            found.append(
                CardStatement("accelerator_hours", _number(m.group(1), m.group("unit")), sentence,
                              accelerator=hardware or None, scope=_scope(sentence))
            )  # fmt: skip
        if trains:
            for m in _ACCELERATORS.finditer(sentence):
                found.append(
                    CardStatement("accelerator_count", _number(m.group(1)), sentence, accelerator=m.group("hw"))
                )
            for m in _FLOP.finditer(sentence):
                exponent = int(m.group("e1") or m.group("e2"))
                found.append(CardStatement("training_flop", float(m.group("m")) * 10.0**exponent, sentence))
        for kind, patterns in (("total_parameters", _TOTAL), ("active_parameters", _ACTIVE)):
            for pattern in patterns:
                m = pattern.search(sentence)
                if m:
                    found.append(CardStatement(kind, _number(m.group(1), m.group("unit")), sentence))
                    break
    return found

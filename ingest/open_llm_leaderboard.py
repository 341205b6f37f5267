"""Hugging Face Open LLM Leaderboard (v2): one row per evaluated repository and precision.

The contents dump (`open-llm-leaderboard/contents`, saved as CSV) names each model by its Hub
repository (`fullname`) and its evaluation (`eval_name` = repository + precision), and gives
parameters in billions ("#Params (B)", converted here to a count), the MoE flag, the base
model and the six v2 benchmarks (IFEval, BBH, MATH Lvl 5, GPQA, MUSR, MMLU-PRO) normalised
to 0-100 as the leaderboard shows them, with their average.

Sentinels in the dump become unknowns: "#Params (B)" of -1 or 0, Architecture "Unknown",
Base Model "Removed". A base model written "org/name (Merge)" is the repository org/name
(the suffix says the evaluated model is a merge, which the `Merged` column also says).
"""

from __future__ import annotations

import re
from datetime import date
from typing import ClassVar

from ingest.base import (
    CaptureMeta,
    IngestError,
    Name,
    OptionalPastDate,
    ParameterCount,
    Parsed,
    Record,
    Source,
    build_records,
    decode_text,
    parse_float,
    read_csv_table,
)


class OpenLLMLeaderboardEntry(Record):
    """One evaluation on the Open LLM Leaderboard v2."""

    eval_name: Name
    model_name: Name
    model_sha: str | None = None
    precision: str | None = None
    model_kind: str | None = None
    weight_type: str | None = None
    architecture: str | None = None
    parameters: ParameterCount = None
    is_moe: bool | None = None
    is_merged: bool | None = None
    is_flagged: bool | None = None
    available_on_hub: bool | None = None
    is_official_provider: bool | None = None
    base_model: str | None = None
    hub_license: str | None = None
    hub_likes: int | None = None
    average_score: float | None = None
    ifeval: float | None = None
    bbh: float | None = None
    math_lvl5: float | None = None
    gpqa: float | None = None
    musr: float | None = None
    mmlu_pro: float | None = None
    co2_cost_kg: float | None = None
    upload_date: OptionalPastDate = None
    submission_date: OptionalPastDate = None


REQUIRED = ("eval_name", "fullname", "#Params (B)", "Average ⬆️")
SCORES = {
    "average_score": "Average ⬆️",
    "ifeval": "IFEval",
    "bbh": "BBH",
    "math_lvl5": "MATH Lvl 5",
    "gpqa": "GPQA",
    "musr": "MUSR",
    "mmlu_pro": "MMLU-PRO",
    "co2_cost_kg": "CO₂ cost (kg)",
}
TEXT = {
    "model_sha": "Model sha",
    "precision": "Precision",
    "weight_type": "Weight type",
    "hub_license": "Hub License",
}
FLAGS = {
    "is_moe": "MoE",
    "is_merged": "Merged",
    "is_flagged": "Flagged",
    "available_on_hub": "Available on the hub",
    "is_official_provider": "Official Providers",
}
DATES = {"upload_date": "Upload To Hub Date", "submission_date": "Submission Date"}
_LEADING_SYMBOL = re.compile(r"^[^\w]+")
_MERGE_SUFFIX = re.compile(r"\s*\(Merge\)$")


class OpenLLMLeaderboardSource(Source):
    name: ClassVar[str] = "open_llm_leaderboard"
    description: ClassVar[str] = "Open LLM Leaderboard v2: Hub repos with #params, MoE flag, base model, 6 benchmarks"
    live_urls: ClassVar[tuple[str, ...]] = ()  # retired in 2025; saved dumps only
    tables: ClassVar[dict[str, type[Record]]] = {"open_llm_leaderboard_entries": OpenLLMLeaderboardEntry}
    capture_globs: ClassVar[tuple[str, ...]] = ("huggingface/open_llm_leaderboard*.csv",)

    def parse(self, content: bytes, meta: CaptureMeta) -> Parsed:
        text = decode_text(content)
        if text.lstrip().startswith(("<", "{", "[")):
            raise IngestError("expected the Open LLM Leaderboard CSV dump, got HTML or JSON")
        header, body = read_csv_table(text, REQUIRED, "an Open LLM Leaderboard dump")
        rows = []
        seen: set[str] = set()
        for line, r in enumerate(body, start=2):
            if None in r:
                raise IngestError(f"line {line}: more fields than the header")
            r = {k.strip(): v for k, v in r.items()}
            if any(v is None for v in r.values()):
                raise IngestError(f"line {line}: row ends early (truncated?)")
            eval_name = r["eval_name"].strip()
            name = r["fullname"].strip()
            if not eval_name or not name:
                raise IngestError(f"line {line}: no eval_name or fullname")
            if eval_name in seen:
                raise IngestError(f"line {line}: eval_name {eval_name[:60]!r} appears twice")
            seen.add(eval_name)
            row: dict[str, object] = {"eval_name": eval_name, "model_name": name}
            for field, column in SCORES.items():
                row[field] = self._number(r.get(column), column, line, name)
            billions = self._number(r["#Params (B)"], "#Params (B)", line, name)
            row["parameters"] = round(billions * 1e9) if billions is not None and billions > 0 else None
            for field, column in TEXT.items():
                row[field] = (r.get(column) or "").strip() or None
            for field, column in FLAGS.items():
                row[field] = self._flag(r.get(column), column, line, name)
            for field, column in DATES.items():
                value = (r.get(column) or "").strip()
                try:
                    row[field] = date.fromisoformat(value[:10]) if value else None
                except ValueError:
                    raise IngestError(f"line {line} ({name[:60]!r}): {column} {value[:20]!r} is not a date") from None
            kind = _LEADING_SYMBOL.sub("", r.get("Type") or "").strip()
            row["model_kind"] = kind or None
            arch = (r.get("Architecture") or "").strip()
            row["architecture"] = None if arch in ("", "Unknown", "?") else arch
            base = _MERGE_SUFFIX.sub("", (r.get("Base Model") or "").strip())
            row["base_model"] = None if base in ("", "Removed") else base
            likes = self._number(r.get("Hub ❤️"), "Hub ❤️", line, name)
            row["hub_likes"] = int(likes) if likes is not None else None
            rows.append(row)
        return Parsed({"open_llm_leaderboard_entries": build_records(OpenLLMLeaderboardEntry, rows)})

    @staticmethod
    def _number(value: str | None, column: str, line: int, name: str) -> float | None:
        try:
            return parse_float(value)
        except ValueError:
            raise IngestError(f"line {line} ({name[:60]!r}): {column} {str(value)[:20]!r} is not a number") from None

    @staticmethod
    def _flag(value: str | None, column: str, line: int, name: str) -> bool | None:
        text = (value or "").strip().lower()
        if text == "":
            return None
        if text in ("true", "false"):
            return text == "true"
        raise IngestError(f"line {line} ({name[:60]!r}): {column} {value[:20]!r} is not True or False")

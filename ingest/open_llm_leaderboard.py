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
    Contract,
    IngestError,
    Name,
    OptionalPastDate,
    ParameterCount,
    Parsed,
    Record,
    Source,
    build_records,
    decode_text,
    expected,
    parse_float,
    read_csv_table,
    required,
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


SCORES = ("average_score", "ifeval", "bbh", "math_lvl5", "gpqa", "musr", "mmlu_pro", "co2_cost_kg")
TEXT = ("model_sha", "precision", "weight_type", "hub_license")
FLAGS = ("is_moe", "is_merged", "is_flagged", "available_on_hub", "is_official_provider")
DATES = ("upload_date", "submission_date")
# The v2 contents dump's columns (the 2025-02-08 dump; the leaderboard was retired in 2025).
CONTENTS = Contract(
    "an Open LLM Leaderboard dump",
    (
        required("eval_name", "eval_name"),
        required("fullname", "fullname"),
        required("parameters", "#Params (B)"),
        required("average_score", "Average ⬆️"),
        expected("ifeval", "IFEval"),
        expected("bbh", "BBH"),
        expected("math_lvl5", "MATH Lvl 5"),
        expected("gpqa", "GPQA"),
        expected("musr", "MUSR"),
        expected("mmlu_pro", "MMLU-PRO"),
        expected("co2_cost_kg", "CO₂ cost (kg)"),
        expected("model_sha", "Model sha"),
        expected("precision", "Precision"),
        expected("weight_type", "Weight type"),
        expected("hub_license", "Hub License"),
        expected("is_moe", "MoE"),
        expected("is_merged", "Merged"),
        expected("is_flagged", "Flagged"),
        expected("available_on_hub", "Available on the hub"),
        expected("is_official_provider", "Official Providers"),
        expected("upload_date", "Upload To Hub Date"),
        expected("submission_date", "Submission Date"),
        expected("model_kind", "Type"),
        expected("architecture", "Architecture"),
        expected("base_model", "Base Model"),
        expected("hub_likes", "Hub ❤️"),
    ),
)
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
        header, body = read_csv_table(text)
        columns = CONTENTS.match(header)
        where = columns.header

        def cell(r: dict[str, str], field: str) -> str | None:
            return r.get(where[field]) if field in where else None

        rows = []
        seen: set[str] = set()
        for line, r in enumerate(body, start=2):
            if None in r:
                raise IngestError(f"line {line}: more fields than the header")
            r = {k.strip(): v for k, v in r.items()}
            if any(v is None for v in r.values()):
                raise IngestError(f"line {line}: row ends early (truncated?)")
            eval_name = (cell(r, "eval_name") or "").strip()
            name = (cell(r, "fullname") or "").strip()
            if not eval_name or not name:
                raise IngestError(f"line {line}: no eval_name or fullname")
            if eval_name in seen:
                raise IngestError(f"line {line}: eval_name {eval_name[:60]!r} appears twice")
            seen.add(eval_name)
            row: dict[str, object] = {"eval_name": eval_name, "model_name": name}
            for field in SCORES:
                row[field] = self._number(cell(r, field), where.get(field, field), line, name)
            billions = self._number(cell(r, "parameters"), where["parameters"], line, name)
            row["parameters"] = round(billions * 1e9) if billions is not None and billions > 0 else None
            for field in TEXT:
                row[field] = (cell(r, field) or "").strip() or None
            for field in FLAGS:
                row[field] = self._flag(cell(r, field), where.get(field, field), line, name)
            for field in DATES:
                value = (cell(r, field) or "").strip()
                try:
                    row[field] = date.fromisoformat(value[:10]) if value else None
                except ValueError:
                    column = where[field]
                    raise IngestError(f"line {line} ({name[:60]!r}): {column} {value[:20]!r} is not a date") from None
            kind = _LEADING_SYMBOL.sub("", cell(r, "model_kind") or "").strip()
            row["model_kind"] = kind or None
            arch = (cell(r, "architecture") or "").strip()
            row["architecture"] = None if arch in ("", "Unknown", "?") else arch
            base = _MERGE_SUFFIX.sub("", (cell(r, "base_model") or "").strip())
            row["base_model"] = None if base in ("", "Removed") else base
            likes = self._number(cell(r, "hub_likes"), where.get("hub_likes", "Hub ❤️"), line, name)
            row["hub_likes"] = int(likes) if likes is not None else None
            rows.append(row)
        # The dump states no date but in its file name; its newest submission is a lower bound.
        newest = max((r["submission_date"] for r in rows if r["submission_date"]), default=None)
        parsed = Parsed({"open_llm_leaderboard_entries": build_records(OpenLLMLeaderboardEntry, rows)})
        return parsed.note_missing(columns).dated(meta, newest_row=newest)

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

"""Artificial Analysis leaderboard export: one row per model and API provider.

The table (as saved by a scraper of artificialanalysis.ai) gives, per provider serving a
model, the Artificial Analysis Intelligence Index, the benchmark results behind it (as
percentages, "87%"), prices ("$3.44" per million tokens), speed and latency. Benchmarks are
the model's, so they repeat across its providers; the collapse to one row per model is done
in SQL (int_artificial_analysis_scores_collapsed).

Columns are found by name, with the parenthesised description ignored ("MMLU-Pro (Reasoning &
Knowledge)" is MMLU-Pro), so a reordered or re-described export still loads. The model's
creator is kept when the export has a creator column; the 2025-08-14 export has none.
"""

from __future__ import annotations

import csv
import io
import re
from typing import ClassVar

from ingest.base import (
    CaptureMeta,
    Contract,
    IngestError,
    Name,
    Parsed,
    PastDate,
    Record,
    Source,
    build_records,
    data_date_of,
    decode_text,
    expected,
    optional,
    parse_float,
    required,
)


class ArtificialAnalysisEntry(Record):
    """One model as served by one API provider, with the model's benchmark results."""

    model_name: Name
    provider: str
    creator: str | None = None
    api_id: str | None = None
    license: str | None = None
    context_window_tokens: int | None = None
    intelligence_index: float | None = None
    mmlu_pro_pct: float | None = None
    gpqa_diamond_pct: float | None = None
    humanitys_last_exam_pct: float | None = None
    livecodebench_pct: float | None = None
    scicode_pct: float | None = None
    ifbench_pct: float | None = None
    aime_2025_pct: float | None = None
    aa_lcr_pct: float | None = None
    aime_2024_pct: float | None = None
    math_500_pct: float | None = None
    humaneval_pct: float | None = None
    chatbot_arena_elo: float | None = None
    blended_price_usd_per_mtok: float | None = None
    input_price_usd_per_mtok: float | None = None
    output_price_usd_per_mtok: float | None = None
    median_output_tokens_per_s: float | None = None
    median_first_chunk_s: float | None = None
    snapshot_date: PastDate


NUMBER_FIELDS = (
    "intelligence_index",
    "mmlu_pro_pct",
    "gpqa_diamond_pct",
    "humanitys_last_exam_pct",
    "livecodebench_pct",
    "scicode_pct",
    "ifbench_pct",
    "aime_2025_pct",
    "aa_lcr_pct",
    "aime_2024_pct",
    "math_500_pct",
    "humaneval_pct",
    "chatbot_arena_elo",
    "blended_price_usd_per_mtok",
    "input_price_usd_per_mtok",
    "output_price_usd_per_mtok",
    "median_output_tokens_per_s",
    "median_first_chunk_s",
)
TEXT_FIELDS = ("model_name", "provider", "creator", "api_id", "license")
_CONTEXT = re.compile(r"^(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>[km]?)$", re.IGNORECASE)


def _column_key(header: str) -> str:
    """A header without its parenthesised description: "MMLU-Pro (Reasoning & Knowledge)" is MMLU-Pro."""
    return re.sub(r"\s*\(.*\)\s*$", "", " ".join(header.split())).lower()


# The export's columns, by name without description (see _column_key), as the 2025-08-14 export has them.
LEADERBOARD = Contract(
    "an Artificial Analysis leaderboard export",
    (
        required("model_name", "Model"),
        required("provider", "API Provider"),
        required("intelligence_index", "Artificial Analysis Intelligence Index"),
        # The 2025-08-14 export names no creator; other exports of the site call it one of these.
        optional("creator", "Creator", "Model Creator", "Model Creator Name"),
        expected("api_id", "API ID"),
        expected("license", "License"),
        expected("context_window_tokens", "Context Window"),
        expected("mmlu_pro_pct", "MMLU-Pro"),
        expected("gpqa_diamond_pct", "GPQA Diamond"),
        expected("humanitys_last_exam_pct", "Humanity's Last Exam"),
        expected("livecodebench_pct", "LiveCodeBench"),
        expected("scicode_pct", "SciCode"),
        expected("ifbench_pct", "IFBench"),
        expected("aime_2025_pct", "AIME 2025"),
        expected("aa_lcr_pct", "AA-LCR"),
        expected("aime_2024_pct", "AIME 2024"),
        expected("math_500_pct", "Math 500"),
        expected("humaneval_pct", "HumanEval"),
        expected("chatbot_arena_elo", "Chatbot Arena"),
        expected("blended_price_usd_per_mtok", "Blended USD/1M Tokens"),
        expected("input_price_usd_per_mtok", "Input Price USD/1M Tokens"),
        expected("output_price_usd_per_mtok", "Output Price USD/1M Tokens"),
        expected("median_output_tokens_per_s", "Median Tokens/s"),
        expected("median_first_chunk_s", "Median First Chunk"),
    ),
    key=_column_key,
)


def _context_tokens(value: str) -> int | None:
    """'400k' -> 400000, '1m' -> 1000000 (the export's own rounding, kept as given)."""
    text = value.strip()
    if not text or text.lower() in {"n/a", "-"}:
        return None
    match = _CONTEXT.match(text)
    if not match:
        raise ValueError(text)
    scale = {"": 1, "k": 1_000, "m": 1_000_000}[match["unit"].lower()]
    return round(float(match["n"]) * scale)


class ArtificialAnalysisSource(Source):
    name: ClassVar[str] = "artificial_analysis"
    description: ClassVar[str] = "Artificial Analysis: Intelligence Index and benchmarks per model and API provider"
    live_urls: ClassVar[tuple[str, ...]] = ()  # the site needs a browser; saved exports only
    tables: ClassVar[dict[str, type[Record]]] = {"artificial_analysis_entries": ArtificialAnalysisEntry}
    capture_globs: ClassVar[tuple[str, ...]] = ("artificial_analysis/*.csv",)

    def parse(self, content: bytes, meta: CaptureMeta) -> Parsed:
        text = decode_text(content)
        if text.lstrip().startswith(("<", "{", "[")):
            raise IngestError("expected an Artificial Analysis CSV export, got HTML or JSON")
        try:
            reader = csv.reader(io.StringIO(text))
            header = next(reader)
            body = [r for r in reader if any(c.strip() for c in r)]
        except (csv.Error, StopIteration) as exc:
            raise IngestError(f"malformed CSV: {exc or 'no header'}") from exc
        columns = LEADERBOARD.match(header)
        fields = columns.position
        if not body:
            raise IngestError("CSV has a header but no rows")
        day, basis = data_date_of(meta)
        snapshot = day or meta.capture_date  # rows need a date: the fetch date where none is stated
        rows = []
        seen: set[tuple[str, str]] = set()
        for line, cells in enumerate(body, start=2):
            if len(cells) != len(header):
                raise IngestError(f"line {line} has {len(cells)} fields, header has {len(header)} (truncated?)")
            row: dict[str, object] = {"snapshot_date": snapshot}
            for field, index in fields.items():
                value = cells[index].strip()
                if field in TEXT_FIELDS:
                    row[field] = value or None
            name = str(row.get("model_name") or "")
            provider = str(row.get("provider") or "")
            if not name or not provider:
                raise IngestError(f"line {line}: no Model or API Provider")
            if (name, provider) in seen:
                raise IngestError(f"line {line}: model {name[:60]!r} from {provider!r} appears twice")
            seen.add((name, provider))
            for field, index in fields.items():
                value = cells[index].strip()
                if field in NUMBER_FIELDS:
                    cleaned = value.replace("$", "").replace("%", "")
                    try:
                        row[field] = parse_float(cleaned)
                    except ValueError:
                        raise IngestError(
                            f"line {line} ({name[:60]!r}, {provider}): {header[index]} {value[:20]!r} is not a number"
                        ) from None
                elif field == "context_window_tokens":
                    try:
                        row[field] = _context_tokens(value)
                    except ValueError:
                        raise IngestError(
                            f"line {line} ({name[:60]!r}, {provider}): Context Window {value[:20]!r} is not like 128k"
                        ) from None
            rows.append(row)
        entries = build_records(ArtificialAnalysisEntry, rows)
        parsed = Parsed({"artificial_analysis_entries": entries}, data_date=day, data_date_basis=basis)
        return parsed.note_missing(columns)

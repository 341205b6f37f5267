"""Epoch AI's model database exports (Large-Scale, Notable, All models).

These are the reference values the tracker is judged against and may use as
overrides, so every column that matters for compute is kept: parameters,
dataset size, compute with its confidence and notes, hardware, accessibility.
Numbers are parsed here (a blank is unknown); a cell that is not a number is an
error naming the model and column, never a silent zero.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from ingest.base import (
    CaptureMeta,
    Flop,
    IngestError,
    Name,
    OptionalPastDate,
    Parameters,
    Parsed,
    Record,
    Source,
    build_records,
    decode_text,
    parse_float,
    read_csv_table,
)


class EpochModel(Record):
    """One row of an Epoch export."""

    model_name: Name
    export_name: str
    organization: str | None = None
    publication_date: OptionalPastDate = None
    domain: str | None = None
    parameters: Parameters = None
    parameters_notes: str | None = None
    training_compute_flop: Flop = None
    training_compute_lower: Flop = None
    training_compute_upper: Flop = None
    training_compute_notes: str | None = None
    training_dataset_size: float | None = None
    training_time_hours: float | None = None
    training_hardware: str | None = None
    hardware_quantity: float | None = None
    hardware_utilization: float | None = None
    training_cost_usd_2023: float | None = None
    confidence: str | None = None
    accessibility: str | None = None
    base_model: str | None = None
    finetune_compute_flop: Flop = None
    country: str | None = None
    link: str | None = None
    frontier_model: str | None = None
    last_modified: str | None = None


REQUIRED = ("Model", "Organization", "Publication date", "Training compute (FLOP)")
TEXT_COLUMNS = {
    "organization": "Organization",
    "domain": "Domain",
    "parameters_notes": "Parameters notes",
    "training_compute_notes": "Training compute notes",
    "training_hardware": "Training hardware",
    "confidence": "Confidence",
    "accessibility": "Model accessibility",
    "base_model": "Base model",
    "link": "Link",
    "frontier_model": "Frontier model",
    "last_modified": "Last modified",
}
NUMBER_COLUMNS = {
    "parameters": "Parameters",
    "training_compute_flop": "Training compute (FLOP)",
    "training_compute_lower": "Training compute lower bound",
    "training_compute_upper": "Training compute upper bound",
    "training_dataset_size": "Training dataset size (datapoints)",
    "training_time_hours": "Training time (hours)",
    "hardware_quantity": "Hardware quantity",
    "hardware_utilization": "Hardware utilization",
    "training_cost_usd_2023": "Training compute cost (2023 USD)",
    "finetune_compute_flop": "Finetune compute (FLOP)",
}


def _export_name(header: set[str]) -> str:
    """Which export this is, from its columns (each export has a column the others lack)."""
    if "Training compute lower bound" in header:
        return "all_ai_models"
    if "Frontier model" in header:
        return "notable_ai_models"
    return "large_scale_ai_models"


def _date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    if "/" in value:  # some exports write M/D/YYYY
        month, day, year = (int(p) for p in value.split("/"))
        return date(year, month, day)
    return date.fromisoformat(value[:10])


class EpochSource(Source):
    name: ClassVar[str] = "epoch"
    description: ClassVar[str] = "Epoch AI model database: reference training compute, parameters, tokens"
    live_urls: ClassVar[tuple[str, ...]] = (
        "https://epoch.ai/data/large_scale_ai_models.csv",
        "https://epoch.ai/data/notable_ai_models.csv",
        "https://epoch.ai/data/all_ai_models.csv",
    )
    tables: ClassVar[dict[str, type[Record]]] = {"epoch_models": EpochModel}
    capture_globs: ClassVar[tuple[str, ...]] = ("epoch/*.csv",)

    def parse(self, content: bytes, meta: CaptureMeta) -> Parsed:
        text = decode_text(content)
        if text.lstrip().startswith(("<", "{", "[")):
            raise IngestError("expected an Epoch CSV export, got HTML or JSON")
        header, body = read_csv_table(text, REQUIRED, "an Epoch export")
        export = _export_name(set(header))
        if not any((r.get("Model") or "").strip() for r in body):
            raise IngestError("no row names a Model")
        rows = []
        for line, r in enumerate(body, start=2):
            if None in r:  # more cells than the header: a broken row
                raise IngestError(f"line {line}: more fields than the header")
            name = (r.get("Model") or "").strip()
            if not name:
                # Epoch's Airtable leaves placeholder rows with no model (only Confidence and
                # Last modified); they describe nothing, so they are skipped, not loaded.
                continue
            row: dict[str, object] = {"model_name": name, "export_name": export}
            for field, column in TEXT_COLUMNS.items():
                value = r.get(column)
                row[field] = value.strip() or None if isinstance(value, str) else None
            for field, column in NUMBER_COLUMNS.items():
                value = r.get(column)
                if value is None and column in header:
                    raise IngestError(f"line {line} ({name[:60]!r}): row ends before column {column!r} (truncated?)")
                try:
                    row[field] = parse_float(value)
                except ValueError:
                    raise IngestError(f"line {line} ({name[:60]!r}): {column} {value[:30]!r} is not a number") from None
            try:
                row["publication_date"] = _date(r.get("Publication date") or "")
            except ValueError:
                raise IngestError(
                    f"line {line} ({name[:60]!r}): Publication date {r.get('Publication date')!r} is not a date"
                ) from None
            rows.append(row)
        return Parsed({"epoch_models": build_records(EpochModel, rows)})

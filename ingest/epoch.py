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
    Column,
    Contract,
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
    expected,
    optional,
    parse_float,
    read_csv_table,
    required,
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
    hardware_utilization: float | None = None  # 2026: the MFU; 2025: the one column (MFU or HFU as reported)
    hardware_utilization_hfu: float | None = None
    training_cost_usd_2023: float | None = None
    confidence: str | None = None
    accessibility: str | None = None
    base_model: str | None = None
    finetune_compute_flop: Flop = None
    country: str | None = None
    link: str | None = None
    frontier_model: str | None = None
    last_modified: str | None = None


# What each Epoch export provides, by its names in every layout we know (2025 and 2026; see
# ../shared/data/README.md). In 2026 Epoch renamed `Training dataset size (datapoints)` to
# `Training dataset size (total)` (the Large-Scale export keeps the old column as `(DEPRECATED)
# Training dataset size (datapoints)`), split `Hardware utilization` into `(MFU)` and `(HFU)`, and
# renamed `Country (from Organization)` to `Country (of organization)`. The unsplit 2025 utilization
# column held whichever figure a paper reported (MFU for some models, HFU for others), so
# `hardware_utilization` is that column in 2025 layouts and the MFU in 2026 ones, and the 2026 HFU
# is kept beside it: each value is loaded as published, none converted into the other.
COMMON: tuple[Column, ...] = (
    required("model_name", "Model"),
    required("organization", "Organization"),
    required("publication_date", "Publication date"),
    required("training_compute_flop", "Training compute (FLOP)"),
    expected("domain", "Domain"),
    expected("parameters", "Parameters"),
    expected("parameters_notes", "Parameters notes"),
    expected("training_compute_notes", "Training compute notes"),
    expected(
        "training_dataset_size",
        "Training dataset size (total)",
        "Training dataset size (datapoints)",
        "(DEPRECATED) Training dataset size (datapoints)",
    ),
    expected("training_time_hours", "Training time (hours)"),
    expected("training_hardware", "Training hardware"),
    expected("hardware_quantity", "Hardware quantity"),
    expected("confidence", "Confidence"),
    expected("accessibility", "Model accessibility"),
    expected("base_model", "Base model"),
    expected("finetune_compute_flop", "Finetune compute (FLOP)"),
    expected("link", "Link"),
    expected("country", "Country (of organization)", "Country (from Organization)"),
    # Only the 2026 layouts split utilization, so its HFU half is absent from every 2025 export.
    optional("hardware_utilization_hfu", "Hardware utilization (HFU)"),
)
UTILIZATION = ("hardware_utilization", "Hardware utilization (MFU)", "Hardware utilization")
CONTRACTS = {
    "all_ai_models": Contract(
        "an Epoch export (All AI Models)",
        (
            *COMMON,
            expected(*UTILIZATION),
            expected("training_compute_lower", "Training compute lower bound"),
            expected("training_compute_upper", "Training compute upper bound"),
            expected("last_modified", "Last modified"),
        ),
    ),
    "notable_ai_models": Contract(
        "an Epoch export (Notable AI Models)",
        (
            *COMMON,
            expected(*UTILIZATION),
            expected("frontier_model", "Frontier model"),
            expected("training_cost_usd_2023", "Training compute cost (2023 USD)"),
        ),
    ),
    "large_scale_ai_models": Contract(
        "an Epoch export",
        # The 2025 Large-Scale export has no utilization column at all; the 2026 one has MFU and HFU.
        (*COMMON, optional(*UTILIZATION)),
    ),
}
TEXT_FIELDS = (
    "organization",
    "domain",
    "parameters_notes",
    "training_compute_notes",
    "training_hardware",
    "confidence",
    "accessibility",
    "base_model",
    "link",
    "frontier_model",
    "last_modified",
    "country",
)
NUMBER_FIELDS = (
    "parameters",
    "training_compute_flop",
    "training_compute_lower",
    "training_compute_upper",
    "training_dataset_size",
    "training_time_hours",
    "hardware_quantity",
    "hardware_utilization",
    "hardware_utilization_hfu",
    "training_cost_usd_2023",
    "finetune_compute_flop",
)


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
    # Epoch's downloads are "daily-updated CSV files" (its documentation): a live export is as of its fetch.
    live_is_current: ClassVar[bool] = True

    def parse(self, content: bytes, meta: CaptureMeta) -> Parsed:
        text = decode_text(content)
        if text.lstrip().startswith(("<", "{", "[")):
            raise IngestError("expected an Epoch CSV export, got HTML or JSON")
        header, body = read_csv_table(text)
        export = _export_name(set(header))
        columns = CONTRACTS[export].match(header)
        where = columns.header
        model = where["model_name"]
        if not any((r.get(model) or "").strip() for r in body):
            raise IngestError("no row names a Model")
        rows = []
        for line, r in enumerate(body, start=2):
            if None in r:  # more cells than the header: a broken row
                raise IngestError(f"line {line}: more fields than the header")
            name = (r.get(model) or "").strip()
            if not name:
                # Epoch's Airtable leaves placeholder rows with no model (only Confidence and
                # Last modified); they describe nothing, so they are skipped, not loaded.
                continue
            row: dict[str, object] = {"model_name": name, "export_name": export}
            for field in TEXT_FIELDS:
                value = r.get(where[field]) if field in where else None
                row[field] = value.strip() or None if isinstance(value, str) else None
            for field in NUMBER_FIELDS:
                if field not in where:
                    row[field] = None
                    continue
                column = where[field]
                value = r.get(column)
                if value is None:
                    raise IngestError(f"line {line} ({name[:60]!r}): row ends before column {column!r} (truncated?)")
                try:
                    row[field] = parse_float(value)
                except ValueError:
                    raise IngestError(f"line {line} ({name[:60]!r}): {column} {value[:30]!r} is not a number") from None
            published = r.get(where["publication_date"]) or ""
            try:
                row["publication_date"] = _date(published)
            except ValueError:
                where_ = f"line {line} ({name[:60]!r})"
                raise IngestError(f"{where_}: Publication date {published!r} is not a date") from None
            rows.append(row)
        # An export states its date only in its file name (or a live server's Last-Modified); the
        # All AI Models export also stamps each row, and the newest stamp is a lower bound.
        stamps = [str(r["last_modified"])[:10] for r in rows if r.get("last_modified")]
        newest = max((d for d in (_iso_date(s) for s in stamps) if d), default=None)
        parsed = Parsed({"epoch_models": build_records(EpochModel, rows)})
        return parsed.note_missing(columns).dated(meta, newest_row=newest)


def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None

"""The previous tracker's data files: what it scraped, and what it concluded.

A historical source, loaded for import and as a baseline to beat, never as truth
(its estimates are known to be wrong in places). Three shapes exist and each is
detected from the content:

- the scraped leaderboards (`scraped/*.json`: LMArena, OpenLM, SuperCLUE,
  OlympicArena, Physics-IQ, Video Arena), all one structure
  `{"metadata": {"source", "saved_at", ...}, "models": [{name, developer,
  benchmarks: {score_name: value}, ...}]}`. Each score becomes one row of
  `previous_system_scores`, dated by the file's own `saved_at` (else its
  `last_updated`, else the capture date) and named by its leaderboard;
- its output CSVs (`clean/above_1e25_flop.csv`, `clean/below_1e25_flop.csv`,
  `staging/above_1e25_flop_staging.csv`), one row per model with its estimate,
  classification and the reviewers' `verified` mark. Which of the three a file
  is cannot be told from its columns (they are the same), so its name says:
  `staging` -> staging, `below` -> below, `above` -> candidates;
- its published CSV in Epoch's column layout (`published/published_data.csv`),
  loaded into the same table with kind `published` (Model -> model_name,
  Organization -> developer, Training compute (FLOP) -> training_flop, ...).

The old system normalised names (`DeepSeek-R1` and `DeepSeek-R1-0528` both became
`deepseek_r1`), so a scraped file can list one name twice with different scores.
Both rows are kept, told apart by their position in the file (`entry_index`):
which variant each was cannot be recovered, and neither is dropped silently.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, ClassVar

from ingest.base import (
    CaptureMeta,
    Contract,
    Flop,
    IngestError,
    Name,
    OptionalPastDate,
    Parameters,
    Parsed,
    PastDate,
    Record,
    Source,
    build_records,
    data_date_of,
    decode_text,
    expected,
    parse_float,
    read_csv_table,
    required,
)


class PreviousSystemScore(Record):
    """One benchmark score of one model entry in one of the old system's scraped leaderboards."""

    leaderboard: str
    entry_index: int
    model_name: Name
    developer: str | None = None
    score_name: str
    score_value: float
    source_note: str | None = None
    parameters: Parameters = None
    training_flop: Flop = None
    snapshot_date: PastDate
    saved_at: datetime | None = None
    last_updated: datetime | None = None


class PreviousSystemEstimate(Record):
    """One row of the old system's output files: a model, its estimate and what reviewers said."""

    file_kind: str
    row_number: int
    model_name: Name
    developer: str | None = None
    release_date: OptionalPastDate = None
    parameters: Parameters = None
    parameter_source: str | None = None
    parameters_notes: str | None = None
    training_flop: Flop = None
    confidence: str | None = None
    confidence_explanation: str | None = None
    estimation_method: str | None = None
    alternative_methods: str | None = None
    threshold_classification: str | None = None
    reasoning: str | None = None
    sources: str | None = None
    verified: bool | None = None
    last_updated: datetime | None = None
    blacklist_status: str | None = None
    notes: str | None = None
    training_dataset_size: float | None = None
    training_hardware: str | None = None
    hardware_quantity: float | None = None
    training_time_hours: float | None = None
    accessibility: str | None = None
    snapshot_date: PastDate


ESTIMATE_COLUMNS = ("model", "developer", "training_flop", "threshold_classification", "verified")
ESTIMATE_TEXT = (
    "developer",
    "parameter_source",
    "confidence",
    "confidence_explanation",
    "estimation_method",
    "alternative_methods",
    "threshold_classification",
    "reasoning",
    "sources",
    "blacklist_status",
    "notes",
)
# Its three output CSVs share one header (the 2025-08-15 files; the staging file orders notes last).
ESTIMATES = Contract(
    "one of the old system's output files",
    (
        *(required(c, c) for c in ESTIMATE_COLUMNS),
        *(expected(c, c) for c in ESTIMATE_TEXT if c not in ESTIMATE_COLUMNS),
        expected("release_date", "release_date"),
        expected("parameters", "parameters"),
        expected("last_updated", "last_updated"),
    ),
)
PUBLISHED_REQUIRED = ("Model", "Organization", "Training compute (FLOP)")
PUBLISHED_TEXT = {
    "developer": "Organization",
    "parameters_notes": "Parameters notes",
    "confidence": "Confidence",
    "reasoning": "Training compute notes",
    "sources": "Link",
    "training_hardware": "Training hardware",
    "accessibility": "Model accessibility",
}
PUBLISHED_NUMBERS = {
    "parameters": "Parameters",
    "training_flop": "Training compute (FLOP)",
    "training_dataset_size": "Training dataset size (datapoints)",
    "hardware_quantity": "Hardware quantity",
    "training_time_hours": "Training time (hours)",
}
# Its published file in Epoch's 2025 column layout.
PUBLISHED = Contract(
    "the old system's published file",
    (
        required("model_name", "Model"),
        required("developer", "Organization"),
        required("training_flop", "Training compute (FLOP)"),
        expected("release_date", "Publication date"),
        *(expected(f, c) for f, c in PUBLISHED_TEXT.items() if f != "developer"),
        *(expected(f, c) for f, c in PUBLISHED_NUMBERS.items() if f != "training_flop"),
    ),
)
# Each entry of a scraped leaderboard (any entry's keys count).
SCRAPED_ENTRY = Contract(
    "one of the previous system's scraped files",
    (
        required("name", "name"),
        required("benchmarks", "benchmarks"),
        expected("developer", "developer"),
        expected("parameters", "parameters"),
        expected("training_flop", "training_flop"),
        expected("sources", "sources"),
        expected("last_updated", "last_updated"),
    ),
)
# The old system wrote "Unknown" where it did not know the developer: that is no developer.
_UNKNOWN = {"", "unknown"}
_VERIFIED = {"y": True, "yes": True, "true": True, "n": False, "no": False, "false": False, "": False}


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _developer(value: object) -> str | None:
    text = _text(value)
    return None if text is None or text.lower() in _UNKNOWN else text


def _datetime(value: object, what: str) -> datetime | None:
    text = _text(value)
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        raise IngestError(f"{what} {text[:30]!r} is not an ISO timestamp") from None


def _date(value: object, what: str) -> date | None:
    """ISO dates, or the M/D/YYYY the old system's spreadsheets wrote."""
    text = _text(value)
    if text is None:
        return None
    try:
        if "/" in text:
            month, day, year = (int(p) for p in text.split("/"))
            return date(year, month, day)
        return date.fromisoformat(text[:10])
    except ValueError:
        raise IngestError(f"{what} {text[:30]!r} is not a date") from None


def _number(value: object, what: str) -> float | None:
    try:
        return parse_float(value)
    except ValueError:
        raise IngestError(f"{what} {str(value)[:30]!r} is not a number") from None


def _keys(entries: list) -> list[str]:
    """Every key any of these JSON objects has, in first-seen order."""
    return list(dict.fromkeys(k for e in entries if isinstance(e, dict) for k in e))


def _file_kind(meta: CaptureMeta) -> str:
    """Which output file this is, from its name (the three share their columns)."""
    for name in (meta.filename, meta.origin):
        lower = (name or "").lower().replace("\\", "/")
        base = lower.rsplit("/", 1)[-1]
        if "staging" in base:
            return "staging"
        if "below" in base:
            return "below"
        if "above" in base:
            return "candidates"
    raise IngestError(
        "cannot tell which of the previous system's files this is: its name must contain "
        "'above_1e25', 'below_1e25' or 'staging'"
    )


class PreviousSystemSource(Source):
    name: ClassVar[str] = "previous_system"
    description: ClassVar[str] = "the previous tracker's scraped leaderboards and output CSVs (historical baseline)"
    live_urls: ClassVar[tuple[str, ...]] = ()
    tables: ClassVar[dict[str, type[Record]]] = {
        "previous_system_scores": PreviousSystemScore,
        "previous_system_estimates": PreviousSystemEstimate,
    }
    capture_globs: ClassVar[tuple[str, ...]] = (
        "previous_system/scraped/*.json",
        "previous_system/clean/*.csv",
        "previous_system/staging/*.csv",
        "previous_system/published/*.csv",
    )

    def parse(self, content: bytes, meta: CaptureMeta) -> Parsed:
        text = decode_text(content)
        stripped = text.lstrip()
        if stripped.startswith("{"):
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise IngestError(f"invalid JSON at line {exc.lineno} column {exc.colno} (truncated?)") from exc
            return self._parse_scraped(data, meta)
        if stripped.startswith(("[", "<")):
            raise IngestError("expected the previous system's scraped JSON object or one of its CSV files")
        header, body = read_csv_table(text)
        for line, row in enumerate(body, start=2):
            if None in row:
                raise IngestError(f"line {line}: more fields than the header")
            if any(v is None for v in row.values()):
                raise IngestError(f"line {line}: fewer fields than the header (truncated?)")
        if all(c in header for c in ESTIMATE_COLUMNS):
            parsed = self._parse_estimates(body, _file_kind(meta), meta)
            return parsed.note_missing(ESTIMATES.match(header))
        if all(c in header for c in PUBLISHED_REQUIRED):
            return self._parse_published(body, meta).note_missing(PUBLISHED.match(header))
        raise IngestError(
            "unrecognised CSV columns (expected the old system's model/training_flop/threshold_classification "
            "files or its Epoch-layout published file): " + ", ".join(header[:6])
        )

    # -- scraped leaderboards ----------------------------------------------------------------
    @staticmethod
    def _parse_scraped(data: Any, meta: CaptureMeta) -> Parsed:
        if not isinstance(data, dict) or not isinstance(data.get("models"), list):
            raise IngestError("JSON has no 'models' list: not one of the previous system's scraped files")
        info = data.get("metadata") or {}
        if not isinstance(info, dict):
            raise IngestError("'metadata' is not an object")
        leaderboard = _text(info.get("source"))
        if not leaderboard:
            raise IngestError("metadata has no 'source' naming the leaderboard")
        saved_at = _datetime(info.get("saved_at"), "metadata.saved_at")
        stamped = saved_at or _datetime(info.get("last_updated"), "metadata.last_updated")
        day, basis = data_date_of(meta, stamped.date() if stamped else None)
        snapshot = day or meta.capture_date  # rows need a date: the fetch date where none is stated
        columns = SCRAPED_ENTRY.match(_keys(data["models"]))
        rows: list[dict[str, Any]] = []
        for index, model in enumerate(data["models"], start=1):
            if not isinstance(model, dict) or not _text(model.get("name")):
                raise IngestError(f"model entry {index} has no 'name'")
            name = str(model["name"]).strip()
            where = f"model {index} ({name[:60]!r})"
            benchmarks = model.get("benchmarks") or {}
            if not isinstance(benchmarks, dict):
                raise IngestError(f"{where}: 'benchmarks' is not an object")
            sources = model.get("sources") or []
            note = "; ".join(str(s).strip() for s in sources if str(s).strip()) if isinstance(sources, list) else None
            common = {
                "leaderboard": leaderboard,
                "entry_index": index,
                "model_name": name,
                "developer": _developer(model.get("developer")),
                "source_note": note or None,
                "parameters": _number(model.get("parameters"), f"{where}: parameters"),
                "training_flop": _number(model.get("training_flop"), f"{where}: training_flop"),
                "snapshot_date": snapshot,
                "saved_at": saved_at,
                "last_updated": _datetime(model.get("last_updated"), f"{where}: last_updated"),
            }
            for score_name, value in benchmarks.items():
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise IngestError(f"{where}: score {score_name!r} is {str(value)[:20]!r}, not a number")
                rows.append({**common, "score_name": str(score_name), "score_value": float(value)})
        if not rows:
            raise IngestError("scraped file has no scores")
        scores = build_records(PreviousSystemScore, rows)
        return Parsed({"previous_system_scores": scores}, data_date=day, data_date_basis=basis).note_missing(columns)

    # -- output CSVs -------------------------------------------------------------------------
    @staticmethod
    def _parse_estimates(body: list[dict[str, str]], kind: str, meta: CaptureMeta) -> Parsed:
        rows: list[dict[str, Any]] = []
        for line, r in enumerate(body, start=2):
            name = (r.get("model") or "").strip()
            if not name:
                raise IngestError(f"line {line}: no model name")
            where = f"line {line} ({name[:60]!r})"
            verified_text = (r.get("verified") or "").strip().lower()
            if verified_text not in _VERIFIED:
                raise IngestError(f"{where}: verified {verified_text[:20]!r} is not y or blank")
            row: dict[str, Any] = {
                "file_kind": kind,
                "row_number": line - 1,
                "model_name": name,
                "release_date": _date(r.get("release_date"), f"{where}: release_date"),
                "parameters": _number(r.get("parameters"), f"{where}: parameters"),
                "training_flop": _number(r.get("training_flop"), f"{where}: training_flop"),
                "verified": _VERIFIED[verified_text],
                "last_updated": _datetime(r.get("last_updated"), f"{where}: last_updated"),
            }
            for field in ESTIMATE_TEXT:
                row[field] = _text(r.get(field))
            row["developer"] = _developer(r.get("developer"))
            rows.append(row)
        # The file is as of its newest update (it carries no date of its own).
        stamps = [r["last_updated"] for r in rows if r["last_updated"]]
        day, basis = data_date_of(meta, max(stamps).date() if stamps else None)
        snapshot = day or meta.capture_date  # rows need a date: the fetch date where none is stated
        for row in rows:
            row["snapshot_date"] = snapshot
        estimates = build_records(PreviousSystemEstimate, rows)
        return Parsed({"previous_system_estimates": estimates}, data_date=day, data_date_basis=basis)

    @staticmethod
    def _parse_published(body: list[dict[str, str]], meta: CaptureMeta) -> Parsed:
        day, basis = data_date_of(meta)
        snapshot = day or meta.capture_date  # rows need a date: the fetch date where none is stated
        rows: list[dict[str, Any]] = []
        for line, r in enumerate(body, start=2):
            name = (r.get("Model") or "").strip()
            if not name:
                raise IngestError(f"line {line}: no Model")
            where = f"line {line} ({name[:60]!r})"
            row: dict[str, Any] = {
                "file_kind": "published",
                "row_number": line - 1,
                "model_name": name,
                "release_date": _date(r.get("Publication date"), f"{where}: Publication date"),
                "snapshot_date": snapshot,
            }
            for field, column in PUBLISHED_TEXT.items():
                row[field] = _text(r.get(column))
            for field, column in PUBLISHED_NUMBERS.items():
                row[field] = _number(r.get(column), f"{where}: {column}")
            row["developer"] = _developer(r.get("Organization"))
            rows.append(row)
        estimates = build_records(PreviousSystemEstimate, rows)
        return Parsed({"previous_system_estimates": estimates}, data_date=day, data_date_basis=basis)

"""LifeArchitect.ai's models table: a secondary source of parameter and token counts.

The table is a public Google Sheet (lifearchitect.ai/models-table) with one row
per model: Lab, Parameters (B), Tokens trained (B), the Tokens:Params ratio,
ALScore, MMLU/MMLU-Pro/GPQA, Announced (`Feb/2024`), Public? (a coloured
circle), Arch (Dense/MoE/...). Its header cells span several lines, so columns
are found by what their header starts with, not by exact text.

Numbers are given in billions and are converted to counts here (70 -> 7e10).
'TBA', '?', '-' and blanks mean unknown and load as null; any other cell that
is not a number in a number column is an error naming the line, model and
column, never a silent null. Blank rows and rows with nothing but a first cell
(the export ends with an "About this sheet" note) are not models and are
skipped. Its figures are the compiler's, often rounded or rumoured: they are
evidence, not reference values.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from ingest.base import (
    CaptureMeta,
    Contract,
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
    required,
)


class LifeArchitectModel(Record):
    """One row of the models table."""

    row_number: int
    model_name: Name
    lab: str | None = None
    parameters: Parameters = None
    training_tokens: float | None = None
    tokens_per_parameter: float | None = None
    alscore: float | None = None
    mmlu: float | None = None
    mmlu_pro: float | None = None
    gpqa: float | None = None
    training_dataset: str | None = None
    announced_text: str | None = None
    announced_month: OptionalPastDate = None
    public_status: str | None = None
    availability: str | None = None
    architecture: str | None = None
    playground: str | None = None
    paper_url: str | None = None
    notes: str | None = None
    snapshot_date: PastDate


# The table's columns, by header (whitespace collapsed, case folded; `*`: the header starts so, for
# headers that carry a unit or a paragraph, e.g. "Parameters\n(B)" or the ALScore formula).
TABLE = Contract(
    "the LifeArchitect models table",
    (
        required("model_name", "Model"),
        required("parameters", "Parameters*"),
        required("training_tokens", "Tokens*"),
        expected("lab", "Lab"),
        expected("playground", "Playground*"),
        expected("tokens_per_parameter", "Ratio*"),
        expected("alscore", "ALScore*"),
        expected("mmlu", "MMLU"),
        expected("mmlu_pro", "MMLU -Pro", "MMLU-Pro"),
        expected("gpqa", "GPQA"),
        expected("training_dataset", "Training dataset*"),
        expected("announced_text", "Announced*"),
        expected("public_status", "Public*"),
        expected("paper_url", "Paper*"),
        expected("architecture", "Arch"),
        expected("notes", "Notes"),
    ),
)
BILLIONS = ("parameters", "training_tokens")
PLAIN_NUMBERS = ("alscore", "mmlu", "mmlu_pro", "gpqa")
UNKNOWN = {"", "tba", "?", "-", "–", "n/a", "unknown"}
AVAILABILITY = {"🟢": "public", "🟡": "partial", "🔴": "not_public"}
_MONTHS = {m: i for i, m in enumerate(("jan feb mar apr may jun jul aug sep oct nov dec").split(), start=1)}
_ANNOUNCED = re.compile(r"^(?P<mon>[A-Za-z]{3})[a-z]*\s*/\s*(?P<year>(?:19|20)\d\d)$")
_RATIO = re.compile(r"^(?P<n>[\d,]+(?:\.\d+)?)\s*:\s*1$")
_YEAR_MONTH = re.compile(r"((?:19|20)\d\d)-(\d\d)(?:-(\d\d))?")


def _norm(header: str) -> str:
    return " ".join(header.split()).lower()


def _decimal(text: str, where: str) -> Decimal | None:
    cleaned = text.strip().replace(",", "")
    if cleaned.lower() in UNKNOWN:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise IngestError(f"{where} {text.strip()[:30]!r} is not a number") from None
    if not value.is_finite():
        raise IngestError(f"{where} {text.strip()[:30]!r} is not a number")
    return value


def _snapshot(meta: CaptureMeta) -> tuple[date, str]:
    """The table's date from its file name (`models_table_2025-01.csv` is January 2025), else data_date_of's."""
    match = _YEAR_MONTH.search(meta.filename or "")
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3] or 1)), "file name"
        except ValueError:
            pass
    return data_date_of(meta)


class LifeArchitectSource(Source):
    name: ClassVar[str] = "lifearchitect"
    description: ClassVar[str] = "LifeArchitect.ai models table: parameters, tokens trained, architecture (secondary)"
    live_urls: ClassVar[tuple[str, ...]] = (
        # The models tab (gid 1158069878, the tab https://lifearchitect.ai/models/ links to as "View the
        # full data") of the public sheet, exported as CSV. Without a gid the export returns whichever tab
        # is first, which is not the models table.
        "https://docs.google.com/spreadsheets/d/1kc262HZSMAWI6FVsh0zJwbB-ooYvzhCHaHcNUiA0_hY/export?format=csv&gid=1158069878",
    )
    tables: ClassVar[dict[str, type[Record]]] = {"lifearchitect_models": LifeArchitectModel}
    capture_globs: ClassVar[tuple[str, ...]] = ("lifearchitect/*.csv",)
    # The sheet's CSV export is made from the live sheet on each request: a live capture is as of its fetch.
    live_is_current: ClassVar[bool] = True

    def parse(self, content: bytes, meta: CaptureMeta) -> Parsed:
        text = decode_text(content)
        if text.lstrip().startswith(("<", "{", "[")):
            raise IngestError("expected the LifeArchitect models table as CSV, got HTML or JSON")
        # Keep each record's first physical line: header cells and notes span several lines.
        table: list[list[str]] = []
        lines: list[int] = []
        reader = csv.reader(io.StringIO(text))
        try:
            previous = 0
            for record in reader:
                table.append(record)
                lines.append(previous + 1)
                previous = reader.line_num
        except csv.Error as exc:
            raise IngestError(f"malformed CSV at line {reader.line_num}: {exc}") from exc
        # The sheet export may carry title rows above the header: the header is the row starting "Model".
        start = next((i for i, r in enumerate(table[:20]) if r and _norm(r[0]) == "model"), None)
        if start is None:
            raise IngestError("no header row starting with 'Model': not the LifeArchitect models table")
        header = [_norm(h) for h in table[start]]
        columns = TABLE.match(table[start])
        index = columns.position
        day, basis = _snapshot(meta)
        snapshot = day or meta.capture_date  # rows need a date: the fetch date where none is stated
        rows: list[dict[str, Any]] = []
        for line, cells in zip(lines[start + 1 :], table[start + 1 :], strict=True):
            if not any(c.strip() for c in cells) or (
                len(cells) == len(header) and not any(c.strip() for c in cells[1:])
            ):
                # Blank rows, and full-width rows with only a first cell: the export ends with a blank row
                # and an "About this sheet" note, which describe no model. A row cut short after its first
                # cell has fewer fields than the header and is refused below.
                continue
            if len(cells) != len(header):
                raise IngestError(f"line {line} has {len(cells)} fields, header has {len(header)} (truncated?)")
            name = cells[index["model_name"]].strip()
            if not name:
                raise IngestError(f"line {line}: no Model")
            rows.append(self._row(cells, index, line, name, len(rows) + 1, snapshot))
        if not rows:
            raise IngestError("CSV has a header but no rows")
        models = build_records(LifeArchitectModel, rows)
        parsed = Parsed({"lifearchitect_models": models}, data_date=day, data_date_basis=basis)
        return parsed.note_missing(columns)

    @staticmethod
    def _row(cells: list[str], index: dict[str, int], line: int, name: str, number: int, snapshot: date) -> dict:
        def cell(field: str) -> str:
            return cells[index[field]].strip() if field in index else ""

        where = f"line {line} ({name[:60]!r})"
        row: dict[str, Any] = {"row_number": number, "model_name": name, "snapshot_date": snapshot}
        for field in ("lab", "playground", "training_dataset", "architecture", "paper_url", "notes"):
            row[field] = cell(field) or None
        for field in BILLIONS:
            value = _decimal(cell(field), f"{where}: {field.replace('_', ' ')} (B)")
            row[field] = None if value is None else float(value * 1_000_000_000)
        for field in PLAIN_NUMBERS:
            value = _decimal(cell(field), f"{where}: {field}")
            row[field] = None if value is None else float(value)
        ratio = cell("tokens_per_parameter")
        if ratio.lower() in UNKNOWN:
            row["tokens_per_parameter"] = None
        elif match := _RATIO.match(ratio):
            row["tokens_per_parameter"] = float(match["n"].replace(",", ""))
        else:
            raise IngestError(f"{where}: Tokens:Params ratio {ratio[:30]!r} is not of the form N:1")
        announced = cell("announced_text")
        row["announced_text"] = announced or None
        if announced.lower() in UNKNOWN:
            row["announced_month"] = None
        elif (match := _ANNOUNCED.match(announced)) and match["mon"].lower() in _MONTHS:
            row["announced_month"] = date(int(match["year"]), _MONTHS[match["mon"].lower()], 1)
        else:
            raise IngestError(f"{where}: Announced {announced[:30]!r} is not Mon/YYYY or TBA")
        status = cell("public_status")
        row["public_status"] = status or None
        row["availability"] = AVAILABILITY.get(status)
        return row

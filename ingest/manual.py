"""Saved pages and tables of sites that render with JavaScript, read through a small column map.

Some leaderboards (Artificial Analysis, SuperCLUE, ...) build their tables in the
browser, so there is nothing to fetch: a person saves the rendered page (or the
site's CSV export) and loads it:

    flop-tracker ingest manual --file PAGE.html --source artificial_analysis

`--source NAME` picks the map `ingest/manual_maps/NAME.yml`, which says which
table to read (a CSS selector and/or header names it must contain), which column
names the model (and optionally the developer), and which columns are scores or
specs with their units. Every value comes from the saved file through the map;
nothing is transcribed by hand. Each known cell becomes one row of `manual_rows`
(blank, '-', 'N/A' and 'TBA' cells say nothing and give no row; any other cell
that is not a number in a numeric column is an error naming row, model and column).

The map name travels with the capture, so a replay (`--offline`) reads it the same
way: the CLI stores the file as `NAME__<file name>`. Without that prefix the map is
the capture's folder name (a captures folder laid out `manual/NAME/page.html`),
else the one map whose `detect` strings all occur in the content.

Map format (YAML):

    name: artificial_analysis             # = the file's stem
    description: ...
    site: https://...                     # where pages are saved from
    detect: ["Artificial Analysis"]       # all present in a page of this site
    table:
      selector: table                     # CSS selector (HTML only); default "table"
      header_contains: [Model, ...]       # the first selected table whose header has these
    model: {column: Model}
    developer: {column: Model, from: img_alt, strip_suffix: " logo", csv_column: null}
    fields:
      - {field: intelligence_index, column: "Artificial Analysis Intelligence Index", kind: score, unit: points}

`from` (HTML only) is text (default), img_alt (the alt text of the cell's first
image, e.g. a creator logo) or href (its first link). In a CSV the cell's text is
read from `csv_column` (default: the same column; null: not available in CSV).
Units: number, points, percent ("87%" -> 87), usd ("$3.44" -> 3.44), tokens or
count ("131k" -> 131000, "1m" -> 1e6), billions (x 1e9), text (no number).
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from datetime import UTC, date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, Literal

import yaml
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ingest.base import (
    EXPECTED,
    REQUIRED,
    CaptureMeta,
    Column,
    Columns,
    Contract,
    IngestError,
    Name,
    Parsed,
    PastDate,
    Record,
    Source,
    build_records,
    data_date_of,
    date_from_filename,
    expected,
    read_capture,
    required,
)

MAPS_DIR = Path(__file__).resolve().parent / "manual_maps"
PREFIX_SEPARATOR = "__"
UNKNOWN = {"", "-", "–", "—", "n/a", "na", "tba", "?", "unknown", "none", "null"}
_SUFFIX = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}
_COUNT = re.compile(r"^(\d+(?:\.\d+)?)\s*([kmbt])?$", re.I)


class ManualRow(Record):
    """One value of one model from a saved page or table, as the source's map reads it."""

    source_name: str
    row_number: int
    model_name: Name
    developer: str | None = None
    field: str
    field_kind: str
    column_name: str
    value_text: str
    value_number: float | None = None
    unit: str
    capture_format: str
    snapshot_date: PastDate


# -- the map -----------------------------------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CellSpec(_Strict):
    column: str
    source: Literal["text", "img_alt", "href"] = Field("text", alias="from")
    strip_suffix: str = ""
    csv_column: str | None = "__same__"


class FieldSpec(CellSpec):
    field: str
    kind: Literal["score", "spec", "text"] = "score"
    unit: Literal["number", "points", "percent", "usd", "tokens", "count", "billions", "text"] = "number"
    # Without its column a page is refused (required, the default), or loads degraded naming it.
    required: bool = True


class TableSpec(_Strict):
    selector: str = "table"
    header_contains: list[str] = []


class ColumnMap(_Strict):
    name: str
    description: str
    site: str = ""
    detect: list[str] = []
    table: TableSpec = TableSpec()
    model: CellSpec
    developer: CellSpec | None = None
    fields: list[FieldSpec]


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


# A column map is a few kB of YAML; anything much larger is not one (and is never read).
MAX_MAP_BYTES = 64 * 1024


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without aliases: `*name` is refused where it appears, before anything is built.

    A few hundred bytes of nested aliases (`b: [*a, *a, ...]`, nine levels) stands for 387 million
    strings; PyYAML shares them, but validating or printing the result walks every one (it grew
    to 14 GB). No column map needs an alias, so none is accepted.
    """

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.events.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "aliases (&name, *name) are not allowed", mark)
        return super().compose_node(parent, index)


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """One line: what is wrong and where (line and column counted from 1)."""
    problem = getattr(exc, "problem", None) or getattr(exc, "context", None) or type(exc).__name__
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return f"{problem} (line {mark.line + 1}, column {mark.column + 1})" if mark else str(problem)


def _validation_problem(exc: ValidationError) -> str:
    """The first error as `field: message`, and how many more there are; never the whole error's text.

    `str(exc)` renders every error with its input, which for a large broken map is itself huge.
    """
    first = exc.errors(include_url=False, include_input=False, include_context=False)[0]
    where = ".".join(str(part) for part in first["loc"]) or "map"
    more = exc.error_count() - 1
    return f"{where}: {first['msg'][:200]}" + (f" (and {more} more errors)" if more else "")


def _read_map(path: Path) -> ColumnMap | str:
    """A column map, or why the file is not one (a single line naming the file)."""
    size = path.stat().st_size
    if size > MAX_MAP_BYTES:
        return f"{path.name}: {size / 1024**2:.1f} MB; a column map is at most {MAX_MAP_BYTES // 1024} kB"
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader
    except UnicodeDecodeError as exc:
        return f"{path.name}: not UTF-8 text (byte {exc.start})"
    except yaml.YAMLError as exc:
        return f"{path.name}: not a valid column map: {_yaml_problem(exc)}"
    try:
        spec = ColumnMap.model_validate(data)
    except ValidationError as exc:
        return f"{path.name}: not a valid column map: {_validation_problem(exc)}"
    if spec.name != path.stem:
        return f"{path.name}: name {spec.name!r} must equal the file name"
    if not spec.fields:
        return f"{path.name}: no fields"
    return spec


@cache
def _load_map(path: Path, size: int, mtime_ns: int) -> ColumnMap | str:
    return _read_map(path)


def _all_maps(folder: Path) -> dict[str, ColumnMap | str]:
    found = {}
    for path in sorted(folder.glob("*.yml")):
        info = path.stat()
        found[path.stem] = _load_map(path, info.st_size, info.st_mtime_ns)
    return found


def available_maps(folder: Path = MAPS_DIR) -> dict[str, ColumnMap]:
    """Every valid column map, by name. A broken map is left out (`broken_maps` says why), never
    stopping the others."""
    return {name: spec for name, spec in _all_maps(folder).items() if isinstance(spec, ColumnMap)}


def broken_maps(folder: Path = MAPS_DIR) -> dict[str, str]:
    """Each map file that is not a valid column map, by name, with the one-line reason."""
    return {name: spec for name, spec in _all_maps(folder).items() if isinstance(spec, str)}


def get_map(name: str, folder: Path = MAPS_DIR) -> ColumnMap:
    """The named map; KeyError with a one-line reason when it is unknown or broken."""
    found = _all_maps(folder)
    spec = found.get(name)
    if isinstance(spec, ColumnMap):
        return spec
    if isinstance(spec, str):
        raise KeyError(spec)
    known = ", ".join(n for n, s in found.items() if isinstance(s, ColumnMap)) or "none"
    raise KeyError(f"no column map {name!r} in {folder.name}/ (known: {known})")


# -- values ------------------------------------------------------------------------------------
def _value(text: str, unit: str, where: str) -> float | None:
    """The number a cell holds in its unit; None only for 'text' units."""
    if unit == "text":
        return None
    cleaned = text.strip().replace(",", "").replace("\u00a0", " ")
    try:
        if unit == "percent":
            return float(cleaned.removesuffix("%").strip())
        if unit == "usd":
            return float(cleaned.removeprefix("$").removeprefix("US$").strip())
        if unit in {"tokens", "count"}:
            match = _COUNT.match(cleaned)
            if not match:
                raise ValueError
            return float(match[1]) * (_SUFFIX[match[2].lower()] if match[2] else 1.0)
        if unit == "billions":
            return float(cleaned.upper().removesuffix("B").strip()) * 1e9
        return float(cleaned)
    except ValueError:
        raise IngestError(f"{where}: {text.strip()[:30]!r} is not a number in {unit}") from None


def _cell_html(cell: Tag | None, spec: CellSpec) -> str:
    if cell is None:
        return ""
    if spec.source == "img_alt":
        img = cell.find("img")
        text = str(img.get("alt") or "") if isinstance(img, Tag) else ""
    elif spec.source == "href":
        link = cell.find("a")
        text = str(link.get("href") or "") if isinstance(link, Tag) else ""
    else:
        text = cell.get_text(" ")
    text = " ".join(text.split())
    return text.removesuffix(spec.strip_suffix) if spec.strip_suffix else text


# -- tables ------------------------------------------------------------------------------------
def _expand(row: Tag) -> list[Tag]:
    """The row's cells, each repeated over its colspan, so positions line up with the header."""
    cells: list[Tag] = []
    for cell in row.find_all(["td", "th"], recursive=False):
        try:
            span = max(1, min(int(cell.get("colspan") or 1), 100))
        except ValueError:
            span = 1
        cells.extend([cell] * span)
    return cells


def _html_table(table: Tag) -> tuple[list[str], list[list[Tag]]]:
    """Header names (the leaf row, an upper row filling a blank) and body rows of an HTML table."""
    rows = table.find_all("tr")
    head = table.find("thead")
    if isinstance(head, Tag):
        header_rows = head.find_all("tr")
    else:
        header_rows = []
        for tr in rows:
            if tr.find("td") is None and tr.find("th") is not None:
                header_rows.append(tr)
            else:
                break
        if not header_rows and rows:
            header_rows = rows[:1]
    grids = [[" ".join(c.get_text(" ").split()) for c in _expand(tr)] for tr in header_rows]
    width = max((len(g) for g in grids), default=0)
    header = []
    for i in range(width):
        names = [g[i] for g in grids if i < len(g) and g[i]]
        header.append(names[-1] if names else "")
    body = [_expand(tr) for tr in rows if tr not in header_rows]
    return header, body


def contract_for(spec: ColumnMap, fmt: str) -> Contract:
    """The columns a map reads from a saved table of this format, as a schema contract.

    The model column is required; a field is required unless its map says `required: false`
    (then a page without it loads degraded, naming it); the developer is expected. A cell the map
    says a CSV export does not have (`csv_column: null`) is not asked of a CSV.
    """

    def name(cell: CellSpec) -> str | None:
        if fmt == "csv" and cell.csv_column != "__same__":
            return cell.csv_column
        return cell.column

    what = f"the table the {spec.name} map reads"
    columns = [required("model", name(spec.model) or spec.model.column)]
    if spec.developer is not None and name(spec.developer):
        columns.append(expected("developer", name(spec.developer)))
    for field in spec.fields:
        if name(field):
            columns.append(Column(f"field:{field.field}", (name(field),), REQUIRED if field.required else EXPECTED))
    return Contract(what, tuple(columns), key=_norm)


class ManualSource(Source):
    name: ClassVar[str] = "manual"
    description: ClassVar[str] = "saved pages/tables of JavaScript sites read through ingest/manual_maps/<NAME>.yml"
    live_urls: ClassVar[tuple[str, ...]] = ()
    tables: ClassVar[dict[str, type[Record]]] = {"manual_rows": ManualRow}
    capture_globs: ClassVar[tuple[str, ...]] = ("manual/*/*",)

    def __init__(self, maps_dir: Path = MAPS_DIR) -> None:
        self.maps_dir = maps_dir

    def map_for(self, content: bytes, meta: CaptureMeta) -> ColumnMap:
        maps = available_maps(self.maps_dir)
        broken = broken_maps(self.maps_dir)
        name = meta.filename or ""
        if PREFIX_SEPARATOR in name:
            wanted = name.split(PREFIX_SEPARATOR, 1)[0]
            if wanted in broken:
                raise IngestError(broken[wanted])
            if wanted not in maps:
                raise IngestError(f"no column map {wanted!r} (known: {', '.join(maps) or 'none'})")
            return maps[wanted]
        folder = Path(meta.origin).parent.name
        if folder in broken:
            raise IngestError(broken[folder])
        if folder in maps:
            return maps[folder]
        text = content.decode("utf-8", errors="replace")
        matching = [m for m in maps.values() if m.detect and all(s in text for s in m.detect)]
        if len(matching) == 1:
            return matching[0]
        found = ", ".join(m.name for m in matching) or "none"
        skipped = f"; broken maps skipped: {', '.join(f'{n}.yml' for n in broken)}" if broken else ""
        raise IngestError(
            f"cannot tell which column map reads this file (matching: {found}{skipped}); say --source NAME"
        )

    def parse(self, content: bytes, meta: CaptureMeta) -> Parsed:
        if not content.strip():
            raise IngestError("file is empty")
        spec = self.map_for(content, meta)
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise IngestError(f"not UTF-8 (byte 0x{content[exc.start]:02x} at offset {exc.start})") from exc
        day, basis = data_date_of(meta)
        snapshot = day or meta.capture_date  # rows need a date: the fetch date where none is stated
        lowered = text.lstrip()[:2000].lower()
        if lowered.startswith("<") or "<table" in lowered:
            header, rows, fmt = self._from_html(text, spec)
        else:
            header, rows, fmt = self._from_csv(text)
        columns = contract_for(spec, fmt).match(header)
        records = build_records(ManualRow, self._rows(spec, columns, rows, fmt, snapshot))
        return Parsed({"manual_rows": records}, data_date=day, data_date_basis=basis).note_missing(columns)

    # -- shapes ----------------------------------------------------------------------------
    @staticmethod
    def _from_html(text: str, spec: ColumnMap) -> tuple[list[str], list[list[Any]], str]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            soup = BeautifulSoup(text, "html.parser")
        try:
            candidates = [t for t in soup.select(spec.table.selector) if isinstance(t, Tag)]
        except Exception as exc:  # soupsieve raises its own error types for a bad selector
            raise IngestError(f"map {spec.name}: bad CSS selector {spec.table.selector!r}: {exc}") from None
        wanted = [_norm(h) for h in spec.table.header_contains]
        for table in candidates:
            if table.name != "table":
                table = table.find("table") or table
            header, body = _html_table(table)
            names = [_norm(h) for h in header]
            if all(w in names for w in wanted):
                return header, body, "html"
        raise IngestError(
            f"no table matching {spec.table.selector!r} with columns {', '.join(spec.table.header_contains)} "
            f"(a page saved before the table rendered?)"
        )

    @staticmethod
    def _from_csv(text: str) -> tuple[list[str], list[list[Any]], str]:
        try:
            table = list(csv.reader(io.StringIO(text)))
        except csv.Error as exc:
            raise IngestError(f"malformed CSV: {exc}") from exc
        if not table:
            raise IngestError("CSV has no header")
        header = [" ".join(h.split()) for h in table[0]]
        body = table[1:]
        bad = next((i for i, r in enumerate(body, 2) if any(c.strip() for c in r) and len(r) != len(header)), None)
        if bad is not None:
            raise IngestError(f"CSV line {bad} has {len(body[bad - 2])} fields, header has {len(header)} (truncated?)")
        return header, body, "csv"

    @staticmethod
    def _rows(
        spec: ColumnMap, columns: Columns, body: list[list[Any]], fmt: str, snapshot: date
    ) -> list[dict[str, Any]]:
        def column_of(key: str) -> int | None:
            return columns.position.get(key)

        def read(cells: list[Any], cell: CellSpec, position: int | None) -> str:
            if position is None or position >= len(cells):
                return ""
            if fmt == "html":
                return _cell_html(cells[position], cell)
            text = " ".join(str(cells[position]).split())
            return text.removesuffix(cell.strip_suffix) if cell.strip_suffix else text

        model_at = column_of("model")
        developer_at = column_of("developer")
        field_at = [(f, column_of(f"field:{f.field}")) for f in spec.fields]
        out: list[dict[str, Any]] = []
        number = 0
        for cells in body:
            if fmt == "html" and len({id(c) for c in cells}) <= 1:
                continue  # one cell across the row: a spacer, a section title or "show more"
            filled = [c for c in cells if (c.get_text(" ") if fmt == "html" else str(c)).strip()]
            if not filled:
                continue
            model = read(cells, spec.model, model_at)
            if not model:
                raise IngestError(f"a table row has values but no model in column {spec.model.column!r}")
            number += 1
            developer = read(cells, spec.developer, developer_at) if spec.developer else ""
            for field, position in field_at:
                value = read(cells, field, position)
                if position is None or _norm(value) in UNKNOWN:
                    continue
                where = f"row {number} ({model[:60]!r}) column {field.column!r}"
                out.append(
                    {
                        "source_name": spec.name,
                        "row_number": number,
                        "model_name": model,
                        "developer": developer or None,
                        "field": field.field,
                        "field_kind": field.kind,
                        "column_name": field.column,
                        "value_text": value,
                        "value_number": _value(value, field.unit, where),
                        "unit": field.unit,
                        "capture_format": fmt,
                        "snapshot_date": snapshot,
                    }
                )
        if not out:
            raise IngestError("the table has no model with a value")
        return out


def ingest_saved(ingestor: Any, source: ManualSource, path: Path, map_name: str) -> Any:
    """Load a saved page with the named map (`--source NAME`); the name is kept in the stored capture's name.

    Raises KeyError for an unknown map (the CLI reports it). Returns the runner's RunResult.
    """
    get_map(map_name, source.maps_dir)
    try:
        content = read_capture(path)
    except (OSError, IngestError):
        return ingestor.ingest_file(source, path)  # records the failed read with its reason
    named = date_from_filename(path.name)
    captured_at = (
        datetime.combine(named, time(0, 0))
        if named
        else datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)
    )
    meta = CaptureMeta(
        origin=str(path.resolve()), captured_at=captured_at, filename=f"{map_name}{PREFIX_SEPARATOR}{path.name}"
    )
    return ingestor.ingest_bytes(source, content, meta)

"""The contract every source module fulfils.

A source is a thin `fetch` (bytes from the web) plus a pure `parse` (bytes in,
validated pydantic records out). Keeping parse pure means a stored capture
replays to exactly the same rows, which is what makes the database rebuildable.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import Annotated, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from kernel.text import clean_terminal, clean_text


class IngestError(Exception):
    """A capture that cannot be loaded; the message is one line a person can act on."""


class Record(BaseModel):
    """Base for raw records: strict about shape, forgiving about nothing (NaN and infinity are refused).

    Every text field of every record is cleaned here, before its own validation: escape sequences
    (an OSC 52 clipboard write, a screen clear), control characters, zero-width and bidirectional
    characters are removed (kernel.text.clean_text; line breaks and tabs stay), so no source can put
    them in the database, the published files or an export, whichever field carries them. One
    validator per record rather than one per field: a capture holds hundreds of thousands of values,
    and printable text (nearly all of it) is passed through by one `str.isprintable` call (measured:
    +1 us a record on 4 us of validation, 100k LMArena score rows).
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _clean_text_fields(cls, data: object) -> object:
        if type(data) is dict:
            for value in data.values():
                if type(value) is str and not value.isprintable():  # rare: clean a copy, never the caller's dict
                    return {k: clean_text(v) if type(v) is str else v for k, v in data.items()}
        return data


# -- field types shared by the record classes: one clean-up and a few plausibility bounds ----------
# Names come from pages we do not control. Control characters and terminal escape sequences
# (ANSI CSI/OSC, C0/C1 controls, bidirectional overrides) are removed and whitespace runs
# collapsed, so `"GPT\x1b[31m-5\n"` is stored as `"GPT-5"`; the stored capture keeps the bytes as
# they came. A name longer than MAX_NAME_CHARS after that is refused, as are values no real model
# has: parameters <= 0 or >= 1e15, compute < 0 or >= 1e32 FLOP (0 is kept: Epoch writes it for
# "no fine-tuning"), and dates more than FUTURE_SLACK after today (a release dated 2099 is a typo
# or a placeholder, not a fact). NaN and infinity are refused in every float field (Record).
MAX_NAME_CHARS = 300
MAX_PARAMETERS = 1e15
MAX_FLOP = 1e32
FUTURE_SLACK = timedelta(days=366)


def clean_name(value: object) -> object:
    """A name without escapes, control characters or repeated whitespace; refuses an absurdly long one."""
    if not isinstance(value, str):
        return value
    if value.isprintable() and "  " not in value and value[:1] != " " and value[-1:] != " ":
        text = value  # the usual case, without the regular expressions: no controls, no odd spaces
    else:
        text = " ".join(clean_text(value).split())
    if len(text) > MAX_NAME_CHARS:
        raise ValueError(f"name is {len(text)} characters long (at most {MAX_NAME_CHARS})")
    return text


# A capture repeats each name in several tables and every snapshot repeats the model list: remember
# recent answers (a refused name raises, and exceptions are not cached).
_clean_cached = lru_cache(maxsize=1 << 16)(clean_name)


def _clean_name_field(value: object) -> object:
    return _clean_cached(value) if isinstance(value, str) and len(value) <= 4 * MAX_NAME_CHARS else clean_name(value)


def _clean_optional_name(value: object) -> object:
    cleaned = _clean_name_field(value)
    return None if cleaned == "" else cleaned


def _check_parameters(value: float | None) -> float | None:
    if value is not None and not 0 < value < MAX_PARAMETERS:
        raise ValueError(f"parameters must be > 0 and < 1e15 (got {value:g})")
    return value


def _check_flop(value: float | None) -> float | None:
    if value is not None and not 0 <= value < MAX_FLOP:
        raise ValueError(f"compute must be >= 0 and < 1e32 FLOP (got {value:g})")
    return value


_LIMIT: list = [-1e9, date.min]  # (monotonic time it was computed, today + FUTURE_SLACK)


def _future_limit() -> date:
    now = time.monotonic()
    if now - _LIMIT[0] > 60:  # date.today() per value is measurable on a million rows
        _LIMIT[:] = [now, date.today() + FUTURE_SLACK]
    return _LIMIT[1]


def _check_not_future(value: date | datetime | None) -> date | datetime | None:
    if value is None:
        return value
    limit = _future_limit()
    day = value.date() if isinstance(value, datetime) else value
    if day > limit:
        raise ValueError(f"date {day.isoformat()} is more than a year in the future")
    return value


Name = Annotated[str, BeforeValidator(_clean_name_field)]
OptionalName = Annotated[str | None, BeforeValidator(_clean_optional_name)]
Parameters = Annotated[float | None, AfterValidator(_check_parameters)]
ParameterCount = Annotated[int | None, AfterValidator(_check_parameters)]
Flop = Annotated[float | None, AfterValidator(_check_flop)]
PastDate = Annotated[date, AfterValidator(_check_not_future)]
OptionalPastDate = Annotated[date | None, AfterValidator(_check_not_future)]
OptionalPastDatetime = Annotated[datetime | None, AfterValidator(_check_not_future)]


# -- how large a capture may be ---------------------------------------------------------------------
# The largest real capture is a few MB (an Epoch "All AI Models" export: 4 MB); 512 MB is far beyond any
# real page or export and still fits in memory. A file, a pipe or a device (`--file /dev/zero`) is read
# only up to the limit; a live fetch uses the same limit (`max_capture_bytes`).
MAX_CAPTURE_ENV = "FLOP_TRACKER_MAX_CAPTURE_MB"
DEFAULT_MAX_CAPTURE_MB = 512
_READ_CHUNK = 1 << 20


def max_capture_bytes() -> int:
    """The capture size limit in bytes: $FLOP_TRACKER_MAX_CAPTURE_MB megabytes, else 512 MB."""
    text = os.environ.get(MAX_CAPTURE_ENV, "").strip()
    if not text:
        return DEFAULT_MAX_CAPTURE_MB * 1024 * 1024
    try:
        megabytes = int(text)
    except ValueError:
        megabytes = 0
    if megabytes < 1:
        raise IngestError(f"{MAX_CAPTURE_ENV}={text!r}: not a whole number of megabytes (1 or more)")
    return megabytes * 1024 * 1024


_RAISE_IT = f"set {MAX_CAPTURE_ENV} to raise it"


def over_capture_limit(limit: int) -> str:
    """What a capture passing `limit` bytes is told, live or saved: the limit and how to raise it."""
    return f"more than {limit // (1024 * 1024)} MB, the capture size limit ({_RAISE_IT})"


def read_capture(path: Path) -> bytes:
    """A saved capture's bytes, refusing one larger than the limit without reading past it.

    A regular file's size is checked before reading; anything else (a pipe, a device) is read
    in chunks and refused once it passes the limit. OSError is left to the caller.
    """
    limit = max_capture_bytes()
    megabytes = limit // (1024 * 1024)
    with open(path, "rb") as handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            size = info.st_size / 1024**2
            raise IngestError(f"{size:.1f} MB, more than the {megabytes} MB capture size limit ({_RAISE_IT})")
        chunks: list[bytes] = []
        total = 0
        while chunk := handle.read(min(_READ_CHUNK, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise IngestError(over_capture_limit(limit))
    return b"".join(chunks)


@dataclass(frozen=True)
class CaptureMeta:
    """What parse may know besides the bytes: where they came from and when.

    `captured_at` is when the bytes were fetched (for a saved file, the date in its name);
    `last_modified` is the server's Last-Modified header of a live fetch, when it sent one.
    """

    origin: str
    captured_at: datetime
    filename: str = ""
    last_modified: datetime | None = None
    # What the host said, for a live fetch (empty for saved files): the URL the bytes finally came
    # from after redirects, their content type, and the validators a conditional request sends back
    # (`last_modified_header` is the Last-Modified header as sent; `last_modified` is it as a date).
    final_url: str = ""
    content_type: str = ""
    etag: str = ""
    last_modified_header: str = ""

    @property
    def capture_date(self) -> date:
        return self.captured_at.date()


@dataclass
class Parsed:
    """Records per raw table (table name without the `raw.` schema), and what the capture says of itself.

    `missing` names the expected columns the capture lacked (the run is then `degraded`);
    `data_date` is the date its data describes and `data_date_basis` where that date was read
    (see `data_date_of`); the loader fills both in from the capture when the parser does not.
    """

    tables: dict[str, list[Record]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    data_date: date | None = None
    data_date_basis: str = ""

    @property
    def row_count(self) -> int:
        return sum(len(rows) for rows in self.tables.values())

    def note_missing(self, *matches: Columns) -> Parsed:
        """Add each match's missing expected columns (once each), and return self."""
        for match in matches:
            for label in match.missing_labels:
                if label not in self.missing:
                    self.missing.append(label)
        return self

    def dated(self, meta: CaptureMeta, stated: date | None = None, newest_row: date | None = None) -> Parsed:
        """Set the data date from what the capture states (see `data_date_of`), and return self."""
        self.data_date, self.data_date_basis = data_date_of(meta, stated, newest_row)
        return self


# -- data dates -------------------------------------------------------------------------------------
# The date a capture's data describes, next to `captured_at` (when it was fetched). In order of trust;
# `capture` only for a live export its source generates on request (Source.live_is_current), `none`
# where nothing states a date (the capture then has no data date, and says so).
DATE_BASES = ("content", "file name", "last-modified", "newest row", "capture", "none")


def data_date_of(
    meta: CaptureMeta, stated: date | None = None, newest_row: date | None = None
) -> tuple[date | None, str]:
    """(the date the data describes, where it was read), by the first of these that exists:

    - `stated`: the capture says so itself ("Last updated: 2025-03-25", a metadata `saved_at`);
    - the date in a saved file's name (`..._2025-12-17.json`: the day its publisher wrote it);
    - the Last-Modified header of a live fetch (the server's word for when the file changed);
    - `newest_row`: the newest date among its rows (an export's newest modification): a lower
      bound, since a list is at least as new as its newest entry;
    - else none: the day it was fetched is not the day its data describes (a file on GitHub may be
      months old), so the capture has no data date (`none`) rather than a guessed one.
    """
    if stated is not None:
        return stated, "content"
    named = date_from_filename(meta.filename or "")
    if named is not None:
        return named, "file name"
    if meta.last_modified is not None:
        return meta.last_modified.date(), "last-modified"
    if newest_row is not None:
        return newest_row, "newest row"
    return None, "none"


# -- schema contracts -------------------------------------------------------------------------------
# What a parser reads, declared once per capture shape: each field with every header (or JSON key) it
# has had in the layouts we know, and what its absence means. A `required` column missing refuses the
# capture in one line naming it and the columns found; an `expected` one missing loads the rest and
# marks the run `degraded`, naming it (so a renamed column is never loaded as empty without a word);
# an `optional` one is a column some known layouts of this shape do not have at all (say which beside
# it), so its absence there is normal. Formats drift: a new name is added to `names`, never guessed.
REQUIRED = "required"
EXPECTED = "expected"
OPTIONAL = "optional"
_NEEDS = (REQUIRED, EXPECTED, OPTIONAL)


@dataclass(frozen=True)
class Column:
    """One field a parser reads: the names it has had (preferred first) and what its absence means.

    A name ending in `*` matches any header starting with the rest (a header that is a paragraph).
    """

    field: str
    names: tuple[str, ...]
    need: str = EXPECTED

    def __post_init__(self) -> None:
        if not self.names or self.need not in _NEEDS:
            raise ValueError(f"column {self.field!r}: needs at least one name and a need in {_NEEDS}")

    @property
    def label(self) -> str:
        return self.names[0].rstrip("*")


def required(field_: str, *names: str) -> Column:
    return Column(field_, names, REQUIRED)


def expected(field_: str, *names: str) -> Column:
    return Column(field_, names, EXPECTED)


def optional(field_: str, *names: str) -> Column:
    return Column(field_, names, OPTIONAL)


def header_key(text: str) -> str:
    """A header compared as a person reads it: whitespace runs collapsed, case folded."""
    return " ".join(str(text).split()).casefold()


def _shown(headers: Sequence[str], budget: int = 220) -> str:
    """Headers for a one-line message: in order, each cut to 40 characters, the rest counted once over budget."""
    names = [clean_terminal(" ".join(str(h).split()), 40) for h in headers if str(h).strip()]
    shown: list[str] = []
    for name in names:
        if shown and sum(len(n) + 2 for n in shown) + len(name) > budget:
            break
        shown.append(name)
    more = f", +{len(names) - len(shown)} more" if len(names) > len(shown) else ""
    return (", ".join(shown) + more) or "none"


@dataclass(frozen=True)
class Columns:
    """Where a contract's fields are in one capture: position and header per field found, and what is missing."""

    position: dict[str, int]
    header: dict[str, str]
    missing: tuple[Column, ...] = ()

    def __contains__(self, field_: object) -> bool:
        return field_ in self.position

    def get(self, cells: Sequence[str], field_: str) -> str | None:
        """The cell of `field_` in a row (stripped), or None when the capture has no such column."""
        index = self.position.get(field_)
        if index is None or index >= len(cells):
            return None
        value = cells[index]
        return value.strip() if isinstance(value, str) else value

    @property
    def missing_labels(self) -> list[str]:
        return [c.label for c in self.missing]


@dataclass(frozen=True)
class Contract:
    """The columns one capture shape provides, read by header (or JSON key), never by position."""

    what: str  # for messages: "an Epoch export"
    columns: tuple[Column, ...]
    key: Callable[[str], str] = header_key

    def __post_init__(self) -> None:
        fields = [c.field for c in self.columns]
        if len(set(fields)) != len(fields):
            raise ValueError(f"contract for {self.what}: a field is declared twice")

    def __getitem__(self, field_: str) -> Column:
        return next(c for c in self.columns if c.field == field_)

    def match(self, found: Sequence[str]) -> Columns:
        """Find every declared column among `found` (headers in order, or a JSON object's keys).

        Raises IngestError naming each missing required column and the columns found. A name that
        matches two headers is refused too: which one holds the field cannot be known.
        """
        keys = [self.key(h) for h in found]
        position: dict[str, int] = {}
        for column in self.columns:
            for name in column.names:
                prefix = name.endswith("*")
                wanted = self.key(name.rstrip("*"))
                hits = [i for i, k in enumerate(keys) if (k.startswith(wanted) if prefix else k == wanted)]
                if len(hits) > 1:
                    raise IngestError(
                        f"{len(hits)} columns match {name.rstrip('*')!r} ({_shown([found[i] for i in hits], 120)}): "
                        f"cannot tell which holds {column.field}"
                    )
                if hits:
                    position[column.field] = hits[0]
                    break
        absent = [c for c in self.columns if c.field not in position]
        lacking = [c for c in absent if c.need == REQUIRED]
        if lacking:
            names = ", ".join(
                repr(c.label) + (f" (or {' / '.join(repr(n.rstrip('*')) for n in c.names[1:])})" if c.names[1:] else "")
                for c in lacking[:3]
            ) + (f" and {len(lacking) - 3} more" if len(lacking) > 3 else "")
            plural = "s" if len(lacking) > 1 else ""
            found_text = _shown(found)
            raise IngestError(f"missing required column{plural} {names}: not {self.what}; columns found: {found_text}")
        return Columns(
            position=position,
            header={f: str(found[i]) for f, i in position.items()},
            missing=tuple(c for c in absent if c.need == EXPECTED),
        )


class Source:
    """One upstream source. Subclasses set the class variables and implement `parse`."""

    name: ClassVar[str]
    description: ClassVar[str]
    live_urls: ClassVar[tuple[str, ...]] = ()
    # Record class per raw table this source writes (all tables, even if a capture fills one).
    tables: ClassVar[dict[str, type[Record]]]
    # Globs, relative to a captures folder (e.g. ../shared/data), of saved captures for this source.
    capture_globs: ClassVar[tuple[str, ...]] = ()
    # True when the live address generates its export on request from the source's current data (a
    # spreadsheet's CSV export, a daily-regenerated download): a live capture that states no date of
    # its own then describes the day it was fetched (data date basis `capture`).
    live_is_current: ClassVar[bool] = False

    def parse(self, content: bytes, meta: CaptureMeta) -> Parsed:  # pragma: no cover - abstract
        raise NotImplementedError


def decode_text(content: bytes) -> str:
    """Decode UTF-8 (BOM tolerated) or fail with a one-line reason."""
    if not content.strip():
        raise IngestError("file is empty")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(f"not UTF-8 (byte 0x{content[exc.start]:02x} at offset {exc.start})") from exc


@cache
def _list_adapter(cls: type[Record]) -> TypeAdapter:
    return TypeAdapter(list[cls])


def read_csv_table(text: str, required: Iterable[str] = (), what: str = "") -> tuple[list[str], list[dict]]:
    """A CSV export's header and rows, refusing what is no such export in one line.

    `required` columns must all be present (`what` names the export in the message); a
    header with no rows is an error, not an empty load.
    """
    try:
        reader = csv.DictReader(io.StringIO(text))
        header = [h.strip() for h in reader.fieldnames or []]
        body = list(reader)
    except csv.Error as exc:
        raise IngestError(f"malformed CSV: {exc}") from exc
    missing = [c for c in required if c not in header]
    if missing:
        raise IngestError(f"missing column(s) {', '.join(missing)}: not {what}")
    if not body:
        raise IngestError("CSV has a header but no rows")
    return header, body


def build_records(cls: type[Record], rows: Iterable[dict]) -> list[Record]:
    """Validate dicts into records, turning the first failure into a one-line error.

    The whole list is validated in one call (pydantic-core loops in Rust: about 2.5x faster than a
    record at a time on large captures); the error names the first row that failed.
    """
    rows = rows if isinstance(rows, list) else list(rows)
    try:
        return _list_adapter(cls).validate_python(rows)
    except ValidationError as exc:
        err = min(exc.errors(), key=lambda e: e["loc"][0] if e["loc"] and isinstance(e["loc"][0], int) else -1)
        position, *field = err["loc"] or (0,)
        row = rows[position] if isinstance(position, int) and position < len(rows) else {}
        loc = ".".join(str(p) for p in field) or "row"
        name = next((row[k] for k in ("model_name", "display_name", "repo_id", "title", "model") if row.get(k)), "")
        label = f" ({clean_terminal(name, 60)!r})" if name else ""
        msg = err["msg"].removeprefix("Value error, ")
        index = position + 1 if isinstance(position, int) else 1
        raise IngestError(f"row {index}{label}: field {loc}: {msg}") from exc


def drop_exact_duplicates(rows: list[dict], key: tuple[str, ...], ignore: tuple[str, ...] = ()) -> list[dict]:
    """Collapse rows repeated verbatim (real exports do this); refuse a key seen with other values.

    A model listed twice with the same values is one observation; listed twice with
    different values, we cannot know which is right, so the capture is rejected.
    """
    seen: dict[tuple, dict] = {}
    out = []
    for row in rows:
        k = tuple(row.get(f) for f in key)
        if k in seen:
            if {f: v for f, v in seen[k].items() if f not in ignore} != {
                f: v for f, v in row.items() if f not in ignore
            }:
                name = row.get("display_name") or row.get("model_name") or k
                raise IngestError(f"model {str(name)[:60]!r} appears twice with different values")
            continue
        seen[k] = row
        out.append(row)
    return out


_DATE_IN_NAME = re.compile(r"(20\d\d)-(\d\d)-(\d\d)")


def date_from_filename(name: str) -> date | None:
    """The capture date a saved file carries in its name (`..._2025-08-04.csv`), if any."""
    match = _DATE_IN_NAME.search(name)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def parse_float(value: object) -> float | None:
    """Numbers as exported by spreadsheets: blanks are unknown, commas are thousands."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace(",", "")
    if text == "" or text.lower() in {"nan", "none", "null", "-", "n/a"}:
        return None
    return float(text)

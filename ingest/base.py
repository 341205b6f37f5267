"""The contract every source module fulfils.

A source is a thin `fetch` (bytes from the web) plus a pure `parse` (bytes in,
validated pydantic records out). Keeping parse pure means a stored capture
replays to exactly the same rows, which is what makes the database rebuildable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Annotated, ClassVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationError

from flop_tracker.text import clean_terminal


class IngestError(Exception):
    """A capture that cannot be loaded; the message is one line a person can act on."""


class Record(BaseModel):
    """Base for raw records: strict about shape, forgiving about nothing (NaN and infinity are refused)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


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
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_name(value: object) -> object:
    """A name without escapes, control characters or repeated whitespace; refuses an absurdly long one."""
    if not isinstance(value, str):
        return value
    text = " ".join(_BIDI.sub("", clean_terminal(value.replace("\t", " "))).split())
    if len(text) > MAX_NAME_CHARS:
        raise ValueError(f"name is {len(text)} characters long (at most {MAX_NAME_CHARS})")
    return text


def _clean_optional_name(value: object) -> object:
    cleaned = clean_name(value)
    return None if cleaned == "" else cleaned


def _check_parameters(value: float | None) -> float | None:
    if value is not None and not 0 < value < MAX_PARAMETERS:
        raise ValueError(f"parameters must be > 0 and < 1e15 (got {value:g})")
    return value


def _check_flop(value: float | None) -> float | None:
    if value is not None and not 0 <= value < MAX_FLOP:
        raise ValueError(f"compute must be >= 0 and < 1e32 FLOP (got {value:g})")
    return value


def _check_not_future(value: date | datetime | None) -> date | datetime | None:
    if value is None:
        return value
    limit = date.today() + FUTURE_SLACK
    day = value.date() if isinstance(value, datetime) else value
    if day > limit:
        raise ValueError(f"date {day.isoformat()} is more than a year in the future")
    return value


Name = Annotated[str, BeforeValidator(clean_name)]
OptionalName = Annotated[str | None, BeforeValidator(_clean_optional_name)]
Parameters = Annotated[float | None, AfterValidator(_check_parameters)]
ParameterCount = Annotated[int | None, AfterValidator(_check_parameters)]
Flop = Annotated[float | None, AfterValidator(_check_flop)]
PastDate = Annotated[date, AfterValidator(_check_not_future)]
OptionalPastDate = Annotated[date | None, AfterValidator(_check_not_future)]
OptionalPastDatetime = Annotated[datetime | None, AfterValidator(_check_not_future)]


@dataclass(frozen=True)
class CaptureMeta:
    """What parse may know besides the bytes: where they came from and when."""

    origin: str
    captured_at: datetime
    filename: str = ""

    @property
    def capture_date(self) -> date:
        return self.captured_at.date()


@dataclass
class Parsed:
    """Records per raw table (table name without the `raw.` schema)."""

    tables: dict[str, list[Record]] = field(default_factory=dict)

    @property
    def row_count(self) -> int:
        return sum(len(rows) for rows in self.tables.values())


class Source:
    """One upstream source. Subclasses set the class variables and implement `parse`."""

    name: ClassVar[str]
    description: ClassVar[str]
    live_urls: ClassVar[tuple[str, ...]] = ()
    # Record class per raw table this source writes (all tables, even if a capture fills one).
    tables: ClassVar[dict[str, type[Record]]]
    # Globs, relative to a captures folder (e.g. ../shared/data), of saved captures for this source.
    capture_globs: ClassVar[tuple[str, ...]] = ()

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


def build_records(cls: type[Record], rows: Iterable[dict]) -> list[Record]:
    """Validate dicts into records, turning the first failure into a one-line error."""
    out: list[Record] = []
    for index, row in enumerate(rows, start=1):
        try:
            out.append(cls(**row))
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(p) for p in err["loc"]) or "row"
            name = next((row[k] for k in ("model_name", "display_name", "repo_id", "title", "model") if row.get(k)), "")
            label = f" ({clean_terminal(name, 60)!r})" if name else ""
            msg = err["msg"].removeprefix("Value error, ")
            raise IngestError(f"row {index}{label}: field {loc}: {msg}") from exc
    return out


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

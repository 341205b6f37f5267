"""The contract every source module fulfils.

A source is a thin `fetch` (bytes from the web) plus a pure `parse` (bytes in,
validated pydantic records out). Keeping parse pure means a stored capture
replays to exactly the same rows, which is what makes the database rebuildable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError


class IngestError(Exception):
    """A capture that cannot be loaded; the message is one line a person can act on."""


class Record(BaseModel):
    """Base for raw records: strict about shape, forgiving about nothing."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


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
            name = row.get("model_name") or row.get("model") or ""
            label = f" ({str(name)[:60]!r})" if name else ""
            raise IngestError(f"row {index}{label}: field {loc}: {err['msg']}") from exc
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

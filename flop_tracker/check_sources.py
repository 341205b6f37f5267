"""Check every live address once, without touching the database: what a user runs when the network is back.

For each address of each source (the settings file's or `--url`'s where they point elsewhere): fetch it
unconditionally, parse it with the source's own parser, and report the HTTP status, the content type, the
bytes, the rows parsed and the date of the newest data with where that date was read (the parser's data
date: the content's own, a file name's, the Last-Modified header's, the newest row's). Data that states no
date is reported undated, never dated by the day of the check. Nothing is stored and no database is
opened: a check is a dry run of the live path, so it can run beside a build.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from rich.table import Table

from flop_tracker.console import fixed_width_table
from ingest.base import CaptureMeta, IngestError, Parsed, Source
from ingest.captures import http_date
from ingest.http import HttpClient
from ingest.settings import Settings
from kernel.text import clean_terminal

# The record fields that date what a record describes, most telling first. `data_date` is the field
# the data-date work adds to records; until a source has it, its own dates stand in.
DATA_DATE_FIELDS = ("data_date", "snapshot_date", "published_at", "publication_date", "last_modified", "created_at")
JSON_KEYS = (
    "source",
    "url",
    "final_url",
    "result",
    "http_status",
    "content_type",
    "bytes",
    "rows",
    "newest_data_date",
    "data_date_basis",
    "seconds",
    "error",
)


@dataclass
class Check:
    """One address checked: `result` is ok (fetched and parsed), failed (fetched, not parsed) or unreachable."""

    source: str
    url: str
    result: str
    final_url: str = ""
    http_status: int | None = None
    content_type: str = ""
    bytes: int = 0
    rows: int | None = None
    newest_data_date: str | None = None
    data_date_basis: str = ""  # content, file name, last-modified, newest row; none = the data states none
    seconds: float = 0.0
    error: str = ""

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        return {key: data[key] for key in JSON_KEYS}


def newest_data_date(parsed: Parsed) -> date | None:
    """The newest date any record carries in its first data-date field (see DATA_DATE_FIELDS)."""
    newest: date | None = None
    for records in parsed.tables.values():
        if not records:
            continue
        fields = type(records[0]).model_fields
        name = next((f for f in DATA_DATE_FIELDS if f in fields), None)
        if name is None:
            continue
        for record in records:
            value = getattr(record, name)
            day = value.date() if isinstance(value, datetime) else value
            if isinstance(day, date) and (newest is None or day > newest):
                newest = day
    return newest


def check_address(source: Source, url: str, client: HttpClient) -> Check:
    """Fetch one address and parse what came back; every failure is a Check, never an exception."""
    try:
        fetched = client.fetch(url)
    except IngestError as exc:
        return Check(source.name, url, "unreachable", error=str(exc).removeprefix(f"{url}: "))
    check = Check(
        source.name,
        url,
        "ok",
        final_url=fetched.final_url if fetched.final_url != url else "",
        http_status=fetched.status,
        content_type=fetched.content_type,
        bytes=len(fetched.body),
        seconds=round(fetched.elapsed, 2),
    )
    final = fetched.final_url or url
    meta = CaptureMeta(
        origin=url,
        captured_at=datetime.now(UTC).replace(tzinfo=None),
        filename=final.rstrip("/").split("/")[-1],
        final_url=check.final_url,
        content_type=fetched.content_type,
        etag=fetched.etag,
        last_modified=http_date(fetched.last_modified),
        last_modified_header=fetched.last_modified,
    )
    try:
        parsed = source.parse(fetched.body, meta)
        if parsed.row_count == 0:
            raise IngestError("no rows found")
    except IngestError as exc:
        check.result, check.error = "failed", str(exc)
        return check
    except Exception as exc:  # a parser bug must not stop the other addresses
        check.result, check.error = "failed", f"unexpected {type(exc).__name__}: {str(exc)[:200]}"
        return check
    check.rows = parsed.row_count
    if parsed.data_date is None:
        # Nothing dates the capture: the newest date its rows carry is a lower bound, unless it is only the
        # day of this fetch (a parser's fallback for rows that need a date), which says nothing.
        newest = newest_data_date(parsed)
        if newest is not None and newest < meta.capture_date:
            parsed.data_date, parsed.data_date_basis = newest, "newest row"
        else:
            parsed.data_date_basis = "none"
    elif parsed.data_date_basis == "capture":
        # Nothing dates the capture as a whole, but rows may carry dates of their own (an export's
        # publication dates): the newest is a lower bound. A row date that is only the day of this fetch
        # (a parser's fallback) says nothing about the data.
        newest = newest_data_date(parsed)
        if newest is not None and newest < meta.capture_date:
            parsed.data_date, parsed.data_date_basis = newest, "newest row"
    check.data_date_basis = parsed.data_date_basis
    if parsed.data_date is not None and parsed.data_date_basis != "capture":
        check.newest_data_date = parsed.data_date.isoformat()
    return check


def check_sources(
    sources: Iterable[Source],
    settings: Settings,
    client: HttpClient,
    urls: dict[str, tuple[str, ...]] | None = None,
    advance: Callable[[Check], None] = lambda check: None,
) -> list[Check]:
    """Check each live address of each source once; a source without one is skipped."""
    checks = []
    for source in sources:
        addresses = tuple((urls or {}).get(source.name) or ()) or settings.urls_for(source.name, source.live_urls)
        for url in addresses:
            checks.append(check_address(source, url, client))
            advance(checks[-1])
    return checks


# -- reports -----------------------------------------------------------------------------------
def short_address(url: str, width: int = 22) -> str:
    """`host/…/last-segment` within `width` characters, the host cut first (the JSON has the whole URL).

    A query keeps its first parameter (`models?author=openai`): on the Hub that is what tells lists apart.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    last = parts.path.rstrip("/").rsplit("/", 1)[-1]
    if parts.query:
        last += "?" + parts.query.split("&", 1)[0]
    deep = parts.path.rstrip("/").count("/") > 1
    text = clean_terminal(f"{host}/…/{last}" if deep else f"{host}/{last}", 400)
    if len(text) <= width:
        return text
    tail = clean_terminal(f"/…/{last}" if deep else f"/{last}", 400)
    room = width - len(tail) - 1
    if room >= 4:
        return host[:room] + "…" + tail
    return "…" + tail[-(width - 1) :]


def _kind(content_type: str) -> str:
    """`application/json; charset=utf-8` -> json; the subtype's last word, at most 4 characters."""
    main = content_type.split(";")[0].strip().lower()
    sub = main.split("/")[-1].split("+")[-1]
    return {"plain": "text", "octet-stream": "bin", "x-parquet": "parq", "javascript": "js"}.get(sub, sub)[:4]


def _size(n: int) -> str:
    if n < 1000:
        return str(n)
    for unit, scale in (("k", 1e3), ("M", 1e6), ("G", 1e9)):
        if n < scale * 1000:
            return f"{n / scale:.1f}{unit}" if n < scale * 10 else f"{n / scale:.0f}{unit}"
    return f"{n / 1e12:.0f}T"


def table(checks: list[Check]) -> Table:
    """One row per address, within 80 columns; the reasons of failures follow the table (see `problems`)."""
    out = fixed_width_table(
        (
            ("source", 13, False),  # 70 characters of content and the six one-space column rules
            ("address", 22, False),
            ("result", 11, False),
            ("type", 4, False),
            ("size", 5, True),
            ("rows", 5, True),
            ("newest", 10, False),
        )
    )
    for c in checks:
        status = f"{c.http_status} {c.result}" if c.http_status else c.result
        out.add_row(
            c.source,
            short_address(c.url, 22),
            status,
            _kind(c.content_type),
            _size(c.bytes) if c.http_status else "",
            "" if c.rows is None else str(c.rows),
            c.newest_data_date or ("undated" if c.result == "ok" else ""),
        )
    return out


def problems(checks: list[Check]) -> list[str]:
    """One line per address that did not parse, naming it and why (markup-free, escapes removed)."""
    return [
        f"{c.source} {short_address(c.url, 30)}: {c.result}: {clean_terminal(c.error, 160)}"
        for c in checks
        if c.result != "ok"
    ]


def summary_line(checks: list[Check]) -> str:
    ok = sum(c.result == "ok" for c in checks)
    return f"{ok} of {len(checks)} addresses fetched and parsed"


def as_json(checks: list[Check]) -> str:
    return json.dumps([c.as_dict() for c in checks], indent=2)

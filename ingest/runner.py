"""Run sources: live, from a file, or replaying stored captures. One failing source never stops the rest.

Every path ends in the same three steps: store the bytes, parse them, load them
in one transaction. A failure is recorded as a `failed` run with a one-line
reason, and the caller gets a result, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path

import duckdb

from flop_tracker.config import Paths
from flop_tracker.text import clean_terminal
from ingest import captures as capture_store
from ingest.base import CaptureMeta, IngestError, Source, date_from_filename
from ingest.http import HttpClient
from ingest.loader import already_loaded, connect, ensure_tables, load, record_failure


@dataclass
class RunResult:
    """What one capture (or one attempt to reach a source) came to."""

    source: str
    origin: str
    status: str  # ok | unchanged | failed | unreachable
    rows: int = 0
    message: str = ""

    @property
    def line(self) -> str:
        where = clean_terminal(self.origin, 70)
        if self.status == "ok":
            return f"{self.source}: loaded {self.rows} rows from {where}"
        if self.status == "unchanged":
            return f"{self.source}: {where} already loaded, nothing added"
        return f"{self.source}: {self.status}: {clean_terminal(self.message, 200)}"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _short_error(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:300]


class Ingestor:
    """Holds one write connection for a batch of sources, opened once and closed at the end."""

    def __init__(self, paths: Paths, sources: list[Source]) -> None:
        self.paths = paths
        self.con: duckdb.DuckDBPyConnection = connect(paths.db)
        ensure_tables(self.con, sources)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Ingestor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one capture -------------------------------------------------------------------------
    def ingest_bytes(self, source: Source, content: bytes, meta: CaptureMeta) -> RunResult:
        """Store, parse and load one capture; record a failed run if any step fails."""
        started = _now()
        label = meta.filename or meta.origin
        try:
            stored = capture_store.store(self.paths.raw_dir, source.name, content, meta)
        except OSError as exc:
            return self._fail(source, meta.origin, f"{label}: cannot store capture: {exc}", started)
        return self.ingest_stored(source, stored, started)

    def ingest_stored(
        self, source: Source, stored: capture_store.StoredCapture, started: datetime | None = None
    ) -> RunResult:
        started = started or _now()
        label = stored.meta.filename or stored.meta.origin
        if already_loaded(self.con, source.name, stored.sha256):
            return RunResult(source.name, label, "unchanged")
        try:
            parsed = source.parse(stored.read(), stored.meta)
            if parsed.row_count == 0:
                raise IngestError("no rows found")
            rows = load(self.con, source, stored, parsed, started)
        except IngestError as exc:
            capture_store.quarantine(stored)
            return self._fail(source, stored.meta.origin, f"{label}: {exc}", started, stored)
        except Exception as exc:  # a parser bug must not stop the other sources
            capture_store.quarantine(stored)
            msg = f"{label}: unexpected {type(exc).__name__}: {_short_error(exc)}"
            return self._fail(source, stored.meta.origin, msg, started, stored)
        return RunResult(source.name, label, "ok", rows)

    def _fail(
        self,
        source: Source,
        origin: str,
        message: str,
        started: datetime,
        stored: capture_store.StoredCapture | None = None,
        status: str = "failed",
    ) -> RunResult:
        message = " ".join(message.split())
        record_failure(self.con, source.name, origin, message, started, stored, status)
        return RunResult(source.name, origin, status, 0, message)

    # -- ways in -----------------------------------------------------------------------------
    def ingest_file(self, source: Source, path: Path, captured_at: datetime | None = None) -> RunResult:
        """A saved capture. Its capture date is the date in its name, else its modification time."""
        started = _now()
        try:
            content = path.read_bytes()
        except OSError as exc:
            return self._fail(source, str(path), f"{path}: cannot read: {exc.strerror}", started)
        if captured_at is None:
            named = date_from_filename(path.name)
            captured_at = (
                datetime.combine(named, time(0, 0))
                if named
                else datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)
            )
        meta = CaptureMeta(origin=str(path.resolve()), captured_at=captured_at, filename=path.name)
        return self.ingest_bytes(source, content, meta)

    def ingest_url(self, source: Source, url: str, client: HttpClient) -> RunResult:
        """Fetch one live URL; an unreachable URL is a recorded, named failure."""
        started = _now()
        try:
            content = client.get(url)
        except IngestError as exc:
            return self._fail(source, url, str(exc), started, status="unreachable")
        meta = CaptureMeta(origin=url, captured_at=_now(), filename=url.rstrip("/").split("/")[-1])
        return self.ingest_bytes(source, content, meta)

    def ingest_offline(self, source: Source) -> list[RunResult]:
        """Replay the newest stored good capture per origin of this source."""
        newest: dict[str, capture_store.StoredCapture] = {}
        for stored in capture_store.list_stored(self.paths.raw_dir, source.name):
            newest[stored.meta.origin] = stored
        return [self.ingest_stored(source, s) for s in newest.values()]

    def replay_all(self, source: Source) -> list[RunResult]:
        """Every stored capture, oldest first: rebuilds the raw tables from `data/raw/`."""
        return [self.ingest_stored(source, s) for s in capture_store.list_stored(self.paths.raw_dir, source.name)]


def saved_captures(source: Source, folder: Path) -> list[Path]:
    """The saved captures of `source` under a captures folder (e.g. ../shared/data), by its globs."""
    if not folder.is_dir():
        return []
    return sorted({p for pattern in source.capture_globs for p in folder.glob(pattern) if p.is_file()})

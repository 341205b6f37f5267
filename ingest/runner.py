"""Run sources: live, from a file, or replaying stored captures. One failing source never stops the rest.

Every path ends in the same three steps: store the bytes, parse them, load them
in one transaction. A failure is recorded as a `failed` run with a one-line
reason, and the caller gets a result, never an exception.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path

import duckdb
import pyarrow as pa

from ingest import captures as capture_store
from ingest.base import CaptureMeta, IngestError, Source, date_from_filename, read_capture
from ingest.http import Fetched, HttpClient
from ingest.loader import already_loaded, ensure_tables, load, record_failure, record_unchanged, to_arrow
from kernel.database import connect
from kernel.paths import Paths
from kernel.text import clean_terminal

# Saved captures are parsed in worker processes, one per core, when a source has at least this many
# files of at least this size (measured: starting the workers costs ~0.5 s, so the shared data's few
# large captures load faster one at a time, and five weekly 18.6k-model exports faster in parallel).
PARALLEL_MIN_FILES = 4
PARALLEL_MIN_BYTES = 2**20


@dataclass
class RunResult:
    """What one capture (or one attempt to reach a source) came to."""

    source: str
    origin: str
    status: str  # ok | degraded | unchanged | failed | unreachable
    rows: int = 0
    message: str = ""

    @property
    def line(self) -> str:
        where = clean_terminal(self.origin, 70)
        if self.status == "ok":
            return f"{self.source}: loaded {self.rows} rows from {where}"
        if self.status == "degraded":
            return f"{self.source}: degraded: loaded {self.rows} rows from {where} {clean_terminal(self.message, 200)}"
        if self.status == "unchanged":
            why = clean_terminal(self.message, 80) if self.message else "already loaded"
            return f"{self.source}: {where} {why}, nothing added"
        return f"{self.source}: {self.status}: {clean_terminal(self.message, 200)}"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _short_error(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:300]


@dataclass
class ParseOutcome:
    """A capture parsed and validated into Arrow tables, or why it could not be (picklable)."""

    tables: dict[str, pa.Table] = field(default_factory=dict)
    error: str = ""  # an IngestError: the capture is bad
    unexpected: str = ""  # a parser crash: "TypeName: message"
    missing: list[str] = field(default_factory=list)  # expected columns the capture lacked
    data_date: tuple[date, str] | None = None  # what the capture says its data's date is, and where


def parse_capture(source: Source, stored: capture_store.StoredCapture) -> ParseOutcome:
    """Parse (pure: bytes in, validated records out) and turn the records into Arrow tables."""
    try:
        parsed = source.parse(stored.read(), stored.meta)
        if parsed.row_count == 0:
            raise IngestError("no rows found")
        if parsed.data_date is None:
            parsed.dated(stored.meta)
        if (
            parsed.data_date is None
            and source.live_is_current
            and stored.meta.origin.startswith(("http://", "https://"))
        ):
            parsed.data_date, parsed.data_date_basis = stored.meta.capture_date, "capture"
        return ParseOutcome(
            tables=to_arrow(source, parsed),
            missing=list(parsed.missing),
            data_date=(parsed.data_date, parsed.data_date_basis),
        )
    except IngestError as exc:
        return ParseOutcome(error=str(exc))
    except Exception as exc:  # a parser bug must not stop the other sources
        return ParseOutcome(unexpected=f"{type(exc).__name__}: {_short_error(exc)}")


def _parse_in_worker(source_name: str, stored: capture_store.StoredCapture) -> ParseOutcome:
    from ingest import registry

    return parse_capture(registry.get(source_name), stored)


def _pool_context() -> multiprocessing.context.BaseContext:
    """forkserver where there is one: workers forked from a clean server, never from a process
    holding a DuckDB connection and its threads."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["ingest.registry"])
        return context
    return multiprocessing.get_context("spawn")  # pragma: no cover - platforms without fork


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
        stored = self._store(source, content, meta, started)
        return stored if isinstance(stored, RunResult) else self.ingest_stored(source, stored, started)

    def _store(
        self, source: Source, content: bytes, meta: CaptureMeta, started: datetime
    ) -> capture_store.StoredCapture | RunResult:
        """Keep the bytes before anything reads them; a failed RunResult when they cannot be kept."""
        try:
            return capture_store.store(self.paths.raw_dir, source.name, content, meta)
        except OSError as exc:
            label = meta.filename or meta.origin
            return self._fail(source, meta.origin, f"{label}: cannot store capture: {exc}", started)

    def ingest_stored(
        self, source: Source, stored: capture_store.StoredCapture, started: datetime | None = None
    ) -> RunResult:
        started = started or _now()
        label = stored.meta.filename or stored.meta.origin
        if already_loaded(self.con, source.name, stored.sha256):
            return RunResult(source.name, label, "unchanged")
        return self._finish(source, stored, parse_capture(source, stored), started)

    def _finish(
        self, source: Source, stored: capture_store.StoredCapture, parsed: ParseOutcome, started: datetime
    ) -> RunResult:
        """Load a parsed capture in one transaction, or record why it failed and set it aside."""
        label = stored.meta.filename or stored.meta.origin
        if already_loaded(self.con, source.name, stored.sha256):  # the same bytes twice in one batch
            return RunResult(source.name, label, "unchanged")
        message = f"{label}: {parsed.error}" if parsed.error else ""
        if parsed.unexpected:
            message = f"{label}: unexpected {parsed.unexpected}"
        if not message:
            try:
                rows = load(self.con, source, stored, parsed.tables, started, parsed.missing, parsed.data_date)
            except IngestError as exc:
                message = f"{label}: {exc}"
            except Exception as exc:
                message = f"{label}: unexpected {type(exc).__name__}: {_short_error(exc)}"
            else:
                if parsed.missing:
                    note = f"(without expected column(s) {', '.join(parsed.missing)}: those fields are null)"
                    return RunResult(source.name, label, "degraded", rows, note)
                return RunResult(source.name, label, "ok", rows)
        capture_store.quarantine(stored)
        return self._fail(source, stored.meta.origin, message, started, stored)

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
        stored = self._store_file(source, path, started, captured_at)
        return stored if isinstance(stored, RunResult) else self.ingest_stored(source, stored, started)

    def _store_file(
        self, source: Source, path: Path, started: datetime, captured_at: datetime | None = None
    ) -> capture_store.StoredCapture | RunResult:
        """Read and store a saved capture byte for byte; a RunResult when that already fails."""
        try:
            content = read_capture(path)
        except OSError as exc:
            return self._fail(source, str(path), f"{path}: cannot read: {exc.strerror}", started)
        except IngestError as exc:
            return self._fail(source, str(path), f"{path}: {exc}", started)
        if captured_at is None:
            named = date_from_filename(path.name)
            captured_at = (
                datetime.combine(named, time(0, 0))
                if named
                else datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)
            )
        meta = CaptureMeta(origin=str(path.resolve()), captured_at=captured_at, filename=path.name)
        return self._store(source, content, meta, started)

    def ingest_files(
        self, source: Source, paths: list[Path], advance: Callable[[], None] = lambda: None
    ) -> list[RunResult]:
        """Saved captures in order; with many large ones, parsed on every core while this loads.

        The one database writer stores each file and loads the parsed captures in the order
        given, so run ids (and a replay) are the same as one at a time. A worker that dies takes
        no capture with it: what it had is parsed here instead.
        """
        large = [p for p in paths if p.is_file() and p.stat().st_size >= PARALLEL_MIN_BYTES]
        workers = min(os.cpu_count() or 1, 4)
        if workers < 2 or len(large) < PARALLEL_MIN_FILES:
            results = []
            for path in paths:
                results.append(self.ingest_file(source, path))
                advance()
            return results
        results: list[RunResult] = []
        queue: deque[RunResult | tuple[capture_store.StoredCapture, datetime, Future | None]] = deque()
        broken = False

        def finish_first() -> None:
            nonlocal broken
            item = queue.popleft()
            if isinstance(item, RunResult):
                results.append(item)
            else:
                stored, started, future = item
                parsed = None
                if future is not None and not broken:
                    try:
                        parsed = future.result()
                    except Exception:  # the worker died (BrokenProcessPool): parse here from now on
                        broken = True
                results.append(self._finish(source, stored, parsed or parse_capture(source, stored), started))
            advance()

        with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
            for path in paths:
                started = _now()
                stored = self._store_file(source, path, started)
                if isinstance(stored, RunResult):
                    queue.append(stored)
                elif already_loaded(self.con, source.name, stored.sha256):
                    queue.append(RunResult(source.name, stored.meta.filename or stored.meta.origin, "unchanged"))
                else:
                    future = None
                    if not broken:
                        try:
                            future = pool.submit(_parse_in_worker, source.name, stored)
                        except Exception:  # the pool broke earlier (BrokenProcessPool): parse here
                            broken = True
                    queue.append((stored, started, future))
                while len(queue) > 2 * workers:  # keep a few parsed captures ahead, not all of them
                    finish_first()
            while queue:
                finish_first()
        return results

    def ingest_url(self, source: Source, url: str, client: HttpClient) -> RunResult:
        """Fetch one live URL, conditionally when a capture of it is stored; every attempt is a run.

        An unreachable URL is a recorded, named failure. A 304 (or bytes already loaded) is an
        `unchanged` run and stores nothing new; the stored capture it confirms is loaded if this
        database has not loaded it yet. The capture's sidecar keeps the final URL after redirects,
        the content type and the validators the next conditional request sends.
        """
        started = _now()
        try:
            fetched, previous = fetch_conditionally(client, self.paths.raw_dir, source.name, url)
        except IngestError as exc:
            return self._fail(source, url, str(exc), started, status="unreachable")
        if fetched.not_modified and previous is not None:
            if not already_loaded(self.con, source.name, previous.sha256):
                return self.ingest_stored(source, previous, started)
            record_unchanged(self.con, source.name, url, started, previous)
            return RunResult(source.name, url, "unchanged", message="not modified since the last fetch (HTTP 304)")
        if fetched.not_modified:
            message = f"{url}: HTTP 304 to a request that was not conditional"
            return self._fail(source, url, message, started, status="unreachable")
        final = fetched.final_url or url
        meta = CaptureMeta(
            origin=url,
            captured_at=_now(),
            filename=_name_in(final),
            final_url=final if final != url else "",
            content_type=fetched.content_type,
            etag=fetched.etag,
            last_modified=capture_store.http_date(fetched.last_modified),
            last_modified_header=fetched.last_modified,
        )
        result = self.ingest_bytes(source, fetched.body, meta)
        if result.status == "unchanged":
            stored = capture_store.store(self.paths.raw_dir, source.name, fetched.body, meta)
            record_unchanged(self.con, source.name, url, started, stored)
            return RunResult(source.name, url, "unchanged", message="same bytes as a capture already loaded")
        return result

    def ingest_offline(self, source: Source) -> list[RunResult]:
        """Replay the newest stored good capture per origin of this source."""
        newest: dict[str, capture_store.StoredCapture] = {}
        for stored in capture_store.list_stored(self.paths.raw_dir, source.name):
            newest[stored.meta.origin] = stored
        return [self.ingest_stored(source, s) for s in newest.values()]

    def replay_all(self, source: Source) -> list[RunResult]:
        """Every stored capture, oldest first: rebuilds the raw tables from `data/raw/`."""
        return [self.ingest_stored(source, s) for s in capture_store.list_stored(self.paths.raw_dir, source.name)]


def fetch_conditionally(
    client: HttpClient, raw_dir: Path | None, source_name: str, url: str
) -> tuple[Fetched, capture_store.StoredCapture | None]:
    """GET `url`, sending the validators (ETag, Last-Modified) of the newest capture stored from it.

    Returns what came back and that stored capture (None when there is none, or no `raw_dir`): a 304
    (`fetched.not_modified`) means the stored capture is still current. Every live way in goes
    through here, so each asks a host the same way. Raises IngestError as `HttpClient.fetch` does.
    """
    previous = capture_store.newest_for_origin(raw_dir, source_name, url) if raw_dir is not None else None
    etag = previous.meta.etag if previous else ""
    modified = previous.meta.last_modified_header if previous else ""
    return client.fetch(url, etag=etag, last_modified=modified), previous


def _name_in(url: str) -> str:
    """The last segment of a URL (`.../leaderboard-text.json`): what parsers read a capture's name from."""
    return url.rstrip("/").split("/")[-1]


def saved_captures(source: Source, folder: Path) -> list[Path]:
    """The saved captures of `source` under a captures folder (e.g. ../shared/data), by its globs."""
    if not folder.is_dir():
        return []
    return sorted({p for pattern in source.capture_globs for p in folder.glob(pattern) if p.is_file()})

"""Live fetching under faults, against a local server on 127.0.0.1 serving real captures from ../shared/data.

The client: 429 with Retry-After then success, 5xx retried then a clear failure, a slow server and a short
timeout, a body cut short (Content-Length larger than what arrives, then the connection closes), a refused
connection. The pipeline: a source that cannot be reached is recorded and the others go on; a bad fetch never
replaces the last good capture, which stays replayable into a fresh database.
"""

from __future__ import annotations

import re
import socket
import time
from pathlib import Path

import pytest

from flop_tracker import pipeline
from ingest import captures as capture_store
from ingest.base import IngestError
from ingest.epoch import EpochSource
from ingest.http import HttpClient
from ingest.lmarena import LMArenaSource
from ingest.runner import Ingestor
from kernel.database import connect
from kernel.paths import DB_ENV, Paths
from tests.local_http import Reply, Sleeps, local_server

LMARENA_JSON = "lmarena/arena_catalog_leaderboard-text_2025-12-11.json"  # 7461 model-category scores
EPOCH_CSV = "epoch/large_scale_ai_models_2025-05-20.csv"  # 311 models
LMARENA_ROWS = 7461
EPOCH_ROWS = 311
PATH = "/data/leaderboard-text.json"


@pytest.fixture
def capture(shared_data: Path) -> bytes:
    return (shared_data / LMARENA_JSON).read_bytes()


def client(sleeps: Sleeps, **kw) -> HttpClient:
    kw.setdefault("timeout", 5.0)
    kw.setdefault("attempts", 3)
    return HttpClient(sleep=sleeps, **kw)


def local_source(base: type, url: str):
    """The real source class, its live URLs pointed at the local server (same name, same raw tables)."""
    return type(f"Local{base.__name__}", (base,), {"live_urls": (url,)})()


# -- the client --------------------------------------------------------------------------------
@pytest.mark.shared
def test_429_with_retry_after_waits_as_told_then_succeeds(capture: bytes):
    sleeps = Sleeps()
    with local_server() as server:
        url = server.route(PATH, Reply(429, b"slow down", {"Retry-After": "7"}), Reply(body=capture))
        assert client(sleeps).get(url) == capture
        assert server.hits[PATH] == 2
    assert sleeps == [7.0]


def test_a_retry_after_longer_than_max_wait_is_respected_by_leaving():
    """A host asking for an hour is not asked again in 30 s: the fetch fails at once and says why."""
    sleeps = Sleeps()
    with local_server() as server:
        url = server.route(PATH, Reply(429, b"", {"Retry-After": "3600"}), Reply(body=b"{}"))
        with pytest.raises(IngestError) as info:
            client(sleeps, max_wait=30).get(url)
        assert server.hits[PATH] == 1
    assert str(info.value) == f"{url}: HTTP 429, asked to retry after 3600s (more than 30s); not retried"
    assert sleeps == []


@pytest.mark.shared
def test_a_503_is_retried_with_backoff(capture: bytes):
    sleeps = Sleeps()
    with local_server() as server:
        url = server.route(PATH, Reply(503, b"unavailable"), Reply(503, b"unavailable"), Reply(body=capture))
        assert client(sleeps, backoff=0.5, max_wait=30).get(url) == capture
        assert server.hits[PATH] == 3
    assert sleeps == [0.5, 1.0]  # backoff 0.5, doubled after the second failure


def test_500_is_retried_then_fails_with_the_status_and_the_attempts():
    sleeps = Sleeps()
    with local_server() as server:
        url = server.route(PATH, Reply(500, b"internal error"))
        with pytest.raises(IngestError) as info:
            client(sleeps, attempts=3, backoff=1.0).get(url)
        assert server.hits[PATH] == 3
    assert str(info.value) == f"{url}: HTTP 500 after 3 attempts"
    assert sleeps == [1.0, 2.0]


def test_404_is_not_retried():
    sleeps = Sleeps()
    with local_server() as server:
        url = server.route(PATH, Reply(404, b"gone"))
        with pytest.raises(IngestError, match=r"HTTP 404$"):
            client(sleeps).get(url)
        assert server.hits[PATH] == 1
    assert sleeps == []


@pytest.mark.shared
def test_a_server_slower_than_the_timeout_fails_clearly_and_quickly(capture: bytes):
    sleeps = Sleeps()
    with local_server() as server:
        url = server.route(PATH, Reply(body=capture, delay=3.0))
        started = time.monotonic()
        with pytest.raises(IngestError, match=r"timed out after 0.2s after 2 attempts"):
            client(sleeps, timeout=0.2, attempts=2).get(url)
        assert time.monotonic() - started < 2.5
        assert server.hits[PATH] == 2
    assert len(sleeps) == 1


@pytest.mark.shared
def test_a_body_cut_short_is_never_returned(capture: bytes):
    sleeps = Sleeps()
    with local_server() as server:
        url = server.route(PATH, Reply(body=capture, truncate_to=4096))
        with pytest.raises(IngestError, match=r"connection dropped mid-body .* after 2 attempts"):
            client(sleeps, attempts=2).get(url)
        assert server.hits[PATH] == 2
        # Cut once, whole the second time: the retry delivers the full capture.
        server.route(PATH, Reply(body=capture, truncate_to=4096), Reply(body=capture))
        assert client(sleeps, attempts=2).get(url) == capture


def test_a_refused_connection_is_retried_then_named():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again when the block ends: nothing listens there
    sleeps = Sleeps()
    with pytest.raises(IngestError, match=r"could not connect .* after 2 attempts"):
        client(sleeps, attempts=2).get(f"http://127.0.0.1:{port}/x.json")
    assert len(sleeps) == 1


# -- the capture size limit ---------------------------------------------------------------------
# A live body obeys the same limit as a saved file ($FLOP_TRACKER_MAX_CAPTURE_MB, ingest.base.max_capture_bytes):
# before, the client had its own fixed 512 MB and the variable changed nothing for live fetches.
MAX_CAPTURE_ENV = "FLOP_TRACKER_MAX_CAPTURE_MB"
MB = 1024 * 1024


def too_large(url: str, megabytes: int) -> str:
    return (
        f"^{re.escape(url)}: more than {megabytes} MB, the capture size limit "
        rf"\(set {MAX_CAPTURE_ENV} to raise it\); refused$"
    )


@pytest.mark.parametrize(
    "reply",
    [
        Reply(body=b"x" * (3 * MB)),  # Content-Length says so: refused before the body is read
        Reply(body=b"x" * (3 * MB), chunked=True, chunk_size=256 * 1024),  # no length given: counted as it comes
        Reply(body=b"x" * (3 * MB), encoding="gzip"),  # 3 kB on the wire: the decoded size counts
    ],
    ids=["content-length", "chunked", "gzip"],
)
def test_a_body_over_the_capture_size_limit_is_refused_once_naming_the_url_and_limit(
    monkeypatch: pytest.MonkeyPatch, reply: Reply
):
    monkeypatch.setenv(MAX_CAPTURE_ENV, "1")
    sleeps = Sleeps()
    with local_server() as server:
        url = server.route(PATH, reply)
        with pytest.raises(IngestError, match=too_large(url, 1)):
            client(sleeps).get(url)
        assert server.hits[PATH] == 1  # a body too large is too large again: never retried
        monkeypatch.setenv(MAX_CAPTURE_ENV, "4")
        assert client(sleeps).get(url) == b"x" * (3 * MB)
    assert sleeps == []


def test_a_live_body_is_read_no_further_than_the_limit(monkeypatch: pytest.MonkeyPatch):
    """A host streaming without end (or a huge body, declared or not) is left once the limit is passed.

    The server sends 1 MB + 64 kB at once, then would wait a minute before each further piece: a client
    reading on times out (5 s) instead of refusing the body.
    """
    monkeypatch.setenv(MAX_CAPTURE_ENV, "1")
    with local_server() as server:
        endless = Reply(body=b"x" * (8 * MB), chunked=True, chunk_size=MB + 64 * 1024, trickle=60.0)
        url = server.route(PATH, endless)
        with pytest.raises(IngestError, match=too_large(url, 1)):
            client(Sleeps()).get(url)
        # A declared length over the limit is refused from the headers: the body is never read (here the
        # host would send 4 kB and hang up, which a client reading the body reports as a dropped connection).
        url = server.route(PATH, Reply(body=b"x" * (2 * MB), truncate_to=4096))
        with pytest.raises(IngestError, match=too_large(url, 1)):
            client(Sleeps()).get(url)
        assert server.hits[PATH] == 1


def test_a_bad_capture_size_limit_fails_the_fetch_with_one_line(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(MAX_CAPTURE_ENV, "lots")
    with local_server() as server:
        url = server.route(PATH, Reply(body=b"{}"))
        with pytest.raises(IngestError, match=rf"^{MAX_CAPTURE_ENV}='lots': not a whole number of megabytes"):
            client(Sleeps()).get(url)


@pytest.mark.shared
def test_a_live_capture_over_the_limit_is_recorded_and_nothing_is_stored(
    capture: bytes, paths: Paths, monkeypatch: pytest.MonkeyPatch
):
    """The real LMArena JSON (1.3 MB, gzipped as GitHub serves it) against a 1 MB limit, then a 2 MB one."""
    assert MB < len(capture) < 2 * MB
    monkeypatch.setenv(MAX_CAPTURE_ENV, "1")
    with local_server() as server:
        url = server.route(PATH, Reply(body=capture, encoding="gzip"))
        source = local_source(LMArenaSource, url)
        refused = pipeline.ingest(paths, [source], live=True, client=client(Sleeps()), quiet=True)
        assert [(r.source, r.status, r.rows) for r in refused.results] == [("lmarena", "unreachable", 0)]
        assert not (paths.raw_dir / "lmarena").exists()  # no partial capture, not even a quarantined one
        monkeypatch.setenv(MAX_CAPTURE_ENV, "2")
        loaded = pipeline.ingest(paths, [source], live=True, client=client(Sleeps()), quiet=True)
    assert [(r.status, r.rows) for r in loaded.results] == [("ok", LMARENA_ROWS)]
    con = connect(paths.db)
    try:
        runs = con.execute("select status, rows, error from raw.ingest_runs order by run_id").fetchall()
    finally:
        con.close()
    assert runs == [
        (
            "unreachable",
            0,
            f"{url}: more than 1 MB, the capture size limit (set {MAX_CAPTURE_ENV} to raise it); refused",
        ),
        ("ok", LMARENA_ROWS, None),
    ]
    stored = capture_store.list_stored(paths.raw_dir, "lmarena")
    assert len(stored) == 1 and stored[0].read() == capture


# -- the pipeline ------------------------------------------------------------------------------
@pytest.mark.shared
def test_an_unreachable_source_is_recorded_and_the_others_go_on(shared_data: Path, paths: Paths):
    with local_server() as server:
        broken = local_source(LMArenaSource, server.route(PATH, Reply(500, b"internal error")))
        good = local_source(
            EpochSource, server.route("/large_scale_ai_models.csv", Reply(body=(shared_data / EPOCH_CSV).read_bytes()))
        )
        summary = pipeline.ingest(paths, [broken, good], live=True, client=client(Sleeps(), attempts=2), quiet=True)
    assert [(r.source, r.status, r.rows) for r in summary.results] == [
        ("lmarena", "unreachable", 0),
        ("epoch", "ok", EPOCH_ROWS),
    ]
    assert summary.unreachable == ["lmarena"]
    con = connect(paths.db)
    try:
        runs = con.execute("select source, status, rows, error from raw.ingest_runs order by run_id").fetchall()
        assert runs == [
            ("lmarena", "unreachable", 0, f"{broken.live_urls[0]}: HTTP 500 after 2 attempts"),
            ("epoch", "ok", EPOCH_ROWS, None),
        ]
        assert con.execute("select count(*) from raw.lmarena_scores").fetchone() == (0,)
        assert con.execute("select count(*) from raw.epoch_models").fetchone() == (EPOCH_ROWS,)
    finally:
        con.close()
    assert not (paths.raw_dir / "lmarena").exists()  # nothing stored for a fetch that failed


@pytest.mark.shared
@pytest.mark.parametrize(
    "fault",
    [
        Reply(429, b"", {"Retry-After": "0"}),
        Reply(500, b"internal error"),
        Reply(body=b"x" * 10_000, truncate_to=500),
        Reply(body=b"{}", delay=3.0),
    ],
    ids=["429", "500", "truncated", "timeout"],
)
def test_after_a_failed_fetch_the_last_good_capture_is_replayed_and_stays_replayable(
    capture: bytes, paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: Reply
):
    with local_server() as server:
        url = server.route(PATH, Reply(body=capture))
        source = local_source(LMArenaSource, url)
        first = pipeline.ingest(paths, [source], live=True, client=client(Sleeps(), attempts=2), quiet=True)
        assert [(r.status, r.rows) for r in first.results] == [("ok", LMARENA_ROWS)]
        server.route(PATH, fault)
        second = pipeline.ingest(
            paths, [source], live=True, client=client(Sleeps(), attempts=2, timeout=0.3), quiet=True
        )
        assert server.hits[PATH] == 2
    # Unreachable, so the newest stored capture is replayed: it is already loaded, nothing changes.
    assert [r.status for r in second.results] == ["unreachable", "unchanged"]
    stored = capture_store.list_stored(paths.raw_dir, "lmarena")
    assert len(stored) == 1 and stored[0].read() == capture and stored[0].meta.origin == url
    assert not (paths.raw_dir / "lmarena" / "failed").exists()
    con = connect(paths.db)
    try:
        assert con.execute("select count(*) from raw.lmarena_scores").fetchone() == (LMARENA_ROWS,)
        assert con.execute("select status from raw.ingest_runs order by run_id").fetchall() == [
            ("ok",),
            ("unreachable",),
        ]
    finally:
        con.close()
    # The raw folder alone rebuilds the table in a fresh database.
    monkeypatch.setenv(DB_ENV, str(tmp_path / "fresh.duckdb"))
    with Ingestor(paths, [source]) as fresh:
        assert [(r.status, r.rows) for r in fresh.replay_all(source)] == [("ok", LMARENA_ROWS)]


@pytest.mark.shared
def test_a_corrupt_answer_is_quarantined_and_the_good_capture_still_replays(capture: bytes, paths: Paths):
    with local_server() as server:
        url = server.route(PATH, Reply(body=capture))
        source = local_source(LMArenaSource, url)
        pipeline.ingest(paths, [source], live=True, client=client(Sleeps()), quiet=True)
        # A complete HTTP answer whose JSON is cut: the wire was fine, the content is not.
        server.route(PATH, Reply(body=capture[: len(capture) // 3]))
        second = pipeline.ingest(paths, [source], live=True, client=client(Sleeps()), quiet=True)
    assert [r.status for r in second.results] == ["failed"]
    assert "invalid JSON" in second.results[0].message
    failed = [p for p in (paths.raw_dir / "lmarena" / "failed").iterdir() if not p.name.endswith(".meta.json")]
    assert len(failed) == 1 and failed[0].stat().st_size == len(capture) // 3
    replay = pipeline.ingest(paths, [source], live=False, offline=True, quiet=True)
    assert [r.status for r in replay.results] == ["unchanged"]
    assert capture_store.list_stored(paths.raw_dir, "lmarena")[0].read() == capture

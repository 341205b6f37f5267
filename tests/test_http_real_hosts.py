"""The HTTP client against what real hosts do, on a loopback server (tests/local_http.py): no network.

Compressed bodies with the compressed Content-Length (GitHub's raw host gzips the LMArena files),
chunked bodies, a 301 chain, conditional requests and 304, 429 with an HTTP-date Retry-After, a body
cut mid-way after compression, a slow trickle, spacing per host and the User-Agent's contact.
"""

from __future__ import annotations

import gzip
import time
from email.utils import formatdate
from pathlib import Path

import pytest

from ingest.base import IngestError
from ingest.http import HttpClient, user_agent
from kernel import __version__
from tests.local_http import Reply, Sleeps, local_server

LMARENA_JSON = "lmarena/arena_catalog_leaderboard-text_2025-12-11.json"
PATH = "/lmarena/arena-catalog/main/data/leaderboard-text.json"


def client(sleeps: Sleeps, **kw) -> HttpClient:
    kw.setdefault("timeout", 5.0)
    kw.setdefault("attempts", 3)
    kw.setdefault("min_interval", 0.0)
    return HttpClient(sleep=sleeps, **kw)


@pytest.fixture
def capture(shared_data: Path) -> bytes:
    return (shared_data / LMARENA_JSON).read_bytes()


# -- compressed bodies -------------------------------------------------------------------------
@pytest.mark.shared
@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
def test_a_compressed_body_with_its_compressed_length_arrives_whole_in_one_request(capture: bytes, encoding: str):
    """The bug this replaces: the compressed Content-Length was compared with the decoded body."""
    sleeps = Sleeps()
    with local_server() as server:
        url = server.route(PATH, Reply(body=capture, encoding=encoding))
        fetched = client(sleeps).fetch(url)
        assert server.hits[PATH] == 1
        accepted = server.requests[PATH][0]["accept-encoding"]
    assert fetched.body == capture and len(capture) == 1_330_569
    assert fetched.status == 200 and fetched.attempts == 1
    assert [e.strip() for e in accepted.split(",")][:3] == ["gzip", "deflate", "br"]
    assert sleeps == []


@pytest.mark.shared
def test_a_chunked_gzip_body_arrives_whole(capture: bytes):
    with local_server() as server:
        url = server.route(PATH, Reply(body=capture, encoding="gzip", chunked=True, chunk_size=4096))
        assert client(Sleeps()).get(url) == capture
        assert server.hits[PATH] == 1


@pytest.mark.shared
def test_a_gzipped_body_cut_mid_way_is_retried_then_named(capture: bytes):
    sleeps = Sleeps()
    with local_server() as server:
        url = server.route(PATH, Reply(body=capture, encoding="gzip", truncate_to=50_000))
        with pytest.raises(IngestError) as info:
            client(sleeps, attempts=2).get(url)
        assert server.hits[PATH] == 2
        assert str(info.value).startswith(f"{url}: connection dropped mid-body (")
        assert str(info.value).endswith(" after 2 attempts")
        # Cut once, whole the second time: the retry delivers the full capture.
        server.route(PATH, Reply(body=capture, encoding="gzip", truncate_to=50_000), Reply(body=capture))
        assert client(sleeps, attempts=2).get(url) == capture
    assert sleeps == [1.0, 1.0]


def test_a_slow_trickle_is_given_up_at_the_body_deadline():
    """Each chunk arrives well within the read timeout; only a deadline on the whole body stops it."""
    body = b"x" * 40
    with local_server() as server:
        url = server.route(PATH, Reply(body=body, chunked=True, chunk_size=1, trickle=0.1))
        started = time.monotonic()
        with pytest.raises(IngestError) as info:
            client(Sleeps(), timeout=2.0, body_deadline=0.5).get(url)
        took = time.monotonic() - started
        assert server.hits[PATH] == 1  # a slow host is not asked again
    assert took < 2.0
    assert str(info.value).startswith(f"{url}: body took longer than 0.5s to arrive (")
    assert str(info.value).endswith(" bytes so far); gave up")


# -- redirects ---------------------------------------------------------------------------------
@pytest.mark.shared
def test_a_301_chain_is_followed_and_the_final_url_kept(capture: bytes):
    paths = ["/old/leaderboard-text.json", "/moved/leaderboard-text.json", PATH]
    with local_server() as server:
        first = server.redirect_chain(paths, Reply(body=capture, encoding="gzip"))
        fetched = client(Sleeps()).fetch(first)
        assert [server.hits[p] for p in paths] == [1, 1, 1]
    assert fetched.body == capture
    assert fetched.url == first
    assert fetched.final_url == server.url(PATH)
    assert fetched.redirects == (server.url(paths[0]), server.url(paths[1]))


# -- conditional requests ----------------------------------------------------------------------
def test_a_304_to_a_conditional_request_carries_no_body():
    etag = 'W/"1144-0lLZ4rZ6fR3gbhjw06/nTxkknu0"'
    modified = "Thu, 11 Dec 2025 10:00:00 GMT"
    with local_server() as server:
        url = server.route(PATH, Reply(body=b"{}", etag=etag, last_modified=modified))
        first = client(Sleeps()).fetch(url)
        again = client(Sleeps()).fetch(url, etag=first.etag, last_modified=first.last_modified)
        by_date = client(Sleeps()).fetch(url, last_modified=modified)
        sent = server.requests[PATH]
    assert (first.status, first.etag, first.last_modified, first.body) == (200, etag, modified, b"{}")
    assert (again.status, again.not_modified, again.body) == (304, True, b"")
    assert (by_date.status, by_date.body) == (304, b"")
    assert "if-none-match" not in sent[0]
    assert (sent[1]["if-none-match"], sent[1]["if-modified-since"]) == (etag, modified)
    assert sent[2]["if-modified-since"] == modified


# -- rate limits -------------------------------------------------------------------------------
def test_a_429_with_an_http_date_retry_after_waits_until_that_date():
    when = time.time() + 20
    with local_server() as server:
        url = server.route(
            PATH, Reply(429, b"slow down", {"Retry-After": formatdate(when, usegmt=True)}), Reply(body=b"[]")
        )
        sleeps = Sleeps()
        assert client(sleeps, max_wait=60).get(url) == b"[]"
        assert server.hits[PATH] == 2
    # The header has whole seconds: the wait is what is left until that second.
    assert len(sleeps) == 1 and 18.0 < sleeps[0] <= 20.0


def test_a_429_with_seconds_waits_as_told():
    with local_server() as server:
        url = server.route(PATH, Reply(429, b"", {"Retry-After": "7"}), Reply(body=b"[]"))
        sleeps = Sleeps()
        assert client(sleeps).get(url) == b"[]"
    assert sleeps == [7.0]


# -- politeness --------------------------------------------------------------------------------
def test_requests_to_one_host_are_spaced_and_other_hosts_are_not_held_up():
    now = [100.0]
    sleeps = Sleeps()
    with local_server() as server:
        a = server.route("/a", Reply(body=b"a"))
        b = server.route("/b", Reply(body=b"b"))
        other = f"http://localhost:{server.port}/a"
        polite = HttpClient(sleep=sleeps, clock=lambda: now[0], min_interval=2.0)
        polite.get(a)
        now[0] += 0.5
        polite.get(b)  # same host 0.5 s later: waits the remaining 1.5 s
        polite.get(other)  # another host name: no wait
    assert sleeps == [1.5]


def test_the_user_agent_names_the_configured_contact_and_says_when_there_is_none():
    contact = "mailto:tracker-operator@example.org"
    with local_server() as server:
        url = server.route(PATH, Reply(body=b"[]"))
        client(Sleeps(), contact=contact).get(url)
        client(Sleeps()).get(url)
        agents = [r["user-agent"] for r in server.requests[PATH]]
    assert agents == [user_agent(contact), user_agent(None)]
    assert agents[0] == (
        f"flop-tracker/{__version__} (+mailto:tracker-operator@example.org; "
        "research crawler tracking AI training compute)"
    )
    assert agents[1] == (
        f"flop-tracker/{__version__} (contact not configured: see FLOP_TRACKER_CONTACT; "
        "research crawler tracking AI training compute)"
    )


def test_a_gzip_body_is_decoded_to_exactly_what_was_compressed():
    """A byte-exact check without the shared data: 64 KiB of mixed text through gzip and chunks."""
    body = b"".join(f'{{"model-{i}": {{"rating": {1000 + i * 0.37:.4f}}}}}\n'.encode() for i in range(2000))
    with local_server() as server:
        url = server.route(PATH, Reply(body=body, encoding="gzip", chunked=True, chunk_size=1000))
        assert client(Sleeps()).get(url) == body
    assert len(gzip.compress(body)) < len(body) // 3

"""Live ingest through a loopback host that behaves as the real ones: the done-when of issue 13 and the rest.

- `flop-tracker ingest lmarena --url URL`: a 301, then gzip with the compressed Content-Length, loads the
  real LMArena published JSON with the same rows as `--file` on the same file; the capture's sidecar keeps
  the final URL and the validators.
- A conditional request answered 304 records an `unchanged` run and stores nothing new.
- An HTML error page served with 200 at a JSON or feed URL fails that source and keeps the last good capture.
- Recorded real exchanges (tests/fixtures/recorded/) replayed over a socket: the Hub's 307 for a renamed
  repository, and a gzip body sent chunked.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import yaml

from flop_tracker import pipeline
from flop_tracker.cli import main
from ingest import captures as capture_store
from ingest.announcements import AnnouncementsSource, Feed
from ingest.http import HttpClient
from ingest.huggingface import HuggingFaceSource
from ingest.lmarena import LMArenaSource
from ingest.runner import Ingestor
from kernel.database import connect
from kernel.paths import DB_ENV, Paths
from tests.conftest import FIXTURES
from tests.local_http import Reply, cassette_routes, local_server

LMARENA_JSON = "lmarena/arena_catalog_leaderboard-text_2025-12-11.json"  # 7461 model-category scores
LMARENA_ROWS = 7461
PATH = "/lmarena/arena-catalog/main/data/leaderboard-text.json"
RECORDED = FIXTURES / "recorded"
SCORE_COLUMNS = (
    "model_key, display_name, category, style_control, score, score_low, score_high, votes, rank, "
    "rank_style_control, organization, license, capture_format"
)


def quick_client(**kw) -> HttpClient:
    kw.setdefault("attempts", 2)
    kw.setdefault("min_interval", 0.0)
    return HttpClient(sleep=lambda s: None, timeout=5.0, **kw)


def local_source(base: type, url: str):
    return type(f"Local{base.__name__}", (base,), {"live_urls": (url,)})()


def runs(db: Path) -> list[tuple]:
    con = connect(db)
    try:
        return con.execute("select source, origin, status, rows, error from raw.ingest_runs order by run_id").fetchall()
    finally:
        con.close()


def scores(db: Path) -> list[tuple]:
    con = connect(db)
    try:
        return con.execute(f"select {SCORE_COLUMNS} from raw.lmarena_scores order by all").fetchall()
    finally:
        con.close()


@pytest.mark.shared
def test_ingest_url_after_a_301_and_gzip_loads_the_same_rows_as_the_file(
    shared_data: Path, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    published = shared_data / LMARENA_JSON
    with local_server() as server:
        first = server.redirect_chain(
            ["/lmarena/arena-catalog/master/data/leaderboard-text.json", PATH],
            Reply(
                body=published.read_bytes(),
                encoding="gzip",
                headers={"Content-Type": "text/plain; charset=utf-8"},
                etag='W/"e0b2c1"',
            ),
        )
        code = main(["ingest", "lmarena", "--url", first, "--data-dir", str(data_dir)])
        out = capsys.readouterr().out
        assert server.hits[PATH] == 1
        accepted = server.requests[PATH][0]["accept-encoding"]
    assert code == 0, out
    assert "gzip" in accepted
    from_file = tmp_path / "from-file"
    assert main(["ingest", "lmarena", "--file", str(published), "--data-dir", str(from_file)]) == 0
    live_rows = scores(data_dir / "tracker.duckdb")
    assert len(live_rows) == LMARENA_ROWS
    assert live_rows == scores(from_file / "tracker.duckdb")
    [stored] = capture_store.list_stored(data_dir / "raw", "lmarena")
    assert stored.read() == published.read_bytes()
    sidecar = json.loads(stored.path.with_name(stored.path.name + ".meta.json").read_text())
    assert sidecar["origin"] == first
    assert sidecar["final_url"] == server.url(PATH)
    assert sidecar["content_type"] == "text/plain; charset=utf-8"
    assert sidecar["etag"] == 'W/"e0b2c1"'
    assert sidecar["filename"] == "leaderboard-text.json"
    assert [r[2:4] for r in runs(data_dir / "tracker.duckdb")] == [("ok", LMARENA_ROWS)]


@pytest.mark.shared
def test_a_304_records_an_unchanged_run_and_stores_nothing_new(
    shared_data: Path, paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    body = (shared_data / LMARENA_JSON).read_bytes()
    etag = '"5c1f-arena"'
    with local_server() as server:
        url = server.route(PATH, Reply(body=body, encoding="gzip", etag=etag))
        source = local_source(LMArenaSource, url)
        first = pipeline.ingest(paths, [source], client=quick_client(), quiet=True)
        second = pipeline.ingest(paths, [source], client=quick_client(), quiet=True)
        sent = server.requests[PATH]
        # A new database beside the same raw folder: the 304 confirms a capture it has not loaded.
        monkeypatch.setenv(DB_ENV, str(tmp_path / "fresh.duckdb"))
        third = pipeline.ingest(paths, [source], client=quick_client(), quiet=True)
    assert [(r.status, r.rows) for r in first.results] == [("ok", LMARENA_ROWS)]
    assert [(r.status, r.rows, r.message) for r in second.results] == [
        ("unchanged", 0, "not modified since the last fetch (HTTP 304)")
    ]
    assert second.results[0].line.endswith(" not modified since the last fetch (HTTP 304), nothing added")
    assert "if-none-match" not in sent[0] and sent[1]["if-none-match"] == etag
    assert [(r.status, r.rows) for r in third.results] == [("ok", LMARENA_ROWS)]
    assert len(capture_store.list_stored(paths.raw_dir, "lmarena")) == 1
    assert len(list((paths.raw_dir / "lmarena").iterdir())) == 2  # one capture and its sidecar
    assert runs(paths.data_dir / "tracker.duckdb") == [
        ("lmarena", url, "ok", LMARENA_ROWS, None),
        ("lmarena", url, "unchanged", 0, None),
    ]


def test_the_same_bytes_again_without_validators_is_an_unchanged_run(paths: Paths):
    body = (FIXTURES / "lmarena" / "mini_catalog.json").read_bytes()
    with local_server() as server:
        source = local_source(LMArenaSource, server.route(PATH, Reply(body=body)))
        pipeline.ingest(paths, [source], client=quick_client(), quiet=True)
        again = pipeline.ingest(paths, [source], client=quick_client(), quiet=True)
    assert [(r.status, r.message) for r in again.results] == [("unchanged", "same bytes as a capture already loaded")]
    assert [r[2] for r in runs(paths.data_dir / "tracker.duckdb")] == ["ok", "unchanged"]


ERROR_PAGE = (
    b"<!DOCTYPE html><html><head><title>Rate limit exceeded</title></head>"
    b"<body><h1>Too many requests</h1><p>Please try again later.</p></body></html>"
)


def test_an_html_error_page_with_status_200_at_a_json_url_fails_and_the_good_capture_stays(paths: Paths):
    good = (FIXTURES / "lmarena" / "mini_catalog.json").read_bytes()
    with local_server() as server:
        url = server.route(PATH, Reply(body=good))
        source = local_source(LMArenaSource, url)
        pipeline.ingest(paths, [source], client=quick_client(), quiet=True)
        server.route(PATH, Reply(body=ERROR_PAGE, headers={"Content-Type": "text/html; charset=utf-8"}))
        second = pipeline.ingest(paths, [source], client=quick_client(), quiet=True)
    [result] = second.results
    assert result.status == "failed"
    assert result.message.endswith("HTML without window.gradio_config: not an LMArena leaderboard page")
    failed = [p.name for p in (paths.raw_dir / "lmarena" / "failed").iterdir() if not p.name.endswith(".meta.json")]
    assert len(failed) == 1
    [kept] = capture_store.list_stored(paths.raw_dir, "lmarena")
    assert kept.read() == good
    replay = pipeline.ingest(paths, [source], live=False, offline=True, quiet=True)
    assert [r.status for r in replay.results] == ["unchanged"]


def test_an_html_page_with_status_200_at_a_feed_url_is_named(paths: Paths):
    with local_server() as server:
        url = server.route("/blog/rss/", Reply(body=ERROR_PAGE, headers={"Content-Type": "text/html"}))
        source = AnnouncementsSource(feeds=(Feed("Google", url, "rss"),))
        summary = pipeline.ingest(paths, [source], client=quick_client(), quiet=True)
    [result] = summary.results
    assert result.status == "failed"
    assert result.message.endswith("an HTML page, not a feed (the feed URL may have moved)")


def test_one_unreachable_address_never_stops_the_next(paths: Paths):
    good = (FIXTURES / "lmarena" / "mini_catalog.json").read_bytes()
    with local_server() as server:
        broken = server.route("/broken.json", Reply(404, b"gone"))
        fine = server.route(PATH, Reply(body=good, encoding="gzip"))
        summary = pipeline.ingest(
            paths, [LMArenaSource()], client=quick_client(), quiet=True, urls={"lmarena": (broken, fine)}
        )
    assert [r.status for r in summary.results[:2]] == ["unreachable", "ok"]
    assert summary.results[0].message == f"{broken}: HTTP 404"


# -- recorded real exchanges -------------------------------------------------------------------
def test_the_hubs_recorded_307_for_a_renamed_repository_is_followed_and_loaded(paths: Paths):
    with local_server() as server:
        cassette_routes(server, RECORDED / "hub_model_api_307_bert.yaml")
        url = server.url("/api/models/bert-base-uncased")
        with Ingestor(paths, [HuggingFaceSource()]) as ingestor:
            result = ingestor.ingest_url(HuggingFaceSource(), url, quick_client())
            again = ingestor.ingest_url(HuggingFaceSource(), url, quick_client())
            row = ingestor.con.execute(
                "select repo_id, author, total_parameters, architecture, model_type from raw.huggingface_models"
            ).fetchall()
        sent = server.requests["/api/models/bert-base-uncased"]
    assert (result.status, result.rows) == ("ok", 1)
    assert row == [("google-bert/bert-base-uncased", "google-bert", 110_106_428, "BertForMaskedLM", "bert")]
    [stored] = capture_store.list_stored(paths.raw_dir, "huggingface")
    assert stored.meta.final_url == server.url("/api/models/google-bert/bert-base-uncased")
    assert stored.meta.etag == 'W/"1144-0lLZ4rZ6fR3gbhjw06/nTxkknu0"'
    assert stored.meta.content_type == "application/json; charset=utf-8"
    assert len(stored.read()) == 4420  # the recorded Content-Length
    # Asked again with the recorded ETag, the host answers 304 (after the same 307).
    assert sent[1]["if-none-match"] == 'W/"1144-0lLZ4rZ6fR3gbhjw06/nTxkknu0"'
    assert again.status == "unchanged"


def test_a_recorded_gzip_body_sent_chunked_decodes_to_the_recorded_json():
    cassette = RECORDED / "together_chat_gzip_chunked.yaml"
    recorded = yaml.safe_load(cassette.read_text(encoding="utf-8"))["interactions"][0]["response"]
    with local_server() as server:
        cassette_routes(server, cassette, method="POST")
        fetched = quick_client().fetch(server.url("/v1/chat/completions"))
    assert recorded["headers"]["Content-Encoding"] == ["gzip"]
    assert recorded["headers"]["Transfer-Encoding"] == ["chunked"]
    # The route answers as recorded last; the body is what the host's gzip stream holds.
    last = yaml.safe_load(cassette.read_text(encoding="utf-8"))["interactions"][-1]["response"]
    assert fetched.body == gzip.decompress(last["body"]["string"])
    assert len(fetched.body) == 4314
    assert json.loads(fetched.body)["object"] == "chat.completion"
    assert fetched.etag == last["headers"]["ETag"][0]

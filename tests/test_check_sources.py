"""`flop-tracker check-sources`: each live address fetched once and reported, nothing written."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from flop_tracker.check_sources import short_address
from flop_tracker.cli import main
from ingest.settings import SETTINGS_ENV
from tests.local_http import Reply, local_server

LMARENA_JSON = "lmarena/arena_catalog_leaderboard-text_2025-12-11.json"
EPOCH_CSV = "epoch/large_scale_ai_models_2025-05-20.csv"
ERROR_PAGE = b"<!DOCTYPE html><html><body><h1>Service unavailable</h1></body></html>"


@pytest.fixture
def hosts(shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A loopback host serving LMArena (after a 301, gzipped), Epoch, an HTML page at a feed URL, a 404."""
    with local_server() as server:
        lmarena = server.redirect_chain(
            ["/old/leaderboard-text.json", "/data/leaderboard-text.json"],
            Reply(
                body=(shared_data / LMARENA_JSON).read_bytes(),
                encoding="gzip",
                headers={"Content-Type": "application/json; charset=utf-8"},
            ),
        )
        epoch = server.route(
            "/data/large_scale_ai_models.csv",
            Reply(body=(shared_data / EPOCH_CSV).read_bytes(), headers={"Content-Type": "text/csv"}),
        )
        feed = server.route("/blog/rss/", Reply(body=ERROR_PAGE, headers={"Content-Type": "text/html"}))
        gone = server.route("/gone.xml", Reply(404, b"not found"))
        settings = tmp_path / "settings.toml"
        settings.write_text(
            "[http]\nmin_interval_seconds = 0\nattempts = 1\n\n"
            f'[sources.lmarena]\nurls = ["{lmarena}"]\n\n'
            f'[sources.epoch]\nurls = ["{epoch}"]\n\n'
            f'[sources.announcements]\nurls = ["{feed}", "{gone}"]\n'
        )
        monkeypatch.setenv(SETTINGS_ENV, str(settings))
        yield server, {"lmarena": lmarena, "epoch": epoch, "feed": feed, "gone": gone}


@pytest.mark.shared
def test_json_reports_each_address_and_nothing_is_written(
    hosts, shared_data: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
):
    server, urls = hosts
    code = main(["check-sources", "lmarena", "epoch", "announcements", "--format", "json"])
    out = capsys.readouterr().out
    assert code == 1  # two addresses did not parse
    report = json.loads(out)
    assert [list(r) for r in report] == [
        [
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
        ]
    ] * 4
    lmarena, epoch, feed, gone = report
    assert (lmarena["source"], lmarena["url"], lmarena["final_url"]) == (
        "lmarena",
        urls["lmarena"],
        server.url("/data/leaderboard-text.json"),
    )
    assert (lmarena["result"], lmarena["http_status"], lmarena["content_type"]) == (
        "ok",
        200,
        "application/json; charset=utf-8",
    )
    assert (lmarena["bytes"], lmarena["rows"], lmarena["error"]) == (1_330_569, 7461, "")
    assert (lmarena["newest_data_date"], lmarena["data_date_basis"]) == (None, "none")  # the JSON states none
    with open(shared_data / EPOCH_CSV, newline="", encoding="utf-8") as handle:
        published = [r["Publication date"] for r in csv.DictReader(handle) if r["Publication date"]]
    assert (epoch["result"], epoch["bytes"], epoch["rows"]) == ("ok", (shared_data / EPOCH_CSV).stat().st_size, 311)
    assert epoch["newest_data_date"] == max(published) == "2025-04-29"
    assert epoch["data_date_basis"] == "newest row"
    assert (feed["result"], feed["http_status"], feed["rows"], feed["error"]) == (
        "failed",
        200,
        None,
        "an HTML page, not a feed (the feed URL may have moved)",
    )
    assert (gone["result"], gone["http_status"], gone["error"]) == ("unreachable", None, "HTTP 404")
    assert list(data_dir.iterdir()) == []  # no database, no stored capture


@pytest.mark.shared
def test_the_table_fits_80_columns_and_names_each_failure(hosts, capsys: pytest.CaptureFixture[str]):
    server, urls = hosts
    assert main(["check-sources", "lmarena", "epoch", "announcements"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= 80, "\n".join(lines)
    text = "\n".join(lines)
    assert any(line.split()[:2] == ["source", "address"] and "newest" in line for line in lines if line.strip())
    assert "200 ok" in text and "7461" in text and "2025-04-29" in text
    assert "announcements 127.0.0.1/…/rss: failed: an HTML page, not a feed" in text
    assert "announcements 127.0.0.1/gone.xml: unreachable: HTTP 404" in text
    assert "2 of 4 addresses fetched and parsed" in text
    assert "note: no contact in the User-Agent" in text


def test_url_checks_one_source_at_another_address(data_dir: Path, capsys: pytest.CaptureFixture[str]):
    body = (Path(__file__).parent / "fixtures" / "lmarena" / "mini_catalog.json").read_bytes()
    with local_server() as server:
        url = server.route("/mirror/leaderboard-text.json", Reply(body=body, encoding="br"))
        code = main(["check-sources", "lmarena", "--url", url, "--format", "json"])
    [row] = json.loads(capsys.readouterr().out)
    assert code == 0
    assert (row["url"], row["result"], row["bytes"], row["rows"]) == (url, "ok", len(body), 3)


def test_help_teaches_with_examples(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit):
        main(["check-sources", "--help"])
    out = capsys.readouterr().out
    assert "flop-tracker check-sources lmarena --url https://mirror.example/leaderboard-text.json" in out
    assert "--format json" in out and "nothing is stored" in out


def test_short_addresses_keep_the_host_and_the_name():
    assert short_address("https://raw.githubusercontent.com/lmarena/arena-catalog/main/data/x.json") == (
        "raw.githubus…/…/x.json"
    )
    assert short_address("https://openlm.ai/chatbot-arena/") == "openlm.…/chatbot-arena"
    assert short_address("https://huggingface.co/api/models?author=openai&sort=createdAt&limit=50") == (
        "…/models?author=openai"
    )
    assert short_address("https://epoch.ai/data/large_scale_ai_models.csv") == "…e_scale_ai_models.csv"


def test_a_real_feed_that_stopped_has_the_data_to_be_reported_stale(data_dir: Path, capsys: pytest.CaptureFixture[str]):
    """The community xAI mirror as GitHub's raw host served it (gzipped): its newest post is 2026-05-21,
    more than its seed limit before the mirror's last build, so `status` can call it stale."""
    from datetime import date

    from ingest.announcements import load_feeds

    mirror = "https://raw.githubusercontent.com/Olshansk/rss-feeds/main/feeds/feed_xainews.xml"
    [feed] = [f for f in load_feeds() if f.url == mirror]
    body = (Path(__file__).parent / "fixtures" / "recorded" / "feed_xainews_2026-08-22.xml").read_bytes()
    with local_server() as server:
        url = server.route(
            "/Olshansk/rss-feeds/main/feeds/feed_xainews.xml",
            Reply(body=body, encoding="gzip", headers={"Content-Type": "text/plain; charset=utf-8"}),
        )
        assert main(["check-sources", "announcements", "--url", url, "--format", "json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["result"], row["rows"], row["newest_data_date"]) == ("ok", 39, "2026-05-21")
    assert feed.stale_after_days == 60
    built = date(2026, 8, 22)  # the feed's own lastBuildDate: already stale the day it was built
    assert (built - date.fromisoformat(row["newest_data_date"])).days == 93 > feed.stale_after_days


def test_lmarenas_data_date_is_the_datas_own_never_the_day_of_the_check(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
):
    """The dataset states its publication date; the catalog JSON states none, so only a Last-Modified
    header dates it, and without one the check says the data is undated rather than today's."""
    from tests.test_lmarena_dataset import ROWS, parquet

    catalog = (Path(__file__).parent / "fixtures" / "lmarena" / "mini_catalog.json").read_bytes()
    with local_server() as server:
        dataset = server.route(
            "/datasets/lmarena-ai/leaderboard-dataset/resolve/main/text/latest-00000-of-00001.parquet",
            Reply(body=parquet(ROWS["text"]), headers={"Content-Type": "application/octet-stream"}),
        )
        undated = server.route("/data/leaderboard-text.json", Reply(body=catalog))
        modified = server.route(
            "/mirror/leaderboard-text.json", Reply(body=catalog, last_modified="Thu, 11 Dec 2025 10:00:00 GMT")
        )
        code = main(
            ["check-sources", "lmarena", "--url", dataset, "--url", undated, "--url", modified, "--format", "json"]
        )
        report = json.loads(capsys.readouterr().out)
        assert main(["check-sources", "lmarena", "--url", dataset, "--url", undated]) == 0
        table = capsys.readouterr().out
    assert code == 0
    assert [(r["rows"], r["newest_data_date"], r["data_date_basis"]) for r in report] == [
        (44, "2026-10-02", "content"),
        (3, None, "none"),
        (3, "2025-12-11", "last-modified"),
    ]
    assert "2026-10-02" in table and "undated" in table

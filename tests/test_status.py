"""`flop-tracker status` and the end of `run`: dbt's source freshness on the data date, live attempts, lab feeds."""

from __future__ import annotations

import contextlib
import io
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from flop_tracker.cli import main
from flop_tracker.commands.status_cmd import EXIT_STALE
from ingest import registry
from ingest.announcements import load_feeds
from ingest.base import CaptureMeta
from ingest.loader import record_failure
from ingest.runner import Ingestor
from kernel.paths import DB_ENV, PROJECT_ROOT, Paths
from tests.conftest import FIXTURES, SHARED_DATA

pytestmark = pytest.mark.dbt

KEYS = ["source", "last_attempt", "result", "newest_data_date", "age_days", "limit_days", "state"]
XAI_FEED = "https://raw.githubusercontent.com/Olshansk/rss-feeds/main/feeds/feed_xainews.xml"
RECORDED_XAI = PROJECT_ROOT / "tests" / "fixtures" / "recorded" / "feed_xainews_2026-08-22.xml"
LMARENA_URL = registry.get("lmarena").live_urls[0]


def today() -> date:
    return datetime.now(UTC).date()


def cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(args))
    return code, out.getvalue()


@pytest.fixture(scope="module")
def shared_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    """`flop-tracker run --offline --fail-on-stale` once on ../shared/data."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real captures not found at {SHARED_DATA} (the shared data folder is absent)")
    data = tmp_path_factory.mktemp("status") / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(DB_ENV, raising=False)
        code, out = cli("run", "--offline", "--captures", str(SHARED_DATA), "--data-dir", str(data), "--fail-on-stale")
    return data, code, out


@pytest.mark.shared
def test_run_ends_with_the_status_table_and_fails_on_stale(shared_run):
    data, code, out = shared_run
    assert "build ok" in out
    assert code == EXIT_STALE  # the build succeeded; the shared captures are months old
    table = out[out.index("Sources: how old the newest data is") :]
    age = (today() - date(2025, 12, 17)).days
    assert re.search(rf"^lmarena +never +2025-12-17 +{age}d +14d stale$", table, re.M), table
    assert re.search(r"^previous_system +never +2025-08-15 +\d+d +none fresh$", table, re.M), table
    assert re.search(r"^manual +never +none never$", table, re.M), table
    assert max(len(line) for line in out.splitlines()) <= 80


@pytest.mark.shared
def test_status_json_and_exit_status_on_the_shared_data(shared_run, monkeypatch: pytest.MonkeyPatch):
    data, _, _ = shared_run
    monkeypatch.delenv(DB_ENV, raising=False)
    code, out = cli("status", "--data-dir", str(data), "--format", "json")
    assert code == 0  # stale, but not asked to fail
    lines = json.loads(out)
    assert all(list(line) == KEYS for line in lines)
    by_source = {line["source"]: line for line in lines}
    assert list(by_source)[:10] == list(registry.SOURCES)  # no feed lines: no announcement was ever loaded
    assert by_source["lmarena"] == {
        "source": "lmarena",
        "last_attempt": None,  # offline: never tried live
        "result": None,
        "newest_data_date": "2025-12-17",  # the published catalog's own date, not the day it was loaded
        "age_days": (today() - date(2025, 12, 17)).days,
        "limit_days": 14,
        "state": "stale",
    }
    assert by_source["epoch"]["newest_data_date"] == "2026-07-19"  # the 2026 Notable export
    assert (by_source["announcements"]["state"], by_source["announcements"]["newest_data_date"]) == ("never", None)
    assert by_source["open_llm_leaderboard"]["limit_days"] is None  # retired: no limit, never stale
    assert cli("status", "--data-dir", str(data), "--fail-on-stale")[0] == EXIT_STALE


def test_feeds_attempts_and_results(paths: Paths):
    """A stopped feed mirror is stale by its own limit; the last live attempt says ok, degraded or unreachable."""
    announcements, epoch = registry.get("announcements"), registry.get("epoch")
    xai = next(f for f in load_feeds() if f.url == XAI_FEED)
    mini = (FIXTURES / "epoch" / "mini_epoch.csv").read_text().replace("Hardware quantity", "GPU count")
    now = datetime.now(UTC).replace(tzinfo=None)
    with Ingestor(paths, list(registry.SOURCES.values())) as ingestor:
        feed = ingestor.ingest_bytes(
            announcements, RECORDED_XAI.read_bytes(), CaptureMeta(XAI_FEED, now, "feed_xainews.xml")
        )
        live_epoch = ingestor.ingest_bytes(
            epoch, mini.encode(), CaptureMeta("https://epoch.ai/data/notable_ai_models.csv", now, "notable.csv")
        )
        record_failure(ingestor.con, "lmarena", LMARENA_URL, "connection refused", now, status="unreachable")
    assert (feed.status, feed.rows, live_epoch.status) == ("ok", 39, "degraded")
    code, out = cli("status", "--format", "json", "--fail-on-stale")
    assert code == EXIT_STALE
    by_source = {line["source"]: line for line in json.loads(out)}
    assert len(by_source) == 10 + len(load_feeds())  # every feed of the seed, once announcements has data
    stopped = by_source[f"feed:{XAI_FEED}"]
    assert (stopped["result"], stopped["newest_data_date"], stopped["limit_days"]) == ("ok", "2026-05-21", 60)
    assert stopped["age_days"] == (today() - date(2026, 5, 21)).days
    assert stopped["state"] == ("stale" if stopped["age_days"] > xai.stale_after_days else "fresh")
    assert by_source[f"feed:{load_feeds()[0].url}"]["state"] == "never"
    # A live Epoch export is as of its fetch (daily-updated downloads): fresh, though it lacked a column.
    assert by_source["epoch"]["result"] == "degraded"
    assert (by_source["epoch"]["newest_data_date"], by_source["epoch"]["state"]) == (today().isoformat(), "fresh")
    assert by_source["lmarena"]["result"] == "unreachable" and by_source["lmarena"]["state"] == "never"
    assert by_source["lmarena"]["last_attempt"].startswith(now.date().isoformat())
    code, out = cli("status")
    assert code == 0
    assert re.search(r"^  xAI rss +\S+ +ok +2026-05-21 +\d+d +60d (stale|fresh)$", out, re.M), out
    assert re.search(r"^  hf:xai-org +never +180d never$", out, re.M), out
    assert max(len(line) for line in out.splitlines()) <= 80

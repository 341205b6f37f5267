"""History, changes and the site on the real captures in ../shared/data.

A build of every shared capture except LMArena's published leaderboard JSON of 2025-12-11 (and its
style-controlled twin of 2025-12-17, so the newer capture has models to bring), then that one
capture ingested and built: `changes` must list as new models exactly the models the capture
brought in, computed here from the capture's own names. Then `flop-tracker site` on that database,
loaded in headless Chromium, with the screenshots the README shows.

The screenshots go to a temporary folder, or to $FLOP_TRACKER_SCREENSHOTS when set
(`FLOP_TRACKER_SCREENSHOTS=docs pytest tests/test_publish_shared.py -k screenshots` refreshes the
README's).
"""

from __future__ import annotations

import os
import shutil
import struct
from pathlib import Path

import duckdb
import pytest
from bs4 import BeautifulSoup

from flop_tracker import changes, pipeline
from flop_tracker.site import build_site, page_name
from ingest.captures import sha256_of
from ingest.runner import Ingestor, saved_captures
from kernel.paths import PROJECT_ROOT, Paths
from tests.browser import chromium, open_index, open_page, shown_ids
from tests.conftest import SHARED_DATA

NEW = SHARED_DATA / "lmarena" / "arena_catalog_leaderboard-text_2025-12-11.json"
HELD_BACK = {NEW.name, "arena_catalog_leaderboard-text-style-control_2025-12-17.json"}

pytestmark = [pytest.mark.shared, pytest.mark.dbt]


def _ids(paths: Paths, sql: str = "select model_id from main.models", params: list | None = None) -> set[str]:
    con = duckdb.connect(str(paths.db), read_only=True)
    try:
        return {r[0] for r in con.execute(sql, params or []).fetchall()}
    finally:
        con.close()


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory):
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real captures not found at {SHARED_DATA} (the shared data folder is absent)")
    root = tmp_path_factory.mktemp("publish")
    paths = Paths(root / "data")
    others = [s for s in pipeline.selected_sources(None) if s.name != "lmarena"]
    summary = pipeline.ingest(paths, others, live=False, captures_dir=SHARED_DATA, quiet=True)
    assert not summary.failed, [r.line for r in summary.failed]
    lmarena = pipeline.selected_sources(["lmarena"])[0]
    with Ingestor(paths, pipeline.selected_sources(None)) as ingestor:
        files = [p for p in saved_captures(lmarena, SHARED_DATA) if p.name not in HELD_BACK]
        assert all(r.status == "ok" for r in ingestor.ingest_files(lmarena, files))
    first = pipeline.build(paths)
    assert first.success, first.failures or first.error
    before = _ids(paths)
    with Ingestor(paths, pipeline.selected_sources(None)) as ingestor:
        assert ingestor.ingest_file(lmarena, NEW).status == "ok"
    second = pipeline.build(paths)
    assert second.success, second.failures or second.error
    site = root / "site"
    build_site(paths, site)
    yield paths, before, site
    shutil.rmtree(root, ignore_errors=True)


def test_changes_list_the_models_the_new_capture_brought_in(shared):
    paths, before, _ = shared
    after = _ids(paths)
    named = _ids(
        paths,
        "select names.model_id from intermediate.int_model_names_normalized as names "
        "where names.source_name = 'lmarena' and not names.is_excluded and names.raw_name in "
        "(select model_name from staging.stg_lmarena__scores where capture_sha256 = ?)",
        [sha256_of(NEW.read_bytes())],
    )
    brought = (named & after) - before
    report = changes.changes(paths)
    assert report.baseline.build_id == 1 and report.newest.build_id == 2
    new_models = [row["model_id"] for row in report.lists["new_models"]]
    assert sorted(new_models) == sorted(brought)
    assert len(brought) == 26
    assert set(after) - set(before) == brought  # nothing else became a model
    assert report.lists["gone_models"] == []
    # every new model that entered the candidates file is in new_candidates too
    new_candidates = {row["model_id"] for row in report.lists["new_candidates"]}
    assert {row["model_id"] for row in report.lists["new_models"] if row["dataset_file"] == "candidates"} <= (
        new_candidates
    )


def test_the_site_holds_every_model_with_a_page_each(shared):
    paths, _, site = shared
    ids = _ids(paths)
    rows = BeautifulSoup((site / "index.html").read_text(), "html.parser").select("#models-table tbody tr")
    assert sorted(r["data-model-id"] for r in rows) == sorted(ids)
    assert sorted(p.name for p in (site / "models").iterdir()) == sorted(page_name(i) for i in ids)


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


@pytest.mark.browser
def test_the_site_in_chromium_and_its_screenshots(shared, tmp_path: Path):
    paths, _, site = shared
    ids = _ids(paths)
    out = Path(os.environ.get("FLOP_TRACKER_SCREENSHOTS") or tmp_path / "screenshots")
    out = out if out.is_absolute() else PROJECT_ROOT / out
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(paths.db), read_only=True)
    try:  # the page to show: the top candidate with the most methods behind its estimate
        (example,) = con.execute(
            "select models.model_id from main.models as models join intermediate.int_estimates_ranked as ranked "
            "using (model_id) where models.dataset_file = 'candidates' group by models.model_id, models.training_flop "
            "order by count(*) desc, models.training_flop desc, models.model_id limit 1"
        ).fetchone()
    finally:
        con.close()
    with chromium(tmp_path / "profile") as browser:
        page, watched = open_index(browser, site)
        assert page.evaluate("window.flopTrackerTable.rows().count()") == len(ids)
        assert set(shown_ids(page)) == ids
        page.select_option("#filter-classification", "likely_above_1e25")
        likely = _ids(paths, "select model_id from main.models where threshold_classification = 'likely_above_1e25'")
        assert set(shown_ids(page)) == likely and 0 < len(likely) < len(ids)
        page.select_option("#filter-classification", "")
        page.evaluate("document.getElementById('models').scrollIntoView()")  # the filters and the first rows
        page.screenshot(path=str(out / "site_index.png"))
        model, model_watched = open_page(browser, (site / "models" / page_name(example)).as_uri())
        model.screenshot(path=str(out / "site_model.png"), full_page=True)
        assert watched.problems == model_watched.problems == []
        assert watched.remote_requests == model_watched.remote_requests == []
    assert _png_size(out / "site_index.png") == (1280, 900)
    width, height = _png_size(out / "site_model.png")
    assert width == 1280 and height > 900

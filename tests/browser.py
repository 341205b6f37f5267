"""Headless Chromium for tests, driven by playwright (the Debian browser at /usr/bin/chromium; no download).

A page is opened with listeners that keep every console message, page error and request, so a
test can assert that nothing failed and that no request left the file system.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_SCHEMES = {"file", "blob", "data", "about"}


@dataclass
class Watched:
    """What a page did: console messages (type, text), uncaught errors, requested URLs."""

    console: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return [f"{kind}: {text}" for kind, text in self.console if kind in {"error", "warning"}] + self.errors

    @property
    def remote_requests(self) -> list[str]:
        return [url for url in self.requests if url.split(":", 1)[0].lower() not in LOCAL_SCHEMES]


@contextmanager
def chromium(user_data_dir: Path) -> Iterator[object]:
    """A fresh headless Chromium context (its own profile folder); skips when the browser is absent, except in
    CI, which installs it (.ci/run): there a missing browser fails instead of skipping every browser test."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {CHROMIUM} is absent; .ci/run installs Debian's chromium before the tests")
        pytest.skip(f"{CHROMIUM} is absent (.ci/run installs Debian's chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            str(user_data_dir),
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(user_data_dir, ignore_errors=True)


def open_page(context: object, url: str) -> tuple[object, Watched]:
    """A new page at `url`, watched from its first request."""
    watched = Watched()
    page = context.new_page()
    page.on("console", lambda message: watched.console.append((message.type, message.text)))
    page.on("pageerror", lambda error: watched.errors.append(str(error)))
    page.on("request", lambda request: watched.requests.append(request.url))
    page.goto(url)
    return page, watched


def open_index(context: object, site: Path) -> tuple[object, Watched]:
    """index.html with its table's scripts run (DataTables ready)."""
    page, watched = open_page(context, (site / "index.html").as_uri())
    page.wait_for_selector("body[data-table-ready=true]", timeout=30_000)
    return page, watched


def shown_ids(page: object) -> list[str]:
    """model_ids of the rows the table's search and filters leave, in the table's current order."""
    return page.evaluate(
        "window.flopTrackerTable.rows({search: 'applied', order: 'current'}).nodes().toArray()"
        ".map(row => row.dataset.modelId)"
    )


def click_and_wait_for_draw(page: object, selector: str) -> None:
    """Click (a column header) and wait until the table has drawn again.

    DataTables orders on a header click in a timer (it shows its 'processing' state first), so
    the rows read straight after the click can still be in the old order on a busy machine.
    """
    page.evaluate(
        "() => { window.flopTrackerDrawn = false;"
        " window.flopTrackerTable.one('draw', () => { window.flopTrackerDrawn = true; }); }"
    )
    page.click(selector)
    # a promise in the page, not wait_for_function: its polling evaluates a string, which the site's CSP refuses
    page.evaluate(
        "() => new Promise(resolve => window.flopTrackerDrawn ? resolve(true)"
        " : window.flopTrackerTable.one('draw', () => resolve(true)))"
    )

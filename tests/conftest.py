"""Shared pytest fixtures: a throwaway data directory, and the real captures in ../shared/data."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kernel.paths import PROJECT_ROOT, Paths

SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def shared_data() -> Path:
    """The real captures beside the project; tests that need them skip, saying why, when absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real captures not found at {SHARED_DATA} (the shared data folder is absent)")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _no_local_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read a developer's flop-tracker.toml or contact: an empty settings file is in force."""
    empty = tmp_path_factory.getbasetemp() / "empty-settings.toml"
    if not empty.exists():
        empty.write_text("")
    monkeypatch.setenv("FLOP_TRACKER_SETTINGS", str(empty))
    monkeypatch.delenv("FLOP_TRACKER_CONTACT", raising=False)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data directory for this test, also exported so dbt and subcommands use it."""
    path = tmp_path / "data"
    path.mkdir()
    monkeypatch.setenv("FLOP_TRACKER_DATA_DIR", str(path))
    monkeypatch.delenv("FLOP_TRACKER_DB", raising=False)
    return path


@pytest.fixture
def paths(data_dir: Path) -> Paths:
    return Paths(data_dir)


@pytest.fixture(scope="session")
def shared_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Paths]:
    """Every real capture in ../shared/data ingested and built once per test session (read it, never build it)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real captures not found at {SHARED_DATA} (the shared data folder is absent)")
    from flop_tracker import pipeline

    paths = Paths(tmp_path_factory.mktemp("shared") / "data")
    summary = pipeline.ingest(paths, pipeline.selected_sources(None), live=False, captures_dir=SHARED_DATA, quiet=True)
    assert not summary.failed, [r.line for r in summary.failed]
    outcome = pipeline.build(paths)
    assert outcome.success, outcome.failures or outcome.error
    yield paths
    shutil.rmtree(paths.data_dir, ignore_errors=True)


@pytest.fixture
def decisions_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The repository's decision seeds copied to a folder of this test, which dbt and the commands use."""
    folder = tmp_path / "decisions"
    shutil.copytree(PROJECT_ROOT / "seeds" / "decisions", folder)
    monkeypatch.setenv("FLOP_TRACKER_DECISIONS_DIR", str(folder))
    return folder


def ingest_mini_captures(paths: Paths) -> None:
    """Load the mini LMArena table and Epoch export (every source's raw tables are created)."""
    from flop_tracker import pipeline
    from ingest.runner import Ingestor

    lmarena, epoch = pipeline.selected_sources(["lmarena", "epoch"])
    with Ingestor(paths, pipeline.selected_sources(None)) as ingestor:
        assert ingestor.ingest_file(lmarena, FIXTURES / "lmarena" / "mini_table.csv").status == "ok"
        assert ingestor.ingest_file(epoch, FIXTURES / "epoch" / "mini_epoch.csv").status == "ok"

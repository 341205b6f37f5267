"""Shared set-up for the review tests: a small built database, copied per test, and pipe-driven prompts.

The database is built once per pytest process from tests/fixtures/review (an Epoch export
with Zeta Ultra 4.5e25, Eta Large 1.5e25, Theta Small 5e24 and a name carrying terminal
escapes) plus the curated seeds; each test gets its own copy and its own decisions folder.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kernel.paths import DECISIONS_ENV, PROJECT_ROOT, Paths
from tests.conftest import FIXTURES

REVIEW_FIXTURES = FIXTURES / "review"
OLD_TRACKER = REVIEW_FIXTURES / "old_tracker"
_BUILT: dict[str, Path] = {}


def built_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data directory of one fixture build, shared by every test of this process (read only)."""
    if "data" not in _BUILT:
        from flop_tracker.cli import main

        root = tmp_path_factory.mktemp("review_build")
        decisions = root / "decisions"
        shutil.copytree(PROJECT_ROOT / "seeds" / "decisions", decisions)
        data = root / "data"
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv(DECISIONS_ENV, str(decisions))
            mp.setenv("FLOP_TRACKER_DATA_DIR", str(data))
            mp.delenv("FLOP_TRACKER_DB", raising=False)
            code = main(["run", "--offline", "--captures", str(REVIEW_FIXTURES), "--data-dir", str(data)])
        assert code == 0, "fixture build failed"
        _BUILT["data"] = data
    return _BUILT["data"]


@dataclass
class ReviewEnv:
    data_dir: Path
    decisions_dir: Path

    @property
    def paths(self) -> Paths:
        return Paths(self.data_dir)

    @property
    def seed(self) -> Path:
        return self.decisions_dir / "review_decisions.csv"

    @property
    def manual(self) -> Path:
        return self.decisions_dir / "manual_models.csv"

    def env(self, **extra: str) -> dict[str, str]:
        """Environment for a subprocess: this data dir and decisions dir, no CPR queries."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("FLOP_TRACKER_")}
        env.update(
            {
                DECISIONS_ENV: str(self.decisions_dir),
                "FLOP_TRACKER_DATA_DIR": str(self.data_dir),
                "PROMPT_TOOLKIT_NO_CPR": "1",
                "TERM": "xterm",
                "NO_COLOR": "1",
                "PYTHONPATH": str(PROJECT_ROOT),
            }
        )
        env.update(extra)
        return env


def copy_environment(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ReviewEnv:
    """A private copy of the built database and of the repository's (empty) decisions seeds."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy2(built / "tracker.duckdb", data / "tracker.duckdb")
    for sub in ("clean", "staging"):
        shutil.copytree(built / sub, data / sub)
    decisions = tmp_path / "decisions"
    shutil.copytree(PROJECT_ROOT / "seeds" / "decisions", decisions)
    monkeypatch.setenv(DECISIONS_ENV, str(decisions))
    monkeypatch.setenv("FLOP_TRACKER_DATA_DIR", str(data))
    monkeypatch.delenv("FLOP_TRACKER_DB", raising=False)
    monkeypatch.delenv("FLOP_TRACKER_REVIEWER", raising=False)
    return ReviewEnv(data, decisions)


def cli_command(*args: str) -> tuple[str, list[str]]:
    """(program, args) running the console script's main in a fresh interpreter."""
    return sys.executable, ["-m", "flop_tracker.cli", *args]


def read_csv(path: Path) -> list[dict[str, str]]:
    import csv

    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def by_id(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["model_id"]: r for r in rows}

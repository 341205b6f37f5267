"""Saved captures parsed on every core load exactly as they would one at a time."""

from __future__ import annotations

from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import duckdb
import pytest

from flop_tracker import pipeline
from ingest import runner
from ingest.runner import Ingestor
from kernel.paths import Paths

HEADER = "rank,rank_stylectrl,model,arena_score,95_pct_ci,votes,organization,license,knowledge_cutoff,url\n"


def _snapshot(folder: Path, day: str, shift: int) -> Path:
    rows = [
        f"{i},{i},Model-{i}-{7 * i}B,{1000 + 3 * i + shift},+4/-4,{100 + i},Lab {i % 5},Proprietary,,"
        for i in range(1, 41)
    ]
    path = folder / f"lmarena_text_{day}.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def captures(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "captures"
    folder.mkdir()
    files = [_snapshot(folder, f"2025-01-0{d}", d) for d in range(1, 5)]
    broken = folder / "lmarena_text_2025-01-05.csv"
    broken.write_text(HEADER + "1,Cut-Off,12", encoding="utf-8")  # a page cut short mid-row
    again = folder / "lmarena_text_2025-01-06.csv"
    again.write_bytes(files[1].read_bytes())  # the same bytes under another name
    return [files[0], files[1], broken, files[2], again, files[3]]


def _ingest(data_dir: Path, files: list[Path]) -> list[tuple[str, int]]:
    lmarena = pipeline.selected_sources(["lmarena"])[0]
    with Ingestor(Paths(data_dir), pipeline.selected_sources(None)) as ingestor:
        return [(r.status, r.rows) for r in ingestor.ingest_files(lmarena, files)]


def _contents(data_dir: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(data_dir / "tracker.duckdb"), read_only=True)
    try:
        return {
            "runs": con.execute(
                "select run_id, source, sha256, captured_at, rows, status, regexp_replace(error, '^.*?: ', '') "
                "from raw.ingest_runs order by run_id"
            ).fetchall(),
            "scores": con.execute("select * from raw.lmarena_scores order by all").fetchall(),
            "models": con.execute("select * from raw.lmarena_models order by all").fetchall(),
        }
    finally:
        con.close()


EXPECTED = [("ok", 80), ("ok", 80), ("failed", 0), ("ok", 80), ("unchanged", 0), ("ok", 80)]


def test_parallel_parse_loads_what_one_at_a_time_loads(
    captures: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    assert _ingest(tmp_path / "sequential", captures) == EXPECTED
    monkeypatch.setattr(runner, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(runner, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(runner.os, "cpu_count", lambda: 2)
    assert _ingest(tmp_path / "parallel", captures) == EXPECTED
    sequential, parallel = _contents(tmp_path / "sequential"), _contents(tmp_path / "parallel")
    assert parallel == sequential
    assert [r[5] for r in parallel["runs"]] == ["ok", "ok", "failed", "ok", "ok"]
    assert "line 2 has 3 fields" in parallel["runs"][2][6]  # the cut-off page, named, no rows
    assert len(parallel["scores"]) == 160


class _DeadWorkers:
    """An executor whose every worker has died: each result raises BrokenProcessPool."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.submitted = 0

    def __enter__(self) -> _DeadWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, *args: object) -> Future:
        self.submitted += 1
        future: Future = Future()
        future.set_exception(BrokenProcessPool("a worker died"))
        return future


def test_a_dead_worker_loses_no_capture(captures: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(runner, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(runner, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(runner.os, "cpu_count", lambda: 2)
    assert _ingest(tmp_path / "sequential", captures) == EXPECTED
    monkeypatch.setattr(runner, "ProcessPoolExecutor", _DeadWorkers)
    assert _ingest(tmp_path / "fallback", captures) == EXPECTED  # parsed here instead, same order
    assert _contents(tmp_path / "fallback") == _contents(tmp_path / "sequential")

"""The ingest contract: store first, load in one transaction, record every run, never leave partial rows."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ingest import captures, loader
from ingest.epoch import EpochSource
from ingest.lmarena import LMArenaSource
from ingest.runner import Ingestor
from kernel.paths import Paths
from tests.conftest import FIXTURES

LMARENA = LMArenaSource()
EPOCH = EpochSource()


def counts(paths: Paths) -> dict[str, int]:
    con = duckdb.connect(str(paths.db), read_only=True)
    try:
        return {
            t: con.execute(f"select count(*) from raw.{t}").fetchone()[0]
            for t in ("lmarena_scores", "lmarena_models", "epoch_models")
        }
    finally:
        con.close()


def runs(paths: Paths) -> list[tuple]:
    con = duckdb.connect(str(paths.db), read_only=True)
    try:
        return con.execute("select source, status, rows, error from raw.ingest_runs order by run_id").fetchall()
    finally:
        con.close()


def test_file_is_stored_byte_for_byte_then_loaded_once(paths: Paths):
    fixture = FIXTURES / "lmarena" / "mini_page.html"
    with Ingestor(paths, [LMARENA, EPOCH]) as ing:
        first = ing.ingest_file(LMARENA, fixture)
        second = ing.ingest_file(LMARENA, fixture)
    assert (first.status, first.rows) == ("ok", 7)  # 4 scores + 3 models
    assert second.status == "unchanged"
    assert counts(paths) == {"lmarena_scores": 4, "lmarena_models": 3, "epoch_models": 0}
    stored = captures.list_stored(paths.raw_dir, "lmarena")
    assert len(stored) == 1
    assert stored[0].read() == fixture.read_bytes()
    assert stored[0].sha256 == captures.sha256_of(fixture.read_bytes())
    assert runs(paths) == [("lmarena", "ok", 7, None)]


BAD = {
    "truncated.json": b'{"full": {"alpha": {"rating": 1200.5, "rating_q0',
    "empty.csv": b"",
    "wrong.html": b"<!doctype html><html><body><h1>Access denied</h1></body></html>",
    "latin1.csv": "rank,model,arena_score\n1,caf\xe9,1200\n".encode("latin-1"),
}


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("truncated.json", "invalid JSON at line 1 column 39 (truncated?)"),
        ("empty.csv", "file is empty"),
        ("wrong.html", "HTML without window.gradio_config: not an LMArena leaderboard page"),
        ("latin1.csv", "not UTF-8 (byte 0xe9 at offset 28)"),
    ],
)
def test_bad_file_fails_with_one_line_naming_file_and_problem(paths: Paths, tmp_path: Path, name: str, problem: str):
    bad = tmp_path / name
    bad.write_bytes(BAD[name])
    with Ingestor(paths, [LMARENA, EPOCH]) as ing:
        result = ing.ingest_file(LMARENA, bad)
    assert result.status == "failed"
    assert result.line == f"lmarena: failed: {name}: {problem}"
    assert counts(paths) == {"lmarena_scores": 0, "lmarena_models": 0, "epoch_models": 0}
    assert runs(paths) == [("lmarena", "failed", 0, f"{name}: {problem}")]
    # The bad capture is kept for diagnosis but out of the replay set.
    assert captures.list_stored(paths.raw_dir, "lmarena") == []
    assert (paths.raw_dir / "lmarena" / "failed").is_dir()


def test_failure_during_load_leaves_no_partial_rows(paths: Paths, monkeypatch: pytest.MonkeyPatch):
    original = loader.table_columns
    calls = {"n": 0}

    def second_table_breaks(record):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return original(record)

    with Ingestor(paths, [LMARENA, EPOCH]) as ing:
        monkeypatch.setattr(loader, "table_columns", second_table_breaks)
        result = ing.ingest_file(LMARENA, FIXTURES / "lmarena" / "mini_page.html")
    assert result.status == "failed"
    assert result.message == "mini_page.html: unexpected RuntimeError: disk full"
    assert calls["n"] == 2  # the first table was inserted, then rolled back
    assert counts(paths) == {"lmarena_scores": 0, "lmarena_models": 0, "epoch_models": 0}


def test_offline_replay_rebuilds_the_same_raw_tables(paths: Paths):
    with Ingestor(paths, [LMARENA, EPOCH]) as ing:
        for f in ("mini_page.html", "mini_table.csv"):
            ing.ingest_file(LMARENA, FIXTURES / "lmarena" / f)
        ing.ingest_file(EPOCH, FIXTURES / "epoch" / "mini_epoch.csv")
    before = counts(paths)
    paths.db.unlink()
    with Ingestor(paths, [LMARENA, EPOCH]) as ing:
        replayed = ing.replay_all(LMARENA) + ing.replay_all(EPOCH)
    assert [r.status for r in replayed] == ["ok", "ok", "ok"]
    assert counts(paths) == before == {"lmarena_scores": 6, "lmarena_models": 5, "epoch_models": 3}


def test_cli_ingest_file_prints_one_line_and_exits_nonzero_on_bad_input(data_dir: Path, tmp_path: Path):
    bad = tmp_path / "empty.json"
    bad.write_bytes(b"")
    exe = shutil.which("flop-tracker") or str(Path(sys.executable).parent / "flop-tracker")
    proc = subprocess.run(
        [exe, "ingest", "lmarena", "--file", str(bad), "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stdout.strip() == "lmarena: failed: empty.json: file is empty"
    assert "Traceback" not in proc.stderr

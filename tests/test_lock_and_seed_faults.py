"""Faults outside the network: the database held by another process, and a hand-edited decisions seed.

A DuckDB file has one writer. When another process holds it, `flop-tracker ingest` and `flop-tracker
build` say which file and which process in one line and exit 3; dbt's own lock failure (the lock taken
between our check and dbt's connection) becomes the same line, never dbt's traceback. A malformed
review_decisions.csv or manual_models.csv stops the build before anything runs, naming the file and line.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from flop_tracker import pipeline
from flop_tracker.cli import main
from flop_tracker.dbt_runner import run_dbt
from kernel.database import DatabaseLockedError, connect
from kernel.paths import PROJECT_ROOT, Paths

HOLDER = "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('held', flush=True); sys.stdin.read()"
DECISIONS_HEADER = (
    "model_id,decision,reason,reviewer,decided_at,shown_training_flop,shown_flop_low,shown_flop_high,"
    "shown_classification"
)


@contextmanager
def held_by_another_process(db: Path) -> Iterator[int]:
    """A second process opens the database read-write and keeps it open until the block ends."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        yield proc.pid
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=30)


@pytest.fixture
def decisions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "decisions"
    shutil.copytree(PROJECT_ROOT / "seeds" / "decisions", folder)
    monkeypatch.setenv("FLOP_TRACKER_DECISIONS_DIR", str(folder))
    return folder


def existing_db(paths: Paths) -> Path:
    pipeline.ensure_raw(paths)
    return paths.db


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# -- a locked database -----------------------------------------------------------------------------
def test_connect_names_the_file_and_the_process_holding_it(paths: Paths):
    db = existing_db(paths)
    with held_by_another_process(db) as pid:
        with pytest.raises(DatabaseLockedError) as info:
            connect(db)
    assert str(info.value) == (
        f"{db} is in use by another process (PID {pid}, {Path(sys.executable).resolve().name}); "
        "wait for it to finish and try again"
    )


def test_ingest_on_a_locked_database_exits_3_with_one_line(paths: Paths, capfd: pytest.CaptureFixture[str]):
    db = existing_db(paths)
    with held_by_another_process(db) as pid:
        code = main(["ingest", "lmarena", "--offline", "--data-dir", str(paths.data_dir)])
    out, err = capfd.readouterr()
    assert code == 3
    line = one_error_line(err)
    assert line.startswith(f"error: {db} is in use by another process (PID {pid}, ")
    assert line.endswith("wait for it to finish and try again")
    assert "Traceback" not in out


def test_build_on_a_locked_database_exits_3_with_one_line(
    paths: Paths, decisions: Path, capfd: pytest.CaptureFixture[str]
):
    db = existing_db(paths)
    with held_by_another_process(db) as pid:
        code = main(["build", "--data-dir", str(paths.data_dir)])
    out, err = capfd.readouterr()
    assert code == 3
    assert one_error_line(err).startswith(f"error: {db} is in use by another process (PID {pid}, ")
    assert "Traceback" not in out


@pytest.mark.dbt
def test_dbts_own_lock_failure_is_the_same_one_line(
    paths: Paths, decisions: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
):
    """The lock taken after our own check: dbt's connection fails, and its traceback never reaches the user."""
    db = existing_db(paths)
    monkeypatch.setattr(pipeline, "ensure_raw", lambda paths: None)  # the race: our check passed
    with held_by_another_process(db) as pid:
        code = main(["build", "--data-dir", str(paths.data_dir)])
        out, err = capfd.readouterr()
        with pytest.raises(DatabaseLockedError, match=rf"in use by another process \(PID {pid}, "):
            run_dbt(["seed", "--select", "review_decisions"], paths)  # the runner raises it for every caller
    assert code == 3
    assert one_error_line(err).startswith(f"error: {db} is in use by another process (PID {pid}, ")
    assert "Traceback" not in out and "Could not set lock" not in out
    # dbt kept no handle: once the other process is gone, this one opens the file for writing.
    connect(db).close()


# -- hand-edited decision seeds --------------------------------------------------------------------
GOOD = "gpt-4,y,disclosed by OpenAI,ana,2026-01-02 03:04:05,2.1e25,1e25,4e25,likely_above_1e25"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            DECISIONS_HEADER.replace("decision,", "verdict,") + "\n" + GOOD + "\n",
            "review_decisions.csv: line 1: bad header (missing decision; unexpected verdict)",
        ),
        (
            DECISIONS_HEADER + "\n" + GOOD + "\nllama-3-405b,maybe,unsure,bo,2026-01-03 10:00:00,,,,\n",
            "review_decisions.csv: line 3: decision: must be y (above 1e25 FLOP) or n (below) (got 'maybe')",
        ),
        (
            DECISIONS_HEADER + "\n" + GOOD + "\n" + GOOD.replace("03:04:05", "09:00:00") + "\n",
            "review_decisions.csv: line 3: duplicate model_id 'gpt-4' (already on line 2)",
        ),
        (
            DECISIONS_HEADER + "\n" + GOOD + "\ngemini-1-ultra,n,,bo,2026-01-03 10:00:00,,,,\n",
            "review_decisions.csv: line 3: reason: String should have at least 1 character",
        ),
        (
            DECISIONS_HEADER + "\n" + GOOD.replace("2026-01-02 03:04:05", "yesterday") + "\n",
            "review_decisions.csv: line 2: decided_at: not a timestamp (YYYY-MM-DD HH:MM:SS) (got 'yesterday')",
        ),
    ],
    ids=["bad-header", "unknown-decision", "duplicate-model", "empty-reason", "bad-timestamp"],
)
def test_a_malformed_decisions_seed_fails_the_build_naming_the_line(
    paths: Paths, decisions: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
):
    (decisions / "review_decisions.csv").write_text(text, encoding="utf-8")
    code = main(["build", "--data-dir", str(paths.data_dir)])
    err = capsys.readouterr().err
    assert code == 1
    assert "error: dbt build failed (a decisions seed is malformed; nothing was built)" in err
    assert f"error:   {decisions / 'review_decisions.csv'}: line" in err
    assert expected in err
    assert "Traceback" not in err
    assert not paths.db.exists()  # stopped before anything was built


def test_a_malformed_manual_models_seed_fails_the_build_naming_the_line(
    paths: Paths, decisions: Path, capsys: pytest.CaptureFixture[str]
):
    seed = decisions / "manual_models.csv"
    header = seed.read_text(encoding="utf-8").splitlines()[0]
    row = "Big-1,Lab,2025-01-01,huge,,,,,,,,,,https://lab.example/big-1,,ana,2026-01-02 03:04:05"
    seed.write_text(f"{header}\n{row}\n", encoding="utf-8")
    assert main(["build", "--data-dir", str(paths.data_dir)]) == 1
    err = capsys.readouterr().err
    assert f"{seed}: line 2: total_parameters: not a number" in err
    assert not paths.db.exists()


# -- one source's failure never stops the others ---------------------------------------------------
def test_a_source_that_fails_or_crashes_does_not_stop_the_others(
    paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
):
    from ingest.registry import SOURCES
    from tests.conftest import FIXTURES

    captures = tmp_path / "captures"
    for folder in ("lmarena", "epoch", "openlm"):
        (captures / folder).mkdir(parents=True)
    (captures / "lmarena" / "cut_2025-06-01.csv").write_text(
        "rank,model,arena_score,votes\n1,Alpha,12", encoding="utf-8"
    )
    shutil.copy(FIXTURES / "epoch" / "mini_epoch.csv", captures / "epoch" / "mini_epoch.csv")
    shutil.copy(FIXTURES / "openlm" / "mini_page.html", captures / "openlm" / "mini_page.html")

    def parser_bug(content: bytes, meta: object) -> None:
        raise TypeError("'NoneType' object is not subscriptable")

    monkeypatch.setattr(SOURCES["openlm"], "parse", parser_bug)
    sources = pipeline.selected_sources(["lmarena", "openlm", "epoch"])
    summary = pipeline.ingest(paths, sources, live=False, captures_dir=captures)
    out, err = capfd.readouterr()
    assert [(r.source, r.status) for r in summary.results] == [
        ("lmarena", "failed"),
        ("openlm", "failed"),
        ("epoch", "ok"),
    ]
    assert summary.results[0].message == "cut_2025-06-01.csv: CSV line 2 has 3 fields, header has 4 (truncated?)"
    assert summary.results[1].message == "mini_page.html: unexpected TypeError: 'NoneType' object is not subscriptable"
    assert summary.results[2].rows == 3
    assert "Traceback" not in out + err
    con = connect(paths.db, read_only=True)
    try:
        assert con.execute("select count(*) from raw.epoch_models").fetchone() == (3,)
        assert con.execute("select count(*) from raw.lmarena_scores").fetchone() == (0,)
        runs = con.execute("select source, status from raw.ingest_runs order by run_id").fetchall()
        assert runs == [("lmarena", "failed"), ("openlm", "failed"), ("epoch", "ok")]
    finally:
        con.close()

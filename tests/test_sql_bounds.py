"""`flop-tracker sql` can be stopped and is bounded (issue 15 item 3).

DuckDB runs a query inside C++, where Python's own Ctrl-C handling never gets a turn: a three-way cross
join ran on after two SIGINTs and kept `build` locked out. Now Ctrl-C interrupts the query within a
second and frees the database, `--timeout` stops a runaway query, table output stops at `--limit` rows
with a note, csv and json stream as rows arrive, and `enable_logging` (which aborted the process) is
refused in one line.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pexpect
import pytest

from flop_tracker.cli import main
from flop_tracker.console import console
from tests.answers.conftest import write_mart

# Never finishes: 1e16 rows of cross join, then a sum.
RUNAWAY = "select sum(a.range * b.range) from range(100000000) as a, range(100000000) as b, models"
ENDLESS = "select range as n from range(10000000000)"
MEMORY_CAP = 2 * 1024**3


@pytest.fixture
def mart(tmp_path: Path) -> Path:
    return write_mart(tmp_path / "data")


@pytest.fixture(autouse=True)
def eighty_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(console, "_width", 80)


def executable() -> str:
    return shutil.which("flop-tracker", path=str(Path(sys.executable).parent)) or "flop-tracker"


def holds_open(pid: int, path: Path) -> bool:
    """Whether process `pid` has `path` open (read from /proc: opening the file here would race it)."""
    try:
        return any(os.path.realpath(fd) == str(path.resolve()) for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False


def is_locked(db: Path) -> bool:
    try:
        duckdb.connect(str(db)).close()
    except duckdb.IOException as exc:
        assert "lock" in str(exc).lower(), exc
        return True
    return False


def test_ctrl_c_stops_a_runaway_query_within_a_second_and_frees_the_database(mart: Path):
    db = mart / "tracker.duckdb"
    child = pexpect.spawn(executable(), ["sql", RUNAWAY, "--data-dir", str(mart)], encoding="utf-8", timeout=10)
    try:
        deadline = time.monotonic() + 30
        while not holds_open(child.pid, db):  # the query runs once the child has the database open
            assert child.isalive() and time.monotonic() < deadline, child.before
            time.sleep(0.2)
        time.sleep(1.0)
        assert child.isalive()
        started = time.monotonic()
        child.sendintr()
        child.expect(r"error: sql: interrupted[^\r\n]*", timeout=5)
        elapsed = time.monotonic() - started
        message = child.after
        child.expect(pexpect.EOF, timeout=5)
        rest = child.before
        child.close()
    finally:
        child.terminate(force=True)
    assert elapsed < 1.0, elapsed
    assert message == "error: sql: interrupted (Ctrl-C)"
    assert (child.exitstatus, rest.strip()) == (130, "")
    assert not is_locked(db)  # `build` can open it now


def test_a_timeout_stops_a_runaway_query(mart: Path, capsys):
    started = time.monotonic()
    code = main(["sql", RUNAWAY, "--timeout", "1", "--data-dir", str(mart)])
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err == "error: sql: stopped after 1 s (--timeout 1; --timeout 0 waits as long as it takes)\n"
    assert elapsed < 5, elapsed
    assert not is_locked(mart / "tracker.duckdb")


def test_the_default_timeout_is_a_minute():
    from flop_tracker.cli import build_parser

    args = build_parser().parse_args(["sql", "select 1"])
    assert (args.timeout, args.limit) == (60.0, None)


def test_table_output_stops_at_a_thousand_rows_with_a_note(mart: Path, capsys):
    assert main(["sql", "select range as n from range(2500)", "--data-dir", str(mart)]) == 0
    out, err = capsys.readouterr()
    rows = out.splitlines()[2:]
    assert (len(rows), rows[0].strip(), rows[-1].strip()) == (1000, "0", "999")
    assert err == (
        "note: the first 1000 rows are shown; the query returns more (--limit N shows N, --format csv all of them)\n"
    )


def test_limit_sets_the_cap_and_no_note_when_nothing_was_cut(mart: Path, capsys):
    assert main(["sql", "select range as n from range(10)", "--limit", "3", "--data-dir", str(mart)]) == 0
    out, err = capsys.readouterr()
    assert [line.strip() for line in out.splitlines()] == ["n", "─", "0", "1", "2"]
    assert err.startswith("note: the first 3 rows are shown;")
    assert main(["sql", "select range as n from range(3)", "--limit", "3", "--data-dir", str(mart)]) == 0
    assert capsys.readouterr().err == ""


def test_limit_applies_to_csv_too_when_given(mart: Path, capsys):
    assert main(["sql", ENDLESS, "--format", "csv", "--limit", "2", "--data-dir", str(mart)]) == 0
    out, err = capsys.readouterr()
    assert out == "n\n0\n1\n"
    assert err.startswith("note: the first 2 rows are shown;")


def test_json_streamed_in_batches_is_the_same_document(mart: Path, capsys, monkeypatch: pytest.MonkeyPatch):
    from flop_tracker import query

    monkeypatch.setattr(query, "BATCH_ROWS", 2)
    sql = "select model_id, training_flop, release_date from models order by model_id"
    assert main(["sql", sql, "--format", "json", "--data-dir", str(mart)]) == 0
    out = capsys.readouterr().out
    con = duckdb.connect(str(mart / "tracker.duckdb"), read_only=True)
    try:
        rows = con.execute(sql).fetchall()
    finally:
        con.close()
    expected = [{"model_id": m, "training_flop": f, "release_date": d and d.isoformat()} for m, f, d in rows]
    assert out == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
    assert main(["sql", "select 1 as x where false", "--format", "json", "--data-dir", str(mart)]) == 0
    assert capsys.readouterr().out == "[]\n"


def test_csv_streams_rows_as_they_come(mart: Path):
    """The first rows of an endless result reach a pipe at once (it used to fetch everything first)."""
    prelude = f"import resource; resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_CAP}, {MEMORY_CAP}))\n"
    code = prelude + "import sys\nfrom flop_tracker.cli import main\nsys.exit(main(sys.argv[1:]))"
    argv = ["sql", ENDLESS, "--format", "csv", "--timeout", "0", "--data-dir", str(mart)]
    proc = subprocess.Popen([sys.executable, "-c", code, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert proc.stdout is not None
        got = b""
        deadline = time.monotonic() + 20
        while got.count(b"\n") < 3 and time.monotonic() < deadline and proc.poll() is None:
            ready, _, _ = select.select([proc.stdout], [], [], 0.2)
            if ready:
                got += os.read(proc.stdout.fileno(), 4096)
        assert got.startswith(b"n\n0\n1\n"), (got[:100], proc.poll())
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
        assert proc.returncode == 130
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.parametrize(
    "statement",
    [
        "CALL enable_logging(storage='file', storage_path='log.csv'); select 1",
        "select * from Enable_Logging(storage = 'file', storage_path = 'log.csv')",
        "call disable_logging()",
        "call truncate_duckdb_logs()",
    ],
)
def test_logging_is_refused_in_one_line(mart: Path, tmp_path: Path, statement: str):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    run = subprocess.run(
        [executable(), "sql", statement, "--data-dir", str(mart)], capture_output=True, text=True, cwd=cwd
    )
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == (
        "error: sql: logging cannot be switched here (enable_logging, disable_logging and truncate_duckdb_logs "
        "are refused)\n"
    )
    assert list(cwd.iterdir()) == []  # no log file either

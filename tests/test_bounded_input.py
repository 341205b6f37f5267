"""Column maps, seeds and captures cannot exhaust memory or end in a traceback (issue 15 item 4).

Each case that could eat the machine (a YAML alias bomb, an endless capture) runs in a child process
with its address space capped at 2 GB and a time limit, so the test fails instead of the machine
when the bound is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flop_tracker.cli import main
from ingest.base import IngestError
from ingest.manual import MAPS_DIR, available_maps, get_map
from kernel.paths import PROJECT_ROOT
from review.decisions import COLUMNS, DecisionsFileError, read_decisions
from tests.answers.conftest import write_mart

MEMORY_CAP = 2 * 1024**3
MAX_CAPTURE_ENV = "FLOP_TRACKER_MAX_CAPTURE_MB"
# 393 bytes that stand for 9**9 (387 million) strings when every alias is followed (the probe's was 530).
ALIAS_BOMB = textwrap.dedent(
    """\
    name: bomb
    description: d
    model: {column: Model}
    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
    h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
    fields: [*h,*h,*h,*h,*h,*h,*h,*h,*h]
    """
)


def run_bounded(code: str, *args: str, env: dict[str, str] | None = None, timeout: float = 120):
    """Python `code` in a child whose address space is capped at 2 GB."""
    prelude = f"import resource; resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_CAP}, {MEMORY_CAP}))\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + code, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=PROJECT_ROOT,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def maps(tmp_path: Path) -> Path:
    folder = tmp_path / "maps"
    folder.mkdir()
    shutil.copy(MAPS_DIR / "artificial_analysis.yml", folder)
    return folder


# -- column maps -----------------------------------------------------------------------------------
def test_an_alias_bomb_map_is_refused_in_one_line_and_the_other_maps_still_load(maps: Path):
    (maps / "bomb.yml").write_text(ALIAS_BOMB)
    child = run_bounded(
        "import sys\n"
        "from pathlib import Path\n"
        "from ingest.manual import available_maps, get_map\n"
        "folder = Path(sys.argv[1])\n"
        "print(sorted(available_maps(folder)))\n"
        "try:\n"
        "    get_map('bomb', folder)\n"
        "except KeyError as exc:\n"
        "    print(exc.args[0])\n",
        str(maps),
    )
    assert (child.returncode, child.stderr) == (0, "")
    assert child.stdout.splitlines() == [
        "['artificial_analysis']",
        "bomb.yml: not a valid column map: aliases (&name, *name) are not allowed (line 5, column 8)",
    ]


def test_a_map_with_twenty_thousand_errors_says_the_first_in_one_short_line(maps: Path):
    from ingest.manual import broken_maps

    fields = ",".join(["1"] * 20_000)
    (maps / "huge.yml").write_text(f"name: huge\ndescription: d\nmodel: {{column: M}}\nfields: [{fields}]\n")
    assert list(available_maps(maps)) == ["artificial_analysis"]
    assert broken_maps(maps) == {
        "huge": "huge.yml: not a valid column map: fields.0: Input should be a valid dictionary or instance of "
        "FieldSpec (and 19999 more errors)"
    }


def test_a_map_larger_than_any_column_map_is_refused_unread(maps: Path):
    from ingest.manual import broken_maps

    (maps / "big.yml").write_text("# " + "x" * (1024 * 1024) + "\n")
    assert broken_maps(maps) == {"big.yml".removesuffix(".yml"): "big.yml: 1.0 MB; a column map is at most 64 kB"}
    assert list(available_maps(maps)) == ["artificial_analysis"]


def test_a_broken_map_does_not_stop_another_maps_page_from_loading(maps: Path):
    from datetime import datetime

    from ingest.base import CaptureMeta
    from ingest.manual import ManualSource

    (maps / "bad.yml").write_text("name: [bad\n")
    page = (PROJECT_ROOT / "tests" / "fixtures" / "manual" / "aa_leaderboard_2025-08-14.html").read_bytes()
    source = ManualSource(maps)
    meta = CaptureMeta(origin="/saved/page.html", captured_at=datetime(2025, 11, 22), filename="page.html")
    assert len(source.parse(page, meta).tables["manual_rows"]) == 27  # found by its detect strings
    named = CaptureMeta(origin="/saved/p.html", captured_at=datetime(2025, 11, 22), filename="bad__p.html")
    with pytest.raises(
        IngestError,
        match=r"^bad.yml: not a valid column map: expected ',' or '\]', but got '<stream end>' \(line 2, column 1\)$",
    ):
        source.parse(page, named)
    with pytest.raises(KeyError, match="bad.yml: not a valid column map"):
        get_map("bad", maps)


# -- seeds -----------------------------------------------------------------------------------------
def test_a_ten_megabyte_reason_is_a_line_numbered_error_not_a_csv_crash(tmp_path: Path):
    seed = tmp_path / "review_decisions.csv"
    reason = "x" * (10 * 1024 * 1024)
    seed.write_text(
        ",".join(COLUMNS) + "\n"
        "gpt-5,y,frontier,ana,2026-01-02 03:04:05,,,,\n"
        f"o3,n,{reason},ana,2026-01-02 03:04:05,,,,\n"
    )
    with pytest.raises(DecisionsFileError) as info:
        read_decisions(seed)
    assert str(info.value) == (f"{seed}: line 3: a cell longer than 131072 characters (is a closing quote missing?)")


def test_an_unclosed_quote_names_the_line_it_opened_on(tmp_path: Path):
    seed = tmp_path / "review_decisions.csv"
    body = "".join(f"m{i},y,fine,ana,2026-01-02 03:04:05,,,,\n" for i in range(20_000))
    seed.write_text(",".join(COLUMNS) + "\n" + 'gpt-5,y,"never closed,ana,2026-01-02 03:04:05,,,,\n' + body)
    with pytest.raises(DecisionsFileError, match=r": line 2: a cell longer than 131072 characters"):
        read_decisions(seed)


# -- captures --------------------------------------------------------------------------------------
def test_ingest_of_an_endless_file_stops_at_the_capture_limit(tmp_path: Path):
    child = run_bounded(
        "import sys\nfrom flop_tracker.cli import main\nsys.exit(main(sys.argv[1:]))",
        "ingest",
        "lmarena",
        "--file",
        "/dev/zero",
        "--data-dir",
        str(tmp_path / "data"),
        env={MAX_CAPTURE_ENV: "8"},
    )
    assert child.returncode == 1, child.stderr[-2000:]
    assert "Traceback" not in child.stderr
    assert child.stdout.splitlines() == [
        "lmarena: failed: /dev/zero: more than 8 MB, the capture size limit (set FLOP_TRACKER_MAX_CAPTURE_MB to "
        "raise it)"
    ]


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from ingest.base import max_capture_bytes, read_capture

    big = tmp_path / "big.csv"
    with open(big, "wb") as handle:
        handle.truncate(3 * 1024 * 1024)  # sparse: 3 MB without writing them
    monkeypatch.setenv(MAX_CAPTURE_ENV, "2")
    assert max_capture_bytes() == 2 * 1024 * 1024
    with pytest.raises(IngestError, match=r"^3.0 MB, more than the 2 MB capture size limit"):
        read_capture(big)
    monkeypatch.setenv(MAX_CAPTURE_ENV, "4")
    assert len(read_capture(big)) == 3 * 1024 * 1024


def test_the_default_capture_limit_and_a_bad_override(monkeypatch: pytest.MonkeyPatch):
    from ingest.base import max_capture_bytes

    monkeypatch.delenv(MAX_CAPTURE_ENV, raising=False)
    assert max_capture_bytes() == 512 * 1024 * 1024
    monkeypatch.setenv(MAX_CAPTURE_ENV, "lots")
    with pytest.raises(IngestError, match=r"^FLOP_TRACKER_MAX_CAPTURE_MB='lots': not a whole number of megabytes"):
        max_capture_bytes()


# -- the command line: one line each -----------------------------------------------------------------
@pytest.fixture
def mart(tmp_path: Path) -> Path:
    return write_mart(tmp_path / "data")


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize("limit", ["1e23", "100000000000000000000000"])
def test_a_limit_beyond_any_table_lists_everything(mart: Path, capsys, limit: str):
    assert main(["query", "--data-dir", str(mart), "--format", "csv", "--limit", limit]) == 0
    out, err = capsys.readouterr()
    assert (len(out.splitlines()), err) == (6, "")


@pytest.mark.parametrize(("limit", "why"), [("1.5", "is not a whole number"), ("-1e3", "must be 1 or more")])
def test_a_bad_limit_is_one_line(mart: Path, capsys, limit: str, why: str):
    with pytest.raises(SystemExit) as exc:
        main(["query", "--data-dir", str(mart), f"--limit={limit}"])
    assert exc.value.code == 2
    assert why in one_line(capsys.readouterr().err)


def test_export_into_a_folder_writes_the_default_name_there(mart: Path, tmp_path: Path, capsys):
    folder = tmp_path / "out"
    folder.mkdir()
    assert main(["export", "--data-dir", str(mart), "--output", str(folder)]) == 0
    assert capsys.readouterr().out.split() == ["wrote", "5", "models", "to", str(folder / "models.csv"), "(csv)"]
    assert (folder / "models.csv").read_text().startswith("model_id,model,developer,")


def test_export_where_nothing_can_be_written_is_one_line(mart: Path, tmp_path: Path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert main(["export", "--data-dir", str(mart), "--output", str(blocker / "models.csv")]) == 2
    assert one_line(capsys.readouterr().err) == f"error: {blocker / 'models.csv'}: cannot write: Not a directory"


@pytest.mark.parametrize("command", [["query"], ["sql", "select 1"], ["export"], ["build"], ["review-candidates"]])
def test_a_database_path_that_is_no_database_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, command: list[str]
):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello, not a database\n")
    monkeypatch.setenv("FLOP_TRACKER_DB", str(bogus))
    monkeypatch.setenv("FLOP_TRACKER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FLOP_TRACKER_DECISIONS_DIR", str(PROJECT_ROOT / "seeds" / "decisions"))
    assert main(command) == 2
    assert one_line(capsys.readouterr().err) == (
        f"error: {bogus} is not a DuckDB database (check $FLOP_TRACKER_DB or --data-dir)"
    )


def test_a_database_path_that_is_a_folder_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    monkeypatch.setenv("FLOP_TRACKER_DB", str(tmp_path))
    assert main(["query"]) == 2
    assert one_line(capsys.readouterr().err) == (
        f"error: {tmp_path} is a folder, not a DuckDB database (check $FLOP_TRACKER_DB or --data-dir)"
    )

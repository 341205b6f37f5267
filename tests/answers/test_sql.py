"""`flop-tracker sql`: read-only SQL in four formats; writes, files and extensions refused with a clear message."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest

from flop_tracker.cli import main
from flop_tracker.console import console
from flop_tracker.query import READ_ONLY_MESSAGE
from kernel.paths import PROJECT_ROOT

SELECT = "select model_id, training_flop, release_date, verified = 'y' as ok from models order by model_id"


@pytest.fixture(autouse=True)
def eighty_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(console, "_width", 80)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_table(mart_dir: Path, capsys):
    code, out, _ = run(capsys, "sql", SELECT, "--data-dir", str(mart_dir))
    assert code == 0
    assert [line.rstrip() for line in out.splitlines()] == [
        "model_id         training_flop  release_date  ok",
        "─" * 51,
        "alpha-pro              3.00e26  2025-03-01    true",
        "beta-70b               6.30e24  2024-06-15    false",
        "delta-ultra            2.00e25  2025-05-05    false",
        "gamma-8x7b             4.00e23                false",
        "hyperlink-model        1.20e25  2025-01-10    false",
    ]


def test_csv(mart_dir: Path, capsys):
    code, out, _ = run(
        capsys, "sql", "select model, reasoning from models order by model_id", "--format", "csv", "--data-dir",
        str(mart_dir),
    )  # fmt: skip
    assert code == 0
    assert out == (
        "model,reasoning\n"
        "Alpha Pro,Disclosed 3e26 FLOP in the model card\n"
        "Beta-70B,6 x 7.0e10 x 1.5e13 = 6.3e24\n"
        "Delta Ultra,successor of Delta Pro\n"  # the escape sequence is gone
        '"Gamma 8x7B, v2",46.7B parameters from the name\n'
        '"\'=HYPERLINK(""http://x"",""y"")",\'-2 dex below the frontier\n'
    )


def test_json(mart_dir: Path, capsys):
    code, out, _ = run(capsys, "sql", SELECT + " limit 2", "--format", "json", "--data-dir", str(mart_dir))
    assert code == 0
    assert out == (
        "[\n"
        "  {\n"
        '    "model_id": "alpha-pro",\n'
        '    "training_flop": 3e+26,\n'
        '    "release_date": "2025-03-01",\n'
        '    "ok": true\n'
        "  },\n"
        "  {\n"
        '    "model_id": "beta-70b",\n'
        '    "training_flop": 6.3e+24,\n'
        '    "release_date": "2024-06-15",\n'
        '    "ok": false\n'
        "  }\n"
        "]\n"
    )


def test_markdown(mart_dir: Path, capsys):
    code, out, _ = run(
        capsys,
        "sql",
        "select developer, count(*) as n, max(training_flop) as top from models group by 1 order by 1",
        "--format",
        "markdown",
        "--data-dir",
        str(mart_dir),
    )
    assert code == 0
    assert out == (
        "| developer | n | top |\n"
        "|---|---:|---:|\n"
        "| AlphaLab | 1 | 3.00e26 |\n"
        "| Beta Inc | 1 | 6.30e24 |\n"
        "| Delta <AI> | 1 | 2.00e25 |\n"
        "| Evil \\| Corp | 1 | 1.20e25 |\n"
        "| Gamma, Univ. X | 1 | 4.00e23 |\n"
    )


@pytest.mark.parametrize(
    "statement",
    [
        "insert into models (model_id) values ('x')",
        "update models set training_flop = 0",
        "delete from models",
        "drop table models",
        "create table t as select 1",
        "alter table models add column x int",
    ],
)
def test_writes_are_refused_with_a_clear_message(mart_dir: Path, capsys, statement: str):
    code, out, err = run(capsys, "sql", statement, "--data-dir", str(mart_dir))
    assert (code, out) == (2, "")
    assert " ".join(err.split()) == "error: " + READ_ONLY_MESSAGE
    con = duckdb.connect(str(mart_dir / "tracker.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*), sum(training_flop) from models").fetchone() == (
            5,
            3e26 + 6.3e24 + 1.2e25 + 4e23 + 2e25,
        )
        assert [r[0] for r in con.execute("show tables").fetchall()] == ["models"]
    finally:
        con.close()


@pytest.mark.parametrize(
    "statement",
    [
        "copy models to '{tmp}/out.csv'",
        "attach '{tmp}/other.duckdb' as other",
        "select * from read_csv('{tmp}/secret.csv')",
        "install httpfs",
    ],
)
def test_files_other_databases_and_extensions_are_out_of_reach(mart_dir: Path, tmp_path: Path, capsys, statement):
    (tmp_path / "secret.csv").write_text("a\n1\n")
    code, _, err = run(capsys, "sql", statement.format(tmp=tmp_path), "--data-dir", str(mart_dir))
    assert code == 2
    assert "COPY, ATTACH, read_csv/read_parquet and INSTALL/LOAD are refused" in " ".join(err.split())
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "other.duckdb").exists()


def test_settings_stay_locked(mart_dir: Path, capsys):
    code, _, err = run(capsys, "sql", "set enable_external_access = true", "--data-dir", str(mart_dir))
    assert code == 2 and "settings cannot be changed here" in err


def test_a_syntax_error_is_one_line(mart_dir: Path, capsys):
    code, _, err = run(capsys, "sql", "selec 1", "--data-dir", str(mart_dir))
    assert code == 2
    assert err == 'error: sql: Parser Error: syntax error at or near "selec"\n'


def test_other_schemas_on_a_built_database(built, capsys):
    code, out, _ = run(
        capsys,
        "sql",
        "select count(*) as n from staging.stg_epoch__models",
        "--format",
        "json",
        "--data-dir",
        str(built.data_dir),
    )
    assert (code, json.loads(out)) == (0, [{"n": 6}])


def test_the_readmes_example_queries_run(built, capsys):
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Asking questions", 1)[1].split("\n## ", 1)[0]
    statements = [" ".join(s.split()) for s in re.findall(r'flop-tracker sql "([^"]+)"', section)]
    statements = [s for s in statements if s != "SELECT ..."]
    assert len(statements) == 3
    for statement in statements:
        code, out, err = run(capsys, "sql", statement, "--format", "json", "--data-dir", str(built.data_dir))
        assert code == 0, (statement, err)
        assert json.loads(out), statement  # every example has an answer on the fixture database

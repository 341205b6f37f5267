"""`flop-tracker query`: filters, sort, limit, stats, and the exact text of each output format."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from flop_tracker import query
from flop_tracker.cli import main
from flop_tracker.console import console


@pytest.fixture(autouse=True)
def eighty_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables are laid out for an 80-column terminal whatever terminal runs the tests."""
    monkeypatch.setattr(console, "_width", 80)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def lines(text: str) -> list[str]:
    """Rich pads table lines to the table's width; compare what is visible."""
    return [line.rstrip() for line in text.splitlines()]


def test_table_of_candidates_fits_80_columns_and_cleans_escapes(mart_dir: Path, capsys):
    code, out, _ = run(capsys, "query", "--data-dir", str(mart_dir), "--above-threshold")
    assert code == 0
    assert lines(out) == [
        "model               developer    released      FLOP  90% interval   class",
        "─" * 80,
        "Alpha Pro           AlphaLab     2025-03-01  3.0e26  1.0e26-9.0e26  ✓ above",
        "Delta Ultra         Delta <AI>   2025-05-05  2.0e25  5.0e24-8.0e25  likely above",
        '=HYPERLINK("http:/  Evil | Corp  2025-01-10  1.2e25  4.0e24-3.6e25  uncertain',
        '/x","y")',
        "3 models; FLOP is the central estimate, ✓ marks a reviewer's decision",
    ]
    assert "\x1b" not in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_csv_of_the_below_file_has_every_column(mart_dir: Path, capsys):
    code, out, _ = run(capsys, "query", "--data-dir", str(mart_dir), "--below-threshold", "--format", "csv")
    assert code == 0
    assert out == (
        "model_id,model,developer,release_date,parameters,parameter_source,training_flop,flop_low,flop_high,"
        "p_above_1e25,confidence,confidence_explanation,estimation_method,alternative_methods,"
        "threshold_classification,status,reasoning,sources,verified,notes,last_updated,first_seen_date\n"
        "beta-70b,Beta-70B,Beta Inc,2024-06-15,7.0000e+10,epoch,6.3000e+24,4.2000e+24,9.4500e+24,0,high,"
        "Direct evidence: operation counting,operation_counting,operation_counting: 6.30e+24 (high),"
        "high_confidence_below_1e25,below_threshold,6 x 7.0e10 x 1.5e13 = 6.3e24,https://example.org/beta,n,,"
        "2024-07-01,2024-07-01\n"
        'gamma-8x7b,"Gamma 8x7B, v2","Gamma, Univ. X",,4.6700e+10,epoch,4.0000e+23,1.3000e+23,1.2000e+24,0,low,'
        "Inference: name parameters,name_parameters,name_parameters: 4.00e+23 (low),high_confidence_below_1e25,"
        "below_threshold,46.7B parameters from the name,,n,,2024-01-01,\n"
    )


def test_csv_neutralises_formula_cells(mart_dir: Path, capsys):
    code, out, _ = run(capsys, "query", "--data-dir", str(mart_dir), "--developer", "evil", "--format", "csv")
    assert code == 0
    row = out.splitlines()[1]
    assert row.startswith('hyperlink-model,"\'=HYPERLINK(""http://x"",""y"")",Evil | Corp,')
    assert ",'-2 dex below the frontier,'@list," in row


def test_json_keeps_types_and_every_column(mart_dir: Path, capsys):
    code, out, _ = run(capsys, "query", "--data-dir", str(mart_dir), "--developer", "ALPHA", "--format", "json")
    assert code == 0
    assert out == (
        "[\n"
        "  {\n"
        '    "model_id": "alpha-pro",\n'
        '    "model": "Alpha Pro",\n'
        '    "developer": "AlphaLab",\n'
        '    "release_date": "2025-03-01",\n'
        '    "parameters": 1200000000000.0,\n'
        '    "parameter_source": "known_model_specs",\n'
        '    "training_flop": 3e+26,\n'
        '    "flop_low": 1e+26,\n'
        '    "flop_high": 9e+26,\n'
        '    "p_above_1e25": 1.0,\n'
        '    "confidence": "high",\n'
        '    "confidence_explanation": "Direct evidence: developer disclosed",\n'
        '    "estimation_method": "developer_disclosed",\n'
        '    "alternative_methods": "developer_disclosed: 3.00e+26 (high)",\n'
        '    "threshold_classification": "high_confidence_above_1e25",\n'
        '    "status": "confirmed_above_1e25",\n'
        '    "reasoning": "Disclosed 3e26 FLOP in the model card",\n'
        '    "sources": "https://example.org/alpha",\n'
        '    "verified": "y",\n'
        '    "notes": "card checked (ana, 2025-03-05)",\n'
        '    "last_updated": "2025-03-02",\n'
        '    "first_seen_date": "2025-02-20"\n'
        "  }\n"
        "]\n"
    )


def test_markdown_since_a_date_sorted_by_release_escapes_pipes(mart_dir: Path, capsys):
    code, out, _ = run(
        capsys,
        "query",
        "--data-dir",
        str(mart_dir),
        "--since",
        "2025-01-01",
        "--sort",
        "release",
        "--format",
        "markdown",
    )
    assert code == 0
    assert out == (
        "| model | developer | released | FLOP | 90% interval | class | method | confidence | verified |\n"
        "|---|---|---|---:|---|---|---|---|---|\n"
        "| Delta Ultra | Delta <AI> | 2025-05-05 | 2.0e25 | 5.0e24-8.0e25 | likely above | family_lineage "
        "| medium | n |\n"
        "| Alpha Pro | AlphaLab | 2025-03-01 | 3.0e26 | 1.0e26-9.0e26 | above | developer_disclosed | high | y |\n"
        '| =HYPERLINK("http://x","y") | Evil \\| Corp | 2025-01-10 | 1.2e25 | 4.0e24-3.6e25 | uncertain '
        "| benchmark_regression | low | n |\n"
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], ["alpha-pro", "delta-ultra", "hyperlink-model", "beta-70b", "gamma-8x7b"]),
        (["--above-threshold"], ["alpha-pro", "delta-ultra", "hyperlink-model"]),
        (["--below-threshold"], ["beta-70b", "gamma-8x7b"]),
        (["--developer", "beta", "--developer", "GAMMA"], ["beta-70b", "gamma-8x7b"]),
        (["--since", "2025-03-01"], ["alpha-pro", "delta-ultra"]),
        (["--method", "family_lineage", "--method", "name_parameters"], ["delta-ultra", "gamma-8x7b"]),
        (["--confidence", "low"], ["hyperlink-model", "gamma-8x7b"]),
        (["--verified"], ["alpha-pro"]),
        (["--sort", "flop-asc", "--limit", "2"], ["gamma-8x7b", "beta-70b"]),
        (["--sort", "release"], ["delta-ultra", "alpha-pro", "hyperlink-model", "beta-70b", "gamma-8x7b"]),
        (["--sort", "name"], ["hyperlink-model", "alpha-pro", "beta-70b", "delta-ultra", "gamma-8x7b"]),  # "=" < "a"
        (["--sort", "first-seen"], ["delta-ultra", "alpha-pro", "beta-70b", "gamma-8x7b", "hyperlink-model"]),
        (["--above-threshold", "--confidence", "high", "--confidence", "medium"], ["alpha-pro", "delta-ultra"]),
    ],
)
def test_filters_sort_and_limit(mart_dir: Path, capsys, args: list[str], expected: list[str]):
    code, out, _ = run(capsys, "query", "--data-dir", str(mart_dir), "--format", "json", *args)
    assert code == 0
    assert [r["model_id"] for r in json.loads(out)] == expected


def test_user_text_is_never_sql(mart_dir: Path, capsys):
    code, out, _ = run(capsys, "query", "--data-dir", str(mart_dir), "--format", "json", "--developer", "x' or 1=1 --")
    assert (code, json.loads(out)) == (0, [])
    code, out, _ = run(capsys, "query", "--data-dir", str(mart_dir), "--format", "json", "--developer", "%")
    assert (code, json.loads(out)) == (0, [])  # a LIKE wildcard is just a character here
    with pytest.raises(SystemExit) as exc:
        main(["query", "--data-dir", str(mart_dir), "--sort", "training_flop; drop table models"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
    with pytest.raises(query.QueryError, match="unknown sort"):
        query.fetch_models(mart_dir / "tracker.duckdb", query.Filters(), sort="model_id desc")


def test_bad_dates_and_limits_are_refused_by_the_parser(mart_dir: Path, capsys):
    for args in (["--since", "2025-13-01"], ["--limit", "0"], ["--above-threshold", "--below-threshold"]):
        with pytest.raises(SystemExit) as exc:
            main(["query", "--data-dir", str(mart_dir), *args])
        assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "'2025-13-01' is not a date like 2025-01-31" in err
    assert "must be 1 or more" in err
    assert "not allowed with argument" in err


def test_stats_count_the_matching_models(mart_dir: Path, capsys):
    code, out, _ = run(capsys, "query", "--data-dir", str(mart_dir), "--stats", "--format", "json")
    assert code == 0
    assert json.loads(out) == {
        "classification": {
            "high_confidence_above_1e25": 1,
            "likely_above_1e25": 1,
            "uncertain": 1,
            "high_confidence_below_1e25": 2,
        },
        "method": {
            "benchmark_regression": 1,
            "developer_disclosed": 1,
            "family_lineage": 1,
            "name_parameters": 1,
            "operation_counting": 1,
        },
        "confidence": {"high": 2, "medium": 1, "low": 2},
        "developer": {"AlphaLab": 1, "Beta Inc": 1, "Delta <AI>": 1, "Evil | Corp": 1, "Gamma, Univ. X": 1},
    }
    code, out, _ = run(capsys, "query", "--data-dir", str(mart_dir), "--stats", "--above-threshold", "--format", "csv")
    assert out == (
        "group,value,models\n"
        "classification,high_confidence_above_1e25,1\n"
        "classification,likely_above_1e25,1\n"
        "classification,uncertain,1\n"
        "method,benchmark_regression,1\n"
        "method,developer_disclosed,1\n"
        "method,family_lineage,1\n"
        "confidence,high,1\n"
        "confidence,medium,1\n"
        "confidence,low,1\n"
        "developer,AlphaLab,1\n"
        "developer,Delta <AI>,1\n"
        "developer,Evil | Corp,1\n"
    )


def test_stats_table(mart_dir: Path, capsys):
    code, out, _ = run(capsys, "query", "--data-dir", str(mart_dir), "--stats", "--below-threshold")
    assert code == 0
    assert lines(out) == [
        "by classification",
        "classification               models",
        "─" * 35,
        "high_confidence_below_1e25        2",
        "",
        "by method",
        "method               models",
        "─" * 27,
        "name_parameters           1",
        "operation_counting        1",
        "",
        "by confidence",
        "confidence   models",
        "─" * 19,
        "high              1",
        "low               1",
        "",
        "by developer",
        "developer        models",
        "─" * 23,
        "Beta Inc              1",
        "Gamma, Univ. X        1",
    ]


def test_reads_read_only_and_closes(mart_dir: Path, capsys):
    db = mart_dir / "tracker.duckdb"
    before = db.stat().st_mtime_ns
    assert run(capsys, "query", "--data-dir", str(mart_dir))[0] == 0
    assert run(capsys, "query", "--data-dir", str(mart_dir), "--stats")[0] == 0
    assert db.stat().st_mtime_ns == before
    # a connection left open (read-only) would make this read-write open fail in the same process
    con = duckdb.connect(str(db))
    con.close()


def test_no_database_or_no_mart_says_what_to_do(tmp_path: Path, capsys):
    code, _, err = run(capsys, "query", "--data-dir", str(tmp_path / "empty"))
    assert code == 2 and "no database yet; run `flop-tracker run` first" in err
    empty = tmp_path / "nomart"
    empty.mkdir()
    duckdb.connect(str(empty / "tracker.duckdb")).close()
    code, _, err = run(capsys, "query", "--data-dir", str(empty))
    assert code == 2 and "no models mart yet" in err and "run `flop-tracker build`" in err

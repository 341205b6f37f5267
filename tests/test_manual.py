"""Saved pages of JavaScript sites, read through column maps: the example map, map choice, errors, CLI, replay."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from flop_tracker.cli import main
from ingest.base import CaptureMeta, IngestError
from ingest.manual import ManualSource, available_maps, get_map
from ingest.runner import Ingestor
from kernel.paths import Paths
from tests.conftest import FIXTURES

SRC = ManualSource()
PAGE = FIXTURES / "manual" / "aa_leaderboard_2025-08-14.html"


def parse(content: bytes, filename: str = "page.html", origin: str = "/saved/page.html", source: ManualSource = SRC):
    meta = CaptureMeta(origin=origin, captured_at=datetime(2025, 11, 22), filename=filename)
    return source.parse(content, meta).tables["manual_rows"]


def values(rows, row_number: int) -> dict[str, tuple[str, float | None]]:
    return {r.field: (r.value_text, r.value_number) for r in rows if r.row_number == row_number}


def test_the_example_map_is_valid_and_found_by_name():
    assert list(available_maps()) == ["artificial_analysis"]
    spec = get_map("artificial_analysis")
    assert spec.table.header_contains == ["Model", "Artificial Analysis Intelligence Index"]
    assert len(spec.fields) == 10
    with pytest.raises(KeyError, match="no column map 'superclue'.*known: artificial_analysis"):
        get_map("superclue")


def test_saved_artificial_analysis_page_reads_every_mapped_cell():
    rows = parse(PAGE.read_bytes(), filename=PAGE.name)
    # 3 models: 10 + 10 + 7 known cells (DeepSeek's index and LiveCodeBench are blank, AIME is N/A);
    # the legend table and the "Open weights models" section row are not read.
    assert len(rows) == 27
    assert [(r.row_number, r.model_name, r.developer) for r in rows if r.field == "api_provider"] == [
        (1, "gpt-oss-120B (high)", "OpenAI"),
        (2, "Gemini 2.5 Pro", "Google"),
        (3, "DeepSeek R1 0528", "DeepSeek"),
    ]
    assert values(rows, 1) == {
        "api_provider": ("Fireworks", None),
        "context_window": ("131k", 131000.0),
        "intelligence_index": ("61", 61.0),
        "mmlu_pro": ("81%", 81.0),
        "gpqa_diamond": ("78%", 78.0),
        "humanitys_last_exam": ("19%", 19.0),
        "livecodebench": ("64%", 64.0),
        "aime_2025": ("93%", 93.0),
        "price_blended_usd_per_mtok": ("$0.26", 0.26),
        "median_output_tokens_per_s": ("230.7", 230.7),
    }
    assert values(rows, 2)["context_window"] == ("1m", 1e6)
    deepseek = values(rows, 3)
    assert set(deepseek) == {
        "api_provider",
        "context_window",
        "mmlu_pro",
        "gpqa_diamond",
        "humanitys_last_exam",
        "price_blended_usd_per_mtok",
        "median_output_tokens_per_s",
    }
    assert deepseek["humanitys_last_exam"] == ("14.9%", 14.9)
    assert deepseek["median_output_tokens_per_s"] == ("1,024.5", 1024.5)
    first = rows[0]
    assert (first.source_name, first.capture_format, first.snapshot_date) == (
        "artificial_analysis",
        "html",
        date(2025, 8, 14),
    )
    assert {r.column_name for r in rows if r.field == "mmlu_pro"} == {"MMLU-Pro (Reasoning & Knowledge)"}
    assert {(r.field_kind, r.unit) for r in rows if r.field == "gpqa_diamond"} == {("score", "percent")}


def test_the_map_comes_from_the_name_prefix_then_the_folder_then_the_content(tmp_path: Path):
    content = PAGE.read_bytes()
    assert parse(content, filename="artificial_analysis__page.html")[0].source_name == "artificial_analysis"
    assert parse(content)[0].source_name == "artificial_analysis"  # its detect strings are in the page
    with pytest.raises(IngestError, match="no column map 'superclue'"):
        parse(content, filename="superclue__page.html")
    with pytest.raises(IngestError, match=r"cannot tell which column map.*matching: none.*--source NAME"):
        parse(b"<html><table><tr><th>Model</th></tr></table></html>")
    # Two maps that both recognise the page: the content is ambiguous, the folder or the prefix decides.
    maps = tmp_path / "maps"
    maps.mkdir()
    text = (Path(__file__).parents[1] / "ingest" / "manual_maps" / "artificial_analysis.yml").read_text()
    (maps / "artificial_analysis.yml").write_text(text)
    (maps / "aa_copy.yml").write_text(text.replace("name: artificial_analysis", "name: aa_copy"))
    two = ManualSource(maps)
    with pytest.raises(IngestError, match="matching: aa_copy, artificial_analysis"):
        parse(content, source=two)
    assert parse(content, origin="/captures/manual/aa_copy/page.html", source=two)[0].source_name == "aa_copy"
    chosen = parse(content, filename="artificial_analysis__p.html", origin="/c/manual/aa_copy/p.html", source=two)
    assert chosen[0].source_name == "artificial_analysis"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            b">78%<",
            b">seventy-eight<",
            r"row 1 \('gpt-oss-120B \(high\)'\) column 'GPQA Diamond.*not a number in percent",
        ),
        (b">$3.44<", b">free<", r"row 2 \('Gemini 2.5 Pro'\) column 'Blended USD/1M Tokens': 'free' is not a number"),
        (b"128k", b"long", r"'DeepSeek R1 0528'\) column 'Context Window': 'long' is not a number in tokens"),
        (b"<span>Gemini 2.5 Pro</span>", b"", "a table row has values but no model in column 'Model'"),
        (b"Intelligence Index</span>", b"Index</span>", "no table matching 'table' with columns Model, Artificial"),
    ],
)
def test_values_that_are_not_numbers_and_missing_tables_are_errors(old, new, message):
    content = PAGE.read_bytes()
    assert old in content
    with pytest.raises(IngestError, match=message):
        parse(content.replace(old, new), filename="artificial_analysis__p.html")


def test_a_csv_table_and_a_map_with_billions_and_a_header_match(tmp_path: Path):
    maps = tmp_path / "maps"
    maps.mkdir()
    (maps / "superclue.yml").write_text(
        "name: superclue\n"
        "description: SuperCLUE general leaderboard (saved table)\n"
        "site: https://www.superclueai.com/\n"
        "table: {header_contains: [模型, 总分]}\n"
        "model: {column: 模型}\n"
        "developer: {column: 机构}\n"
        "fields:\n"
        "  - {field: superclue_overall, column: 总分, kind: score, unit: points}\n"
        "  - {field: parameters, column: 参数量, kind: spec, unit: billions}\n"
    )
    table = "排名,模型,机构,总分,参数量\n1,GPT-5 (high),OpenAI,75.34,-\n2,DeepSeek-V3.1,深度求索,70.02,671B\n,,,,\n"
    rows = parse(table.encode(), filename="superclue__table.csv", source=ManualSource(maps))
    assert [(r.row_number, r.model_name, r.developer, r.field, r.value_number) for r in rows] == [
        (1, "GPT-5 (high)", "OpenAI", "superclue_overall", 75.34),
        (2, "DeepSeek-V3.1", "深度求索", "superclue_overall", 70.02),
        (2, "DeepSeek-V3.1", "深度求索", "parameters", 671e9),
    ]
    assert {r.capture_format for r in rows} == {"csv"}
    with pytest.raises(IngestError, match="CSV line 3 has 4 fields, header has 5"):
        parse(table.replace(",70.02,671B", ",70.02").encode(), filename="superclue__t.csv", source=ManualSource(maps))
    with pytest.raises(
        IngestError,
        match="^missing required column '参数量': not the table the superclue map reads; "
        "columns found: 排名, 模型, 机构, 总分, 规模$",
    ):
        parse(table.replace("参数量", "规模").encode(), filename="superclue__t.csv", source=ManualSource(maps))
    # A field the map marks `required: false` is loaded when present; without it the page loads degraded.
    relaxed = tmp_path / "relaxed"  # (maps are cached by path)
    relaxed.mkdir()
    text = (maps / "superclue.yml").read_text().replace("unit: billions}", "unit: billions, required: false}")
    (relaxed / "superclue.yml").write_text(text)
    source = ManualSource(relaxed)
    missing = table.replace("参数量", "规模").encode()
    parsed = source.parse(missing, CaptureMeta("superclue/t.csv", datetime(2025, 9, 1), "superclue__t_2025-09-01.csv"))
    assert parsed.missing == ["参数量"] and parsed.row_count == 2
    assert (parsed.data_date, parsed.data_date_basis) == (date(2025, 9, 1), "file name")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "name: other\ndescription: d\nmodel: {column: M}\nfields: [{field: f, column: C}]\n",
            "must equal the file name",
        ),
        (
            "name: bad\ndescription: d\nmodel: {column: M}\nfields: [{field: f, column: C, unit: furlongs}]\n",
            "not a valid",
        ),
        ("name: bad\ndescription: d\nmodel: {column: M}\nfields: []\nextra: 1\n", "not a valid"),
        ("name: bad\ndescription: d\nmodel: {column: M}\nfields: []\n", "no fields"),
        ("name: [bad\n", "not a valid column map"),
    ],
)
def test_a_broken_map_is_refused_naming_the_file(tmp_path: Path, text: str, message: str):
    (tmp_path / "bad.yml").write_text(text)
    assert available_maps(tmp_path) == {}  # left out, never stopping the other maps
    with pytest.raises(KeyError, match=f"bad.yml: .*{message}"):
        get_map("bad", tmp_path)


@pytest.mark.shared
def test_the_map_reads_the_real_artificial_analysis_csv_export(shared_data: Path, paths: Paths):
    path = shared_data / "artificial_analysis" / "leaderboard_2025-08-14.csv"
    with Ingestor(paths, [SRC]) as ing:
        result = ing.ingest_bytes(
            SRC, path.read_bytes(), CaptureMeta(str(path), datetime(2025, 8, 14), "artificial_analysis__" + path.name)
        )
        # 506 provider rows; 4463 known cells in the ten mapped columns (counted with the csv module:
        # e.g. the Intelligence Index is blank on 262 rows, AIME 2025 on 255).
        assert (result.status, result.rows) == ("ok", 4463), result.line
        con = ing.con
        assert con.execute(
            "select count(distinct row_number), count(distinct model_name) from raw.manual_rows"
        ).fetchone() == (
            506,
            281,
        )
        gpt5 = dict(
            con.execute(
                "select field, value_number from raw.manual_rows where row_number = 1 and value_number is not null"
            ).fetchall()
        )
        assert gpt5["intelligence_index"] == 69.0
        assert gpt5["gpqa_diamond"] == 85.0
        assert gpt5["price_blended_usd_per_mtok"] == 3.44
        assert gpt5["context_window"] == 400000.0
        assert gpt5["median_output_tokens_per_s"] == 112.2
        assert con.execute(
            "select value_number from raw.manual_rows where field = 'median_output_tokens_per_s' and row_number in "
            "(select row_number from raw.manual_rows where model_name = 'gpt-oss-120B (high)' "
            "and field = 'api_provider' and value_text = 'Cerebras')"
        ).fetchone() == (1707.0,)
        # The CSV export has no creator column: no developer is read from it.
        assert con.execute("select count(*) from raw.manual_rows where developer is not null").fetchone() == (0,)


def test_cli_loads_a_saved_page_with_its_map_and_a_replay_reads_it_the_same_way(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
):
    code = main(
        ["ingest", "manual", "--file", str(PAGE), "--source", "artificial_analysis", "--data-dir", str(data_dir)]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "manual: loaded 27 rows" in out
    stored = [p.name for p in (data_dir / "raw" / "manual").iterdir() if not p.name.endswith(".meta.json")]
    assert len(stored) == 1 and stored[0].endswith("artificial_analysis__aa_leaderboard_2025-08-14.html")
    # The same file again adds nothing; a replay into a fresh database reads it with the same map.
    assert (
        main(["ingest", "manual", "--file", str(PAGE), "--source", "artificial_analysis", "--data-dir", str(data_dir)])
        == 0
    )
    assert "already loaded" in capsys.readouterr().out
    (data_dir / "tracker.duckdb").unlink()
    assert main(["ingest", "manual", "--offline", "--data-dir", str(data_dir)]) == 0
    con = duckdb.connect(str(data_dir / "tracker.duckdb"), read_only=True)
    try:
        assert con.execute(
            "select count(*), min(snapshot_date), list(distinct source_name) from raw.manual_rows"
        ).fetchone() == (27, date(2025, 8, 14), ["artificial_analysis"])
    finally:
        con.close()


def test_cli_refuses_an_unknown_map_and_source_without_manual(data_dir: Path, capsys: pytest.CaptureFixture[str]):
    code = main(["ingest", "manual", "--file", str(PAGE), "--source", "nosuch", "--data-dir", str(data_dir)])
    assert code == 2
    assert "no column map 'nosuch'" in capsys.readouterr().err
    code = main(
        ["ingest", "lmarena", "--file", str(PAGE), "--source", "artificial_analysis", "--data-dir", str(data_dir)]
    )
    assert code == 2
    assert "--source NAME goes with `manual`" in capsys.readouterr().err

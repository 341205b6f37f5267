"""`flop-tracker export`: csv, parquet, json and Epoch's own layout; spreadsheet formulas neutralised."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from flop_tracker.cli import main
from flop_tracker.export import EPOCH_HEADER

MART_COLUMNS = 29


def export(capsys, data_dir: Path, fmt: str, *extra: str) -> str:
    code = main(["export", "--data-dir", str(data_dir), "--format", fmt, *extra])
    out = capsys.readouterr().out
    assert code == 0, out
    return " ".join(out.split())


def test_csv_default_path_every_column_formulas_neutralised(mart_dir: Path, capsys):
    out = export(capsys, mart_dir, "csv")
    target = mart_dir / "exports" / "models.csv"
    assert out == f"wrote 5 models to {target} (csv)"
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows[0]) == MART_COLUMNS and rows[0][:3] == ["model_id", "model", "developer"]
    assert [r[0] for r in rows[1:]] == ["alpha-pro", "delta-ultra", "hyperlink-model", "beta-70b", "gamma-8x7b"]
    evil = dict(zip(rows[0], rows[3], strict=True))
    assert evil["model"] == '\'=HYPERLINK("http://x","y")'
    assert evil["reasoning"] == "'-2 dex below the frontier"
    assert evil["sources"] == "'@list"
    assert evil["developer"] == "Evil | Corp"
    alpha = dict(zip(rows[0], rows[1], strict=True))
    assert (alpha["training_flop"], alpha["decided_at"], alpha["in_staging_file"]) == (
        "3.0000e+26",
        "2025-03-05T10:00:00",
        "true",
    )
    # no cell of the file starts with a formula trigger
    assert not [c for r in rows for c in r if c[:1] in {"=", "+", "-", "@"}]


def test_json_keeps_values_exact(mart_dir: Path, tmp_path: Path, capsys):
    target = tmp_path / "out" / "m.json"
    export(capsys, mart_dir, "json", "--output", str(target))
    records = json.loads(target.read_text(encoding="utf-8"))
    assert len(records) == 5 and len(records[0]) == MART_COLUMNS
    evil = next(r for r in records if r["model_id"] == "hyperlink-model")
    assert evil["model"] == '=HYPERLINK("http://x","y")'  # typed data for programs, not a spreadsheet
    assert (evil["training_flop"], evil["release_date"], evil["in_staging_file"]) == (1.2e25, "2025-01-10", False)


def test_parquet_round_trips_types(mart_dir: Path, capsys):
    export(capsys, mart_dir, "parquet")
    table = pq.read_table(mart_dir / "exports" / "models.parquet")
    assert table.num_rows == 5 and table.num_columns == MART_COLUMNS
    assert str(table.schema.field("release_date").type) == "date32[day]"
    assert str(table.schema.field("training_flop").type) == "double"
    rows = table.to_pylist()
    assert rows[0]["model_id"] == "alpha-pro" and rows[0]["release_date"] == date(2025, 3, 1)
    assert rows[2]["model"] == '=HYPERLINK("http://x","y")'


def test_epoch_layout_header_mapping_and_neutralised_formula(mart_dir: Path, capsys):
    export(capsys, mart_dir, "epoch")
    rows = list(csv.reader(io.StringIO((mart_dir / "exports" / "models.epoch.csv").read_text(encoding="utf-8"))))
    assert rows[0] == EPOCH_HEADER
    records = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    alpha = records[0]
    filled = {k: v for k, v in alpha.items() if v}
    assert filled == {
        "Model": "Alpha Pro",
        "Link": "https://example.org/alpha",
        "Publication date": "3/1/2025",
        "Organization": "AlphaLab",
        "Parameters": "1.2e+12",
        "Training compute (FLOP)": "3e+26",
        "Training compute notes": "Disclosed 3e26 FLOP in the model card",
        "Confidence": "Confident",
    }
    evil = records[2]
    assert evil["Model"] == '\'=HYPERLINK("http://x","y")'
    assert evil["Training compute notes"] == "'-2 dex below the frontier"
    assert evil["Link"] == "'@list"
    assert (evil["Parameters"], evil["Confidence"]) == ("", "Speculative")
    gamma = records[4]
    assert (gamma["Model"], gamma["Organization"], gamma["Publication date"]) == (
        "Gamma 8x7B, v2",
        "Gamma, Univ. X",
        "",
    )
    assert gamma["Training compute (FLOP)"] == "4e+23"


def test_epoch_header_is_the_published_files(shared_data: Path, mart_dir: Path, capsys):
    published = shared_data / "previous_system" / "published" / "published_data.csv"
    with open(published, encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == EPOCH_HEADER
    export(capsys, mart_dir, "epoch")
    assert (mart_dir / "exports" / "models.epoch.csv").read_text(encoding="utf-8").splitlines()[0] == ",".join(header)


def test_export_of_a_built_database(built, tmp_path: Path, capsys):
    target = tmp_path / "built.csv"
    out = export(capsys, built.data_dir, "csv", "--output", str(target))
    n = int(out.split()[1])
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == n and n > 5
    above = (built.data_dir / "clean" / "above_1e25_flop.csv").read_text(encoding="utf-8")
    assert sum(r["dataset_file"] == "candidates" for r in rows) == len(above.splitlines()) - 1
    assert {"llama-3.1-405b", "grok-3", "pangu-ultra"} <= {r["model_id"] for r in rows}


@pytest.mark.parametrize("fmt", ["csv", "json", "epoch", "parquet"])
def test_no_temporary_file_is_left(mart_dir: Path, capsys, fmt: str):
    export(capsys, mart_dir, fmt)
    assert sorted(p.name for p in (mart_dir / "exports").iterdir()) == [
        f"models.{'epoch.csv' if fmt == 'epoch' else fmt}"
    ]

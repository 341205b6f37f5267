"""Epoch export parser on a small fixture: numbers, dates in both formats, placeholder rows."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from rich.console import Console

from flop_tracker.pipeline import IngestSummary
from ingest.base import CaptureMeta, IngestError, date_from_filename
from ingest.epoch import EpochSource
from tests.conftest import FIXTURES

SRC = EpochSource()


def parse(content: bytes, name: str = "mini_epoch.csv"):
    return SRC.parse(content, CaptureMeta(origin=name, captured_at=datetime(2025, 5, 20), filename=name))


def test_fixture_rows_and_values():
    rows = parse((FIXTURES / "epoch" / "mini_epoch.csv").read_bytes()).tables["epoch_models"]
    assert [r.model_name for r in rows] == ["Alpha Pro", "Beta-70B", "Gamma 8x7B, v2"]  # placeholder row skipped
    alpha, beta, gamma = rows
    assert alpha.training_compute_flop is None
    assert "very likely >1e25" in alpha.training_compute_notes
    assert beta.training_compute_flop == 6.3e24
    assert (beta.parameters, beta.training_dataset_size, beta.hardware_quantity) == (70e9, 15e12, 4096.0)
    assert beta.publication_date == date(2024, 6, 15)
    assert gamma.publication_date == date(2024, 3, 9)  # M/D/YYYY as some exports write it
    assert gamma.organization == "Gamma, Univ. X"
    assert {r.export_name for r in rows} == {"notable_ai_models"}  # it has the "Frontier model" column


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"Model,Organization\nX,Y\n", "missing required columns .Publication date.*found: Model, Organization$"),
        (b"<!DOCTYPE html><html></html>", "got HTML or JSON"),
        (
            b"Model,Organization,Publication date,Training compute (FLOP)\nX,Y,2024-01-01,lots\n",
            "Training compute \\(FLOP\\) 'lots' is not a number",
        ),
        (b"Model,Organization,Publication date,Training compute (FLOP)\nX,Y,2024-13-45,1e24\n", "is not a date"),
        (b"Model,Organization,Publication date,Training compute (FLOP)\nX,Y,2024-01-01", "row ends before"),
        (b"Model,Organization,Publication date,Training compute (FLOP)\n", "no rows"),
        (b"Model,Organization,Publication date,Training compute (FLOP)\nX,Y\xe9,2024-01-01,1e24\n", "not UTF-8"),
    ],
)
def test_bad_input_gives_one_line_reason(content, message):
    with pytest.raises(IngestError, match=message):
        parse(content)


# -- the schema contract on Epoch's real 2025 and 2026 layouts (../shared/data/epoch) ------------------
# Non-null counts counted in the files themselves (csv module, one row per named Model): rows, dataset
# sizes (`(datapoints)`, 2026 `(total)` or the Large-Scale export's `(DEPRECATED) (datapoints)`),
# utilization (2025: the one column; 2026: MFU) and the 2026 HFU.
LAYOUTS = [
    ("all_ai_models_2025-04-23.csv", "all_ai_models", 2225, 1078, 54, 0),
    ("large_scale_ai_models_2025-05-20.csv", "large_scale_ai_models", 311, 179, 0, 0),
    ("notable_ai_models_2025-05-20.csv", "notable_ai_models", 954, 519, 41, 0),
    ("large_scale_ai_models_2026-02-16_published_before_2025-05-21.csv", "large_scale_ai_models", 421, 209, 36, 14),
    ("notable_ai_models_2026-07-19_published_before_2025-05-21.csv", "notable_ai_models", 920, 645, 33, 15),
]


def parse_real(path, content: bytes | None = None):
    meta = CaptureMeta(origin=str(path), captured_at=datetime(2026, 12, 1), filename=path.name)
    return SRC.parse(path.read_bytes() if content is None else content, meta)


@pytest.mark.shared
@pytest.mark.parametrize(("name", "export", "rows", "sizes", "utilization", "hfu"), LAYOUTS)
def test_each_layout_loads_dataset_size_and_utilization(shared_data, name, export, rows, sizes, utilization, hfu):
    parsed = parse_real(shared_data / "epoch" / name)
    records = parsed.tables["epoch_models"]
    assert parsed.missing == []  # each layout has every column its export is expected to have
    assert {r.export_name for r in records} == {export}
    assert len(records) == rows
    assert sum(r.training_dataset_size is not None for r in records) == sizes
    assert sum(r.hardware_utilization is not None for r in records) == utilization
    assert sum(r.hardware_utilization_hfu is not None for r in records) == hfu
    # the export's date is the one in its file name
    assert (parsed.data_date, parsed.data_date_basis) == (date_from_filename(name), "file name")


@pytest.mark.shared
def test_renamed_columns_carry_the_same_figures(shared_data):
    """2026's `(total)` and MFU/HFU columns hold what the 2025 columns held, where Epoch did not revise them."""
    by_name = {r.model_name: r for r in parse_real(shared_data / "epoch" / LAYOUTS[4][0]).tables["epoch_models"]}
    llama = by_name["Llama 3.1-405B"]
    assert (llama.training_dataset_size, llama.hardware_utilization, llama.hardware_utilization_hfu) == (
        15.6e12,
        0.4042,
        None,
    )
    bloom = by_name["BLOOM-176B"]  # only an HFU was reported: the 2025 file's single column held it
    assert (bloom.hardware_utilization, bloom.hardware_utilization_hfu) == (None, 0.5)
    assert by_name["DeepSeek-V3"].country == "China"  # `Country (of organization)`, never loaded before


def _without(path, column: str, rename: str | None = None) -> bytes:
    """The real export with one column dropped (or renamed to a header no layout has)."""
    import csv
    import io

    table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    at = table[0].index(column)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in table:
        if rename is not None:
            writer.writerow(row if row is not table[0] else [rename if i == at else c for i, c in enumerate(row)])
        else:
            writer.writerow(row[:at] + row[at + 1 :])
    return out.getvalue().encode()


@pytest.mark.shared
def test_a_missing_required_column_fails_naming_it_and_the_columns_found(shared_data):
    path = shared_data / "epoch" / LAYOUTS[4][0]
    with pytest.raises(IngestError) as info:
        parse_real(path, _without(path, "Training compute (FLOP)"))
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("missing required column 'Training compute (FLOP)': not an Epoch export (Notable AI")
    assert "; columns found: Model, Organization, Publication date, Domain, Task, Parameters, " in message


@pytest.mark.shared
def test_an_unknown_name_for_an_expected_column_loads_the_rest_and_says_so(shared_data, paths):
    """A future rename of `(total)` is not loaded as empty without a word: the run is `degraded`."""
    from ingest.runner import Ingestor

    path = shared_data / "epoch" / LAYOUTS[4][0]
    content = _without(path, "Training dataset size (total)", rename="Training dataset size (tokens)")
    parsed = parse_real(path, content)
    assert parsed.missing == ["Training dataset size (total)"]
    assert sum(r.training_dataset_size is not None for r in parsed.tables["epoch_models"]) == 0
    saved = paths.data_dir / "notable_ai_models_2027-01-01.csv"
    saved.write_bytes(content)
    with Ingestor(paths, [SRC]) as ingestor:
        result = ingestor.ingest_file(SRC, saved)
        again = ingestor.ingest_file(SRC, saved)
        run = ingestor.con.execute(
            "select status, rows, missing_columns, error, data_date, data_date_basis from raw.ingest_runs"
        ).fetchall()
    assert (result.status, result.rows, again.status) == ("degraded", 920, "unchanged")
    assert "Training dataset size (total)" in result.line
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(IngestSummary([result, again]).table())
    shown = console.export_text()
    assert "│ epoch  │  920 │      1 │    1 │ 1: degraded without expected column(s)       │" in shown
    assert "Training dataset size (total)" in shown and max(len(line) for line in shown.splitlines()) <= 80
    assert run == [
        (
            "degraded",
            920,
            "Training dataset size (total)",
            "loaded without expected column(s): Training dataset size (total)",
            date(2027, 1, 1),
            "file name",
        )
    ]

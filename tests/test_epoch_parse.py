"""Epoch export parser on a small fixture: numbers, dates in both formats, placeholder rows."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from ingest.base import CaptureMeta, IngestError
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
        (b"Model,Organization\nX,Y\n", "missing column.*Publication date"),
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

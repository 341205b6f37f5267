"""Schema contracts (ingest.base.Contract): what each parser declares, and what a capture lacking a column gets."""

from __future__ import annotations

import importlib
from datetime import date, datetime
from pathlib import Path

import pytest

from ingest import registry
from ingest.base import CaptureMeta, Contract, IngestError, expected, optional, required
from ingest.runner import saved_captures

CONTRACT = Contract(
    "a test table",
    (
        required("model", "Model", "Name"),
        expected("size", "Training dataset size (total)", "Training dataset size (datapoints)"),
        expected("alscore", "ALScore*"),
        optional("hfu", "Hardware utilization (HFU)"),
    ),
)


def test_names_are_tried_in_order_and_headers_read_as_a_person_reads_them():
    found = CONTRACT.match(
        ["Name", "training dataset size (datapoints)", "Training  dataset\nsize (total)", "ALScore\n(formula...)"]
    )
    assert found.position == {"model": 0, "size": 2, "alscore": 3}  # (total) preferred over (datapoints)
    assert found.missing == ()  # the optional HFU is no loss
    assert found.get(["GPT-4", "1", "2", "0.5"], "alscore") == "0.5"


def test_missing_expected_columns_are_named_and_required_ones_refused():
    found = CONTRACT.match(["Model", "Params"])
    assert found.missing_labels == ["Training dataset size (total)", "ALScore"]
    with pytest.raises(IngestError) as info:
        CONTRACT.match(["Params", "ALScore"])
    assert str(info.value) == (
        "missing required column 'Model' (or 'Name'): not a test table; columns found: Params, ALScore"
    )


def test_a_name_matching_two_headers_is_refused():
    with pytest.raises(IngestError, match=r"^2 columns match 'ALScore' \(ALScore a, ALScore b\): cannot tell"):
        CONTRACT.match(["Model", "ALScore a", "ALScore b"])


@pytest.mark.parametrize("name", sorted(registry.SOURCES))
def test_every_parser_declares_its_columns(name: str):
    """One declarative mechanism: every source module holds its contracts (manual builds one per map)."""
    module = importlib.import_module(f"ingest.{name}")
    values = [*vars(module).values(), *(x for v in vars(module).values() if isinstance(v, dict) for x in v.values())]
    contracts = [v for v in values if isinstance(v, Contract)]
    if name == "manual":
        assert callable(module.contract_for)
    else:
        assert contracts, f"ingest/{name}.py declares no Contract"


# Every saved real capture in ../shared/data: rows, and the data date it states and where it was read.
# (For a saved file without a date of its own the date in its name is the export's; one file states none
# at all, the previous system's published CSV: it has no data date, rather than its copy's mtime.)
REAL = [
    (
        "lmarena",
        "lmarena/arena_catalog_leaderboard-text-style-control_2025-12-17.json",
        7462,
        "2025-12-17",
        "file name",
    ),
    ("lmarena", "lmarena/arena_catalog_leaderboard-text_2025-12-11.json", 7461, "2025-12-11", "file name"),
    ("lmarena", "lmarena/arena_catalog_scatterplot-data_2025-12-17.json", 141, "2025-12-17", "file name"),
    ("lmarena", "lmarena/elo_history_2023-05_to_2025-02.csv", 11827, "2025-02-27", "content"),
    ("lmarena", "lmarena/leaderboard_page_2025-03-25.html", 475, "2025-03-25", "content"),
    ("lmarena", "lmarena/leaderboard_table_metadata_2025-05-11.csv", 292, "2025-05-11", "file name"),
    ("lmarena", "lmarena/lmarena_text_2025-08-04.csv", 530, "2025-08-04", "file name"),
    ("epoch", "epoch/all_ai_models_2025-04-23.csv", 2225, "2025-04-23", "file name"),
    ("epoch", "epoch/large_scale_ai_models_2025-05-20.csv", 311, "2025-05-20", "file name"),
    ("epoch", "epoch/large_scale_ai_models_2026-02-16_published_before_2025-05-21.csv", 421, "2026-02-16", "file name"),
    ("epoch", "epoch/notable_ai_models_2025-05-20.csv", 954, "2025-05-20", "file name"),
    ("epoch", "epoch/notable_ai_models_2026-07-19_published_before_2025-05-21.csv", 920, "2026-07-19", "file name"),
    ("previous_system", "previous_system/clean/above_1e25_flop.csv", 104, "2025-08-15", "content"),
    ("previous_system", "previous_system/clean/below_1e25_flop.csv", 192, "2025-08-15", "content"),
    ("previous_system", "previous_system/staging/above_1e25_flop_staging.csv", 35, "2025-08-15", "content"),
    ("previous_system", "previous_system/published/published_data.csv", 26, None, "none"),
    ("previous_system", "previous_system/scraped/lmarena_models.json", 217, "2025-08-15", "content"),
    ("previous_system", "previous_system/scraped/superclue_models.json", 155, "2025-08-15", "content"),
    ("openlm", "openlm/openlm_arena_parsed_2025-08-15.json", 214, "2025-08-15", "content"),
    ("huggingface", "huggingface/hf_models_param_counts_2026-03-01.json", 514, "2026-03-01", "file name"),
    ("open_llm_leaderboard", "huggingface/open_llm_leaderboard_v2_2025-02-08.csv", 3827, "2025-02-08", "file name"),
    ("artificial_analysis", "artificial_analysis/leaderboard_2025-08-14.csv", 506, "2025-08-14", "file name"),
    ("lifearchitect", "lifearchitect/models_table_2025-01.csv", 524, "2025-01-01", "file name"),
]


@pytest.mark.shared
def test_the_list_covers_every_saved_capture(shared_data: Path):
    listed = {(source, rel) for source, rel, *_ in REAL}
    for source in registry.SOURCES.values():
        for path in saved_captures(source, shared_data):
            rel = str(path.relative_to(shared_data))
            if "previous_system/scraped/" in rel:
                continue  # six files of one shape; two are listed
            assert (source.name, rel) in listed, rel


@pytest.mark.shared
@pytest.mark.parametrize(("source", "rel", "rows", "day", "basis"), REAL)
def test_each_real_capture_has_every_expected_column_and_states_its_date(shared_data, source, rel, rows, day, basis):
    path = shared_data / rel
    parsed = registry.get(source).parse(path.read_bytes(), CaptureMeta(str(path), datetime(2026, 12, 1), path.name))
    assert parsed.missing == []
    assert parsed.row_count == rows
    if parsed.data_date is None:  # the loader dates it as the runner does
        parsed.dated(CaptureMeta(str(path), datetime(2026, 12, 1), path.name))
    assert (parsed.data_date, parsed.data_date_basis) == (date.fromisoformat(day) if day else None, basis)

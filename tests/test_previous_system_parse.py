"""Previous-system parser on small fixtures written for these tests: each shape detected from its content."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from ingest.base import CaptureMeta, IngestError
from ingest.previous_system import PreviousSystemSource
from tests.conftest import FIXTURES

SRC = PreviousSystemSource()
DIR = FIXTURES / "previous_system"


def parse(name: str, content: bytes | None = None, when: datetime = datetime(2025, 11, 22)):
    data = content if content is not None else (DIR / name).read_bytes()
    return SRC.parse(data, CaptureMeta(origin=f"/x/{name}", captured_at=when, filename=name))


def test_scraped_file_gives_one_row_per_score_and_keeps_both_entries_of_a_repeated_name():
    parsed = parse("mini_scraped.json")
    assert list(parsed.tables) == ["previous_system_scores"]
    rows = parsed.tables["previous_system_scores"]
    assert [(r.entry_index, r.model_name, r.score_name, r.score_value) for r in rows] == [
        (1, "alpha_pro", "openlm_arena_elo", 1469.0),
        (1, "alpha_pro", "coding_score", 1471.0),
        (1, "alpha_pro", "mmlu_pro_score", 86.2),
        (2, "beta_r1", "openlm_arena_elo", 1418.0),
        (3, "beta_r1", "openlm_arena_elo", 1394.0),
        (3, "beta_r1", "coding_score", 1382.5),
    ]
    assert {r.leaderboard for r in rows} == {"openlm_arena"}
    # Dated by the file's own saved_at, not the capture date (2025-11-22).
    assert {r.snapshot_date for r in rows} == {date(2025, 8, 15)}
    assert rows[0].saved_at == datetime(2025, 8, 15, 20, 21, 36, 962976)
    assert rows[0].last_updated == datetime(2025, 8, 15, 20, 21, 36, 910135)
    assert rows[3].developer is None  # "Unknown" is no developer
    assert rows[3].parameters == 671e9
    assert rows[3].source_note is None
    assert rows[4].developer == "BetaCo"
    assert rows[4].last_updated is None
    assert rows[4].source_note == "https://openlm.ai/chatbot-arena/ (OpenLM Chatbot Arena leaderboard); second note"


def test_scraped_file_without_timestamps_is_dated_by_its_capture():
    data = json.loads((DIR / "mini_scraped.json").read_text())
    del data["metadata"]["saved_at"]
    rows = parse("x.json", json.dumps(data).encode()).tables["previous_system_scores"]
    assert {r.snapshot_date for r in rows} == {date(2025, 8, 15)}  # metadata.last_updated
    del data["metadata"]["last_updated"]
    rows = parse("x.json", json.dumps(data).encode(), when=datetime(2025, 9, 1, 12)).tables["previous_system_scores"]
    assert {r.snapshot_date for r in rows} == {date(2025, 9, 1)}
    assert rows[0].saved_at is None


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["models"][1]["benchmarks"].update(openlm_arena_elo="n/a"), r"model 2 \('beta_r1'\).*not a number"),
        (lambda d: d["models"][0].pop("name"), "model entry 1 has no 'name'"),
        (lambda d: d["metadata"].pop("source"), "no 'source' naming the leaderboard"),
        (lambda d: d["metadata"].update(saved_at="yesterday"), "saved_at 'yesterday' is not an ISO timestamp"),
        (lambda d: d.pop("models"), "no 'models' list"),
        (lambda d: d["models"][2].update(parameters="big"), r"beta_r1.*parameters 'big' is not a number"),
    ],
)
def test_scraped_file_errors_name_the_entry_and_the_problem(edit, message):
    data = json.loads((DIR / "mini_scraped.json").read_text())
    edit(data)
    with pytest.raises(IngestError, match=message):
        parse("bad.json", json.dumps(data).encode())


def test_scraped_file_with_no_scores_or_truncated_is_refused():
    data = json.loads((DIR / "mini_scraped.json").read_text())
    for m in data["models"]:
        m["benchmarks"] = {}
    with pytest.raises(IngestError, match="no scores"):
        parse("empty.json", json.dumps(data).encode())
    text = (DIR / "mini_scraped.json").read_bytes()
    with pytest.raises(IngestError, match="invalid JSON.*truncated"):
        parse("cut.json", text[: len(text) // 2])


def test_output_csvs_take_their_kind_from_the_file_name():
    above = parse("mini_above_1e25_flop.csv").tables["previous_system_estimates"]
    below = parse("mini_below_1e25_flop.csv").tables["previous_system_estimates"]
    staging = parse("mini_above_1e25_flop_staging.csv").tables["previous_system_estimates"]
    assert {r.file_kind for r in above} == {"candidates"}
    assert {r.file_kind for r in below} == {"below"}
    assert {r.file_kind for r in staging} == {"staging"}
    assert [(r.row_number, r.model_name, r.training_flop, r.verified) for r in above] == [
        (1, "alpha_pro", 1.5e26, False),
        (2, "gamma_405b", None, True),
    ]
    assert above[0].reasoning == "Reasoning, with a comma"
    assert above[0].alternative_methods == "Benchmark Based: 5.04e+25 (Low)"
    assert above[1].parameters == 405e9
    assert above[1].notes == "Manual review - confirmed above 1e25 FLOP"
    # Each file is as of its newest last_updated.
    assert {r.snapshot_date for r in above} == {date(2025, 8, 15)}
    assert {r.snapshot_date for r in below} == {date(2025, 8, 11)}
    assert below[1].developer is None
    assert below[1].training_flop == 9.9e24
    assert below[0].threshold_classification is None
    llama = staging[0]
    assert llama.release_date == date(2024, 7, 23)
    assert llama.training_flop == 3.8e25
    assert llama.confidence == "Confident"
    assert llama.estimation_method.startswith("Stated in paper.\n\nAlso, 6 * 405B")
    assert llama.last_updated == datetime(2025, 8, 1, 19, 50, 21, 104722)
    assert staging[1].verified is True
    assert staging[1].blacklist_status == "allowed"


def test_an_output_csv_whose_name_does_not_say_which_it_is_is_refused():
    content = (DIR / "mini_above_1e25_flop.csv").read_bytes()
    with pytest.raises(IngestError, match="cannot tell which of the previous system's files"):
        SRC.parse(content, CaptureMeta(origin="/x/export.csv", captured_at=datetime(2025, 1, 1), filename="export.csv"))
    # The folder in the origin does not count, only the file name.
    meta = CaptureMeta(origin="/data/staging/export.csv", captured_at=datetime(2025, 1, 1), filename="export.csv")
    with pytest.raises(IngestError, match="cannot tell"):
        SRC.parse(content, meta)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("1.5e+26", "lots", r"line 2 \('alpha_pro'\): training_flop 'lots' is not a number"),
        (",y,2025-07-31", ",maybe,2025-07-31", r"line 3 \('gamma_405b'\): verified 'maybe' is not y or blank"),
        ("2025-08-15T20:32:45.046524", "15 Aug", r"alpha_pro.*last_updated '15 Aug' is not an ISO timestamp"),
    ],
)
def test_output_csv_errors_name_the_line_model_and_column(old, new, message):
    text = (DIR / "mini_above_1e25_flop.csv").read_text().replace(old, new)
    with pytest.raises(IngestError, match=message):
        parse("mini_above_1e25_flop.csv", text.encode())


def test_truncated_or_foreign_csv_is_refused():
    text = (DIR / "mini_below_1e25_flop.csv").read_text()
    cut = text[: text.rindex("\n", 0, len(text) - 1)][:-40] + "\n"
    with pytest.raises(IngestError, match="fewer fields than the header"):
        parse("mini_below_1e25_flop.csv", cut.encode())
    with pytest.raises(IngestError, match="unrecognised CSV columns"):
        parse("below.csv", b"name,score\nalpha,1\n")
    with pytest.raises(IngestError, match="header but no rows"):
        parse("below.csv", text.splitlines()[0].encode() + b"\n")
    with pytest.raises(IngestError, match="expected the previous system's scraped JSON"):
        parse("below.json", b"[1, 2]")


def test_published_file_in_epoch_layout_maps_onto_the_same_table():
    rows = parse("mini_published_data.csv").tables["previous_system_estimates"]
    assert [(r.file_kind, r.row_number, r.model_name) for r in rows] == [
        ("published", 1, "Llama 3.1-405B"),
        ("published", 2, "Alpha Pro"),
    ]
    llama, alpha = rows
    assert llama.developer == "Meta AI"
    assert llama.release_date == date(2024, 7, 23)
    assert (llama.parameters, llama.training_flop, llama.training_dataset_size) == (405e9, 3.8e25, 15.6e12)
    assert (llama.hardware_quantity, llama.training_time_hours) == (16384.0, 2142.0)
    assert llama.training_hardware == "NVIDIA H100 SXM5 80GB"
    assert llama.reasoning == "Stated in paper.\n6 * 405B * 15.6T"
    assert llama.sources == "https://arxiv.org/abs/2407.21783"
    assert llama.accessibility == "Open weights (restricted use)"
    assert llama.verified is None and llama.last_updated is None
    assert llama.snapshot_date == date(2025, 11, 22)  # no date in the file: the capture's
    assert alpha.release_date is None and alpha.parameters is None
    assert alpha.parameters_notes == "Rumored to be 2.4T params"

"""OpenLM Chatbot Arena parser on fixtures written for these tests: the page and the previous system's parse."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from ingest.base import CaptureMeta, IngestError
from ingest.openlm import OpenLMSource
from tests.conftest import FIXTURES

SRC = OpenLMSource()


def parse(name: str, content: bytes | None = None, when: datetime = datetime(2025, 7, 3)):
    data = content if content is not None else (FIXTURES / "openlm" / name).read_bytes()
    return SRC.parse(data, CaptureMeta(origin=f"/x/{name}", captured_at=when, filename=name)).tables["openlm_scores"]


def test_page_picks_the_full_leaderboard_not_the_best_open_table():
    rows = parse("mini_page.html")
    assert [(r.position, r.model_name) for r in rows] == [
        (1, "Alpha-Pro-2025-06-05"),
        (2, "Gamma 8x22B (20250514)"),
        (3, "Beta-70B-Instruct"),
        (4, "Delta-Vision-7B"),
    ]
    alpha = rows[0]
    assert (alpha.arena_elo, alpha.coding, alpha.vision, alpha.arena_hard, alpha.mmlu) == (1473, 1491, 1345, 96.4, None)
    assert (alpha.votes, alpha.organization, alpha.license) == (14062, "AlphaLab", "Proprietary")
    assert alpha.model_url == "https://example.org/alpha-pro"
    assert (alpha.aai_index, alpha.mmlu_pro) == (None, None)  # this page version has no AAI / MMLU-Pro columns
    assert alpha.snapshot_date == date(2025, 7, 1)  # from "Attribution LMSYS . July 1, 2025", not the capture
    assert alpha.capture_format == "page"
    beta = rows[2]
    assert (beta.arena_elo, beta.coding, beta.mmlu, beta.votes, beta.model_url) == (1290, 1301, 86, 8110, None)
    delta = rows[3]
    assert (delta.arena_elo, delta.vision, delta.organization, delta.license) == (None, 1007, None, "Apache 2.0")


def test_page_columns_are_found_by_header_in_any_order_and_aai_is_not_arena_hard():
    rows = parse("mini_page_aug.html")
    assert [r.model_name for r in rows] == ["Alpha-Pro-2025-08", "Gamma 8x22B (20250514)"]  # medals stripped
    alpha = rows[0]
    assert (alpha.arena_elo, alpha.coding, alpha.vision) == (1462, 1502, 1297)
    assert (alpha.aai_index, alpha.mmlu_pro) == (68, 87.3)
    assert (alpha.arena_hard, alpha.mmlu) == (None, None)
    assert (alpha.votes, alpha.organization, alpha.license) == (4215, "AlphaLab", "Proprietary")
    assert alpha.snapshot_date == date(2025, 8, 14)


def test_page_without_a_written_date_uses_the_capture_date():
    html = (FIXTURES / "openlm" / "mini_page.html").read_text().replace("July 1, 2025", "recently")
    rows = parse("page.html", html.encode(), when=datetime(2025, 7, 3, 12, 0))
    assert {r.snapshot_date for r in rows} == {date(2025, 7, 3)}


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("<th>Arena Elo</th>", "<th>Score</th>"), "no table with Model and Arena Elo"),
        (("<td>1491</td>", "<td>n.a.x</td>"), "'Alpha-Pro-2025-06-05': coding 'n.a.x' is not a number"),
        (("<td>Beta Inc</td><td>Beta Community</td></tr>", "</tr>"), "row 4 has 8 cells, header has 10"),
        (("<th>Coding</th>", "<th>Arena Elo</th>"), "names arena_elo twice"),
    ],
)
def test_page_problems_are_named(edit: tuple[str, str], message: str):
    html = (FIXTURES / "openlm" / "mini_page.html").read_text()
    assert edit[0] in html
    with pytest.raises(IngestError, match=message):
        parse("page.html", html.replace(*edit).encode())


def test_previous_system_json_keeps_every_row_and_maps_its_keys():
    rows = parse("mini_previous.json")
    assert [(r.position, r.model_name) for r in rows] == [(1, "alpha_pro"), (2, "alpha_pro"), (3, "delta_vision_7b")]
    first = rows[0]
    assert (first.arena_elo, first.coding, first.vision) == (1469, 1471, 1318)
    assert (first.aai_index, first.mmlu_pro) == (65, 86.2)
    assert (first.arena_hard, first.mmlu, first.votes, first.license) == (None, None, None, None)
    assert first.snapshot_date == date(2025, 8, 15)  # metadata.last_updated
    assert first.capture_format == "previous_system_json"
    assert (rows[1].arena_elo, rows[1].vision) == (1401, None)
    assert rows[2].organization is None  # the previous scraper wrote "Unknown" for a blank cell


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["metadata"].update(source="lmarena"), "source 'lmarena', not 'openlm_arena'"),
        (lambda d: d["metadata"].update(model_count=4), "metadata says 4 models but the file holds 3"),
        (lambda d: d["models"][1].update(name=""), "model 2 has no name"),
        (lambda d: d["models"][0]["benchmarks"].update(coding_score="high"), "coding_score 'high' is not a number"),
        (lambda d: d.pop("models"), "without a 'models' list"),
    ],
)
def test_previous_system_json_problems_are_named(change, message: str):
    data = json.loads((FIXTURES / "openlm" / "mini_previous.json").read_text())
    change(data)
    with pytest.raises(IngestError, match=message):
        parse("prev.json", json.dumps(data).encode())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b'{"metadata": {"source": "openlm_arena"}, "models": [', "invalid JSON"),
        (b"<html><body><p>Maintenance</p></body></html>", "HTML page without a table"),
        (b"model,elo\nx,1\n", "neither an HTML page nor JSON"),
    ],
)
def test_other_content_is_refused(content: bytes, message: str):
    with pytest.raises(IngestError, match=message):
        parse("x", content)

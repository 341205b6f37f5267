"""The real OpenLM Arena capture in ../shared/data: exact counts, spot values, and an HTML round trip."""

from __future__ import annotations

import html
from datetime import date, datetime
from pathlib import Path

import pytest

from ingest.base import CaptureMeta
from ingest.openlm import OpenLMScore, OpenLMSource
from ingest.runner import Ingestor
from kernel.paths import Paths

REL = "openlm/openlm_arena_parsed_2025-08-15.json"
SRC = OpenLMSource()


def parse_bytes(content: bytes, name: str) -> list[OpenLMScore]:
    meta = CaptureMeta(origin=f"/x/{name}", captured_at=datetime(2025, 8, 16), filename=name)
    return SRC.parse(content, meta).tables["openlm_scores"]


def number(value: float | int | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"


def page_from(rows: list[OpenLMScore]) -> bytes:
    """The August 2025 page layout (medal column, AAI and MMLU-Pro) filled with these rows' values."""
    head = ["", "Model", "Arena Elo", "Coding", "Vision", "AAI", "MMLU-Pro", "Votes", "Organization", "License"]
    lines = [
        "<html><body><p>Attribution LMSYS &bull; August 15, 2025</p>",
        "<h2>Best Open LM</h2><table><tr><th>Model</th><th>Arena Elo</th><th>MMLU</th><th>License</th></tr>",
        "<tr><td>Someone Open-1</td><td>1400</td><td>88.5</td><td>MIT</td></tr></table>",
        "<h2>Full Leaderboard</h2><table><thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>",
    ]
    for r in rows:
        cells = [
            "🥇" if r.position <= 3 else "",
            html.escape(r.model_name),
            number(r.arena_elo),
            number(r.coding),
            number(r.vision),
            number(r.aai_index),
            number(r.mmlu_pro),
            number(r.votes),
            html.escape(r.organization or ""),
            html.escape(r.license or ""),
        ]
        lines.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    lines.append("</tbody></table></body></html>")
    return "\n".join(lines).encode()


@pytest.mark.shared
def test_previous_parse_gives_214_models_with_their_scores(shared_data: Path):
    rows = parse_bytes((shared_data / REL).read_bytes(), "openlm_arena_parsed_2025-08-15.json")
    assert len(rows) == 214
    assert [r.position for r in rows] == list(range(1, 215))
    assert len({r.model_name for r in rows}) == 190  # normalised names: 24 repeats of dated versions
    assert sum(r.arena_elo is not None for r in rows) == 194
    assert sum(r.coding is not None for r in rows) == 194
    assert sum(r.vision is not None for r in rows) == 61
    assert sum(r.aai_index is not None for r in rows) == 129
    assert sum(r.mmlu_pro is not None for r in rows) == 128
    assert sum(r.organization is None for r in rows) == 35  # "Unknown" in the file
    assert all(r.arena_hard is None and r.mmlu is None and r.votes is None for r in rows)
    assert {r.snapshot_date for r in rows} == {date(2025, 8, 15)}
    first = rows[0]
    assert (first.model_name, first.organization) == ("gemini_2.5_pro", "Google")
    assert (first.arena_elo, first.coding, first.vision, first.aai_index, first.mmlu_pro) == (
        1469.0,
        1471.0,
        1318.0,
        65.0,
        86.2,
    )
    sonnet = [(r.position, r.arena_elo, r.mmlu_pro) for r in rows if r.model_name == "claude_3.5_sonnet"]
    assert sonnet == [(70, 1299.0, 77.2), (85, 1283.0, 75.1)]
    last = rows[-1]
    assert (last.model_name, last.vision, last.arena_elo) == ("molmo_7b_d", 1007.0, None)


@pytest.mark.shared
def test_a_page_built_from_the_real_values_round_trips_to_the_same_214_models(shared_data: Path):
    from_json = parse_bytes((shared_data / REL).read_bytes(), "openlm_arena_parsed_2025-08-15.json")
    from_page = parse_bytes(page_from(from_json), "chatbot-arena")
    assert len(from_page) == 214
    assert {r.capture_format for r in from_page} == {"page"}

    def key(r: OpenLMScore) -> tuple:
        return r.model_dump(exclude={"capture_format", "model_url"})

    assert [key(r) for r in from_page] == [key(r) for r in from_json]


@pytest.mark.shared
def test_the_real_file_loads_214_rows_once(shared_data: Path, paths: Paths):
    with Ingestor(paths, [SRC]) as ing:
        first = ing.ingest_file(SRC, shared_data / REL)
        assert (first.status, first.rows) == ("ok", 214)
        assert ing.ingest_file(SRC, shared_data / REL).status == "unchanged"
        row = ing.con.execute(
            "select arena_elo, coding, aai_index, mmlu_pro, organization, snapshot_date, captured_at "
            "from raw.openlm_scores where model_name = 'gpt_5'"
        ).fetchone()
        assert row == (1462.0, 1502.0, 68.0, 87.3, "OpenAI", date(2025, 8, 15), datetime(2025, 8, 15))
        assert ing.con.execute("select count(*) from raw.openlm_scores").fetchone()[0] == 214

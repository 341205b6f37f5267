"""LMArena parser on small fixtures written for these tests: every shape, detected from content."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from ingest.base import CaptureMeta, IngestError
from ingest.lmarena import LMArenaSource
from tests.conftest import FIXTURES

SRC = LMArenaSource()


def parse(name: str, content: bytes | None = None, when: datetime = datetime(2025, 2, 1)):
    data = content if content is not None else (FIXTURES / "lmarena" / name).read_bytes()
    return SRC.parse(data, CaptureMeta(origin=f"/x/{name}", captured_at=when, filename=name))


def test_page_reads_arena_tables_by_tab_and_skips_win_rate_tables():
    parsed = parse("mini_page.html")
    scores = parsed.tables["lmarena_scores"]
    assert [(s.display_name, s.category) for s in scores] == [
        ("Alpha-Pro-2025-01-01", "text"),
        ("Beta-70B-Instruct", "text"),
        ("Gamma 8x7B", "text"),
        ("Alpha-Pro-2025-01-01", "vision"),
    ]
    alpha = scores[0]
    assert (alpha.score, alpha.score_low, alpha.score_high) == (1400, 1394, 1405)
    assert (alpha.votes, alpha.rank, alpha.rank_style_control) == (12000, 1, 1)
    assert alpha.snapshot_date == date(2025, 3, 25)  # from "Last updated", not the capture time
    assert alpha.model_key == "alpha-pro-2025-01-01"
    gamma = scores[2]
    assert (gamma.score_low, gamma.score_high) == (1241.5, 1260.5)
    models = {m.model_key: m for m in parsed.tables["lmarena_models"]}
    assert models["gamma 8x7b"].link == "https://example.org/gamma"
    assert models["beta-70b-instruct"].organization == "Beta Inc"
    assert len(models) == 3


def test_table_csv_collapses_an_exact_duplicate_row():
    parsed = parse("mini_table.csv")
    scores = parsed.tables["lmarena_scores"]
    assert [(s.model_key, s.score, s.score_low, s.score_high) for s in scores] == [
        ("alpha-pro", 1470, 1465, 1475),
        ("beta-70b-instruct", 1300, 1293, 1306),
    ]
    assert scores[0].snapshot_date == date(2025, 2, 1)
    assert parsed.tables["lmarena_models"][1].knowledge_cutoff == "2024/6"


def test_table_csv_with_conflicting_duplicate_is_refused():
    text = (
        (FIXTURES / "lmarena" / "mini_table.csv")
        .read_text()
        .replace("3,3,Beta-70B-Instruct,1300", "3,3,Beta-70B-Instruct,1299")
    )
    with pytest.raises(IngestError, match="Beta-70B-Instruct.*twice with different values"):
        parse("dup.csv", text.encode())


def test_catalog_json_keeps_every_category_and_style_flag_from_origin():
    parsed = parse("mini_catalog.json")
    scores = parsed.tables["lmarena_scores"]
    assert [(s.model_key, s.category, s.score) for s in scores] == [
        ("alpha-pro", "text", 1401.5),
        ("beta-70b-instruct", "text", 1302.25),
        ("alpha-pro", "coding", 1420.0),
    ]
    assert not scores[0].style_control
    styled = parse("leaderboard-text-style-control.json", (FIXTURES / "lmarena" / "mini_catalog.json").read_bytes())
    assert all(s.style_control for s in styled.tables["lmarena_scores"])


def test_metadata_csv_scatterplot_and_history():
    meta = parse("mini_metadata.csv").tables["lmarena_models"]
    assert [(m.model_key, m.organization, m.license) for m in meta] == [
        ("alpha-pro", "AlphaLab", "Proprietary"),
        ("beta-70b-instruct", "Beta Inc", "Apache 2.0"),
    ]
    scatter = parse("mini_scatter.json").tables["lmarena_models"][0]
    assert (scatter.model_key, scatter.input_price_per_mtok, scatter.output_price_per_mtok) == ("alpha-pro", 2.5, 10.0)
    history = parse("mini_history.csv").tables["lmarena_scores"]
    # 0.0 means "not on the leaderboard that day": 5 of 6 cells are real scores.
    assert [(h.snapshot_date.isoformat(), h.model_key, h.score) for h in history] == [
        ("2024-06-01", "alpha-pro", 1350.5),
        ("2024-06-01", "gamma-8x7b", 1100.0),
        ("2024-07-01", "alpha-pro", 1360.0),
        ("2024-07-01", "beta-70b-instruct", 1280.25),
        ("2024-07-01", "gamma-8x7b", 1101.0),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"  \n", "is empty"),
        (b'{"full": {"a": {"rating": 1200', "invalid JSON.*truncated"),
        (b"<html><body>Just a moment...</body></html>", "not an LMArena leaderboard page"),
        (b"name,score\nx,1\n", "unrecognised CSV columns"),
        (b"\xff\xfe\x00a\x00b", "not UTF-8"),
        (b"rank,model,arena_score\n1,a,12x\n", "arena_score '12x' is not a number"),
        (b"rank,model,arena_score\n1,a,1200\n2,b", "line 3 has 2 fields.*truncated"),
    ],
)
def test_bad_input_gives_one_line_reason(content, message):
    with pytest.raises(IngestError, match=message) as info:
        parse("bad.bin", content)
    assert "\n" not in str(info.value)

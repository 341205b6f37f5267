"""LMArena's leaderboard dataset (`lmarena-ai/leaderboard-dataset` on the Hub, parquet), on real rows.

The rows are real (tests/fixtures/recorded/README.md says where they were taken from); the parquet files
are written here with pyarrow in the schema the published files have (`text`: `rank` float64,
`text_style_control`: `rank` int64; `vote_count` float64 in both; the date a `YYYY-MM-DD` string).
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flop_tracker.cli import main
from ingest.base import CaptureMeta, IngestError
from ingest.lmarena import DATASET_URL, LMArenaSource, dataset_subset
from ingest.runner import Ingestor
from kernel.paths import Paths
from tests.conftest import FIXTURES
from tests.local_http import Reply, local_server

ROWS = json.loads((FIXTURES / "recorded" / "lmarena_leaderboard_dataset_rows_2026-10-02.json").read_text())
SRC = LMArenaSource()
HUB = "/datasets/lmarena-ai/leaderboard-dataset/resolve/main"


def schema(rank: pa.DataType) -> pa.Schema:
    return pa.schema(
        [
            ("model_name", pa.string()),
            ("organization", pa.string()),
            ("license", pa.string()),
            ("rating", pa.float64()),
            ("rating_lower", pa.float64()),
            ("rating_upper", pa.float64()),
            ("variance", pa.float64()),
            ("vote_count", pa.float64()),
            ("rank", rank),
            ("category", pa.string()),
            ("leaderboard_publish_date", pa.string()),
        ]
    )


SCHEMAS = {"text": schema(pa.float64()), "text_style_control": schema(pa.int64())}


def parquet(rows: list[dict], subset: str = "text", drop: tuple[str, ...] = ()) -> bytes:
    table = pa.Table.from_pylist(rows, schema=SCHEMAS[subset])
    if drop:
        table = table.drop_columns(list(drop))
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def meta(origin: str, filename: str = "") -> CaptureMeta:
    return CaptureMeta(origin=origin, captured_at=datetime(2026, 12, 3, 9), filename=filename)


def hub(subset: str) -> CaptureMeta:
    return meta(DATASET_URL.format(subset=subset), "9c1d2e")  # the final URL's name is the CDN's hash


def test_the_text_arenas_latest_file_loads_every_row_with_its_interval_votes_and_rank():
    parsed = SRC.parse(parquet(ROWS["text"]), hub("text"))
    scores = parsed.tables["lmarena_scores"]
    assert len(scores) == 22 and len(parsed.tables["lmarena_models"]) == 22
    top = scores[0].model_dump()
    assert top == {
        "model_key": "gemini-4-argon-high",
        "display_name": "gemini-4-argon-high",
        "category": "text",
        "style_control": False,
        "score": 1533.4609832971757,
        "score_low": 1524.6678224950515,
        "score_high": 1542.2541440993,
        "votes": 4932,
        "rank": 1,
        "rank_style_control": None,
        "organization": "google",
        "license": "Proprietary",
        "snapshot_date": date(2026, 10, 2),
        "capture_format": "dataset",
    }
    assert [(s.display_name, s.rank, s.votes) for s in scores[-2:]] == [
        ("mistral-large-3", 97, 79452),
        ("mistral-medium-2508", 104, 94966),
    ]
    assert {s.snapshot_date for s in scores} == {date(2026, 10, 2)}
    assert (parsed.data_date, parsed.data_date_basis, parsed.missing) == (date(2026, 10, 2), "content", [])
    assert [m.organization for m in parsed.tables["lmarena_models"]].count("anthropic") == 6


def test_style_control_and_every_category_are_kept_each_row_dated_by_its_own_publication():
    """The style-controlled subset's rows (int64 ranks) from two categories and three snapshots."""
    parsed = SRC.parse(parquet(ROWS["text_style_control"], "text_style_control"), hub("text_style_control"))
    scores = parsed.tables["lmarena_scores"]
    assert len(scores) == 32 and {s.style_control for s in scores} == {True}
    counts: dict[tuple[str, date], int] = {}
    for s in scores:
        counts[(s.category, s.snapshot_date)] = counts.get((s.category, s.snapshot_date), 0) + 1
    assert counts == {
        ("text", date(2026, 10, 2)): 22,
        ("hard_prompts", date(2025, 5, 11)): 5,
        ("hard_prompts", date(2025, 5, 19)): 5,
    }
    o3 = [(s.score, s.votes, s.rank) for s in scores if s.model_key == "o3-2025-04-16"]
    assert o3 == [(1387.3669939005035, 1636, 1), (1434.0756532388957, 1944, 1)]
    assert len(parsed.tables["lmarena_models"]) == 27  # 22 in overall, 5 more in hard prompts
    assert (parsed.data_date, parsed.data_date_basis) == (date(2026, 10, 2), "content")


def test_the_subset_is_read_from_the_hubs_path_or_a_saved_files_name():
    assert dataset_subset(hub("text")) == ("text", False)
    assert dataset_subset(hub("text_style_control")) == ("text", True)
    assert dataset_subset(hub("text_to_image")) == ("text_to_image", False)
    assert dataset_subset(hub("vision_style_control")) == ("vision", True)
    saved = meta("/home/me/captures/lmarena/text_style_control_latest_2026-10-02.parquet")
    assert dataset_subset(saved) == ("text", True)
    assert dataset_subset(meta("/research/x/leaderboard.parquet")) == ("text", False)  # no subset named
    # Only the file's own name and its folder's say which subset it is, not folders further up.
    assert dataset_subset(meta("/srv/vision/2026/captures/leaderboard.parquet")) == ("text", False)
    assert dataset_subset(meta("/srv/vision/text_style_control/latest-00000-of-00001.parquet")) == ("text", True)
    vision = SRC.parse(parquet(ROWS["text"][:1]), hub("vision")).tables["lmarena_scores"]
    assert [s.category for s in vision] == ["vision"]


def test_a_missing_required_column_is_refused_naming_it():
    with pytest.raises(IngestError) as info:
        SRC.parse(parquet(ROWS["text"], drop=("rating",)), hub("text"))
    assert str(info.value) == (
        "missing required column 'rating': not an LMArena leaderboard-dataset file; columns found: model_name, "
        "organization, license, rating_lower, rating_upper, variance, vote_count, rank, category, "
        "leaderboard_publish_date"
    )


def test_a_missing_expected_column_loads_the_rest_and_the_run_is_degraded(paths: Paths, tmp_path: Path):
    content = parquet(ROWS["text"], drop=("vote_count",))
    parsed = SRC.parse(content, hub("text"))
    assert parsed.missing == ["vote_count"]
    assert {s.votes for s in parsed.tables["lmarena_scores"]} == {None}
    saved = tmp_path / "text_latest_2026-10-02.parquet"
    saved.write_bytes(content)
    with Ingestor(paths, [SRC]) as ing:
        result = ing.ingest_file(SRC, saved)
        missing = ing.con.execute("select status, missing_columns from raw.ingest_runs").fetchall()
    assert (result.status, result.rows) == ("degraded", 44)
    assert result.message == "(without expected column(s) vote_count: those fields are null)"
    assert missing == [("degraded", "vote_count")]


def test_a_nan_rating_is_no_score_and_a_cut_file_is_one_line():
    rows = [dict(r) for r in ROWS["text"][:3]]
    rows[1]["rating"] = float("nan")  # as LMArena publishes a thinly voted model in a small category
    scores = SRC.parse(parquet(rows), hub("text")).tables["lmarena_scores"]
    assert [s.display_name for s in scores] == ["gemini-4-argon-high", "claude-fable-5.1-max"]
    content = parquet(ROWS["text"])
    with pytest.raises(IngestError, match=r"^not a readable parquet file \(cut short\?\): "):
        SRC.parse(content[: len(content) // 2], hub("text"))
    bad = [dict(ROWS["text"][0], leaderboard_publish_date="Oct 2")]
    with pytest.raises(IngestError) as info:
        SRC.parse(parquet(bad), hub("text"))
    assert str(info.value) == "row 1 ('gemini-4-argon-high'): leaderboard_publish_date 'Oct 2' is not a date"


def scores(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select model_key, display_name, category, style_control, score, score_low, score_high, votes, rank, "
            "organization, license, snapshot_date, capture_format from raw.lmarena_scores order by all"
        ).fetchall()
    finally:
        con.close()


def test_a_live_fetch_through_the_hubs_redirect_loads_the_same_rows_as_the_saved_file(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """`resolve/main/...` answers 302 to a signed CDN address, as the Hub does for a parquet file."""
    content = parquet(ROWS["text_style_control"], "text_style_control")
    path = f"{HUB}/text_style_control/latest-00000-of-00001.parquet"
    cdn = "/xet-bridge-us/6a1f/9c1d2e?X-Amz-Expires=3600"
    with local_server() as server:
        server.route(cdn, Reply(body=content, headers={"Content-Type": "application/octet-stream"}))
        url = server.route(path, Reply(302, b"", {"Location": server.url(cdn)}))
        code = main(["ingest", "lmarena", "--url", url, "--data-dir", str(data_dir)])
        assert code == 0, capsys.readouterr().out
    saved = tmp_path / "captures" / "text_style_control_latest_2026-10-02.parquet"
    saved.parent.mkdir()
    saved.write_bytes(content)
    from_file = tmp_path / "from-file"
    assert main(["ingest", "lmarena", "--file", str(saved), "--data-dir", str(from_file)]) == 0
    live = scores(data_dir / "tracker.duckdb")
    assert len(live) == 32 and {r[3] for r in live} == {True}
    assert live == scores(from_file / "tracker.duckdb")
    con = duckdb.connect(str(data_dir / "tracker.duckdb"), read_only=True)
    try:
        dated = con.execute("select status, rows, data_date, data_date_basis from raw.ingest_runs").fetchall()
    finally:
        con.close()
    assert dated == [("ok", 59, date(2026, 10, 2), "content")]


@pytest.mark.dbt
def test_the_build_takes_dataset_rows_and_cites_the_dataset(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    saved = tmp_path / "text_latest_2026-10-02.parquet"
    saved.write_bytes(parquet(ROWS["text"]))
    assert main(["ingest", "lmarena", "--file", str(saved), "--data-dir", str(data_dir)]) == 0
    code = main(["build", "--data-dir", str(data_dir)])
    assert code == 0, capsys.readouterr().err
    con = duckdb.connect(str(data_dir / "tracker.duckdb"), read_only=True)
    try:
        staged = con.execute(
            "select count(*), min(snapshot_date), max(leaderboard_rank) from staging.stg_lmarena__scores "
            "where capture_format = 'dataset'"
        ).fetchone()
        cited = con.execute(
            "select distinct leaderboard, source from intermediate.int_benchmark_scores_unioned "
            "where leaderboard like 'lmarena%'"
        ).fetchall()
    finally:
        con.close()
    assert staged == (22, date(2026, 10, 2), 104)
    assert cited == [
        (
            "lmarena_text",
            "https://huggingface.co/datasets/lmarena-ai/leaderboard-dataset (LMArena, CC-BY-4.0; published 2026-10-02)",
        )
    ]

"""Temporary files cannot be turned into writes elsewhere (issue 15 item 5).

Every file we publish or keep (the three CSV files, exports, charts, stored captures, the decisions
seeds) is written to a temporary file in the target's folder and renamed into place. The temporary
name used to be predictable (`.above_1e25_flop.csv.tmp`), and `open(..., "w")` follows a symlink: a
link planted at that name made the build overwrite a file outside the data folder. Each test plants
such a link at the old name and checks that the file it points to is untouched and the target is
written as a regular file.
"""

from __future__ import annotations

import os
import stat
from datetime import datetime
from pathlib import Path

import pytest

from flop_tracker import chart, export
from flop_tracker.dataset_files import write_dataset_files
from ingest import captures
from ingest.base import CaptureMeta
from kernel.files import atomic_write
from kernel.paths import Paths
from review.decisions import ReviewDecision, append_decision
from tests.answers.conftest import write_mart

PRECIOUS = "a file outside the data folder\n"


@pytest.fixture
def mart(tmp_path: Path) -> Paths:
    return Paths(write_mart(tmp_path / "data"))


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    target = tmp_path / "elsewhere" / "precious.txt"
    target.parent.mkdir()
    target.write_text(PRECIOUS)
    return target


def plant(link: Path, target: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)


def assert_regular(path: Path) -> None:
    assert not path.is_symlink() and stat.S_ISREG(path.lstat().st_mode), path


def test_the_dataset_files_never_follow_a_planted_link(mart: Paths, outside: Path):
    for published in (mart.above_csv, mart.below_csv, mart.staging_csv):
        plant(published.with_name(f".{published.name}.tmp"), outside)
    written = write_dataset_files(mart)
    assert (written.above, written.below, written.staging) == (3, 2, 1)
    assert outside.read_text() == PRECIOUS
    for published in (mart.above_csv, mart.below_csv, mart.staging_csv):
        assert_regular(published)
    assert mart.above_csv.read_text().splitlines()[1].startswith("alpha-pro,Alpha Pro,AlphaLab,2025-03-01,")


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet", "epoch"])
def test_an_export_never_follows_a_planted_link(mart: Paths, outside: Path, fmt: str):
    target = export.default_output(mart, fmt)
    plant(target.with_name(f".{target.name}.tmp"), outside)
    path, rows = export.export(mart, fmt)
    assert (path, rows) == (target, 5)
    assert outside.read_text() == PRECIOUS
    assert_regular(target)


def test_a_chart_never_follows_a_planted_link(mart: Paths, outside: Path):
    png, html = chart.default_outputs(mart)
    for path in (png, html):
        plant(path.with_name(f".{path.name}.tmp"), outside)
    chart.chart(mart)
    assert outside.read_text() == PRECIOUS
    assert_regular(png) and assert_regular(html)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_stored_capture_never_follows_a_planted_link(tmp_path: Path, outside: Path):
    content = b"model,score\nx,1\n"
    meta = CaptureMeta(origin="https://example.org/board.csv", captured_at=datetime(2026, 1, 2, 3, 4, 5))
    name = f"20260102T030405_{captures.sha256_of(content)[:16]}_board.csv"
    folder = tmp_path / "raw" / "lmarena"
    plant(folder / f"{name}.tmp", outside)
    plant(folder / f"{name}.meta.json.tmp", outside)
    stored = captures.store(tmp_path / "raw", "lmarena", content, meta)
    assert stored.path == folder / name and stored.read() == content
    assert outside.read_text() == PRECIOUS
    assert_regular(stored.path)
    assert [c.path.name for c in captures.list_stored(tmp_path / "raw", "lmarena")] == [name]


def test_a_decision_append_never_follows_a_planted_link(tmp_path: Path, outside: Path):
    seed = tmp_path / "decisions" / "review_decisions.csv"
    plant(seed.with_name(f".{seed.name}.{os.getpid()}.tmp"), outside)
    decided = ReviewDecision(
        model_id="gpt-5", decision="y", reason="big", reviewer="ana", decided_at=datetime(2026, 1, 2)
    )
    assert append_decision(decided, seed).saved
    assert outside.read_text() == PRECIOUS
    assert_regular(seed)
    assert seed.read_text().splitlines()[1] == "gpt-5,y,big,ana,2026-01-02 00:00:00,,,,"


# -- the helper ------------------------------------------------------------------------------------
def test_atomic_write_replaces_a_link_at_the_target_itself_not_what_it_points_to(tmp_path: Path, outside: Path):
    target = tmp_path / "out" / "file.csv"
    plant(target, outside)
    atomic_write(target, "new\n")
    assert outside.read_text() == PRECIOUS
    assert_regular(target)
    assert target.read_text() == "new\n"


def test_atomic_write_keeps_an_existing_files_mode_and_leaves_no_temporary(tmp_path: Path):
    target = tmp_path / "seed.csv"
    target.write_text("old\n")
    target.chmod(0o640)
    atomic_write(target, b"new\n")
    assert (target.read_bytes(), stat.S_IMODE(target.stat().st_mode)) == (b"new\n", 0o640)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seed.csv"]


def test_a_new_file_gets_the_usual_mode_not_mkstemps_private_one(tmp_path: Path):
    umask = os.umask(0o022)
    try:
        atomic_write(tmp_path / "new.csv", "x\n")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o644


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path):
    target = tmp_path / "file.csv"
    target.write_text("old\n")

    def broken(handle) -> None:
        handle.write(b"half")
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        atomic_write(target, broken)
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.csv"]

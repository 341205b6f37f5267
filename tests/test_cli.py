"""The console script as a person uses it: help that lists every command, and the main job end to end."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flop_tracker.cli import build_parser, main
from kernel.paths import PROJECT_ROOT, shown_path
from tests.conftest import FIXTURES


def test_help_lists_commands_and_the_previous_systems_names(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for name in ("ingest", "build", "run", "collect-all", "refresh-dataset", "estimate-flops"):
        assert name in out


def test_aliases_reach_the_same_commands():
    parser = build_parser()
    assert parser.parse_args(["collect-all"]).func is parser.parse_args(["ingest"]).func
    assert parser.parse_args(["refresh-dataset"]).func is parser.parse_args(["build"]).func
    assert parser.parse_args(["estimate-flops", "--update"]).func is parser.parse_args(["build"]).func


@pytest.mark.dbt
def test_run_offline_from_saved_captures_builds(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)  # the user is in the folder that holds their captures
    captures = tmp_path / "captures"
    (captures / "lmarena").mkdir(parents=True)
    (captures / "epoch").mkdir()
    for f in ("mini_page.html", "mini_table.csv"):
        (captures / "lmarena" / f).write_bytes((FIXTURES / "lmarena" / f).read_bytes())
    (captures / "epoch" / "mini_epoch.csv").write_bytes((FIXTURES / "epoch" / "mini_epoch.csv").read_bytes())
    code = main(["run", "--offline", "--captures", str(captures), "--data-dir", str(data_dir)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "build ok" in out
    assert "Saved captures read from captures\n" in out  # as the user typed it, not this machine's path
    assert str(tmp_path) not in out
    con = duckdb.connect(str(data_dir / "tracker.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*) from staging.stg_lmarena__scores").fetchone()[0] == 6
        assert con.execute("select count(*) from staging.stg_epoch__models").fetchone()[0] == 3
    finally:
        con.close()


def test_paths_are_shown_as_a_user_types_them(tmp_path: Path):
    shared = PROJECT_ROOT.parent / "shared" / "data"
    assert shown_path(shared, cwd=PROJECT_ROOT) == "../shared/data"  # the default, as the README writes it
    assert shown_path(shared, cwd=PROJECT_ROOT / "docs") == "../../shared/data"
    assert shown_path(tmp_path / "captures" / "lmarena", cwd=tmp_path) == "captures/lmarena"
    assert shown_path(tmp_path, cwd=tmp_path) == "."
    elsewhere = tmp_path / "archive"
    assert shown_path(elsewhere, cwd=PROJECT_ROOT) == str(elsewhere)  # named by the user: shown as named


def test_a_shared_folder_that_is_a_link_is_shown_as_the_user_sees_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`../shared` may be a link (a clone beside a link to the data): shown as ../shared/data, not the link's target."""
    import kernel.paths

    project, target = tmp_path / "work" / "project", tmp_path / "disk" / "shared"
    project.mkdir(parents=True)
    (target / "data").mkdir(parents=True)
    (tmp_path / "work" / "shared").symlink_to(target)
    monkeypatch.setattr(kernel.paths, "PROJECT_ROOT", project)
    assert shown_path(project.parent / "shared" / "data", cwd=project) == "../shared/data"
    assert shown_path(target / "data", cwd=project) == "../shared/data"


@pytest.mark.dbt
def test_build_fails_loudly_when_a_data_test_fails(data_dir: Path, capsys: pytest.CaptureFixture[str]):
    assert (
        main(["ingest", "lmarena", "--file", str(FIXTURES / "lmarena" / "mini_table.csv"), "--data-dir", str(data_dir)])
        == 0
    )
    con = duckdb.connect(str(data_dir / "tracker.duckdb"))
    try:  # a score no Elo scale produces: the staging test "arena_score between 100 and 3000" must catch it
        con.execute(
            "insert into raw.lmarena_scores (model_key, display_name, category, style_control, score, "
            "snapshot_date, capture_format, ingest_run_id) "
            "values ('bogus', 'Bogus', 'text', false, 99999, date '2025-01-01', 'csv', 1)"
        )
    finally:
        con.close()
    capsys.readouterr()
    assert main(["build", "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert "error: dbt build failed" in err
    assert "row_rules_stg_lmarena__scores" in err
    assert "expression(arena_score between 100 and 3000) (1 row)" in err
    assert not (data_dir / "clean" / "above_1e25_flop.csv").exists()  # nothing written from a failed build

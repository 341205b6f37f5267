"""`flop-tracker import-previous DIR`: the previous system's verified verdicts become decisions.

Unit tests read the real files of the previous system in place (../shared/data/previous_system)
and a small fixture copy of its layout; the import runs against the small built database; one
test imports the real verdicts into a database built from all the shared captures.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from flop_tracker.cli import main
from kernel.model_names import resolve_names
from review.decisions import read_decisions
from review.import_previous import DEFAULT_REASON, read_verdicts
from tests.review_helpers import OLD_TRACKER, ReviewEnv, built_database, by_id, copy_environment, read_csv


def test_verdicts_of_the_real_previous_system(shared_data: Path):
    verdicts, report = read_verdicts(shared_data / "previous_system")
    got = {v.name: (v.decision, v.reason) for v in verdicts}
    assert got == {
        # verified=y in its staging file (no note)
        "gemini_2.0_flash": ("y", DEFAULT_REASON),
        # its review tool's notes in the staging file ("Added to staging by manual review. Reason: ...")
        "o1": ("y", "Known large reasoning model"),
        "gpt_5": ("y", "I just know GPT5 must be big!"),
        "deepseek_v3": ("y", "Parameter estimate is high enough to justify"),
        # verified=y in its candidates file
        "kimi_k2_preview": ("y", "Example reasoning"),
        "claude_3_7_sonnet": ("y", "This is a big model... pretty sure it's over 1e25 flop"),
        "claude_3.5_sonnet": ("y", DEFAULT_REASON),
        # verified=y in its below file
        "o3_mini": ("n", "It's a mini model so pretty sure it's below 1e25 FLOP"),
        "grok_3_mini": ("n", "This is a mini model so likely smaller than 1e25"),
        "gemini_1.5_flash": ("n", "only gemini 2.0 or later versions are over 1e25 FLOP"),
    }
    o1 = next(v for v in verdicts if v.name == "o1")
    assert o1.decided_at == datetime(2025, 8, 4, 20, 23, 58)
    assert o1.origin == "staging/above_1e25_flop_staging.csv:13"  # its notes span lines: numbered as a file
    assert len(report.not_reviewed) == 31  # rows its automation added to staging; nobody verified them
    assert "gpt_4" in report.not_reviewed and report.conflicts == []
    every, _ = read_verdicts(shared_data / "previous_system", all_staging=True)
    assert len(every) == 35 + 2 + 3  # all 35 staging rows, 2 verified only in its candidates file, 3 below


def test_verdicts_of_the_fixture_layout():
    verdicts, report = read_verdicts(OLD_TRACKER)
    assert {v.name: (v.decision, v.reason) for v in verdicts} == {
        "zeta_ultra": ("y", "Confirmed by the lab's cluster disclosure"),
        "Nemotron-4 340B": ("y", DEFAULT_REASON),
        "mystery_model_9000": ("y", "trust me"),
        "eta_large": ("n", "Distilled model, smaller than it looks"),  # a note across two lines, joined
    }
    assert report.not_reviewed == ["pangu_ultra"]
    assert report.conflicts == ["kappa_red_max: y in clean/above_1e25_flop.csv:5, n in clean/below_1e25_flop.csv:4"]


@pytest.mark.parametrize(
    ("raw", "model_id"),
    [
        ("claude_3_7_sonnet", "claude-3.7-sonnet"),
        ("kimi_k2_preview", "kimi-k2"),
        ("gpt_4.5_preview", "gpt-4.5"),
        ("o1_preview", "o1-preview"),
        ("meta-llama/Meta-Llama-3.1-405B-Instruct", "llama-3.1-405b"),
        ("Gemini-2.5-Pro-Preview-05-06", "gemini-2.5-pro"),
    ],
)
def test_previous_names_resolve_by_the_identity_rule(raw: str, model_id: str):
    """The previous system's names go through the identity models' own rule (kernel.model_names renders
    the macros): its names are no Hub repo ids, so a '/' is a separator, not an organisation."""
    (resolution,) = resolve_names([("previous_system", raw)])
    assert resolution.model_id == model_id


@pytest.fixture
def env(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ReviewEnv:
    return copy_environment(built_database(tmp_path_factory), tmp_path, monkeypatch)


@pytest.mark.dbt
@pytest.mark.timeout(300)
def test_python_resolves_every_name_of_the_build_as_dbt_does(env: ReviewEnv):
    con = duckdb.connect(str(env.paths.db), read_only=True)
    try:
        rows = con.execute(
            "select distinct source_name, raw_name, model_id from intermediate.int_model_names_normalized "
            "where source_name <> 'artificial_analysis' order by all"
        ).fetchall()
    finally:
        con.close()
    assert len(rows) > 100
    resolved = resolve_names([(source, raw) for source, raw, _ in rows])
    assert [(r.source_name, r.raw_name, r.model_id) for r in resolved] == rows


@pytest.mark.dbt
@pytest.mark.timeout(300)
def test_import_maps_names_writes_decisions_reports_the_rest_and_rebuilds(
    env: ReviewEnv, capsys: pytest.CaptureFixture[str]
):
    code = main(["import-previous", str(OLD_TRACKER), "--data-dir", str(env.data_dir)])
    out = capsys.readouterr().out
    assert code == 0, out
    seed = read_decisions(env.seed)
    assert {m: (d.decision, d.reviewer, d.reason) for m, d in seed.items()} == {
        "eta-large": ("n", "previous_system", "Distilled model, smaller than it looks"),
        "nemotron-4-340b": ("y", "previous_system", "imported from previous system"),
        "zeta-ultra": ("y", "previous_system", "Confirmed by the lab's cluster disclosure"),
    }
    assert seed["zeta-ultra"].decided_at == datetime(2025, 8, 4, 20, 23, 58)
    assert seed["zeta-ultra"].shown_training_flop == 4.2e25  # what the previous reviewer saw
    assert "Imported 3 decisions as reviewer previous_system:" in out
    assert "  y zeta_ultra -> zeta-ultra: Confirmed by the lab's cluster disclosure" in out
    assert "  y Nemotron-4 340B -> nemotron-4-340b: imported from previous system" in out
    assert (
        "Could not map: mystery_model_9000 (clean/above_1e25_flop.csv:4): normalises to 'mystery-model-9000', "
        "which is not a tracked model" in out
    )
    assert "Conflicting verdicts, not imported: kappa_red_max: y in clean/above_1e25_flop.csv:5" in out
    assert "Not imported: 1 rows of its staging file that no reviewer verified" in out

    staging = by_id(read_csv(env.paths.staging_csv))
    below = by_id(read_csv(env.paths.below_csv))
    assert sorted(staging) == ["nemotron-4-340b", "zeta-ultra"]
    assert staging["zeta-ultra"]["notes"] == "Confirmed by the lab's cluster disclosure (previous_system, 2025-08-04)"
    assert below["eta-large"]["verified"] == "y" and below["eta-large"]["status"] == "confirmed_below_1e25"

    before = env.seed.read_bytes()
    code = main(["import-previous", str(OLD_TRACKER), "--no-build", "--data-dir", str(env.data_dir)])
    out = capsys.readouterr().out
    assert code == 0
    assert "Imported 0 decisions" in out
    assert "Already decided, kept: zeta_ultra (zeta-ultra: y by previous_system)" in out
    assert env.seed.read_bytes() == before


def test_import_refuses_a_folder_that_is_not_the_previous_systems(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["import-previous", str(tmp_path / "nope"), "--data-dir", str(tmp_path)]) == 2
    assert "not a folder" in " ".join(capsys.readouterr().err.split())  # stderr wraps at 80 columns
    (tmp_path / "empty").mkdir()
    assert main(["import-previous", str(tmp_path / "empty"), "--data-dir", str(tmp_path)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "(expected the previous system's data folder)" in err and "staging/above_1e25_flop_staging.csv" in err


@pytest.mark.shared
@pytest.mark.dbt
@pytest.mark.timeout(600)
def test_the_real_verdicts_all_map_on_a_build_of_the_shared_captures(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    import shutil

    from kernel.paths import PROJECT_ROOT

    decisions = tmp_path / "decisions"
    shutil.copytree(PROJECT_ROOT / "seeds" / "decisions", decisions)
    monkeypatch.setenv("FLOP_TRACKER_DECISIONS_DIR", str(decisions))
    data = tmp_path / "data"
    monkeypatch.setenv("FLOP_TRACKER_DATA_DIR", str(data))
    assert main(["run", "--offline", "--captures", str(shared_data), "--data-dir", str(data)]) == 0
    capsys.readouterr()
    code = main(["import-previous", str(shared_data / "previous_system"), "--data-dir", str(data)])
    out = capsys.readouterr().out
    assert code == 0, out
    seed = read_decisions(decisions / "review_decisions.csv")
    assert {m: d.decision for m, d in seed.items()} == {
        "gemini-2.0-flash": "y",
        "o1": "y",
        "gpt-5": "y",
        "deepseek-v3": "y",
        "kimi-k2": "y",
        "claude-3.7-sonnet": "y",
        "claude-3.5-sonnet": "y",
        "o3-mini": "n",
        "grok-3-mini": "n",
        "gemini-1.5-flash": "n",
    }
    assert "Could not map" not in out
    assert "Not imported: 31 rows of its staging file" in out
    below = by_id(read_csv(data / "clean" / "below_1e25_flop.csv"))
    above = by_id(read_csv(data / "clean" / "above_1e25_flop.csv"))
    staging = by_id(read_csv(data / "staging" / "above_1e25_flop_staging.csv"))
    for model_id in ("o3-mini", "grok-3-mini", "gemini-1.5-flash"):
        assert below[model_id]["verified"] == "y" and model_id not in above
    assert set(staging) == {m for m, d in seed.items() if d.decision == "y"}
    assert all(above[m]["verified"] == "y" for m in staging)
    # DeepSeek-V3 (37B active x 14.8T tokens, disclosed) is far below 1e25: the old verdict is flagged, not obeyed
    assert staging["deepseek-v3"]["status"] == "needs_re_review"
    assert float(staging["deepseek-v3"]["flop_high"]) < 1e25
    assert "deepseek-v3" in out.split("Flagged for re-review")[1].lower()

"""A decision whose model_id names no model never vanishes silently (issue 15 item 6, the decisions part).

A hand-edited decision with a typo (`GROK-4.1 `) was accepted by the seed check and ignored by the
mart: nothing said it had no effect. The build now warns and names each such decision with its line.
`review-candidates` and `import-previous` check each model_id against the database right before
writing and never write one that names no model (the reviewer is told, with the reason typed, so
nothing is lost).
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from flop_tracker.cli import main
from kernel.paths import Paths
from review.decisions import COLUMNS, read_decisions
from review.session import ReviewPrompts, review
from tests.conftest import ingest_mini_captures
from tests.review_helpers import OLD_TRACKER, ReviewEnv, built_database, copy_environment

HEADER = ",".join(COLUMNS) + "\n"


@pytest.mark.dbt
def test_the_build_warns_and_names_a_decision_that_matches_no_model(paths: Paths, decisions_copy: Path, capsys):
    decisions = decisions_copy
    ingest_mini_captures(paths)
    (decisions / "review_decisions.csv").write_text(
        HEADER + " beta-70b,n,checked the paper,ana,2026-01-02 03:04:05,,,,\n"  # a stray space is no typo
        "GROK-4.1 ,y,typo in the id,bob,2026-01-03 04:05:06,,,,\n"
    )
    assert main(["build", "--data-dir", str(paths.data_dir)]) == 0
    out, err = capsys.readouterr()
    assert "build ok" in out
    assert err == (
        "warning: review_decisions.csv line 3: 'GROK-4.1' names no model, so the decision (y by bob) is not "
        'applied; correct its model_id (`flop-tracker sql "select model_id, model from models"` lists them)\n'
    )
    con = duckdb.connect(str(paths.db), read_only=True)
    try:  # the good decision is applied (the space trimmed, as the seed check reads it), the other is not
        assert con.execute("select decision from main.models where model_id = 'beta-70b'").fetchone() == ("n",)
    finally:
        con.close()
    assert "GROK-4.1" in read_decisions(decisions / "review_decisions.csv")


# -- review-candidates ------------------------------------------------------------------------------
def candidate(model_id: str, p: float) -> dict:
    return {
        "model_id": model_id,
        "model": model_id.title(),
        "developer": "Lab",
        "release_date": None,
        "parameters": None,
        "parameter_source": None,
        "training_flop": 2e25,
        "flop_low": 1e25,
        "flop_high": 4e25,
        "p_above_1e25": p,
        "confidence": "medium",
        "confidence_explanation": None,
        "estimation_method": "epoch_reference",
        "alternative_methods": None,
        "threshold_classification": "likely_above_1e25",
        "status": "candidate",
        "reasoning": "r",
        "sources": "s",
        "verified": "n",
        "notes": None,
        "decision": None,
        "reviewer": None,
        "review_flag": None,
        "dataset_file": "candidates",
        "in_staging_file": False,
    }


def test_review_never_writes_a_decision_on_a_model_gone_since_the_session_began(tmp_path: Path):
    seed = tmp_path / "review_decisions.csv"
    seed.write_text(HEADER)
    mart = [candidate("gone-model", 0.9), candidate("kept-model", 0.8)]
    out = io.StringIO()
    with create_pipe_input() as inp:
        inp.send_text("y\rflagship\ry\rbig\r")
        inp.close()
        result = review(
            mart,
            seed,
            "ana",
            ReviewPrompts(input=inp, output=DummyOutput()),
            Console(file=out, width=200),
            clock=lambda: datetime(2026, 2, 3, 4, 5, 6),
            known=lambda model_id: model_id != "gone-model",  # a rebuild dropped it meanwhile
        )
    assert list(read_decisions(seed)) == ["kept-model"]
    assert [d.model_id for d in result.saved] == ["kept-model"]
    assert [d.model_id for d in result.not_a_model] == ["gone-model"]
    assert (
        "Not saved: Gone-Model (gone-model) is no longer a model of the built dataset (rebuilt since this "
        "session began); your decision was y: flagship"
    ) in " ".join(out.getvalue().split())


def test_the_review_command_checks_the_database_right_before_writing(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from review.decisions import known_model

    env = copy_environment(built_database(tmp_path_factory), tmp_path, monkeypatch)
    check = known_model(env.paths)
    assert check("zeta-ultra") is True
    assert check("GROK-4.1") is False
    con = duckdb.connect(str(env.paths.db))
    try:
        con.execute("delete from intermediate.int_models_identified where model_id = 'zeta-ultra'")
    finally:
        con.close()
    assert check("zeta-ultra") is False  # read again at every check, not remembered


# -- import-previous --------------------------------------------------------------------------------
@pytest.fixture
def env(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ReviewEnv:
    return copy_environment(built_database(tmp_path_factory), tmp_path, monkeypatch)


def test_import_previous_never_writes_a_decision_on_no_model(
    env: ReviewEnv, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    """Whatever the name mapping says (here: an id the identity models no longer have), the write checks."""
    from review import import_previous

    real = import_previous.map_names

    def stale_mapping(paths, names):
        mapping = real(paths, names)
        mapping["zeta_ultra"] = ("zeta-ultra-old", "name already known to the identity models")
        return mapping

    monkeypatch.setattr(import_previous, "map_names", stale_mapping)
    code = main(["import-previous", str(OLD_TRACKER), "--no-build", "--data-dir", str(env.data_dir)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert sorted(read_decisions(env.seed)) == ["eta-large", "nemotron-4-340b"]
    assert "Imported 2 decisions as reviewer previous_system:" in out
    assert (
        "Not imported, no such model in the database: zeta_ultra -> zeta-ultra-old "
        "(staging/above_1e25_flop_staging.csv:2)"
    ) in " ".join(out.split())

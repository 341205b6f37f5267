"""Databases for the question-answering commands (query, sql, export, chart, backtest, docs).

`mart_dir`: a data directory whose DuckDB file holds only `main.models`, five rows written
here, so every output format can be checked character for character.

`built`: one real database per test session, built by the pipeline from the captures in
tests/fixtures/answers (an LMArena Elo history with dated appearances and a small Epoch
export), with the decision seeds copied to a temporary folder.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from flop_tracker import pipeline
from kernel.paths import DATA_DIR_ENV, DB_ENV, DECISIONS_ENV, PROJECT_ROOT, Paths
from tests.conftest import FIXTURES

ANSWERS = FIXTURES / "answers"
EPOCH_FILE = ANSWERS / "epoch" / "answers_epoch_2025-05-20.csv"

MART_DDL = """
create table main.models (
    model_id varchar, model varchar, developer varchar, release_date date, parameters double,
    parameter_source varchar, training_flop double, flop_low double, flop_high double, p_above_1e25 double,
    confidence varchar, confidence_explanation varchar, estimation_method varchar, alternative_methods varchar,
    threshold_classification varchar, status varchar, reasoning varchar, sources varchar, verified varchar,
    notes varchar, last_updated date, automated_classification varchar, decision varchar, reviewer varchar,
    decided_at timestamp, review_flag varchar, dataset_file varchar, in_staging_file boolean, first_seen_date date
)
"""
# Five models: a confirmed one, a formula-shaped name, a name with an ANSI escape and a developer
# with markup characters, one without a release date.
MART_ROWS = [
    (
        "alpha-pro", "Alpha Pro", "AlphaLab", date(2025, 3, 1), 1.2e12, "known_model_specs",
        3e26, 1e26, 9e26, 1.0, "high", "Direct evidence: developer disclosed", "developer_disclosed",
        "developer_disclosed: 3.00e+26 (high)", "high_confidence_above_1e25", "confirmed_above_1e25",
        "Disclosed 3e26 FLOP in the model card", "https://example.org/alpha", "y",
        "card checked (ana, 2025-03-05)", date(2025, 3, 2), "high_confidence_above_1e25", "y", "ana",
        datetime(2025, 3, 5, 10, 0), None, "candidates", True, date(2025, 2, 20),
    ),
    (
        "beta-70b", "Beta-70B", "Beta Inc", date(2024, 6, 15), 7e10, "epoch",
        6.3e24, 4.2e24, 9.45e24, 0.0, "high", "Direct evidence: operation counting", "operation_counting",
        "operation_counting: 6.30e+24 (high)", "high_confidence_below_1e25", "below_threshold",
        "6 x 7.0e10 x 1.5e13 = 6.3e24", "https://example.org/beta", "n",
        None, date(2024, 7, 1), "high_confidence_below_1e25", None, None,
        None, None, "below", False, date(2024, 7, 1),
    ),
    (
        "hyperlink-model", '=HYPERLINK("http://x","y")', "Evil | Corp", date(2025, 1, 10), None, None,
        1.2e25, 4e24, 3.6e25, 0.55, "low", "Inference: benchmark regression", "benchmark_regression",
        None, "uncertain", "candidate",
        "-2 dex below the frontier", "@list", "n",
        None, date(2025, 1, 12), "uncertain", None, None,
        None, None, "candidates", False, None,
    ),
    (
        "gamma-8x7b", "Gamma 8x7B, v2", "Gamma, Univ. X", None, 4.67e10, "epoch",
        4e23, 1.3e23, 1.2e24, 0.0, "low", "Inference: name parameters", "name_parameters",
        "name_parameters: 4.00e+23 (low)", "high_confidence_below_1e25", "below_threshold",
        "46.7B parameters from the name", None, "n",
        None, date(2024, 1, 1), "high_confidence_below_1e25", None, None,
        None, None, "below", False, None,
    ),
    (
        "delta-ultra", "Delta \x1b[31mUltra", "Delta <AI>", date(2025, 5, 5), None, None,
        2e25, 5e24, 8e25, 0.8, "medium", "Indirect evidence: family lineage", "family_lineage",
        "family_lineage: 2.00e+25 (medium)", "likely_above_1e25", "candidate",
        "successor of Delta Pro", "lineage from delta-pro", "n",
        None, date(2025, 5, 6), "likely_above_1e25", None, None,
        None, None, "candidates", False, date(2025, 5, 6),
    ),
]  # fmt: skip


def write_mart(data: Path, rows: list[tuple] = MART_ROWS) -> Path:
    """Make `data` a data directory whose database holds only `main.models` with `rows`; returns it."""
    data.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(data / "tracker.duckdb"))
    try:
        con.execute(MART_DDL)
        con.executemany(f"insert into main.models values ({', '.join('?' * 29)})", rows)
    finally:
        con.close()
    return data


@pytest.fixture
def mart_dir(tmp_path: Path) -> Path:
    """A data directory whose database holds the five-row `main.models` above."""
    return write_mart(tmp_path / "mart")


@dataclass(frozen=True)
class Built:
    data_dir: Path
    decisions_dir: Path

    @property
    def paths(self) -> Paths:
        return Paths(self.data_dir)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The pipeline run once on tests/fixtures/answers; tests only read it (backtests copy it)."""
    root = tmp_path_factory.mktemp("answers")
    decisions = root / "decisions"
    decisions.mkdir()
    for seed in (PROJECT_ROOT / "seeds" / "decisions").glob("*.csv"):
        shutil.copy(seed, decisions / seed.name)
    data = root / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(DECISIONS_ENV, str(decisions))
        mp.setenv(DATA_DIR_ENV, str(data))
        mp.delenv(DB_ENV, raising=False)
        paths = Paths(data)
        summary = pipeline.ingest(
            paths, pipeline.selected_sources(["lmarena", "epoch"]), live=False, captures_dir=ANSWERS, quiet=True
        )
        assert not summary.failed, [r.line for r in summary.failed]
        assert sum(r.status == "ok" for r in summary.results) == 2
        outcome = pipeline.build(paths)
        assert outcome.success, outcome.failures or outcome.error
    return Built(data, decisions)


@pytest.fixture
def use_built(built: Built, monkeypatch: pytest.MonkeyPatch) -> Built:
    """The built database with its decisions folder in the environment (for commands that run dbt)."""
    monkeypatch.setenv(DECISIONS_ENV, str(built.decisions_dir))
    monkeypatch.delenv(DB_ENV, raising=False)
    return built

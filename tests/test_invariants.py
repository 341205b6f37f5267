"""Invariants that hold whatever the automated estimates do (hypothesis).

One small database is built from fixture captures (the estimation fixtures, the spine's LMArena page and
Epoch rows, and two hostile names), with the decisions folder in a temporary directory. Each example then
writes a set of review decisions and manual-model rows that move estimates (a disclosed training compute
drawn from 1e20..1e28 FLOP for some models, which outranks every inferred method), rebuilds only the dbt
nodes downstream of those two seeds, rewrites the three CSV files, and checks:

- a reviewed model sits where its decision puts it and keeps the classification it fixes, whatever its
  estimate: y -> candidates and staging, high_confidence_above_1e25; n -> below, high_confidence_below_1e25
  (a decision the new estimate contradicts is flagged needs_re_review, never moved);
- every model is in exactly one of the candidates and below files, the one its row says, and staging
  holds exactly the y decisions;
- flop_low <= training_flop <= flop_high for every model, in the mart and in the files;
- names that are formulas or carry escapes reach the files neutralised and clean.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from flop_tracker import pipeline
from flop_tracker.dataset_files import write_dataset_files
from flop_tracker.dbt_runner import run_dbt
from kernel.paths import PROJECT_ROOT, Paths
from kernel.text import FORMULA_PREFIXES
from review.decisions import COLUMNS as DECISION_COLUMNS
from review.manual_entry import COLUMNS as MANUAL_COLUMNS
from tests.conftest import FIXTURES

CANDIDATE_CLASSES = {"high_confidence_above_1e25", "likely_above_1e25", "uncertain"}
REBUILD = ["build", "--select", "review_decisions+", "manual_models+", "--exclude", "resource_type:test"]
NEW_MODEL = "Brand-New-Model-9"


class Built:
    def __init__(
        self, paths: Paths, decisions: Path, models: list[tuple[str, str, str]], classification: dict[str, str]
    ) -> None:
        self.paths = paths
        self.decisions = decisions
        self.models = models  # (model_id, model name, developer) of the baseline mart
        self.classification = classification  # model_id -> baseline threshold_classification

    @property
    def ids(self) -> list[str]:
        return [m[0] for m in self.models]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    root = tmp_path_factory.mktemp("invariants")
    captures = root / "captures"
    shutil.copytree(FIXTURES / "estimation", captures)
    shutil.copy(FIXTURES / "lmarena" / "mini_page.html", captures / "lmarena" / "mini_page.html")
    shutil.copy(FIXTURES / "epoch" / "mini_epoch.csv", captures / "epoch" / "mini_epoch.csv")
    shutil.copy(FIXTURES / "invariants" / "epoch" / "hostile_names_2025-05-20.csv", captures / "epoch")
    decisions = root / "decisions"
    shutil.copytree(PROJECT_ROOT / "seeds" / "decisions", decisions)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FLOP_TRACKER_DECISIONS_DIR", str(decisions))
        mp.delenv("FLOP_TRACKER_DB", raising=False)
        paths = Paths(root / "data")
        summary = pipeline.ingest(
            paths, pipeline.selected_sources(["lmarena", "epoch"]), live=False, captures_dir=captures, quiet=True
        )
        assert not summary.failed, [r.line for r in summary.failed]
        pipeline.ensure_raw(paths)
        outcome = run_dbt(["build", "--exclude", "resource_type:test"], paths)  # data tests run elsewhere
        assert outcome.success, outcome.failures or outcome.error
        write_dataset_files(paths)
        con = duckdb.connect(str(paths.db), read_only=True)
        try:
            models = con.execute(
                "select model_id, model, developer, threshold_classification from main.models order by model_id"
            ).fetchall()
        finally:
            con.close()
        yield Built(paths, decisions, [m[:3] for m in models], {m[0]: m[3] for m in models})


def write_seeds(built: Built, decisions: dict[str, str], manual: dict[str, float]) -> None:
    rows = [
        [mid, d, "hypothesis", "prop", "2026-01-02 03:04:05", "", "", "", ""] for mid, d in sorted(decisions.items())
    ]
    with open(built.decisions / "review_decisions.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([DECISION_COLUMNS, *rows])
    developer = {name: dev for _, name, dev in built.models}
    manual_rows = []
    for name, flop in sorted(manual.items()):
        row = dict.fromkeys(MANUAL_COLUMNS, "")
        row.update(
            model_name=name,
            developer=developer.get(name) or "Hypothesis Lab",
            disclosed_training_flop=f"{flop:.6g}",
            source_url="https://example.org/disclosure",
            entered_by="hypothesis",
            entered_at="2026-01-02 03:04:05",
        )
        manual_rows.append([row[c] for c in MANUAL_COLUMNS])
    with open(built.decisions / "manual_models.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([MANUAL_COLUMNS, *manual_rows])


def mart(paths: Paths) -> dict[str, dict]:
    con = duckdb.connect(str(paths.db), read_only=True)
    try:
        cur = con.execute("select * from main.models")
        names = [d[0] for d in cur.description]
        return {row[0]: dict(zip(names, row, strict=True)) for row in cur.fetchall()}
    finally:
        con.close()


def read_file(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def as_in_mart(cell: str) -> str:
    """A file cell as the mart holds it: the quote that neutralises a formula taken off again."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_PREFIXES) else cell


def check_invariants(paths: Paths, decisions: dict[str, str]) -> dict[str, dict]:
    rows = mart(paths)
    assert rows
    # every interval brackets its estimate
    for mid, r in rows.items():
        assert 0 < r["flop_low"] <= r["training_flop"] <= r["flop_high"], (mid, r)
    # reviewed models sit where the decision puts them, whatever the estimate
    for mid, decision in decisions.items():
        if mid not in rows:
            continue
        r = rows[mid]
        assert (r["decision"], r["verified"]) == (decision, "y")
        if decision == "y":
            assert (r["dataset_file"], r["in_staging_file"]) == ("candidates", True), r
            assert r["threshold_classification"] == "high_confidence_above_1e25", r
            contradicted = r["flop_high"] < 1e25
            assert r["status"] == ("needs_re_review" if contradicted else "confirmed_above_1e25"), r
        else:
            assert (r["dataset_file"], r["in_staging_file"]) == ("below", False), r
            assert r["threshold_classification"] == "high_confidence_below_1e25", r
            contradicted = r["flop_low"] >= 1e25
            assert r["status"] == ("needs_re_review" if contradicted else "confirmed_below_1e25"), r
    # unreviewed models go where their automated classification says
    for mid, r in rows.items():
        if mid not in decisions:
            assert r["verified"] == "n" and not r["in_staging_file"]
            want = "candidates" if r["threshold_classification"] in CANDIDATE_CLASSES else "below"
            assert r["dataset_file"] == want, r
    # the files: each model in exactly one of candidates and below, staging = the y decisions
    above, below, staging = (read_file(p) for p in (paths.above_csv, paths.below_csv, paths.staging_csv))
    above_ids, below_ids = ([as_in_mart(r["model_id"]) for r in rows_] for rows_ in (above, below))
    assert len(set(above_ids)) == len(above_ids) and len(set(below_ids)) == len(below_ids)
    assert not set(above_ids) & set(below_ids)
    assert set(above_ids) | set(below_ids) == set(rows)
    assert set(above_ids) == {m for m, r in rows.items() if r["dataset_file"] == "candidates"}
    assert {as_in_mart(r["model_id"]) for r in staging} == {m for m, d in decisions.items() if d == "y" and m in rows}
    for r in above + below:
        assert float(r["flop_low"]) <= float(r["training_flop"]) <= float(r["flop_high"]), r
    return rows


def rebuild(built: Built, decisions: dict[str, str], manual: dict[str, float]) -> dict[str, dict]:
    write_seeds(built, decisions, manual)
    outcome = run_dbt(REBUILD, built.paths)
    assert outcome.success, outcome.failures or outcome.error
    write_dataset_files(built.paths)
    return check_invariants(built.paths, decisions)


@pytest.mark.dbt
def test_the_baseline_build_holds_and_hostile_names_reach_the_files_neutralised(built: Built):
    rows = check_invariants(built.paths, {})
    files = [p.read_text(encoding="utf-8") for p in (built.paths.above_csv, built.paths.below_csv)]
    assert not any("\x1b" in text or "\x07" in text for text in files)
    written = {r["model"]: r for p in (built.paths.above_csv, built.paths.below_csv) for r in read_file(p)}
    formula = next(r for name, r in written.items() if "HYPERLINK" in name)
    assert formula["model"] == "'" + '=HYPERLINK("http://evil.example/","Mallory-1")'
    assert formula["developer"] == "'@MalloryLab"
    # An id never starts with a formula prefix, so the id in the file is the mart's id, unchanged.
    assert formula["model_id"] == "hyperlink" and "hyperlink" in rows
    assert "Sneaky-9000" in written  # the escapes were stripped at parse time
    assert any(r["model"] == "Sneaky-9000" for r in rows.values())


@pytest.mark.dbt
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: each example is a ~2 s rebuild
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_decisions_hold_whatever_the_estimates_do(built: Built, data: st.DataObject):
    ids = built.ids
    names = [name for _, name, _ in built.models] + [NEW_MODEL]
    decisions = data.draw(st.dictionaries(st.sampled_from(ids), st.sampled_from("yn"), max_size=6), label="decisions")
    exponents = st.floats(min_value=20, max_value=28, allow_nan=False)
    manual = data.draw(
        st.dictionaries(st.sampled_from(names), exponents.map(lambda e: 10.0**e), max_size=4), label="manual"
    )
    # the reviewed models are pushed hardest: some get a disclosed figure across the threshold
    for mid in list(decisions)[:2]:
        name = next(n for i, n, _ in built.models if i == mid)
        manual.setdefault(name, 1e23 if decisions[mid] == "y" else 1e27)
    rows = rebuild(built, decisions, manual)
    for name, flop in manual.items():
        hits = [r for r in rows.values() if r["model"] == name and r["estimation_method"] == "developer_disclosed"]
        assert not hits or abs(hits[0]["training_flop"] / float(f"{flop:.6g}") - 1) < 1e-9


@pytest.mark.dbt
def test_a_y_decision_pins_the_classification_as_an_n_decision_does(built: Built):
    row = next(m for m in built.models if m[0] == "llama-3.1-405b")
    before = built.classification[row[0]]  # 3.8e25 disclosed: high_confidence_above_1e25
    after = rebuild(built, {row[0]: "y"}, {row[1]: 1e23})[row[0]]
    assert after["dataset_file"] == "candidates" and after["status"] == "needs_re_review"  # flagged, not moved
    assert before == "high_confidence_above_1e25"
    assert after["threshold_classification"] == before  # pinned: the automated view is in automated_classification

"""History (dbt snapshots of the mart) and `flop-tracker changes`.

The fixture pair (tests/fixtures/history/): an Epoch export of 24 invented language models whose
training tokens follow tokens = 20 x parameters exactly, each size twice with +-0.05 dex of
noise (so the token regression is log10(tokens) = log10(20) + 1 x log10(N) + 0 x year with an
honest, non-zero residual), and two LMArena captures a month apart; the second brings in
Zeta-405B-Instruct and Kappa-1.5B-Chat. Their estimates are 6 x N x the regression's tokens, by hand:
  kappa-1.5b  6 x 1.5e9 x 3.0e10 (20N) = 2.7e20 FLOP
  zeta-405b   is larger than any calibration model (300B), so its tokens are the trend's at that edge, 20 x 300e9
              = 6e12, and the interval is widened by the distance to the extrapolated 8.1e12:
              6 x 405e9 x 6e12 = 1.458e25 FLOP
"""

from __future__ import annotations

import csv
import json
import math
import re
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from flop_tracker import changes, changes_render, history, pipeline
from flop_tracker.cli import main
from flop_tracker.dbt_runner import without_snapshots
from flop_tracker.validation import build_scratch
from ingest.runner import Ingestor
from kernel.paths import Paths
from tests.conftest import FIXTURES
from tests.estimation_oracle import name_parameters_flop, token_regression, years

HISTORY = FIXTURES / "history"
EPOCH = HISTORY / "epoch_calibration_2025-05-01.csv"
JUNE = HISTORY / "lmarena_text_2025-06-01.csv"
JULY = HISTORY / "lmarena_text_2025-07-01.csv"


def _ingest(paths: Paths, source: str, path: Path) -> None:
    with Ingestor(paths, pipeline.selected_sources(None)) as ingestor:
        assert ingestor.ingest_file(pipeline.selected_sources([source])[0], path).status == "ok"


def _built(paths: Paths, full: bool = False):
    outcome = pipeline.build(paths, full=full)
    assert outcome.success, outcome.failures or outcome.error
    return outcome


def _versions(paths: Paths) -> int:
    con = duckdb.connect(str(paths.db), read_only=True)
    try:
        return con.execute("select count(*) from history.models_history").fetchone()[0]
    finally:
        con.close()


# -- pure parts ---------------------------------------------------------------------------------


def test_builds_never_run_the_snapshot_and_keep_an_exclude_already_given():
    assert without_snapshots(["build"]) == ["build", "--exclude", "resource_type:snapshot"]
    assert without_snapshots(["build", "--select", "models+"]) == [
        "build",
        "--select",
        "models+",
        "--exclude",
        "resource_type:snapshot",
    ]
    assert without_snapshots(["build", "--exclude", "resource_type:test"]) == [
        "build",
        "--exclude",
        "resource_type:snapshot",
        "resource_type:test",
    ]
    assert without_snapshots(["snapshot"]) == ["snapshot"]


def _row(model_id: str, flop: float, cls: str, **other: object) -> dict:
    row = {
        "model_id": model_id,
        "model": model_id.title(),
        "developer": "Lab",
        "training_flop": flop,
        "flop_low": flop / 2,
        "flop_high": flop * 2,
        "p_above_1e25": 0.5,
        "threshold_classification": cls,
        "estimation_method": "benchmark_regression",
        "dataset_file": "candidates" if cls in {"likely_above_1e25", "uncertain"} else "below",
        "decision": None,
        "status": "candidate",
        "review_flag": None,
        "reasoning": f"reasoning for {flop:.1e}",
        "sources": "https://example.org/s",
        "evidence_date": date(2025, 1, 1),
    }
    row.update(other)
    return row


def test_compare_sorts_each_change_into_its_list():
    old = {
        "up": _row("up", 8e24, "likely_below_1e25"),
        "down": _row("down", 3e25, "likely_above_1e25"),
        "to-line": _row("to-line", 5e24, "likely_below_1e25"),
        "doubled": _row("doubled", 1e24, "high_confidence_below_1e25"),
        "nudged": _row("nudged", 1e24, "high_confidence_below_1e25"),
        "flagged": _row("flagged", 2e25, "high_confidence_above_1e25", decision="y", status="confirmed_above_1e25"),
        "gone": _row("gone", 4e23, "high_confidence_below_1e25"),
    }
    new = {
        "up": _row("up", 1.2e25, "likely_above_1e25"),
        "down": _row("down", 9e24, "likely_below_1e25"),
        "to-line": _row("to-line", 9e24, "uncertain"),
        "doubled": _row("doubled", 2e24, "high_confidence_below_1e25", estimation_method="operation_counting"),
        "nudged": _row("nudged", 1.9e24, "high_confidence_below_1e25"),
        "flagged": _row(
            "flagged",
            2e24,
            "high_confidence_above_1e25",
            decision="y",
            status="needs_re_review",
            review_flag="verified above 1e25, but the new estimate's interval is wholly below it",
        ),
        "fresh": _row("fresh", 5e25, "likely_above_1e25"),
    }
    out = changes.compare(old, new)
    assert [r["model_id"] for r in out["new_models"]] == ["fresh"]
    assert [(r["model_id"], r["previous_classification"]) for r in out["new_candidates"]] == [
        ("fresh", None),
        ("up", "likely_below_1e25"),
        ("to-line", "likely_below_1e25"),  # below -> uncertain: enters the candidates file, crosses nothing
    ]
    crossed = [
        (r["model_id"], r["direction"], r["old_classification"], r["new_classification"]) for r in out["crossed"]
    ]
    assert crossed == [
        ("up", "up", "likely_below_1e25", "likely_above_1e25"),
        ("down", "down", "likely_above_1e25", "likely_below_1e25"),
    ]
    # log10(2) = 0.301 > 0.3 moves; log10(1.9) = 0.279 does not
    assert [(r["model_id"], r["dex"]) for r in out["moved"]] == [
        ("flagged", -1.0),
        ("down", -0.523),
        ("doubled", 0.301),
    ]
    doubled = out["moved"][2]
    assert doubled == {
        "model_id": "doubled",
        "model": "Doubled",
        "developer": "Lab",
        "old_training_flop": 1e24,
        "training_flop": 2e24,
        "dex": 0.301,
        "old_method": "benchmark_regression",
        "method": "operation_counting",
        "old_reasoning": "reasoning for 1.0e+24",
        "reasoning": "reasoning for 2.0e+24",
        "old_evidence_date": date(2025, 1, 1),
        "evidence_date": date(2025, 1, 1),
        "sources": "https://example.org/s",
    }
    assert out["re_review"] == [
        {
            "model_id": "flagged",
            "model": "Flagged",
            "developer": "Lab",
            "decision": "y",
            "review_flag": "verified above 1e25, but the new estimate's interval is wholly below it",
            "training_flop": 2e24,
            "flop_low": 1e24,
            "flop_high": 4e24,
        }
    ]
    assert out["gone_models"] == [
        {
            "model_id": "gone",
            "model": "Gone",
            "developer": "Lab",
            "training_flop": 4e23,
            "classification": "high_confidence_below_1e25",
            "dataset_file": "below",
        }
    ]


def _build(n: int, day: int) -> history.Build:
    return history.Build(n, datetime(2025, 7, day, 12), datetime(2025, 7, day, 12), 10, 0)


def test_baseline_is_the_previous_build_or_the_one_asked_for():
    builds = [_build(1, 1), _build(2, 8), _build(3, 15), _build(4, 22)]
    assert changes.pick_baseline(builds) == (builds[2], "")
    assert changes.pick_baseline(builds, back=3) == (builds[0], "")
    oldest = "only 3 earlier builds: compared with the oldest, build 1"
    assert changes.pick_baseline(builds, back=9) == (builds[0], oldest)
    assert changes.pick_baseline(builds, since=date(2025, 7, 15)) == (builds[1], "")  # the 15th's build is not before
    assert changes.pick_baseline(builds, since=date(2025, 7, 1)) == (
        builds[0],
        "no build before 2025-07-01: compared with the oldest, build 1",
    )
    assert changes.pick_baseline(builds[:1]) == (None, "only one build is recorded: nothing to compare with yet")
    assert changes.pick_baseline([]) == (None, "no build recorded yet")


def test_markdown_digest_shows_hostile_names_as_text():
    hostile = _row("x-evil", 3e25, "likely_above_1e25")
    hostile["model"] = "<script>alert(1)</script> [click](javascript:alert(1)) | *bold*"
    hostile["developer"] = '"><img src=x onerror=alert(1)>'
    report = changes.Report(newest=_build(2, 8), baseline=_build(1, 1))
    report.lists = changes.compare({}, {"x-evil": hostile})
    text = changes_render.markdown(report)
    row = next(line for line in text.splitlines() if "x-evil" in line)
    assert row == (
        "| \\<script\\>alert(1)\\</script\\> \\[click\\](javascript:alert(1)) \\| \\*bold\\* (x-evil) | "
        '"\\>\\<img src=x onerror=alert(1)\\> | 3.00e25 | 1.50e25..6.00e25 | likely_above_1e25 | benchmark_regression |'
    )
    assert re.findall(r"(?<!\\)<", text) == []  # no unescaped angle bracket anywhere


# -- with dbt -----------------------------------------------------------------------------------


def _expected_interval(params: float, day: date) -> tuple[float, float, float]:
    """(FLOP, low, high) of name_parameters, by the numpy oracle (tests/estimation_oracle.py) on the fixture file."""
    with EPOCH.open() as handle:
        points = [
            (
                math.log10(float(row["Parameters"])),
                years(date.fromisoformat(row["Publication date"])),
                math.log10(float(row["Training dataset size (datapoints)"])),
            )
            for row in csv.DictReader(handle)
        ]
    log10_tokens, half_width, _ = token_regression(points, params, day)
    return name_parameters_flop(params, log10_tokens, half_width)


def _six(x: float) -> float:
    return float(f"{x:.6g}")


@pytest.mark.dbt
def test_a_new_capture_is_reported_as_new_models_and_candidates(paths: Paths, capsys: pytest.CaptureFixture):
    _ingest(paths, "epoch", EPOCH)
    _ingest(paths, "lmarena", JUNE)
    first = _built(paths)
    assert (first.history.build_id, first.history.new_versions) == (1, first.history.models)
    assert changes.latest_summary(paths) == "changes: build 1 is the first recorded; nothing to compare with yet"

    _ingest(paths, "lmarena", JULY)
    second = _built(paths)
    assert second.plan == "new data in ingest, lmarena: rebuilding what depends on them"
    assert (second.history.build_id, second.history.new_versions) == (2, 2)

    zeta_flop, zeta_low, zeta_high = _expected_interval(405e9, date(2025, 7, 1))
    kappa_flop, kappa_low, kappa_high = _expected_interval(1.5e9, date(2025, 7, 1))
    assert (_six(zeta_flop), _six(kappa_flop)) == (1.458e25, 2.7e20)
    zeta = {
        "model_id": "zeta-405b",
        "model": "Zeta-405B-Instruct",
        "developer": "Zeta Labs",
        "training_flop": 1.458e25,
        "flop_low": _six(zeta_low),
        "flop_high": _six(zeta_high),
    }
    assert (zeta["flop_low"], zeta["flop_high"]) == (7.88933e24, 2.69448e25)
    report = changes.changes(paths)
    reported = json.loads(report.as_json())
    # p(> 1e25) reads the interval as a log-normal: z = log10(1.458e25 / 1e25) / (log10(2.69448e25 / 7.88933e24) / 3.29)
    sigma = math.log10(zeta_high / zeta_low) / (2 * 1.6448536)
    p_above = 0.5 * (1 + math.erf(math.log10(zeta_flop / 1e25) / sigma / math.sqrt(2)))
    assert reported["new_candidates"][0].pop("p_above_1e25") == round(p_above, 4)  # the report keeps 4 decimals
    assert reported == {
        "new_candidates": [
            {
                **zeta,
                "classification": "likely_above_1e25",
                "method": "name_parameters",
                "previous_classification": None,
            }
        ],
        "crossed": [],
        "moved": [],
        "re_review": [],
        "new_models": [
            {
                **zeta,
                "classification": "likely_above_1e25",
                "method": "name_parameters",
                "dataset_file": "candidates",
            },
            {
                "model_id": "kappa-1.5b",
                "model": "Kappa-1.5B-Chat",
                "developer": "Kappa AI",
                "training_flop": 2.7e20,
                "flop_low": _six(kappa_low),
                "flop_high": _six(kappa_high),
                "classification": "high_confidence_below_1e25",
                "method": "name_parameters",
                "dataset_file": "below",
            },
        ],
        "gone_models": [],
    }
    assert report.summary() == (
        "changes since build 1: 2 new models, 1 new candidates, 0 crossed 1e25, 0 moved > 0.3 dex, "
        "0 to re-review, 0 gone (flop-tracker changes)"
    )

    assert main(["changes", "--format", "markdown"]) == 0
    digest = capsys.readouterr().out
    assert "### New candidates (1)" in digest and "### New models (2)" in digest
    assert (
        "| Zeta-405B-Instruct (zeta-405b) | Zeta Labs | 1.46e25 | 7.89e24..2.69e25 | likely_above_1e25 "
        "| name_parameters |"
    ) in digest.splitlines()
    assert main(["changes", "--format", "json", "--builds", "1"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(report.as_json())

    # a third build with nothing new changes nothing, and --builds 2 still reaches the first
    third = _built(paths)
    assert third.plan == "nothing changed since the last build" and third.history.new_versions == 0
    assert changes.changes(paths).counts() == dict.fromkeys(changes.KEYS, 0)
    assert [r["model_id"] for r in changes.changes(paths, back=2).lists["new_models"]] == ["zeta-405b", "kappa-1.5b"]


@pytest.mark.dbt
def test_history_survives_full_builds_and_scratch_copies_never_write_it(paths: Paths):
    _ingest(paths, "epoch", EPOCH)
    _ingest(paths, "lmarena", JULY)
    first = _built(paths)
    kept = _versions(paths)
    assert kept == first.history.models == first.history.new_versions

    full = _built(paths, full=True)
    again = _built(paths, full=True)  # dbt rebuilds every model twice: not one new version
    assert (full.counts.get("success"), full.history.new_versions, again.history.new_versions) == (
        first.counts["success"],
        0,
        0,
    )
    assert _versions(paths) == kept
    nothing = pipeline.build(paths)  # nothing changed: no dbt at all, the build still listed
    assert (nothing.counts, nothing.history.build_id, nothing.history.new_versions) == ({}, 4, 0)

    selected = pipeline.build(paths, ["stg_lmarena__scores"])  # a selection records no history
    assert selected.success and selected.history is None
    con = duckdb.connect(str(paths.db), read_only=True)
    try:
        assert [b.build_id for b in history.builds(con)] == [1, 2, 3, 4]
    finally:
        con.close()

    # a backtest's scratch copy, as of a day before the July capture: its mart lost the July models, and a
    # snapshot would have closed their versions; none was taken
    scratch = build_scratch(paths, EPOCH, exclude_epoch_values=True, extra_vars={"as_of": "2025-06-15"})
    con = duckdb.connect(str(scratch / "tracker.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*) from main.models where model_id = 'zeta-405b'").fetchone()[0] == 0
        assert (
            con.execute(
                "select count(*) from history.models_history where model_id = 'zeta-405b' and dbt_valid_to is null"
            ).fetchone()[0]
            == 1
        )
        assert con.execute("select count(*) from history.models_history").fetchone()[0] == kept
        assert con.execute("select max(build_id) from history.builds").fetchone()[0] == 4
    finally:
        con.close()
    assert _versions(paths) == kept

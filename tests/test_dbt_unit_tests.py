"""dbt's own unit tests of the estimation SQL (the `unit_tests:` in the models' YAML), run here.

Each unit test gives a model fixed input rows and the rows it must return, worked by hand in its
description (a real model where there is one). dbt needs the inputs' relations to exist to learn their
columns, so the project is first built empty (`dbt build --empty`: every relation, no rows), then
`dbt test --select test_type:unit` runs them all. Builds of the data leave them out (NO_UNIT_TESTS), as
dbt's documentation advises for production runs; they are checked here, on every CI run.
"""

from __future__ import annotations

import pytest
import yaml

from flop_tracker.dbt_runner import DbtOutcome, run_dbt
from flop_tracker.pipeline import ensure_raw
from kernel.paths import PROJECT_ROOT, Paths

pytestmark = pytest.mark.dbt


def unit_test_names() -> list[str]:
    names = []
    for path in sorted((PROJECT_ROOT / "models").rglob("*.yml")):
        for test in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("unit_tests", []):
            names.append(test["name"])
    return names


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> DbtOutcome:
    paths = Paths(tmp_path_factory.mktemp("unit") / "data")
    paths.data_dir.mkdir(parents=True)
    ensure_raw(paths)
    built = run_dbt(["build", "--empty", "--exclude", "resource_type:test", "resource_type:unit_test"], paths)
    assert built.success, built.failures or built.error
    return run_dbt(["test", "--select", "test_type:unit"], paths)


def test_the_project_has_unit_tests_on_the_estimation_models():
    tested = set()
    for path in sorted((PROJECT_ROOT / "models").rglob("*.yml")):
        for test in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("unit_tests", []):
            tested.add(test["model"])
    methods = {
        "int_estimates_developer_disclosed", "int_estimates_epoch", "int_estimates_operation_counting",
        "int_estimates_hardware", "int_estimates_training_cost", "int_estimates_lineage",
        "int_estimates_name_parameters", "int_estimates_benchmark",
    }  # fmt: skip
    evidence = {
        "int_epoch_compute_latest", "int_model_parameters_sized", "int_estimates_ranked",
        "int_estimate_misses_measured",
    }  # fmt: skip
    assert methods | evidence <= tested


def test_every_unit_test_ran(outcome: DbtOutcome):
    assert outcome.error == ""
    assert sum(outcome.counts.values()) == len(unit_test_names())


@pytest.mark.parametrize("name", unit_test_names())
def test_unit_test_passes(outcome: DbtOutcome, name: str):
    failed = [f for f in outcome.failures if f.split(":")[0] == name]
    assert failed == [], failed[0] if failed else ""

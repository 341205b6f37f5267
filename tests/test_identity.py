"""Model identity without a build: the rule as Python runs it (kernel.model_names renders the dbt macros)
and what the build says about it."""

from __future__ import annotations

import pytest

from flop_tracker.commands.pipeline_cmds import _report_build
from flop_tracker.dbt_runner import DbtOutcome
from kernel.model_names import resolve_names


def test_the_build_reports_ids_that_look_like_one_model(capsys: pytest.CaptureFixture[str]):
    outcome = DbtOutcome(
        success=True,
        duplicates=[("qwen3-235b", "qwen3-235b-a22b", "Hub repo qwen/qwen3-235b-a22b")],
    )
    assert _report_build(outcome) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert (
        "1 pair(s) of model ids look like one model: qwen3-235b / qwen3-235b-a22b (Hub repo qwen/qwen3-235b-a22b) "
        "(merge them in seeds/curated/model_aliases.csv, or say why they differ in "
        "seeds/curated/distinct_model_pairs.csv; list: intermediate.int_model_duplicates_flagged)"
    ) in out


def test_every_name_comes_back_in_order_even_a_blank_one():
    resolved = resolve_names([("lmarena", "GPT-4o (08/06)"), ("manual_models", " "), ("epoch", "PaLM (540B)")])
    assert [(r.raw_name, r.model_id, r.is_excluded) for r in resolved] == [
        ("GPT-4o (08/06)", "gpt-4o", False),
        (" ", "", True),
        ("PaLM (540B)", "palm-540b", False),
    ]
    assert resolved[1].exclusion_reason == "name is empty after normalisation"

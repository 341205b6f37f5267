"""The review loop driven through prompt_toolkit pipes: every choice, bad input, Ctrl-C, batches, rivals.

No terminal is needed: keys are queued on a pipe input, the pipe is closed (so a prompt that
wanted more input ends instead of hanging) and output goes to DummyOutput. The mart rows are
plain dicts, as session.load_mart returns them.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from review.decisions import COLUMNS, ReviewDecision, append_decision, read_decisions
from review.session import (
    DECISION_PROMPT,
    EMPTY_REASON,
    OPTIONS,
    REASON_PROMPTS,
    ReviewPrompts,
    SessionResult,
    check_reason,
    compare,
    model_panel,
    pending_candidates,
    review,
)

pytestmark = pytest.mark.timeout(60)
DOWN = "\x1b[B"
CTRL_C = "\x03"


def row(model_id: str, p: float, flop: float = 2e25, dataset_file: str = "candidates", **extra: Any) -> dict:
    base = {
        "model_id": model_id,
        "model": model_id.replace("-", " ").title(),
        "developer": "Lab",
        "release_date": None,
        "parameters": 4.05e11,
        "parameter_source": "disclosed",
        "training_flop": flop,
        "flop_low": flop / 3,
        "flop_high": flop * 3,
        "p_above_1e25": p,
        "confidence": "high",
        "confidence_explanation": "Direct evidence",
        "estimation_method": "epoch_reference",
        "alternative_methods": "epoch_reference: 2.00e+25 (high)",
        "threshold_classification": "likely_above_1e25",
        "status": "candidate",
        "reasoning": "Epoch AI estimate",
        "sources": "https://example.org",
        "verified": "n",
        "notes": None,
        "decision": None,
        "reviewer": None,
        "review_flag": None,
        "dataset_file": dataset_file,
        "in_staging_file": False,
    }
    base.update(extra)
    return base


MART = [
    row("model-b", 0.70),
    row("model-a", 0.99, flop=5e25),
    row("model-c", 0.40),
    row("model-d", 0.10, dataset_file="below", threshold_classification="likely_below_1e25"),
    row("model-e", 0.95, decision="y", in_staging_file=True, verified="y"),
]
ORDER = ["model-a", "model-b", "model-c"]  # undecided candidates, most likely above first


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    path = tmp_path / "review_decisions.csv"
    path.write_text(",".join(COLUMNS) + "\n")
    return path


def run(keys: str, seed: Path, mart: list[dict] = MART, batch_size: int = 10, prompts_cls=ReviewPrompts):
    out = io.StringIO()
    console = Console(file=out, width=100, force_terminal=False)
    with create_pipe_input() as inp:
        inp.send_text(keys)
        inp.close()
        prompts = prompts_cls(input=inp, output=DummyOutput())
        result = review(
            mart, seed, "ana", prompts, console, batch_size=batch_size, clock=lambda: datetime(2026, 2, 3, 4, 5, 6)
        )
    return result, out.getvalue()


def test_header_counts_and_options_are_worded_as_the_workflow(seed: Path):
    result, out = run("q\r", seed)
    assert "Candidates: 4 models\nStaging: 1 models\n\nFound 3 new candidates to review\n" in out
    assert OPTIONS in out
    assert "y - Add to staging dataset (model is above 1e25 FLOP) - will prompt for reason" in out
    assert result.quit and result.saved == []
    assert DECISION_PROMPT == "Decision (y/n/skip/quit):"
    assert REASON_PROMPTS["y"] == "Please provide a reason for confirming this model is above 1e25 FLOP:"
    assert REASON_PROMPTS["n"] == "Please provide a reason for confirming this model is below 1e25 FLOP:"


def test_pending_is_undecided_candidates_most_likely_above_first():
    assert [r["model_id"] for r in pending_candidates(MART, set())] == ORDER
    assert [r["model_id"] for r in pending_candidates(MART, {"model-a"})] == ["model-b", "model-c"]


def test_y_n_skip_quit_each_by_its_key(seed: Path):
    result, out = run("y\rfrontier flagship\rn\rdistilled small model\rs\rq\r", seed)
    assert [(d.model_id, d.decision, d.reason) for d in result.saved] == [
        ("model-a", "y", "frontier flagship"),
        ("model-b", "n", "distilled small model"),
    ]
    assert result.skipped == ["model-c"]
    assert not result.quit  # the list ran out before q was needed
    saved = read_decisions(seed)
    assert saved["model-a"].reviewer == "ana"
    assert saved["model-a"].decided_at == datetime(2026, 2, 3, 4, 5, 6)
    assert saved["model-a"].shown_training_flop == 5e25
    assert saved["model-a"].shown_flop_low == pytest.approx(5e25 / 3, rel=1e-5)
    assert saved["model-a"].shown_classification == "likely_above_1e25"
    assert "Successfully recorded Model A: it is added to the staging dataset and marked as verified" in out
    assert "Successfully recorded Model B: it moves to below_1e25_flop.csv with verified=y" in out
    assert "Skipped Model C" in out


def test_quit_stops_and_keeps_what_was_decided(seed: Path):
    result, _ = run("y\rflagship\rq\r", seed)
    assert result.quit
    assert list(read_decisions(seed)) == ["model-a"]


def test_arrow_keys_and_enter_choose_too(seed: Path):
    # the pointer starts on skip; one down is quit; from the top (after typing y) one down is n
    result, _ = run("y" + DOWN + "\rsmaller than it looks\r" + DOWN + "\r", seed)
    assert [(d.model_id, d.decision) for d in result.saved] == [("model-a", "n")]
    assert result.quit


def test_enter_alone_skips_the_model(seed: Path):
    result, _ = run("\r\rq\r", seed)
    assert result.skipped == ["model-a", "model-b"] and result.quit
    assert read_decisions(seed) == {}


def test_keys_that_are_no_choice_are_ignored(seed: Path):
    result, _ = run("xz7y\rbig\rq\r", seed)
    assert [(d.model_id, d.decision, d.reason) for d in result.saved] == [("model-a", "y", "big")]


def test_an_empty_reason_is_refused_and_asked_again(seed: Path):
    result, _ = run("y\r\r   \rreal reason\rq\r", seed)
    assert [d.reason for d in result.saved] == ["real reason"]
    assert check_reason("") == EMPTY_REASON
    assert check_reason("   ") == EMPTY_REASON
    assert check_reason("ok") is True
    assert "reason is required" in EMPTY_REASON


def test_ctrl_c_leaves_everything_decided_so_far_saved(seed: Path):
    result, _ = run("y\rflagship\rn\r" + CTRL_C, seed)
    assert result.interrupted
    assert [d.model_id for d in result.saved] == ["model-a"]
    assert list(read_decisions(seed)) == ["model-a"]  # model-b had no reason yet: not decided


def test_input_ending_mid_session_is_an_interruption_not_a_crash(seed: Path):
    result, _ = run("n\rtoo small\r", seed)
    assert result.interrupted and list(read_decisions(seed)) == ["model-a"]


def test_after_each_batch_it_asks_whether_to_continue(seed: Path):
    result, _ = run("s\rn\r", seed, batch_size=1)  # skip model-a, then "Continue reviewing?" -> no
    assert result.skipped == ["model-a"] and result.quit
    result, _ = run("s\ry\rs\ry\rs\r", seed, batch_size=1)
    assert result.skipped == ORDER and not result.quit


class SlowReviewer(ReviewPrompts):
    """While ana types her reason, bob decides the same model in another process."""

    def reason(self, decision: str) -> str:
        text = super().reason(decision)
        bob = ReviewDecision(
            model_id="model-a",
            decision="n",
            reason="it is a distillation",
            reviewer="bob",
            decided_at=datetime(2026, 2, 3),
        )
        assert append_decision(bob, self.seed).saved
        return text


def test_a_decision_taken_meanwhile_is_kept_and_the_second_reviewer_told(seed: Path):
    SlowReviewer.seed = seed
    result, out = run("y\rflagship\rq\r", seed, prompts_cls=SlowReviewer)
    assert result.saved == [] and [d.reviewer for d in result.already_decided] == ["bob"]
    assert "Not saved: Model A was decided meanwhile: n (below 1e25 FLOP) by bob on 2026-02-03 00:00 UTC" in out
    assert read_decisions(seed)["model-a"].reviewer == "bob"


def test_a_model_decided_since_the_session_began_is_not_asked_again(seed: Path):
    decisions = iter(["model-b"])

    class Rival(ReviewPrompts):
        def decision(self) -> str:
            choice = super().decision()
            for model_id in decisions:  # after ana's first answer, bob decides model-b
                append_decision(
                    ReviewDecision(
                        model_id=model_id,
                        decision="y",
                        reason="known big",
                        reviewer="bob",
                        decided_at=datetime(2026, 2, 3),
                    ),
                    seed,
                )
            return choice

    result, out = run("s\ry\rbig\r", seed, prompts_cls=Rival)
    assert "Model B was already decided: y (above 1e25 FLOP) by bob on 2026-02-03 00:00 UTC: known big; skipping" in out
    assert result.skipped == ["model-a"]
    assert [(d.model_id, d.reviewer) for d in result.saved] == [("model-c", "ana")]


def test_scraped_names_reach_the_terminal_without_escape_sequences():
    hostile = row(
        "kappa",
        0.9,
        model="Kappa \x1b[31mRed\x1b[0m\x1b]0;pwned\x07",
        developer="Kappa \x1b[2JLabs",
        reasoning="see \x1b[1A\x1b[2Kabove",
        sources="https://example.org/\x07",
        notes="note\x9b31m",
    )
    out = io.StringIO()
    Console(file=out, width=100, force_terminal=True, color_system="standard").print(model_panel(hostile))
    text = out.getvalue()
    # rich's own styling uses ESC[...m; nothing else may come through
    import re

    leftover = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert "\x1b" not in leftover and "\x07" not in leftover and "\x9b" not in leftover
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert "MODEL: Kappa Red" in plain
    assert "Developer: Kappa Labs" in plain


def test_the_panel_shows_everything_a_reviewer_needs():
    out = io.StringIO()
    r = row("model-a", 0.87, release_date="2025-03-01", notes="earlier note")
    Console(file=out, width=120).print(model_panel(r))
    text = out.getvalue()
    for expected in (
        "MODEL: Model A",
        "Developer: Lab",
        "Training FLOP: 2.00e+25 (90% interval 6.67e+24 - 6.00e+25)",
        "p(>1e25): 0.87",
        "Confidence: high",
        "Estimation Method: epoch_reference",
        "Reasoning: Epoch AI estimate",
        "Threshold Classification: likely_above_1e25",
        "Status: candidate",
        "Sources: https://example.org",
        "Alternative Methods: epoch_reference: 2.00e+25 (high)",
        "Parameters: 405B (disclosed)",
        "Release Date: 2025-03-01",
        "Notes: earlier note",
    ):
        assert expected in text, expected


def test_compare_reports_moves_flags_and_decisions_not_applied():
    before = [row("a", 0.9), row("b", 0.8), row("c", 0.1, dataset_file="below")]
    after = [
        row("a", 0.9, in_staging_file=True, decision="y"),
        row("b", 0.8, dataset_file="below", decision="n"),
        row("c", 0.1, dataset_file="below", decision="n", review_flag="verified below 1e25, but ..."),
    ]
    gone = ReviewDecision(model_id="zzz", decision="y", reason="r", reviewer="ana", decided_at=datetime(2026, 1, 1))
    moves = compare(before, after, [gone])
    assert moves.to_staging == ["A"] and moves.to_below == ["B"]
    assert moves.flagged == [("C", "verified below 1e25, but ...")]
    assert moves.not_applied == ["zzz"]


def test_session_result_defaults():
    assert SessionResult().saved == [] and not SessionResult().interrupted


def test_the_batch_question_is_asked_once_even_when_rivals_decide_the_next_models(seed: Path):
    class Rival(ReviewPrompts):
        def keep_going(self, remaining: int) -> bool:
            for model_id in ("model-b", "model-c"):  # bob decides the next two while ana ponders
                d = ReviewDecision(
                    model_id=model_id, decision="y", reason="big", reviewer="bob", decided_at=datetime(2026, 1, 1)
                )
                append_decision(d, seed)
            return super().keep_going(remaining)

    mart = [*MART, row("model-f", 0.30)]
    # model-a skipped, "Continue?" yes, model-b and model-c already decided, model-f shown and skipped
    result, out = run("s\ry\rs\r", seed, mart=mart, batch_size=1, prompts_cls=Rival)
    assert result.skipped == ["model-a", "model-f"] and not result.interrupted
    assert out.count("already decided") == 2

"""`flop-tracker review-candidates`: show each undecided candidate, record y/n + reason, rebuild.

The loop reads the `models` mart (the candidates file is its dataset_file='candidates'
rows; the staging file its in_staging_file rows), asks about each candidate nobody has
decided yet, most likely above first, and appends each decision to the decisions seed
before the next prompt appears. Quitting or Ctrl-C keeps every decision made so far.
At the end the pipeline rebuilds and the session says which models moved where.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import questionary
from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from kernel.database import connect
from kernel.paths import DATASET_COLUMNS as FILE_COLUMNS
from kernel.paths import Paths
from kernel.text import clean_terminal
from review.decisions import (
    ReviewDecision,
    append_decision,
    describe,
    now_utc,
    read_decisions,
)

OPTIONS = """\
Options for each model:
  y - Add to staging dataset (model is above 1e25 FLOP) - will prompt for reason
  n - Move to below_1e25_flop.csv with verified=y (model is below threshold) - will prompt for reason
  skip - Skip this model for now
  quit - Exit the review process"""
DECISION_PROMPT = "Decision (y/n/skip/quit):"
REASON_PROMPTS = {
    "y": "Please provide a reason for confirming this model is above 1e25 FLOP:",
    "n": "Please provide a reason for confirming this model is below 1e25 FLOP:",
}
EMPTY_REASON = "A reason is required: say why (it is saved in the notes field for audit)"
# The file columns (minus last_updated) plus what the review screen needs from the mart.
MART_COLUMNS = [c for c in FILE_COLUMNS if c != "last_updated"] + [
    "decision",
    "reviewer",
    "review_flag",
    "dataset_file",
    "in_staging_file",
]


def load_mart(paths: Paths) -> list[dict[str, Any]]:
    """Every row of the models mart (read-only; the handle is closed at once)."""
    con = connect(paths.db, read_only=True)
    try:
        try:
            cursor = con.execute(
                f"select {', '.join(MART_COLUMNS)} from main.models "
                "order by p_above_1e25 desc, training_flop desc, model_id"
            )
        except Exception as exc:  # duckdb.CatalogException: never built
            if "models" in str(exc) and "does not exist" in str(exc):
                raise FileNotFoundError(f"{paths.db}: the dataset is not built yet; run `flop-tracker run`") from exc
            raise
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def sci(value: float | None) -> str:
    return "unknown" if value is None else f"{value:.2e}"


def count(value: float | None) -> str:
    if value is None:
        return "unknown"
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if value >= size:
            return f"{value / size:.4g}{suffix}"
    return f"{value:.4g}"


def model_panel(row: dict[str, Any]) -> Panel:
    """The candidate as the reviewer sees it. Every scraped string goes through clean_terminal()."""

    def line(label: str, value: object) -> Text:
        text = Text()
        text.append(f"{label}: ", style="bold")
        text.append(clean_terminal(value))
        return text

    interval = f"90% interval {sci(row['flop_low'])} - {sci(row['flop_high'])}"
    p = row["p_above_1e25"]
    params = count(row["parameters"])
    if row["parameters"] is not None and row["parameter_source"]:
        params += f" ({clean_terminal(row['parameter_source'])})"
    lines = [
        line("Model ID", row["model_id"]),
        line("Developer", row["developer"]),
        line("Training FLOP", f"{sci(row['training_flop'])} ({interval})"),
        line("p(>1e25)", "unknown" if p is None else f"{p:.2f}"),
        line("Confidence", row["confidence"]),
        line("Estimation Method", row["estimation_method"]),
        line("Threshold Classification", row["threshold_classification"]),
        line("Status", row["status"]),
        Text(""),
        line("Reasoning", row["reasoning"]),
        Text(""),
        line("Sources", row["sources"]),
        line("Alternative Methods", row["alternative_methods"] or "none"),
        line("Parameters", params),
        line("Release Date", row["release_date"] or "unknown"),
    ]
    if row.get("confidence_explanation"):
        lines.insert(5, line("Confidence Explanation", row["confidence_explanation"]))
    if row.get("notes"):
        lines.append(line("Notes", row["notes"]))
    if row.get("review_flag"):
        lines.append(line("Review Flag", row["review_flag"]))
    title = Text("MODEL: ", style="bold") + Text(clean_terminal(row["model"]))
    return Panel(Group(*lines), title=title, title_align="left", expand=True)


def check_reason(text: str) -> bool | str:
    """questionary validator: True for a reason, else the message shown under the prompt."""
    return True if text.strip() else EMPTY_REASON


class ReviewPrompts:
    """The session's questions (questionary). `input`/`output` let tests drive them without a terminal."""

    def __init__(self, **io: Any) -> None:
        self.io = io

    def decision(self) -> str:
        """y, n, skip or quit: type the key (y/n/s/q) and Enter, or move with the arrows."""
        return questionary.select(
            DECISION_PROMPT,
            choices=[
                questionary.Choice("yes: add to staging dataset (above 1e25 FLOP)", value="y", shortcut_key="y"),
                questionary.Choice(
                    "no: move to below_1e25_flop.csv with verified=y (below threshold)", value="n", shortcut_key="n"
                ),
                questionary.Choice("skip: skip this model for now", value="skip", shortcut_key="s"),
                questionary.Choice("quit: exit the review process", value="quit", shortcut_key="q"),
            ],
            default="skip",
            use_shortcuts=True,
            **self.io,
        ).unsafe_ask()

    def reason(self, decision: str) -> str:
        """The reason for a y or n; an empty answer is refused with a message and asked again."""
        answer = questionary.text(REASON_PROMPTS[decision], validate=check_reason, **self.io).unsafe_ask()
        return answer.strip()

    def keep_going(self, remaining: int) -> bool:
        return bool(
            questionary.confirm(
                f"Continue reviewing? ({remaining} left)", default=True, auto_enter=False, **self.io
            ).unsafe_ask()
        )


@dataclass
class SessionResult:
    """What a review session did."""

    saved: list[ReviewDecision] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    already_decided: list[ReviewDecision] = field(default_factory=list)
    not_a_model: list[ReviewDecision] = field(default_factory=list)  # not saved: the id names no model now
    quit: bool = False
    interrupted: bool = False
    to_review: int = 0


def pending_candidates(mart: list[dict[str, Any]], decided: set[str]) -> list[dict[str, Any]]:
    """Candidates with no decision yet (in the mart or in the seed), most likely above first."""
    rows = [r for r in mart if r["dataset_file"] == "candidates" and not r["decision"] and r["model_id"] not in decided]
    return sorted(rows, key=lambda r: (-(r["p_above_1e25"] or 0.0), -(r["training_flop"] or 0.0), r["model_id"]))


def review(
    mart: list[dict[str, Any]],
    decisions_file: Path,
    reviewer: str,
    prompts: ReviewPrompts,
    out: Console,
    batch_size: int = 10,
    clock: Callable[[], Any] = now_utc,
    known: Callable[[str], bool] = lambda model_id: True,
) -> SessionResult:
    """The interactive loop. Each decision is on disk before the next question is asked.

    `known(model_id)` is asked right before each write (decisions.known_model checks the database):
    a model the database no longer has (rebuilt since the session began) gets no decision, which
    would name no model; the reviewer is told, with the decision and reason typed.
    """
    result = SessionResult()
    decided = read_decisions(decisions_file)
    candidates = [r for r in mart if r["dataset_file"] == "candidates"]
    staging = [r for r in mart if r["in_staging_file"]]
    todo = pending_candidates(mart, set(decided))
    result.to_review = len(todo)
    out.print(f"Candidates: {len(candidates)} models", markup=False, soft_wrap=True)
    out.print(f"Staging: {len(staging)} models", markup=False, soft_wrap=True)
    out.print()
    out.print(f"Found {len(todo)} new candidates to review", markup=False, soft_wrap=True)
    if not todo:
        return result
    out.print()
    out.print(OPTIONS, markup=False, soft_wrap=True)
    shown = asked_at = 0
    try:
        for index, row in enumerate(todo):
            if shown and shown % batch_size == 0 and shown != asked_at:  # a batch is done
                asked_at = shown
                if not prompts.keep_going(len(todo) - index):
                    result.quit = True
                    break
            name = clean_terminal(row["model"])
            other = read_decisions(decisions_file).get(row["model_id"])
            if other is not None:  # another reviewer decided it since the session started
                out.print(
                    f"{name} was already decided: {clean_terminal(describe(other))}; skipping",
                    markup=False,
                    soft_wrap=True,
                )
                result.already_decided.append(other)
                continue
            out.print()
            out.print(model_panel(row))
            shown += 1
            choice = prompts.decision()
            if choice == "quit":
                result.quit = True
                break
            if choice == "skip":
                out.print(f"Skipped {name}", markup=False, soft_wrap=True)
                result.skipped.append(row["model_id"])
                continue
            reason = prompts.reason(choice)
            decision = ReviewDecision(
                model_id=row["model_id"],
                decision=choice,
                reason=reason,
                reviewer=reviewer,
                decided_at=clock(),
                shown_training_flop=row["training_flop"],
                shown_flop_low=row["flop_low"],
                shown_flop_high=row["flop_high"],
                shown_classification=row["threshold_classification"],
            )
            if not known(decision.model_id):
                out.print(
                    f"Not saved: {name} ({clean_terminal(decision.model_id)}) is no longer a model of the built "
                    f"dataset (rebuilt since this session began); your decision was {choice}: "
                    f"{clean_terminal(reason)}",
                    markup=False,
                    soft_wrap=True,
                )
                result.not_a_model.append(decision)
                continue
            outcome = append_decision(decision, decisions_file)
            if not outcome.saved:
                out.print(
                    f"Not saved: {name} was decided meanwhile: {clean_terminal(describe(outcome.existing))}",
                    markup=False,
                    soft_wrap=True,
                )
                result.already_decided.append(outcome.existing)
                continue
            result.saved.append(decision)
            if choice == "y":
                out.print(
                    f"Successfully recorded {name}: it is added to the staging dataset and marked as verified "
                    "(applied by the rebuild when the session ends)",
                    markup=False,
                    soft_wrap=True,
                )
            else:
                out.print(
                    f"Successfully recorded {name}: it moves to below_1e25_flop.csv with verified=y "
                    "(applied by the rebuild when the session ends)",
                    markup=False,
                    soft_wrap=True,
                )
    except (KeyboardInterrupt, EOFError):
        result.interrupted = True
    return result


@dataclass
class Moves:
    """What the rebuild changed: models newly in staging, newly below, and every flag."""

    to_staging: list[str]
    to_below: list[str]
    flagged: list[tuple[str, str]]
    not_applied: list[str]


def compare(before: list[dict[str, Any]], after: list[dict[str, Any]], saved: list[ReviewDecision]) -> Moves:
    old = {r["model_id"]: r for r in before}
    new = {r["model_id"]: r for r in after}
    to_staging = [
        clean_terminal(r["model"])
        for mid, r in new.items()
        if r["in_staging_file"] and not old.get(mid, {}).get("in_staging_file")
    ]
    to_below = [
        clean_terminal(r["model"])
        for mid, r in new.items()
        if r["dataset_file"] == "below" and old.get(mid, {}).get("dataset_file") == "candidates"
    ]
    flagged = [(clean_terminal(r["model"]), clean_terminal(r["review_flag"])) for r in after if r["review_flag"]]
    not_applied = [
        d.model_id for d in saved if d.model_id not in new or (new[d.model_id]["decision"] or "") != d.decision
    ]
    return Moves(sorted(to_staging), sorted(to_below), sorted(flagged), not_applied)


def print_moves(moves: Moves, out: Console) -> None:
    out.print(
        "Moved to staging (data/staging/above_1e25_flop_staging.csv): " + (", ".join(moves.to_staging) or "none"),
        markup=False,
        soft_wrap=True,
    )
    out.print(
        "Moved to below (data/clean/below_1e25_flop.csv): " + (", ".join(moves.to_below) or "none"),
        markup=False,
        soft_wrap=True,
    )
    if moves.flagged:
        out.print(f"Flagged for re-review ({len(moves.flagged)}):", markup=False, soft_wrap=True)
        for name, why in moves.flagged:
            out.print(f"  {name}: {why}", markup=False, soft_wrap=True)
    else:
        out.print("Flagged for re-review: none", markup=False, soft_wrap=True)
    for model_id in moves.not_applied:
        out.print(
            f"Warning: the decision on {model_id} is not in the built dataset (is the model still tracked?)",
            markup=False,
            soft_wrap=True,
        )

"""The review decisions seed: `seeds/decisions/review_decisions.csv` (or `$FLOP_TRACKER_DECISIONS_DIR`).

One row per model: y (above 1e25 FLOP) or n (below), the reviewer's reason, who and when,
and what the reviewer was shown. The models mart applies it last (models/marts/models.sql).
Rows are only ever appended, one at a time, under a lock; a model already decided is never
decided again by a second reviewer (they are told who decided it instead).
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import duckdb
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from kernel.database import DatabaseLockedError, DatabaseOpenError, connect
from kernel.paths import Paths, decisions_dir
from review.seedfile import SeedFileError, parse_seed, read_seed
from review.store import locked_append

COLUMNS = [
    "model_id",
    "decision",
    "reason",
    "reviewer",
    "decided_at",
    "shown_training_flop",
    "shown_flop_low",
    "shown_flop_high",
    "shown_classification",
]
REVIEWER_ENV = "FLOP_TRACKER_REVIEWER"
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"


class DecisionsFileError(SeedFileError):
    """review_decisions.csv is malformed (bad header, unknown decision, duplicate model...)."""


class ReviewDecision(BaseModel):
    """One reviewer's verdict on one model."""

    model_config = ConfigDict(str_strip_whitespace=True, frozen=True)

    model_id: str = Field(min_length=1)
    decision: Literal["y", "n"]
    reason: str = Field(min_length=1)
    reviewer: str = Field(min_length=1)
    decided_at: datetime
    shown_training_flop: float | None = Field(default=None, gt=0)
    shown_flop_low: float | None = Field(default=None, gt=0)
    shown_flop_high: float | None = Field(default=None, gt=0)
    shown_classification: str | None = None

    @field_validator("decision", mode="before")
    @classmethod
    def _decision_word(cls, value: object) -> object:
        if isinstance(value, str):
            word = value.strip().lower()
            if word not in {"y", "n"}:
                raise ValueError("must be y (above 1e25 FLOP) or n (below)")
            return word
        return value

    @field_validator("model_id", "reason", "reviewer")
    @classmethod
    def _no_control_characters(cls, value: str, info: ValidationInfo) -> str:
        allowed = "\t\n\r" if info.field_name == "reason" else ""  # a hand-edited reason may span lines
        if any((ord(c) < 32 or 0x7F <= ord(c) <= 0x9F) and c not in allowed for c in value):
            raise ValueError("contains control characters")
        return value

    @field_validator("shown_training_flop", "shown_flop_low", "shown_flop_high", "shown_classification", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("decided_at", mode="before")
    @classmethod
    def _timestamp(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if not text:
                raise ValueError("a timestamp is required (YYYY-MM-DD HH:MM:SS)")
            try:
                parsed = datetime.fromisoformat(text)
            except ValueError:
                raise ValueError("not a timestamp (YYYY-MM-DD HH:MM:SS)") from None
            # the seed column is a plain TIMESTAMP: store UTC without an offset
            return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed
        return value

    def row(self) -> list[object]:
        return [
            self.model_id,
            self.decision,
            self.reason,
            self.reviewer,
            self.decided_at.strftime(TIMESTAMP_FORMAT),
            _num(self.shown_training_flop),
            _num(self.shown_flop_low),
            _num(self.shown_flop_high),
            self.shown_classification,
        ]

    @property
    def label(self) -> str:
        return "above 1e25 FLOP" if self.decision == "y" else "below 1e25 FLOP"


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"


def decisions_path() -> Path:
    return decisions_dir() / "review_decisions.csv"


def read_decision_lines(path: Path | None = None) -> list[tuple[int, ReviewDecision]]:
    """Every decision with the line it starts on; DecisionsFileError names a bad line."""
    try:
        return read_seed(path or decisions_path(), COLUMNS, ReviewDecision, key=lambda d: d.model_id)
    except SeedFileError as exc:
        raise DecisionsFileError(str(exc)) from None


def known_model(paths: Paths) -> Callable[[str], bool]:
    """A check, made against the database each time it is called, that a model_id names a model
    (intermediate.int_models_identified: every tracked model, with an estimate or not yet).

    Used right before a decision is written, so a database rebuilt since the ids were read is seen.
    When the database cannot be read at that moment (a build holds it, or it was never built) the
    answer is yes: the id came from the database moments before, and a decision is never dropped on
    a guess; the next build warns about any decision that names no model.
    """

    def check(model_id: str) -> bool:
        try:
            con = connect(paths.db, read_only=True)
        except (DatabaseLockedError, DatabaseOpenError, FileNotFoundError):
            return True
        try:
            row = con.execute(
                "select count(*) from intermediate.int_models_identified where model_id = ?", [model_id]
            ).fetchone()
        except duckdb.Error:
            return True
        finally:
            con.close()
        return bool(row and row[0])

    return check


def now_utc() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def default_reviewer(explicit: str | None = None) -> str:
    """--reviewer, else $FLOP_TRACKER_REVIEWER, else the operating-system user."""
    for candidate in (explicit, os.environ.get(REVIEWER_ENV)):
        if candidate and candidate.strip():
            return candidate.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return f"uid{os.getuid()}"


def _parse(text: str, name: str) -> dict[str, ReviewDecision]:
    try:
        rows = parse_seed(text, name, COLUMNS, ReviewDecision, key=lambda d: d.model_id, key_label="model_id")
    except DecisionsFileError:
        raise
    except SeedFileError as exc:
        raise DecisionsFileError(str(exc)) from None
    return {d.model_id: d for _, d in rows}


def read_decisions(path: Path | None = None) -> dict[str, ReviewDecision]:
    """Every decision in the seed by model_id; DecisionsFileError names the bad line."""
    path = path or decisions_path()
    try:
        rows = read_seed(path, COLUMNS, ReviewDecision, key=lambda d: d.model_id, key_label="model_id")
    except SeedFileError as exc:
        raise DecisionsFileError(str(exc)) from None
    return {d.model_id: d for _, d in rows}


@dataclass
class AppendResult:
    """What happened to a decision: saved, or refused because someone decided the model first."""

    saved: bool
    existing: ReviewDecision | None = None


def append_decision(decision: ReviewDecision, path: Path | None = None) -> AppendResult:
    """Append one decision atomically under the lock; refuse when the model is already decided.

    The file is re-read and validated under the lock, so a decision another reviewer wrote
    a moment ago is seen (and kept), and a malformed file is never appended to.
    """
    path = path or decisions_path()

    def check(current: str) -> ReviewDecision | None:
        return _parse(current, str(path)).get(decision.model_id)

    existing = locked_append(path, COLUMNS, decision.row(), check)
    return AppendResult(saved=existing is None, existing=existing)


def describe(decision: ReviewDecision) -> str:
    """`y (above 1e25 FLOP) by ana on 2026-01-02 03:04 UTC: reason`."""
    return (
        f"{decision.decision} ({decision.label}) by {decision.reviewer} on "
        f"{decision.decided_at:%Y-%m-%d %H:%M} UTC: {decision.reason}"
    )

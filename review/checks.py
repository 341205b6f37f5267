"""Validate every seed people write before dbt reads it (pydantic; the message names the line)."""

from __future__ import annotations

from review.decisions import decisions_path, read_decisions
from review.manual_entry import manual_models_path, read_manual_models


def validate_decision_seeds() -> None:
    """Raise SeedFileError (DecisionsFileError / ManualEntryError) naming the first bad line."""
    read_decisions(decisions_path())
    read_manual_models(manual_models_path())

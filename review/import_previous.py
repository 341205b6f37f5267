"""`flop-tracker import-previous DIR`: the previous system's reviewer verdicts become decisions.

The system this project replaces kept its reviewers' verdicts in its data files:
- clean/above_1e25_flop.csv rows with verified=y were confirmed above 1e25 FLOP (y), and so
  were staging/above_1e25_flop_staging.csv rows with verified=y or a "by manual review" note
  (its review tool wrote "Added to staging by manual review. Reason: ...");
- clean/below_1e25_flop.csv rows with verified=y were confirmed below (n).
Its staging file also holds rows its automation added ("Added via automation pipeline from
published dataset"); nobody reviewed those, so they are imported only with --all-staging.

Names are mapped to model_ids the way the identity models map every source: first an exact
raw name already known to intermediate.int_model_names_normalized, then the same identity
rule as every source (the resolve_model_ids macro, rendered by kernel.model_names),
kept only when the id is a tracked model (intermediate.int_models_identified). Names that do
not map are reported, not guessed.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from kernel.database import connect
from kernel.model_names import resolver_sql
from kernel.paths import Paths
from review.decisions import ReviewDecision, append_decision, known_model, now_utc, read_decisions

REVIEWER = "previous_system"
DEFAULT_REASON = "imported from previous system"
FILES = {
    "staging": Path("staging") / "above_1e25_flop_staging.csv",
    "above": Path("clean") / "above_1e25_flop.csv",
    "below": Path("clean") / "below_1e25_flop.csv",
}
_REASON = re.compile(r"\breason:\s*(.+)$", re.IGNORECASE | re.DOTALL)
_MANUAL_REVIEW = re.compile(r"\bby manual review\b|^manual review\b", re.IGNORECASE)


@dataclass
class Verdict:
    """One verified row of the previous system."""

    name: str
    developer: str
    decision: str
    reason: str
    decided_at: datetime | None
    training_flop: float | None
    classification: str | None
    origin: str  # file:line


@dataclass
class ImportReport:
    imported: list[tuple[Verdict, str]] = field(default_factory=list)
    already_decided: list[tuple[Verdict, ReviewDecision]] = field(default_factory=list)
    unmapped: list[tuple[Verdict, str]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    not_reviewed: list[str] = field(default_factory=list)
    not_in_dataset: list[str] = field(default_factory=list)
    not_a_model: list[tuple[Verdict, str]] = field(default_factory=list)  # the id names no model: not written


def _reason(notes: str) -> str:
    text = " ".join((notes or "").split())
    match = _REASON.search(text)
    if match:
        text = match.group(1).strip()
    return text or DEFAULT_REASON


def _float(value: str) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _timestamp(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat((value or "").strip())
    except ValueError:
        return None
    if parsed.tzinfo:
        from datetime import UTC

        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed.replace(microsecond=0)


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    if not path.exists():
        raise FileNotFoundError(f"{path}: not found (expected the previous system's data folder)")
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"model", "verified", "notes"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: line 1: missing column(s) {', '.join(sorted(missing))}")
        out = []
        line = 2
        for row in reader:
            out.append((line, row))
            line = reader.line_num + 1
        return out


def read_verdicts(directory: Path, all_staging: bool = False) -> tuple[list[Verdict], ImportReport]:
    """The previous system's reviewed rows, one verdict per model name; conflicts reported."""
    report = ImportReport()
    found: dict[str, list[Verdict]] = {}
    for kind, rel in FILES.items():
        path = directory / rel
        for line, row in _rows(path):
            name = (row.get("model") or "").strip()
            if not name:
                continue
            verified = (row.get("verified") or "").strip().lower() == "y"
            notes = row.get("notes") or ""
            if kind == "staging":
                reviewed = verified or bool(_MANUAL_REVIEW.search(notes))
                if not reviewed and not all_staging:
                    report.not_reviewed.append(name)
                    continue
                decision = "y"
            elif not verified:
                continue
            else:
                decision = "y" if kind == "above" else "n"
            found.setdefault(name, []).append(
                Verdict(
                    name=name,
                    developer=(row.get("developer") or "").strip(),
                    decision=decision,
                    reason=_reason(notes),
                    decided_at=_timestamp(row.get("last_updated", "")),
                    training_flop=_float(row.get("training_flop", "")),
                    classification=(row.get("threshold_classification") or "").strip() or None,
                    origin=f"{rel}:{line}",
                )
            )
    verdicts = []
    for name, items in found.items():
        decisions = {v.decision for v in items}
        if len(decisions) > 1:
            where = ", ".join(f"{v.decision} in {v.origin}" for v in items)
            report.conflicts.append(f"{name}: {where}")
            continue
        # the staging row records when the reviewer added it; a reason beats the default
        items.sort(key=lambda v: (v.reason == DEFAULT_REASON, not v.origin.startswith("staging")))
        verdicts.append(items[0])
    return verdicts, report


def map_names(paths: Paths, names: list[str]) -> dict[str, tuple[str | None, str]]:
    """name -> (model_id or None, how it was matched or why not)."""
    resolver = resolver_sql(
        "previous_names", "seeds.model_aliases", "seeds.source_model_aliases", "seeds.excluded_model_names"
    )
    con = connect(paths.db, read_only=True)
    try:
        con.execute(
            "create temp table previous_names as select 'previous_system' as source_name, raw_name, "
            "cast(null as varchar) as organization, raw_name as id_name from unnest(?::varchar[]) as t(raw_name)",
            [names],
        )
        rows = con.execute(
            f"""
            with known as (
                select raw_name, min(model_id) as model_id, count(distinct model_id) as n_ids
                from intermediate.int_model_names_normalized
                where not is_excluded
                group by raw_name
            ),
            aliased as (
                {resolver}
            )
            select
                aliased.raw_name,
                known.model_id as known_id,
                known.n_ids,
                aliased.model_id as normalized_id,
                tracked.model_id is not null as normalized_tracked,
                known_tracked.model_id is not null as known_tracked
            from aliased
            left join known on aliased.raw_name = known.raw_name
            left join intermediate.int_models_identified as tracked on aliased.model_id = tracked.model_id
            left join intermediate.int_models_identified as known_tracked on known.model_id = known_tracked.model_id
            """
        ).fetchall()
    finally:
        con.close()
    out: dict[str, tuple[str | None, str]] = {}
    for raw, known_id, n_ids, normalized_id, normalized_tracked, known_tracked in rows:
        if known_id and n_ids == 1 and known_tracked:
            out[raw] = (known_id, "name already known to the identity models")
        elif normalized_tracked:
            out[raw] = (normalized_id, "normalised name")
        else:
            out[raw] = (None, f"normalises to {normalized_id!r}, which is not a tracked model")
    return out


def mart_ids(paths: Paths) -> set[str]:
    con = connect(paths.db, read_only=True)
    try:
        return {r[0] for r in con.execute("select model_id from main.models").fetchall()}
    finally:
        con.close()


def import_previous(
    directory: Path, paths: Paths, decisions_file: Path, all_staging: bool = False, dry_run: bool = False
) -> ImportReport:
    """Append one decision per mapped verdict (reviewer previous_system); report what could not be."""
    verdicts, report = read_verdicts(directory, all_staging)
    read_decisions(decisions_file)  # a malformed seed stops the import before anything is written
    mapping = map_names(paths, [v.name for v in verdicts])
    in_mart = mart_ids(paths)
    by_id: dict[str, Verdict] = {}
    for verdict in verdicts:
        model_id, how = mapping.get(verdict.name, (None, "the name is empty"))
        if model_id is None:
            report.unmapped.append((verdict, how))
            continue
        if model_id in by_id and by_id[model_id].decision != verdict.decision:
            report.conflicts.append(
                f"{model_id}: {by_id[model_id].name} ({by_id[model_id].decision}) and "
                f"{verdict.name} ({verdict.decision}) map to the same model"
            )
            continue
        if model_id in by_id:
            continue  # two previous names for one model with the same verdict: one decision
        by_id[model_id] = verdict
    is_model = known_model(paths)
    for model_id, verdict in sorted(by_id.items()):
        if not is_model(model_id):  # checked right before writing: a decision never names no model
            report.not_a_model.append((verdict, model_id))
            continue
        decision = ReviewDecision(
            model_id=model_id,
            decision=verdict.decision,
            reason=verdict.reason,
            reviewer=REVIEWER,
            decided_at=verdict.decided_at or now_utc(),
            shown_training_flop=verdict.training_flop,
            shown_classification=verdict.classification,
        )
        if dry_run:
            existing = read_decisions(decisions_file).get(model_id)
            saved = existing is None
        else:
            outcome = append_decision(decision, decisions_file)
            saved, existing = outcome.saved, outcome.existing
        if saved:
            report.imported.append((verdict, model_id))
            if model_id not in in_mart:
                report.not_in_dataset.append(model_id)
        else:
            report.already_decided.append((verdict, existing))
    return report

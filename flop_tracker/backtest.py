"""Backtest: would the tracker have caught the >=1e25 models of a past period, and how early?

The tracker is rebuilt in a scratch copy of the database as it stood at a series of
checkpoints: the as-of date, then every `step_days`, then the end of the window (by
default the capture date of the Epoch file, the last day its figures describe). Each
rebuild sets dbt's `as_of` variable, so only evidence dated before the checkpoint counts
(macros/estimation/as_of.sql: leaderboard snapshots, releases, specs and Epoch figures
dated later are left out), and by default `exclude_epoch_values`, so no model is
estimated from its own Epoch figure. The models released inside the window
[as_of, until) are then scored against the Epoch file:

  recall      true >=1e25 models (Epoch's figure) flagged as candidates at any checkpoint
  precision   flagged models with an Epoch figure that are >=1e25 by Epoch
  error       median |log10(estimate / Epoch)|, for the first estimate the tracker made
              and for the estimate at the end of the window
  lead time   days from the tracker's flag date to Epoch's figure date (definitions below)

Flag date: the first checkpoint at which the model is a candidate bounds it from above.
Within the window before that checkpoint, the evidence that made it a candidate is its
first appearance (the earlier of its first leaderboard appearance, `first_seen_date`, and
its release date) when the model was unknown at the previous checkpoint, or its newest
evidence (`last_updated`) when it was known but not yet a candidate; never earlier than the
previous checkpoint (the tracker had not flagged it then) nor later than the day before the
flagging checkpoint.

Epoch figure date: the earliest date Epoch demonstrably had a figure for the model, i.e.
the earliest capture date of an Epoch export in the database holding a figure for it, or
that row's "Last modified" stamp when earlier. It is an upper bound: Epoch may have
published the figure before any export we hold, so lead times are upper bounds too; the
days after the model's publication date are given beside them.
"""

from __future__ import annotations

import json
import math
import shutil
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from flop_tracker.dbt_runner import run_dbt
from flop_tracker.validation import build_scratch, check_epoch_file, compare
from ingest.captures import sha256_of
from kernel.database import connect
from kernel.paths import Paths

THRESHOLD = 1e25


@dataclass(frozen=True)
class Snapshot:
    """One model in one checkpoint's rebuilt mart."""

    training_flop: float
    flop_low: float | None
    flop_high: float | None
    method: str | None
    classification: str | None
    flagged: bool
    release_date: date | None
    first_seen_date: date | None
    last_updated: date | None


@dataclass
class Checkpoint:
    as_of: date
    models: dict[str, Snapshot] = field(default_factory=dict)
    on_leaderboards: set[str] = field(default_factory=set)  # with a leaderboard score before as_of


@dataclass(frozen=True)
class Truth:
    """What the Epoch file says about a model, and when Epoch demonstrably had its figure."""

    epoch_name: str | None
    epoch_flop: float | None
    publication_date: date | None
    figure_date: date | None


@dataclass
class ModelResult:
    model_id: str
    truth: Truth | None
    release_date: date | None  # Epoch's publication date, else the tracker's release date
    first: Snapshot | None = None
    first_checkpoint: date | None = None
    final: Snapshot | None = None
    flag_checkpoint: date | None = None
    flag_date: date | None = None
    on_leaderboard: bool = False  # scored on a leaderboard before the end of the window

    @property
    def epoch_flop(self) -> float | None:
        return self.truth.epoch_flop if self.truth else None

    @property
    def true_above(self) -> bool:
        return self.epoch_flop is not None and self.epoch_flop >= THRESHOLD

    @property
    def flagged(self) -> bool:
        return self.flag_checkpoint is not None

    def log_error(self, snapshot: Snapshot | None) -> float | None:
        if snapshot is None or not self.epoch_flop or not snapshot.training_flop:
            return None
        return math.log10(snapshot.training_flop / self.epoch_flop)

    @property
    def lead_days(self) -> int | None:
        if self.flag_date is None or self.truth is None or self.truth.figure_date is None:
            return None
        return (self.truth.figure_date - self.flag_date).days

    @property
    def days_after_publication(self) -> int | None:
        if self.flag_date is None or self.truth is None or self.truth.publication_date is None:
            return None
        return (self.flag_date - self.truth.publication_date).days


@dataclass
class BacktestReport:
    as_of: date
    until: date
    epoch_file: str
    excluded_own_values: bool
    checkpoints: list[date]
    candidates_at_start: int
    models: list[ModelResult]

    @property
    def true_above(self) -> list[ModelResult]:
        return [m for m in self.models if m.true_above]

    @property
    def true_above_on_leaderboards(self) -> list[ModelResult]:
        return [m for m in self.true_above if m.on_leaderboard]

    @property
    def recall(self) -> float | None:
        return _share(self.true_above, lambda m: m.flagged)

    @property
    def recall_on_leaderboards(self) -> float | None:
        return _share(self.true_above_on_leaderboards, lambda m: m.flagged)

    @property
    def flagged_with_figure(self) -> list[ModelResult]:
        return [m for m in self.models if m.flagged and m.epoch_flop is not None]

    @property
    def flagged_without_figure(self) -> list[ModelResult]:
        return [m for m in self.models if m.flagged and m.epoch_flop is None]

    @property
    def precision(self) -> float | None:
        return _share(self.flagged_with_figure, lambda m: m.true_above)

    def _errors(self, which: str) -> list[float]:
        errors = [m.log_error(getattr(m, which)) for m in self.models]
        return [abs(e) for e in errors if e is not None]

    @property
    def median_abs_log_error_first(self) -> float | None:
        errors = self._errors("first")
        return statistics.median(errors) if errors else None

    @property
    def median_abs_log_error_final(self) -> float | None:
        errors = self._errors("final")
        return statistics.median(errors) if errors else None

    @property
    def compared_first(self) -> int:
        return len(self._errors("first"))

    @property
    def compared_final(self) -> int:
        return len(self._errors("final"))

    @property
    def lead_days(self) -> list[int]:
        return [m.lead_days for m in self.true_above if m.lead_days is not None]

    @property
    def median_lead_days(self) -> float | None:
        return statistics.median(self.lead_days) if self.lead_days else None


def _share(items: list, predicate: Callable) -> float | None:
    return sum(1 for i in items if predicate(i)) / len(items) if items else None


# ----------------------------------------------------------------------------- scoring (pure)


def checkpoint_dates(as_of: date, until: date, step_days: int) -> list[date]:
    """as_of, as_of + step, ... (each before until), then until itself."""
    if until <= as_of:
        raise ValueError(f"the window is empty: --until {until} is not after --as-of {as_of}")
    if step_days < 1:
        raise ValueError("--step-days must be 1 or more")
    dates, current = [], as_of
    while current < until:
        dates.append(current)
        current += timedelta(days=step_days)
    return [*dates, until]


def flag_date(checkpoints: list[Checkpoint], k: int, model_id: str) -> date:
    """When the evidence that made the model a candidate at checkpoint k arrived (module docstring)."""
    current = checkpoints[k].models[model_id]
    previous = checkpoints[k - 1] if k else None
    latest = checkpoints[k].as_of - timedelta(days=1)
    if previous is None or model_id not in previous.models:
        known = [d for d in (current.first_seen_date, current.release_date) if d is not None]
        evidence = min(known) if known else latest
    else:
        evidence = current.last_updated or latest
    if previous is not None:
        evidence = max(evidence, previous.as_of)
    return min(evidence, latest)


def score(
    checkpoints: list[Checkpoint],
    truth: dict[str, Truth],
    epoch_file: str = "",
    excluded_own_values: bool = True,
) -> BacktestReport:
    """Follow every model through the checkpoints; keep those released inside the window."""
    as_of, until = checkpoints[0].as_of, checkpoints[-1].as_of
    final = checkpoints[-1].models
    ids = set(truth) | {m for cp in checkpoints for m in cp.models}
    results = []
    for model_id in sorted(ids):
        t = truth.get(model_id)
        latest = next((cp.models[model_id] for cp in reversed(checkpoints) if model_id in cp.models), None)
        tracker_release = latest.release_date if latest else None
        released = (t.publication_date if t else None) or tracker_release
        if released is None or not (as_of <= released < until):
            continue
        result = ModelResult(
            model_id, t, released, final=final.get(model_id), on_leaderboard=model_id in checkpoints[-1].on_leaderboards
        )
        for k, cp in enumerate(checkpoints):
            snap = cp.models.get(model_id)
            if snap is None:
                continue
            if result.first is None:
                result.first, result.first_checkpoint = snap, cp.as_of
            if snap.flagged:
                result.flag_checkpoint = cp.as_of
                result.flag_date = flag_date(checkpoints, k, model_id)
                break
        if result.epoch_flop is None and not result.flagged:
            continue  # neither a reference figure nor a flag: nothing to score
        results.append(result)
    results.sort(key=lambda m: (-(m.epoch_flop or 0), -(m.final.training_flop if m.final else 0), m.model_id))
    return BacktestReport(
        as_of=as_of,
        until=until,
        epoch_file=epoch_file,
        excluded_own_values=excluded_own_values,
        checkpoints=[cp.as_of for cp in checkpoints],
        candidates_at_start=sum(s.flagged for s in checkpoints[0].models.values()),
        models=results,
    )


# ----------------------------------------------------------------------------- rebuilding

DATES_SQL = "select model_id, release_date, first_seen_date, last_updated from main.models"
TRUTH_SQL = """
with names as (
    select distinct model_id, raw_name
    from intermediate.int_model_names_normalized
    where source_name = 'epoch' and not is_excluded
),
this_file as (
    select names.model_id, min(epoch.publication_date) as publication_date
    from staging.stg_epoch__models as epoch
    join names on names.raw_name = epoch.model_name
    where epoch.capture_sha256 = ?
    group by names.model_id
),
figure_dates as (
    select
        names.model_id,
        min(least(
            cast(epoch.captured_at as date),
            coalesce(cast(try_cast(epoch.last_modified as timestamptz) as date), cast(epoch.captured_at as date))
        )) as figure_date
    from staging.stg_epoch__models as epoch
    join names on names.raw_name = epoch.model_name
    where epoch.training_compute_flop is not null
    group by names.model_id
)
select this_file.model_id, this_file.publication_date, figure_dates.figure_date
from this_file
left join figure_dates on this_file.model_id = figure_dates.model_id
"""


def read_checkpoint(db: Path, epoch_file: Path, exclude_epoch_values: bool, as_of: date) -> tuple[Checkpoint, list]:
    """The rebuilt mart at one checkpoint (via validation.compare) with each model's evidence dates."""
    rows = compare(db, epoch_file, exclude_epoch_values).rows
    con = connect(db, read_only=True)
    try:
        dates = {r[0]: r[1:] for r in con.execute(DATES_SQL).fetchall()}
    finally:
        con.close()
    checkpoint = Checkpoint(as_of)
    for r in rows:
        if r.training_flop is None or r.model_id not in dates:
            continue
        release, first_seen, updated = dates[r.model_id]
        checkpoint.models[r.model_id] = Snapshot(
            r.training_flop,
            r.flop_low,
            r.flop_high,
            r.method,
            r.classification,
            bool(r.flagged),
            release,
            first_seen,
            updated,
        )
    checkpoint.on_leaderboards = {r.model_id for r in rows if r.on_leaderboard}
    return checkpoint, rows


def read_truth(db: Path, epoch_file: Path, rows: list) -> dict[str, Truth]:
    sha = sha256_of(epoch_file.read_bytes())
    con = connect(db, read_only=True)
    try:
        meta = {r[0]: (r[1], r[2]) for r in con.execute(TRUTH_SQL, [sha]).fetchall()}
    finally:
        con.close()
    truth = {}
    for r in rows:
        if r.epoch_name is None and r.model_id not in meta:
            continue
        published, figure_date = meta.get(r.model_id, (None, None))
        truth[r.model_id] = Truth(r.epoch_name, r.epoch_flop, published, figure_date if r.epoch_flop else None)
    return truth


def epoch_capture_date(db: Path, epoch_file: Path) -> date:
    con = connect(db, read_only=True)
    try:
        (captured,) = con.execute(
            "select max(captured_at) from staging.stg_epoch__models where capture_sha256 = ?",
            [sha256_of(epoch_file.read_bytes())],
        ).fetchone()
    finally:
        con.close()
    if captured is None:
        raise ValueError(f"{epoch_file.name}: no rows of this file reached staging")
    return captured.date() if isinstance(captured, datetime) else captured


def backtest(
    paths: Paths,
    epoch_file: Path,
    as_of: date,
    until: date | None = None,
    step_days: int = 30,
    exclude_epoch_values: bool = True,
    progress: Callable[[int, int, date], None] | None = None,
) -> BacktestReport:
    """Rebuild at each checkpoint in one scratch copy, read each, score the window."""
    check_epoch_file(epoch_file)
    if until is not None:
        checkpoint_dates(as_of, until, step_days)  # fail on an empty window before any rebuild
    scratch = None
    try:
        if progress:
            progress(1, 0, as_of)
        scratch = build_scratch(paths, epoch_file, exclude_epoch_values, extra_vars={"as_of": as_of.isoformat()})
        scratch_paths = Paths(scratch, db_override=scratch / "tracker.duckdb")  # never the user's $FLOP_TRACKER_DB
        until = until or epoch_capture_date(scratch_paths.db, epoch_file)
        dates = checkpoint_dates(as_of, until, step_days)
        checkpoints = []
        rows: list = []
        for k, checkpoint_date in enumerate(dates):
            if k:
                if progress:
                    progress(k + 1, len(dates), checkpoint_date)
                variables = {"exclude_epoch_values": exclude_epoch_values, "as_of": checkpoint_date.isoformat()}
                outcome = run_dbt(
                    [
                        "build",
                        "--vars",
                        json.dumps(variables),
                        "--exclude",
                        "resource_type:test",
                        "resource_type:unit_test",
                    ],
                    scratch_paths,
                )
                if not outcome.success:
                    raise RuntimeError(
                        f"rebuild as of {checkpoint_date} failed: " + "; ".join(outcome.failures or [outcome.error])
                    )
            checkpoint, rows = read_checkpoint(scratch_paths.db, epoch_file, exclude_epoch_values, checkpoint_date)
            checkpoints.append(checkpoint)
        truth = read_truth(scratch_paths.db, epoch_file, rows)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    return score(checkpoints, truth, str(epoch_file), exclude_epoch_values)


# ----------------------------------------------------------------------------- the report


def _sci(x: float | None) -> str:
    return "-" if x is None else f"{x:.2e}"


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def _md(text: object) -> str:
    from kernel.text import clean_terminal

    return clean_terminal("" if text is None else text).replace("|", "\\|")


def summary_lines(report: BacktestReport) -> list[str]:
    """The figures, one per line: printed by the command and written at the top of the report."""
    above, above_lb = report.true_above, report.true_above_on_leaderboards
    flagged = report.flagged_with_figure
    first, final = report.median_abs_log_error_first, report.median_abs_log_error_final
    lead = report.median_lead_days
    return [
        f"window: models released from {report.as_of} to {report.until - timedelta(days=1)} "
        f"({len(report.checkpoints)} rebuilds: {', '.join(d.isoformat() for d in report.checkpoints)})",
        f"candidates already flagged at {report.as_of}: {report.candidates_at_start}",
        f"recall {_pct(report.recall)}: {sum(m.flagged for m in above)} of {len(above)} Epoch >=1e25 models "
        "released in the window were flagged",
        f"recall on leaderboards {_pct(report.recall_on_leaderboards)}: {sum(m.flagged for m in above_lb)} of "
        f"{len(above_lb)} of them that were on a leaderboard before {report.until}",
        f"precision {_pct(report.precision)}: {sum(m.true_above for m in flagged)} of {len(flagged)} flagged models "
        "with an Epoch figure are >=1e25 by Epoch",
        f"flagged without an Epoch figure (not scored): {len(report.flagged_without_figure)}",
        f"median |log10(estimate/Epoch)|: {_pct(first)} for the first estimate ({report.compared_first} models), "
        f"{_pct(final)} at {report.until} ({report.compared_final} models)",
        "lead time before Epoch's figure (upper bound): "
        + (
            f"median {lead:g} days over {len(report.lead_days)} flagged >=1e25 models"
            if lead is not None
            else "no flagged >=1e25 model"
        ),
    ]


def markdown(report: BacktestReport, command: str = "") -> str:
    own = (
        "own Epoch values excluded (no model is estimated from its own Epoch figure)"
        if report.excluded_own_values
        else "own Epoch values used (a model's Epoch figure counts once its publication date has passed)"
    )
    lines = [
        f"# Backtest as of {report.as_of}",
        "",
        f"Epoch reference: `{Path(report.epoch_file).name}`; {own}.",
    ]
    if command:
        lines += ["", "Produced by:", "", "```", command, "```"]
    lines += ["", "## Figures", ""] + [f"- {line}" for line in summary_lines(report)]
    lines += [
        "",
        "## Definitions",
        "",
        f"- Each rebuild sets dbt's `as_of` to its checkpoint: only evidence dated before it counts "
        "(leaderboard snapshots, releases, specs and Epoch figures dated later are left out). Models in the window: "
        f"Epoch's publication date (else the tracker's release date) on or after {report.as_of} and before "
        f"{report.until}.",
        "- Flagged: in the candidates file (classified high-confidence above, likely above or uncertain) at some "
        "checkpoint.",
        "- Flag date: the first checkpoint that flags the model bounds it from above; before it, the evidence that "
        "made the model a candidate is its first appearance (the earlier of its first leaderboard appearance and its "
        "release date) when it was unknown at the previous checkpoint, or its newest evidence when it was known but "
        "not yet a candidate; never earlier than the previous checkpoint.",
        "- Epoch figure date: the earliest capture date of an Epoch export in the database holding a figure for the "
        "model, or that row's Last modified stamp when earlier. It is an upper bound (Epoch may have published the "
        "figure earlier than any export we hold), so lead times are upper bounds; the days between the model's "
        "publication and the flag are given beside them.",
        "- Recall counts Epoch's >=1e25 models released in the window; precision counts flagged window models that "
        "have an Epoch figure. First estimate: the tracker's estimate at the first checkpoint that knew the model.",
        "",
        "## Caveats",
        "",
        "- Curated seeds (`seeds/curated/known_model_specs.csv`) were written later than the window; a seed model "
        "counts from its release date with the specs it lists, as if its announcement had been read that day.",
        "- Other models' Epoch figures count from their publication date, although Epoch may have published them "
        "later; only a model's own figure is excluded (unless `--use-epoch-values`).",
        "- A model the tracker cannot date (no release date, no leaderboard appearance) is flagged, at the latest, "
        "the day before the checkpoint that flags it; that day is its flag date.",
        "",
        "## Models released in the window",
        "",
        "Every model with an Epoch figure or a flag; Epoch's >=1e25 models first.",
        "",
        "| model | Epoch FLOP | published | first estimate (as of) | class then | flagged as of | flag date "
        "| days after publication | Epoch figure by | lead (days) | estimate at end | log10 error (first) |",
        "|---|---:|---|---|---|---|---|---:|---|---:|---:|---:|",
    ]
    for m in report.models:
        first = f"{_sci(m.first.training_flop)} ({m.first_checkpoint})" if m.first else "not known"
        err = m.log_error(m.first)
        lines.append(
            "| "
            + " | ".join(
                [
                    _md(m.truth.epoch_name if m.truth and m.truth.epoch_name else m.model_id)
                    + (" **>=1e25**" if m.true_above else ""),
                    _sci(m.epoch_flop),
                    str(m.truth.publication_date) if m.truth and m.truth.publication_date else "-",
                    first,
                    _md(m.first.classification) if m.first else "-",
                    str(m.flag_checkpoint) if m.flag_checkpoint else "never",
                    str(m.flag_date) if m.flag_date else "-",
                    "-" if m.days_after_publication is None else str(m.days_after_publication),
                    str(m.truth.figure_date) if m.truth and m.truth.figure_date else "-",
                    "-" if m.lead_days is None else str(m.lead_days),
                    _sci(m.final.training_flop) if m.final else "-",
                    "-" if err is None else f"{err:+.2f}",
                ]
            )
            + " |"
        )
    return "\n".join(lines) + "\n"

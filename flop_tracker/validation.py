"""Score the tracker against an Epoch export: recall, precision, log error, worst misses.

Validation never touches the user's dataset: it copies the database to a scratch
folder, loads the given Epoch file there, rebuilds with `exclude_epoch_values` when
asked (so the estimator is measured without any model's own Epoch figure), and
compares. The comparison itself is one SQL query over the rebuilt marts.
"""

from __future__ import annotations

import json
import math
import shutil
import statistics
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from flop_tracker.dbt_runner import run_dbt
from ingest import registry
from ingest.base import CaptureMeta
from ingest.captures import sha256_of
from ingest.epoch import EpochSource
from ingest.runner import Ingestor
from kernel.database import connect
from kernel.paths import Paths

THRESHOLD = 1e25

COMPARISON_SQL = """
with truth as (
    select names.model_id, max(epoch.training_compute_flop) as epoch_flop, min(epoch.model_name) as epoch_name
    from staging.stg_epoch__models as epoch
    join intermediate.int_model_names_normalized as names
        on names.source_name = 'epoch' and names.raw_name = epoch.model_name and not names.is_excluded
    where epoch.capture_sha256 = ? and epoch.training_compute_flop is not null
    group by names.model_id
),
on_leaderboards as (
    select distinct model_id from intermediate.int_benchmark_scores_unioned
)
select
    coalesce(models.model_id, truth.model_id) as model_id,
    truth.epoch_name,
    truth.epoch_flop,
    models.training_flop,
    models.flop_low,
    models.flop_high,
    models.estimation_method,
    models.threshold_classification,
    models.dataset_file = 'candidates' as flagged,
    coalesce(models.model_id, truth.model_id) in (select model_id from on_leaderboards) as on_leaderboard
from main.models as models
full outer join truth on models.model_id = truth.model_id
"""

# How well each reading of Epoch's interval holds: for models whose compute is also known from
# the developer's own disclosure (stated compute, 6ND from disclosed size and tokens, hardware
# or cost), whether that figure lies inside Epoch's 90% interval, per reading (the interval the
# notes state, or the confidence word's factor).
EPOCH_READINGS_SQL = """
with direct as (
    select model_id, training_flop
    from intermediate.int_estimates_ranked
    where method in ('developer_disclosed', 'operation_counting', 'hardware', 'training_cost')
    qualify row_number() over (partition by model_id order by method_priority, method) = 1
),
read as (
    select
        case when epoch.interval_reading = 'stated_ci' then 'stated 90% CI'
            else epoch.epoch_confidence || ' (x' || cast(epoch.interval_factor as integer) || ')' end as reading,
        epoch.interval_reading = 'stated_ci' as stated,
        epoch.interval_factor,
        epoch.flop_low,
        epoch.flop_high,
        direct.model_id is not null as has_direct,
        direct.training_flop
    from intermediate.int_epoch_compute_latest as epoch
    left join direct on epoch.model_id = direct.model_id
)
select
    reading,
    count(*) filter (where has_direct) as compared,
    count(*) filter (where training_flop between flop_low and flop_high) as inside,
    median(log10(flop_high / flop_low)) filter (where has_direct) as width_dex,
    count(*) as figures
from read
group by reading, stated
order by stated desc, min(interval_factor), reading
"""


@dataclass(frozen=True)
class EpochReading:
    """One way of reading Epoch's interval, checked against the developer's own figures."""

    reading: str
    compared: int
    inside: int
    median_width_dex: float | None
    figures: int  # Epoch figures read this way, compared or not


@dataclass
class Row:
    model_id: str
    epoch_name: str | None
    epoch_flop: float | None
    training_flop: float | None
    flop_low: float | None
    flop_high: float | None
    method: str | None
    classification: str | None
    flagged: bool
    on_leaderboard: bool

    @property
    def log_error(self) -> float | None:
        if self.epoch_flop and self.training_flop:
            return math.log10(self.training_flop / self.epoch_flop)
        return None

    @property
    def has_interval(self) -> bool:
        return bool(self.epoch_flop and self.flop_low and self.flop_high)

    @property
    def inside(self) -> bool:
        """Whether Epoch's figure lies in the estimate's 90% interval (ends included)."""
        return self.has_interval and self.flop_low <= self.epoch_flop <= self.flop_high

    @property
    def width_dex(self) -> float | None:
        return math.log10(self.flop_high / self.flop_low) if self.has_interval else None


@dataclass(frozen=True)
class Coverage:
    """How many Epoch figures fall inside the 90% intervals, and how wide those intervals are."""

    inside: int
    total: int
    median_width_dex: float | None

    @property
    def share(self) -> float | None:
        return self.inside / self.total if self.total else None

    @classmethod
    def of(cls, rows: list[Row]) -> Coverage:
        rows = [r for r in rows if r.has_interval]
        widths = [r.width_dex for r in rows]
        return cls(sum(r.inside for r in rows), len(rows), statistics.median(widths) if widths else None)


@dataclass
class ValidationReport:
    """The figures `validate` prints; tests and the backtest read them too."""

    epoch_file: str
    excluded_own_values: bool
    rows: list[Row] = field(default_factory=list)
    epoch_readings: list[EpochReading] = field(default_factory=list)

    @property
    def true_above_on_leaderboards(self) -> list[Row]:
        return [r for r in self.rows if r.epoch_flop and r.epoch_flop >= THRESHOLD and r.on_leaderboard]

    @property
    def recalled(self) -> list[Row]:
        return [r for r in self.true_above_on_leaderboards if r.flagged]

    @property
    def recall(self) -> float | None:
        total = self.true_above_on_leaderboards
        return len(self.recalled) / len(total) if total else None

    @property
    def flagged_with_figure(self) -> list[Row]:
        return [r for r in self.rows if r.flagged and r.epoch_flop]

    @property
    def precision(self) -> float | None:
        flagged = self.flagged_with_figure
        if not flagged:
            return None
        return sum(r.epoch_flop >= THRESHOLD for r in flagged) / len(flagged)

    @property
    def compared(self) -> list[Row]:
        return [r for r in self.rows if r.log_error is not None]

    @property
    def median_abs_log_error(self) -> float | None:
        errors = [abs(r.log_error) for r in self.compared]
        return statistics.median(errors) if errors else None

    @property
    def missed(self) -> list[Row]:
        return [r for r in self.true_above_on_leaderboards if not r.flagged]

    @property
    def false_flags(self) -> list[Row]:
        return sorted((r for r in self.flagged_with_figure if r.epoch_flop < THRESHOLD), key=lambda r: r.epoch_flop)

    @property
    def worst_errors(self) -> list[Row]:
        return sorted(self.compared, key=lambda r: -abs(r.log_error))

    @property
    def coverage(self) -> Coverage:
        """Epoch figures inside the primary estimate's 90% interval, over every compared model."""
        return Coverage.of(self.compared)

    @property
    def coverage_by_method(self) -> dict[str, Coverage]:
        methods = sorted({r.method for r in self.compared if r.method})
        return {m: Coverage.of([r for r in self.compared if r.method == m]) for m in methods}

    @property
    def candidates(self) -> list[Row]:
        return [r for r in self.rows if r.flagged]

    @property
    def uncertain(self) -> list[Row]:
        return [r for r in self.candidates if r.classification == "uncertain"]

    @property
    def uncertain_share(self) -> float | None:
        return len(self.uncertain) / len(self.candidates) if self.candidates else None


def check_epoch_file(epoch_file: Path) -> None:
    """Parse the Epoch file before any rebuild, so a bad file fails at once with the parser's message."""
    meta = CaptureMeta(origin=str(epoch_file), captured_at=datetime.now(), filename=epoch_file.name)
    EpochSource().parse(epoch_file.read_bytes(), meta)


def build_scratch(paths: Paths, epoch_file: Path, exclude_epoch_values: bool, extra_vars: dict | None = None) -> Path:
    """Copy the database to a scratch folder, load the Epoch file there, rebuild; return the folder."""
    if not paths.db.exists():
        raise FileNotFoundError(f"{paths.db}: no database yet; run `flop-tracker run` first")
    scratch = Path(tempfile.mkdtemp(prefix="flop-tracker-validate-"))
    shutil.copy2(paths.db, scratch / "tracker.duckdb")
    scratch_paths = Paths(scratch, db_override=scratch / "tracker.duckdb")  # never the user's $FLOP_TRACKER_DB
    with Ingestor(scratch_paths, list(registry.SOURCES.values())) as ingestor:
        result = ingestor.ingest_file(registry.get("epoch"), epoch_file)
    if result.status not in {"ok", "degraded", "unchanged"}:
        raise ValueError(result.line)
    variables = {"exclude_epoch_values": exclude_epoch_values, **(extra_vars or {})}
    outcome = run_dbt(
        ["build", "--vars", json.dumps(variables), "--exclude", "resource_type:test", "resource_type:unit_test"],
        scratch_paths,
    )
    if not outcome.success:
        raise RuntimeError("scratch build failed: " + "; ".join(outcome.failures or [outcome.error]))
    return scratch


def compare(db: Path, epoch_file: Path, exclude_epoch_values: bool) -> ValidationReport:
    """Rows of the rebuilt mart joined with the Epoch file's figures."""
    sha = sha256_of(epoch_file.read_bytes())
    con: duckdb.DuckDBPyConnection = connect(db, read_only=True)
    try:
        fetched = con.execute(COMPARISON_SQL, [sha]).fetchall()
        readings = con.execute(EPOCH_READINGS_SQL).fetchall()
    finally:
        con.close()
    report = ValidationReport(str(epoch_file), exclude_epoch_values)
    report.rows = [Row(*r) for r in fetched]
    report.epoch_readings = [EpochReading(*r) for r in readings]
    return report


def validate(paths: Paths, epoch_file: Path, exclude_epoch_values: bool) -> ValidationReport:
    check_epoch_file(epoch_file)
    scratch = build_scratch(paths, epoch_file, exclude_epoch_values)
    try:
        return compare(scratch / "tracker.duckdb", epoch_file, exclude_epoch_values)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

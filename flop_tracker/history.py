"""Every complete build kept as history: dbt's snapshot of the mart, and the list of builds.

After a complete build has written its files, `record_build` runs `dbt snapshot`
(snapshots/models_history.sql: check strategy, so a model gets a new version only when its
estimate, interval, p(>1e25), classification, method, file, decision or status changed) and
appends one row to `history.builds`. dbt keeps versions, not builds: a build that changed
nothing adds no version, so the build list is ours. Each build row carries `snapshot_at`, the
newest time dbt wrote in the snapshot when that build was recorded; the mart as that build
left it is every version valid at that moment (`valid_from <= snapshot_at < valid_to`), which
needs no clock of ours to agree with dbt's.

When the planner found nothing to build and the last recorded build read the same inputs,
dbt is not run (the mart cannot have changed); the build is still listed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from kernel.database import connect
from kernel.paths import Paths

SNAPSHOT = "history.models_history"
BUILDS = "history.builds"


@dataclass(frozen=True)
class Build:
    """One complete build as the history knows it."""

    build_id: int
    built_at: datetime  # UTC, when the build was recorded
    snapshot_at: datetime | None  # dbt's newest write in the snapshot then (None: no version yet)
    models: int
    new_versions: int


@dataclass
class Recorded:
    """What recording a build did: the build row, and dbt's outcome when dbt ran."""

    build: Build | None = None
    ran_dbt: bool = False
    error: str = ""


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchone()[0]
    )


def _ensure_builds(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists history")
    con.execute(
        f"create table if not exists {BUILDS} ("
        "build_id integer primary key, built_at timestamp not null, snapshot_at timestamp, "
        "models integer not null, new_versions integer not null, inputs varchar not null)"
    )


def _snapshot_state(con: duckdb.DuckDBPyConnection) -> tuple[int, datetime | None]:
    """(versions stored, dbt's newest write: a version opened or closed)."""
    if not _has_table(con, "history", "models_history"):
        return 0, None
    return con.execute(f"select count(*), greatest(max(dbt_valid_from), max(dbt_valid_to)) from {SNAPSHOT}").fetchone()


def inputs_key(inputs: object) -> str:
    """A short fingerprint of what a build read (build_state.BuildInputs), to know a repeat."""
    dump = inputs.model_dump_json() if hasattr(inputs, "model_dump_json") else str(inputs)
    return hashlib.sha256(dump.encode()).hexdigest()[:32]


def builds(con: duckdb.DuckDBPyConnection) -> list[Build]:
    """Every recorded build, oldest first."""
    if not _has_table(con, "history", "builds"):
        return []
    rows = con.execute(
        f"select build_id, built_at, snapshot_at, models, new_versions from {BUILDS} order by build_id"
    ).fetchall()
    return [Build(*row) for row in rows]


def record_build(paths: Paths, inputs: object, skip_if_unchanged: bool) -> Recorded:
    """Snapshot the mart (unless nothing can have changed) and list the build.

    `skip_if_unchanged`: the planner ran nothing; dbt is skipped when the newest listed build
    read the same inputs (so its snapshot already holds this mart).
    """
    from flop_tracker.dbt_runner import run_dbt

    key = inputs_key(inputs)
    con = connect(paths.db, read_only=True)
    try:
        before, _ = _snapshot_state(con)
        last = (
            con.execute(f"select inputs from {BUILDS} order by build_id desc limit 1").fetchone()
            if _has_table(con, "history", "builds")
            else None
        )
    finally:
        con.close()
    recorded = Recorded()
    if not (skip_if_unchanged and last is not None and last[0] == key):
        outcome = run_dbt(["snapshot"], paths, planned=True)
        recorded.ran_dbt = True
        if not outcome.success:
            recorded.error = "; ".join(outcome.failures) or outcome.error or "dbt snapshot failed"
            return recorded
    con = connect(paths.db)
    try:
        after, snapshot_at = _snapshot_state(con)
        models = con.execute("select count(*) from main.models").fetchone()[0]
        _ensure_builds(con)
        con.execute("begin transaction")
        try:
            build_id = con.execute(f"select coalesce(max(build_id), 0) + 1 from {BUILDS}").fetchone()[0]
            now = datetime.now(UTC).replace(tzinfo=None)
            con.execute(
                f"insert into {BUILDS} values (?, ?, ?, ?, ?, ?)",
                [build_id, now, snapshot_at, models, after - before, key],
            )
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    finally:
        con.close()
    recorded.build = Build(build_id, now, snapshot_at, models, after - before)
    return recorded


def versions(con: duckdb.DuckDBPyConnection, model_id: str) -> list[dict]:
    """Every recorded version of one model's estimate, oldest first (empty before any snapshot)."""
    if not _has_table(con, "history", "models_history"):
        return []
    cursor = con.execute(
        f"select * from {SNAPSHOT} where model_id = ? order by dbt_valid_from",
        [model_id],
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def state_at(con: duckdb.DuckDBPyConnection, build: Build) -> dict[str, dict]:
    """The mart as `build` left it, by model_id (the snapshot's versions valid at its moment)."""
    if build.snapshot_at is None or not _has_table(con, "history", "models_history"):
        return {}
    cursor = con.execute(
        f"select * from {SNAPSHOT} where dbt_valid_from <= ? and (dbt_valid_to is null or dbt_valid_to > ?)",
        [build.snapshot_at, build.snapshot_at],
    )
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return {row["model_id"]: row for row in rows}

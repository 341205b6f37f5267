"""Load validated records into DuckDB's `raw` schema, one capture per transaction.

Tables are derived from the pydantic record classes, so a record field is a raw
column by construction. Every raw row carries the run and the capture that
produced it, which is what lets staging pick snapshots and backtests filter by
date.
"""

from __future__ import annotations

import types
import typing
from datetime import UTC, date, datetime

import duckdb
import pyarrow as pa

from ingest.base import IngestError, Parsed, Record, Source, data_date_of
from ingest.captures import StoredCapture

RUNS_DDL = """
create table if not exists raw.ingest_runs (
    run_id bigint primary key,
    source varchar not null,
    origin varchar not null,
    capture_path varchar,
    sha256 varchar,
    captured_at timestamp,
    started_at timestamp not null,
    finished_at timestamp not null,
    rows bigint not null,
    status varchar not null,
    error varchar
)
"""
# Columns added to raw.ingest_runs after its first release (a database made earlier gains them).
RUNS_ADDED = {
    "data_date": "date",  # the date the capture's data describes (ingest.base.data_date_of)
    "data_date_basis": "varchar",  # where that date was read: content, file name, last-modified, ...
    "missing_columns": "varchar",  # a degraded run's missing expected columns, ' | '-separated
}
# ok: loaded in full; degraded: loaded without some expected columns (named in missing_columns);
# unchanged: fetched again, same bytes as a capture already loaded; failed, unreachable: nothing loaded.
LOADED = ("ok", "degraded")
META_COLUMNS = {
    "ingest_run_id": ("bigint", pa.int64()),
    "capture_sha256": ("varchar", pa.string()),
    "captured_at": ("timestamp", pa.timestamp("us")),
    "data_date": ("date", pa.date32()),
}
_TYPES: dict[type, tuple[str, pa.DataType]] = {
    str: ("varchar", pa.string()),
    int: ("bigint", pa.int64()),
    float: ("double", pa.float64()),
    bool: ("boolean", pa.bool_()),
    date: ("date", pa.date32()),
    datetime: ("timestamp", pa.timestamp("us")),
}


def _column_type(annotation: object) -> tuple[str, pa.DataType]:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType) and len(args) == 1:
        annotation = args[0]
    if annotation in _TYPES:
        return _TYPES[annotation]
    raise TypeError(f"unsupported record field type {annotation!r}")


def table_columns(record: type[Record]) -> dict[str, tuple[str, pa.DataType]]:
    """Raw columns of a record class: its fields, then the capture metadata."""
    cols = {name: _column_type(f.annotation) for name, f in record.model_fields.items()}
    cols.update(META_COLUMNS)
    return cols


def ensure_tables(con: duckdb.DuckDBPyConnection, sources: list[Source]) -> None:
    """Create `raw` tables (and add columns a newer record class has) for these sources."""
    con.execute("create schema if not exists raw")
    con.execute(RUNS_DDL)
    if _add_columns(con, "ingest_runs", RUNS_ADDED):
        # Runs loaded before data dates existed dated their rows by the capture: say so.
        con.execute(
            "update raw.ingest_runs set data_date = cast(captured_at as date), data_date_basis = 'capture' "
            "where status = 'ok' and data_date is null"
        )
    for source in sources:
        for table, record in source.tables.items():
            cols = table_columns(record)
            ddl = ", ".join(f'"{c}" {t}' for c, (t, _) in cols.items())
            con.execute(f"create table if not exists raw.{table} ({ddl})")
            if "data_date" in _add_columns(con, table, {c: t for c, (t, _) in cols.items()}):
                # rows loaded before data dates existed: their parsers dated them by the capture
                con.execute(f"update raw.{table} set data_date = cast(captured_at as date)")


def _add_columns(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, str]) -> list[str]:
    """Add the columns a raw table made by an older version lacks (their old rows read null); return them."""
    have = {
        r[0]
        for r in con.execute(
            "select column_name from information_schema.columns where table_schema = 'raw' and table_name = ?",
            [table],
        ).fetchall()
    }
    added = [c for c in columns if c not in have]
    for c in added:
        con.execute(f'alter table raw.{table} add column "{c}" {columns[c]}')
    return added


RUN_COLUMNS = (
    "run_id, source, origin, capture_path, sha256, captured_at, started_at, finished_at, rows, status, error, "
    + ", ".join(RUNS_ADDED)
)


def _next_run_id(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("select coalesce(max(run_id), 0) + 1 from raw.ingest_runs").fetchone()[0]


def already_loaded(con: duckdb.DuckDBPyConnection, source: str, sha256: str) -> bool:
    row = con.execute(
        "select count(*) from raw.ingest_runs where source = ? and sha256 = ? and status in ?",
        [source, sha256, list(LOADED)],
    ).fetchone()
    return bool(row[0])


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def to_arrow(source: Source, parsed: Parsed) -> dict[str, pa.Table]:
    """Each raw table's records as an Arrow table with the record class's columns and types.

    Arrow reads the records' own attribute dicts in C++ (no Python loop per cell). The result
    pickles cheaply, which is what lets a worker process parse while the writer loads.
    """
    tables = {}
    for table, rows in parsed.tables.items():
        if not rows:
            continue
        record = source.tables[table]
        types = table_columns(record)
        schema = pa.schema([(name, types[name][1]) for name in record.model_fields])
        tables[table] = pa.Table.from_pylist([r.__dict__ for r in rows], schema=schema)
    return tables


def load(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    capture: StoredCapture,
    parsed: Parsed | dict[str, pa.Table],
    started_at: datetime,
    missing: list[str] | None = None,
    data_date: tuple[date | None, str] | None = None,
) -> int:
    """Insert every table of `parsed` (records, or their Arrow tables) and its run row atomically.

    The run is `degraded` when the capture lacked expected columns (`missing`, or the Parsed's own),
    else `ok`. Every row and the run carry the capture's data date (`data_date`: the date and where
    it was read; by default the Parsed's, else data_date_of the capture). Returns rows loaded.
    Raises if anything fails; the transaction is rolled back so no partial rows remain.
    """
    if isinstance(parsed, Parsed):
        missing = missing if missing is not None else parsed.missing
        if data_date is None and parsed.data_date is not None:
            data_date = (parsed.data_date, parsed.data_date_basis or "content")
        tables = to_arrow(source, parsed)
    else:
        tables = parsed
    day, basis = data_date or data_date_of(capture.meta)
    missing = list(missing or [])
    status, note = ("degraded", f"loaded without expected column(s): {', '.join(missing)}") if missing else ("ok", None)
    row_count = sum(t.num_rows for t in tables.values())
    con.execute("begin transaction")
    try:
        run_id = _next_run_id(con)
        captured_at = capture.meta.captured_at.replace(tzinfo=None)
        for table, incoming in tables.items():
            # the capture columns are constants of the insert, not columns built in Python
            names = ", ".join(f'"{c}"' for c in incoming.column_names)
            con.register("incoming_rows", incoming)
            try:
                con.execute(
                    f"insert into raw.{table} ({names}, ingest_run_id, capture_sha256, captured_at, data_date) "
                    f"select {names}, ?, ?, ?, ? from incoming_rows",
                    [run_id, capture.sha256, captured_at, day],
                )
            finally:
                con.unregister("incoming_rows")
        con.execute(
            f"insert into raw.ingest_runs ({RUN_COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                run_id,
                source.name,
                capture.meta.origin,
                str(capture.path),
                capture.sha256,
                captured_at,
                started_at,
                _now(),
                row_count,
                status,
                note,
                day,
                basis,
                " | ".join(missing) or None,
            ],
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return row_count


def record_failure(
    con: duckdb.DuckDBPyConnection,
    source: str,
    origin: str,
    error: str | None,
    started_at: datetime,
    capture: StoredCapture | None = None,
    status: str = "failed",
) -> None:
    """A `failed` (or `unreachable`, `unchanged`) run row, in its own transaction, with no data rows."""
    con.execute("begin transaction")
    try:
        con.execute(
            f"insert into raw.ingest_runs ({RUN_COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, null, null, null)",
            [
                _next_run_id(con),
                source,
                origin,
                str(capture.path) if capture else None,
                capture.sha256 if capture else None,
                capture.meta.captured_at.replace(tzinfo=None) if capture else None,
                started_at,
                _now(),
                status,
                error,
            ],
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def record_unchanged(
    con: duckdb.DuckDBPyConnection, source: str, origin: str, started_at: datetime, capture: StoredCapture
) -> None:
    """An `unchanged` run: a live fetch answered 304, or with bytes already loaded; no data rows.

    Kept so that the last live attempt of every source (and its result) is in raw.ingest_runs.
    """
    record_failure(con, source, origin, None, started_at, capture, status="unchanged")


__all__ = [
    "IngestError",
    "already_loaded",
    "ensure_tables",
    "load",
    "record_failure",
    "record_unchanged",
    "to_arrow",
]

"""Ask the built dataset questions: filtered model lists, counts, and read-only SQL.

Everything reads the `main.models` mart through a read-only DuckDB connection that
is closed before anything is printed. Filters are bound as parameters and `--sort`
picks from a whitelist, so no text a user types ever becomes SQL. The same four
output formats serve `query` and `sql`:

  table     rich, fits an 80-column terminal (text cleaned of escape sequences, never read as markup)
  csv       every column; text cells a spreadsheet would run as formulas are neutralised
  json      a list of objects with typed values (numbers stay numbers, dates ISO)
  markdown  a pipe table for notes and issues
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TextIO

import duckdb
from rich import box
from rich.table import Table

from flop_tracker.dataset_files import COLUMNS
from flop_tracker.interrupt import QueryStopped, interruptible
from kernel.database import connect
from kernel.text import clean_terminal, clean_text, neutralise_formula, terminal_text

FORMATS = ("table", "csv", "json", "markdown")
CLASSIFICATIONS = (
    "high_confidence_above_1e25",
    "likely_above_1e25",
    "uncertain",
    "likely_below_1e25",
    "high_confidence_below_1e25",
)
METHODS = (
    "developer_disclosed",
    "operation_counting",
    "epoch_reference",
    "hardware",
    "training_cost",
    "family_lineage",
    "name_parameters",
    "benchmark_regression",
)
CONFIDENCES = ("high", "medium", "low")
# --sort KEY -> ORDER BY clause. Only these strings ever reach the SQL text.
SORTS = {
    "flop": "training_flop desc nulls last, model_id",
    "flop-asc": "training_flop asc nulls last, model_id",
    "p-above": "p_above_1e25 desc nulls last, training_flop desc nulls last, model_id",
    "release": "release_date desc nulls last, model_id",
    "release-asc": "release_date asc nulls last, model_id",
    "first-seen": "first_seen_date desc nulls last, model_id",
    "name": "lower(model), model_id",
    "developer": "lower(developer), training_flop desc nulls last, model_id",
}
STAT_GROUPS = {
    "classification": "threshold_classification",
    "method": "estimation_method",
    "confidence": "confidence",
    "developer": "developer",
}


class QueryError(Exception):
    """A question the database cannot answer as asked; the message says why in one line."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class Filters:
    """What `flop-tracker query` narrows the models to; every value is bound as a parameter."""

    above: bool = False
    below: bool = False
    developers: list[str] = field(default_factory=list)
    since: date | None = None
    methods: list[str] = field(default_factory=list)
    confidences: list[str] = field(default_factory=list)
    verified: bool = False

    def where(self) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if self.above:
            clauses.append("dataset_file = 'candidates'")
        if self.below:
            clauses.append("dataset_file = 'below'")
        if self.developers:
            clauses.append("(" + " or ".join("contains(lower(developer), lower(?))" for _ in self.developers) + ")")
            params.extend(self.developers)
        if self.since is not None:
            clauses.append("release_date >= ?")
            params.append(self.since)
        if self.methods:
            clauses.append("estimation_method in (" + ", ".join("?" for _ in self.methods) + ")")
            params.extend(self.methods)
        if self.confidences:
            clauses.append("confidence in (" + ", ".join("?" for _ in self.confidences) + ")")
            params.extend(self.confidences)
        if self.verified:
            clauses.append("verified = 'y'")
        return (" and ".join(clauses) or "true"), params


@dataclass
class Result:
    """Rows with their column names, as DuckDB returned them."""

    columns: list[str]
    rows: list[tuple]


def _read(db: Path, sql: str, params: list[object]) -> Result:
    con = connect(db, read_only=True)
    try:
        cursor = con.execute(sql, params)
        return Result([d[0] for d in cursor.description], cursor.fetchall())
    except duckdb.CatalogException as exc:
        raise QueryError(f"{db}: no models mart yet ({_first_line(exc)}); run `flop-tracker build`") from exc
    finally:
        con.close()


def fetch_models(db: Path, filters: Filters, sort: str = "flop", limit: int | None = None) -> Result:
    """The dataset's columns (the CSV contract) plus first_seen_date, for the matching models."""
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r}; choose one of {', '.join(SORTS)}")
    where, params = filters.where()
    sql = f"select {', '.join(COLUMNS)}, first_seen_date from main.models where {where} order by {SORTS[sort]}"
    if limit is not None and limit < 2**63:  # a larger limit than any table can hold is no limit
        sql += " limit ?"
        params = [*params, limit]
    return _read(db, sql, params)


def fetch_stats(db: Path, filters: Filters) -> dict[str, list[tuple[str, int]]]:
    """Counts of the matching models by classification, method, confidence and developer."""
    where, params = filters.where()
    con = connect(db, read_only=True)
    try:
        stats = {}
        for name, column in STAT_GROUPS.items():
            rows = con.execute(
                f"select coalesce({column}, '(none)') as value, count(*) as models from main.models "
                f"where {where} group by 1 order by 2 desc, 1",
                params,
            ).fetchall()
            if name == "classification":
                rank = {c: i for i, c in enumerate(CLASSIFICATIONS)}
                rows.sort(key=lambda r: rank.get(r[0], len(rank)))
            elif name == "confidence":
                rank = {c: i for i, c in enumerate(CONFIDENCES)}
                rows.sort(key=lambda r: rank.get(r[0], len(rank)))
            stats[name] = rows
        return stats
    except duckdb.CatalogException as exc:
        raise QueryError(f"{db}: no models mart yet ({_first_line(exc)}); run `flop-tracker build`") from exc
    finally:
        con.close()


READ_ONLY_MESSAGE = (
    "sql: the database is opened read-only; INSERT/UPDATE/DELETE/CREATE/DROP/ALTER are refused "
    "(use `flop-tracker build` to change the dataset)"
)
NO_FILES_MESSAGE = (
    "sql: files and extensions are out of reach here; COPY, ATTACH, read_csv/read_parquet and INSTALL/LOAD "
    "are refused (use `flop-tracker export` to write a file)"
)


LOGGING_MESSAGE = (
    "sql: logging cannot be switched here (enable_logging, disable_logging and truncate_duckdb_logs are refused)"
)
# DuckDB's logging functions change the database's configuration even when it is locked, and a log
# written to a file (with file access disabled) aborts the whole process from inside DuckDB. Refused
# wherever they appear (CALL or FROM, any case, quoted or not): no answer needs them.
_LOGGING = re.compile(r"(?i)\b(enable_logging|disable_logging|truncate_duckdb_logs)\b")
DEFAULT_SQL_TIMEOUT = 60.0  # seconds; `--timeout 0` waits as long as it takes
DEFAULT_TABLE_ROWS = 1000  # rows a table or markdown shows unless --limit says otherwise
BATCH_ROWS = 10_000  # rows fetched at a time when streaming


@contextmanager
def sql_rows(
    db: Path, sql: str, timeout: float | None = DEFAULT_SQL_TIMEOUT
) -> Iterator[tuple[list[str], Iterator[list[tuple]]]]:
    """Run a statement on a read-only connection that cannot reach files, other databases or the network.

    Yields the column names and an iterator over batches of rows, fetched as they are consumed (a
    result is never held whole). Ctrl-C or `timeout` seconds stop the query (interrupt.QueryStopped,
    a QueryError); the connection is closed when the block ends, so the database is free at once.
    """
    if _LOGGING.search(sql):
        raise QueryError(LOGGING_MESSAGE)
    con = connect(db, read_only=True)
    try:
        with interruptible(con, timeout) as watch:
            try:
                con.execute("set enable_external_access = false")
                con.execute("set lock_configuration = true")
                cursor = con.execute(sql)
                columns = [d[0] for d in cursor.description] if cursor.description is not None else []

                def batches() -> Iterator[list[tuple]]:
                    while columns:
                        watch.check()
                        rows = cursor.fetchmany(BATCH_ROWS)
                        if not rows:
                            return
                        yield rows

                yield columns, batches()
            except duckdb.InterruptException:
                raise
            except duckdb.InvalidInputException as exc:
                if "read-only mode" in str(exc):
                    raise QueryError(READ_ONLY_MESSAGE) from exc
                if "configuration has been locked" in str(exc):
                    raise QueryError("sql: settings cannot be changed here") from exc
                raise QueryError(f"sql: {_first_line(exc)}") from exc
            except duckdb.PermissionException as exc:
                raise QueryError(NO_FILES_MESSAGE) from exc
            except duckdb.Error as exc:
                raise QueryError(f"sql: {_first_line(exc)}") from exc
    except QueryStopped as exc:
        raise QueryError(f"sql: {exc}", exit_code=exc.exit_code) from None
    finally:
        con.close()


def take(batches: Iterable[list[tuple]], limit: int | None) -> tuple[list[tuple], bool]:
    """At most `limit` rows (None: all), and whether more were left unread."""
    rows: list[tuple] = []
    for batch in batches:
        rows.extend(batch)
        if limit is not None and len(rows) > limit:
            return rows[:limit], True
    return rows, False


def stream_csv(columns: list[str], batches: Iterable[list[tuple]], out: TextIO, limit: int | None = None) -> bool:
    """Write rows as CSV as they come (header first); returns whether `limit` cut rows off."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([_csv_cell(c) for c in columns])
    written = 0
    for batch in batches:
        if limit is not None and written + len(batch) > limit:
            writer.writerows([_csv_cell(v) for v in row] for row in batch[: limit - written])
            out.flush()
            return True
        writer.writerows([_csv_cell(v) for v in row] for row in batch)
        written += len(batch)
        out.flush()
    return False


def _json_record(columns: list[str], row: tuple) -> str:
    """One object as it appears inside the list `to_json` writes (indent 2, nested one level)."""
    record = {c: _json_value(v) for c, v in zip(columns, row, strict=True)}
    return "  " + json.dumps(record, indent=2, ensure_ascii=False).replace("\n", "\n  ")


def stream_json(columns: list[str], batches: Iterable[list[tuple]], out: TextIO, limit: int | None = None) -> bool:
    """Write rows as one JSON list as they come (the same text as `to_json`); returns whether `limit` cut rows off."""
    written = 0
    cut = False
    for batch in batches:
        if limit is not None and written + len(batch) > limit:
            batch, cut = batch[: limit - written], True
        for row in batch:
            out.write(("[\n" if written == 0 else ",\n") + _json_record(columns, row))
            written += 1
        out.flush()
        if cut:
            break
    out.write("\n]\n" if written else "[]\n")
    out.flush()
    return cut


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# ----------------------------------------------------------------------------- rendering


def sci(value: float | None, digits: int = 2) -> str:
    """4.64e+26 -> '4.64e26' (short enough for a narrow column)."""
    if value is None:
        return "-"
    return f"{value:.{digits}e}".replace("e+", "e")


def _plain(value: object) -> str:
    """A value as text for tables: floats readable, dates ISO, nothing for null."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value)
        return sci(value) if value and (abs(value) >= 1e6 or abs(value) < 1e-3) else f"{value:.6g}"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _without_escapes(text: str) -> str:
    """Escape sequences and control characters removed; line breaks and tabs kept."""
    return "\n".join(clean_terminal(part) for part in text.split("\n"))


def _csv_cell(value: object, clean: bool = True) -> object:
    """The CSV files' conventions: empty for null, floats in short form, formulas neutralised.

    clean: one line per line of text for a terminal; otherwise (exports) escape sequences, controls
    and invisible characters are still removed (text stored before ingest cleaned every field) but
    line breaks and tabs are kept.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6g}" if abs(value) < 1e6 else f"{value:.4e}"
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    return neutralise_formula(_without_escapes(text) if clean else clean_text(text))


def _json_value(value: object) -> object:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return value if value is None or isinstance(value, bool | int | float | str) else str(value)


def to_csv(result: Result, clean: bool = True) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([_csv_cell(c, clean) for c in result.columns])
    for row in result.rows:
        writer.writerow([_csv_cell(v, clean) for v in row])
    return buffer.getvalue()


def to_json(result: Result) -> str:
    buffer = io.StringIO()
    stream_json(result.columns, [result.rows], buffer)
    return buffer.getvalue()


def _md_cell(text: str) -> str:
    return clean_terminal(text).replace("\\", "\\\\").replace("|", "\\|")


def to_markdown(columns: list[str], rows: list[list[str]], right: set[int] | None = None) -> str:
    right = right or set()
    lines = [
        "| " + " | ".join(_md_cell(c) for c in columns) + " |",
        "|" + "|".join("---:" if i in right else "---" for i in range(len(columns))) + "|",
    ]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def generic_table(result: Result, title: str | None = None) -> Table:
    """Any result as a rich table; long text folds so the table fits the terminal."""
    table = Table(
        title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True
    )
    numeric = _numeric_columns(result)
    for i, name in enumerate(result.columns):
        if i in numeric:  # numbers stay whole; text columns give up the width
            table.add_column(terminal_text(name), justify="right", no_wrap=True)
        else:
            table.add_column(terminal_text(name), overflow="fold")
    for row in result.rows:
        table.add_row(*(terminal_text(_plain(v)) for v in row))
    return table


def generic_markdown(result: Result) -> str:
    rows = [[_plain(v) for v in row] for row in result.rows]
    return to_markdown(result.columns, rows, _numeric_columns(result))


def _numeric_columns(result: Result) -> set[int]:
    numeric = set()
    for i in range(len(result.columns)):
        values = [row[i] for row in result.rows if row[i] is not None]
        if values and all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in values):
            numeric.add(i)
    return numeric


# The compact view of models for a terminal and for markdown.
SHORT_CLASSIFICATION = {
    "high_confidence_above_1e25": "above",
    "likely_above_1e25": "likely above",
    "uncertain": "uncertain",
    "likely_below_1e25": "likely below",
    "high_confidence_below_1e25": "below",
}


DECISION_LABELS = {
    "confirmed_above_1e25": "✓ above",
    "confirmed_below_1e25": "✓ below",
    "needs_re_review": "re-review",
}


def _model_cells(record: dict, mark_decisions: bool = True) -> list[str]:
    """model, developer, released, FLOP, 90% interval, class; a reviewer's decision shows as a tick."""
    low, high = record["flop_low"], record["flop_high"]
    label = SHORT_CLASSIFICATION.get(record["threshold_classification"], record["threshold_classification"] or "")
    if mark_decisions:
        label = DECISION_LABELS.get(record["status"], label)
    return [
        record["model"] or record["model_id"],
        record["developer"] or "",
        _plain(record["release_date"]),
        sci(record["training_flop"], 1),
        f"{sci(low, 1)}-{sci(high, 1)}" if low is not None and high is not None else "-",
        label,
    ]


def _records(result: Result) -> list[dict]:
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def models_table(result: Result) -> Table:
    """The models in a table that fits 80 columns: long names wrap, developers shorten with an ellipsis."""
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1),
        collapse_padding=True,
        caption=f"{len(result.rows)} models; FLOP is the central estimate, ✓ marks a reviewer's decision",
        caption_justify="left",
    )
    table.add_column("model", overflow="fold", min_width=16)
    table.add_column("developer", overflow="ellipsis", no_wrap=True, min_width=8, max_width=13)
    table.add_column("released", no_wrap=True, min_width=10)
    table.add_column("FLOP", justify="right", no_wrap=True, min_width=6)
    table.add_column("90% interval", no_wrap=True, min_width=13)
    table.add_column("class", no_wrap=True, min_width=12)
    for record in _records(result):
        table.add_row(*(terminal_text(c) for c in _model_cells(record)))
    return table


def models_markdown(result: Result) -> str:
    columns = ["model", "developer", "released", "FLOP", "90% interval", "class", "method", "confidence", "verified"]
    rows = []
    for record in _records(result):
        cells = _model_cells(record, mark_decisions=False)
        rows.append([*cells, record["estimation_method"] or "", record["confidence"] or "", record["verified"] or ""])
    return to_markdown(columns, rows, right={3})


def models_output(result: Result, fmt: str) -> str | Table:
    """`query` output: the compact view for table/markdown, every column for csv/json."""
    if fmt == "table":
        return models_table(result)
    if fmt == "markdown":
        return models_markdown(result)
    return to_csv(result) if fmt == "csv" else to_json(result)


def sql_output(result: Result, fmt: str) -> str | Table:
    if fmt == "table":
        return generic_table(result)
    if fmt == "markdown":
        return generic_markdown(result)
    return to_csv(result) if fmt == "csv" else to_json(result)


def stats_output(stats: dict[str, list[tuple[str, int]]], fmt: str) -> str | list[Table]:
    if fmt == "json":
        return json.dumps({k: dict(v) for k, v in stats.items()}, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        rows = [(group, value, n) for group, pairs in stats.items() for value, n in pairs]
        return to_csv(Result(["group", "value", "models"], rows))
    if fmt == "markdown":
        parts = []
        for group, pairs in stats.items():
            parts.append(f"### by {group}\n\n" + to_markdown([group, "models"], [[v, str(n)] for v, n in pairs], {1}))
        return "\n".join(parts)
    tables = []
    for group, pairs in stats.items():
        table = Table(title=f"by {group}", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        table.add_column(group, overflow="ellipsis", no_wrap=True, max_width=60)
        table.add_column("models", justify="right")
        for value, n in pairs:
            table.add_row(terminal_text(value), str(n))
        tables.append(table)
    return tables

"""Opening the DuckDB file, with its lock error said in one sentence.

DuckDB allows one writer per file; a second process gets an IOException naming the PID that
holds the lock. Every command opens the database through `connect`, so every command reports
that case the same way (which file, which process, what to do) instead of a traceback; and a
path that is no database at all (`$FLOP_TRACKER_DB` pointing at a text file or a folder) the same way.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb


class DatabaseLockedError(Exception):
    """Another process holds the DuckDB file; the message says which file and what to do."""


class DatabaseOpenError(Exception):
    """The path is not a DuckDB database (a text file, a folder, a damaged file); one line says which."""


_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>\S+) \(PID (?P<pid>\d+)\)")


def locked_message(db_path: Path, error: str) -> str:
    """One sentence for DuckDB's lock error: which file, which process holds it, what to do."""
    holder = _LOCK_HOLDER.search(error)
    who = f" (PID {holder['pid']}, {Path(holder['program']).name})" if holder else ""
    return f"{db_path} is in use by another process{who}; wait for it to finish and try again"


def connect(db_path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database, turning DuckDB's lock error into one clear sentence."""
    if read_only and not db_path.exists():
        raise FileNotFoundError(f"{db_path}: no database yet; run `flop-tracker run` first")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(db_path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise DatabaseLockedError(locked_message(db_path, str(exc))) from exc
        raise DatabaseOpenError(open_message(db_path, str(exc))) from exc
    except duckdb.Error as exc:
        raise DatabaseOpenError(open_message(db_path, str(exc))) from exc


_CHECK = "(check $FLOP_TRACKER_DB or --data-dir)"


def open_message(db_path: Path, error: str) -> str:
    """One sentence for a path DuckDB cannot open as a database."""
    if db_path.is_dir():
        return f"{db_path} is a folder, not a DuckDB database {_CHECK}"
    if "not a valid DuckDB database" in error:
        return f"{db_path} is not a DuckDB database {_CHECK}"
    first = (error.strip().splitlines() or ["unknown error"])[0]
    return f"{db_path}: cannot open the database: {first[:200]} {_CHECK}"

"""Append a row to a seed CSV so that nothing is ever lost or half-written.

Each append takes an exclusive `fcntl.flock` on a lock file beside the seed, re-reads the
seed under the lock (another reviewer may have written since we last looked), lets the
caller refuse (e.g. the model is already decided), then writes the old bytes plus the new
row to a temporary file in the same folder, fsyncs it, renames it over the seed and fsyncs
the folder. A reader therefore sees the old file or the new one, never a torn one, and two
writers queue on the lock instead of overwriting each other.
"""

from __future__ import annotations

import csv
import fcntl
import io
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def lock_path(path: Path) -> Path:
    """The lock file beside a seed (a dot file, so dbt never takes it for a seed)."""
    return path.with_name(f".{path.name}.lock")


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path`'s lock file (blocks while another process holds it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path(path), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder: fsync, rename, fsync the folder."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def csv_line(values: Sequence[object]) -> str:
    """One CSV record (quoted where needed, '\\n' terminated); None is an empty cell."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(["" if v is None else v for v in values])
    return buffer.getvalue()


def locked_append(
    path: Path, header: Sequence[str], row: Sequence[object], check: Callable[[str], T | None]
) -> T | None:
    """Append `row` to the CSV at `path` under its lock, unless `check` objects.

    `check(current_text)` runs under the lock on the file as it is now; it validates the
    file (raising on a malformed one) and returns a reason not to write, or None to go on.
    Whatever it returns is returned; the row is written only when it returned None.
    A missing file is created with `header`.
    """
    with locked(path):
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if not current.strip():
            current = csv_line(header)
        objection = check(current)
        if objection is not None:
            return objection
        if not current.endswith("\n"):
            current += "\n"
        atomic_write_bytes(path, (current + csv_line(row)).encode("utf-8"))
    return None

"""Append a row to a seed CSV so that nothing is ever lost or half-written.

Each append takes an exclusive `fcntl.flock` on a lock file beside the seed, re-reads the
seed under the lock (another reviewer may have written since we last looked), lets the
caller refuse (e.g. the model is already decided), then writes the old bytes plus the new
row to a temporary file in the same folder (kernel.files: an unpredictable name no planted
link can redirect), fsyncs it, renames it over the seed and fsyncs the folder. A reader therefore
sees the old file or the new one, never a torn one, and two writers queue on the lock instead of
overwriting each other.
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

from kernel.files import atomic_write

T = TypeVar("T")


def lock_path(path: Path) -> Path:
    """The lock file beside a seed (a dot file, so dbt never takes it for a seed)."""
    return path.with_name(f".{path.name}.lock")


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path`'s lock file (blocks while another process holds it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path(path), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


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
        atomic_write(path, current + csv_line(row))
    return None

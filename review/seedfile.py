"""Read a decisions seed (CSV) into pydantic records, failing with the line that is wrong.

dbt would load a malformed seed without complaint (or fail somewhere far from the cause),
so every seed people write is checked here first: the header must be exactly the expected
columns, every row must validate, and a key may appear once. The message names the file,
the line and the column, e.g. `review_decisions.csv: line 4: decision: must be y or n (got 'maybe')`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class SeedFileError(ValueError):
    """A seed file people write is malformed; the message names the file and line."""


def describe_error(exc: ValidationError, values: dict[str, str] | None = None) -> str:
    """`column: message (got 'value')` for each error, joined with '; '."""
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"]) or "row"
        msg = err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        got = f" (got {values[loc]!r})" if values and loc in values else ""
        parts.append(f"{loc}: {msg}{got}")
    return "; ".join(parts)


def _csv_problem(exc: csv.Error) -> str:
    """The csv module's complaint in words a person editing the file can act on."""
    text = str(exc)
    if "field larger than field limit" in text:
        # A cell runs on past 131072 characters: a real reason is never that long; a quote opened and
        # never closed swallows every line after it. Either way the line where the row began is named.
        return f"a cell longer than {csv.field_size_limit()} characters (is a closing quote missing?)"
    return f"not valid CSV: {text}"


def parse_seed(
    text: str,
    name: str,
    columns: Sequence[str],
    model: type[M],
    key: Callable[[M], str] | None = None,
    key_label: str = "key",
) -> list[tuple[int, M]]:
    """Validate seed `text`; returns (line number, record) pairs. Raises SeedFileError naming the line."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise SeedFileError(f"{name}: line 1: empty file; the header must be: {','.join(columns)}") from None
    except csv.Error as exc:
        raise SeedFileError(f"{name}: line 1: {_csv_problem(exc)}") from None
    header = [h.strip().lstrip("\ufeff") for h in header]
    if header != list(columns):
        missing = [c for c in columns if c not in header]
        extra = [c for c in header if c not in columns]
        why = "; ".join(
            x
            for x in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unexpected {', '.join(extra)}" if extra else "",
                "columns out of order" if not missing and not extra else "",
            )
            if x
        )
        raise SeedFileError(f"{name}: line 1: bad header ({why}); it must be: {','.join(columns)}")
    records: list[tuple[int, M]] = []
    seen: dict[str, int] = {}
    line = reader.line_num + 1
    while True:
        start = line
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise SeedFileError(f"{name}: line {start}: {_csv_problem(exc)}") from None
        line = reader.line_num + 1
        if not cells or all(not c.strip() for c in cells):
            continue
        if len(cells) != len(columns):
            raise SeedFileError(
                f"{name}: line {start}: {len(cells)} cells, expected {len(columns)} ({','.join(columns)})"
            )
        values = dict(zip(columns, cells, strict=True))
        try:
            record = model.model_validate(values)
        except ValidationError as exc:
            raise SeedFileError(f"{name}: line {start}: {describe_error(exc, values)}") from None
        if key is not None:
            k = key(record)
            if k in seen:
                raise SeedFileError(f"{name}: line {start}: duplicate {key_label} {k!r} (already on line {seen[k]})")
            seen[k] = start
        records.append((start, record))
    return records


def read_seed(
    path: Path,
    columns: Sequence[str],
    model: type[M],
    key: Callable[[M], str] | None = None,
    key_label: str = "key",
) -> list[tuple[int, M]]:
    """parse_seed on a file; a missing file has no rows."""
    if not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SeedFileError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return parse_seed(text, str(path), columns, model, key, key_label)

"""Write the three CSV files users know, from the `models` mart, after every build.

Which model goes in which file is decided in SQL (`dataset_file`, `in_staging_file`);
this module only copies rows out, with the same columns in the same order in all
three files, atomically (kernel.files: a private temporary file, fsync, rename), and with text cells that a
spreadsheet would run as formulas neutralised.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from kernel.database import connect
from kernel.files import atomic_write
from kernel.paths import DATASET_COLUMNS, Paths
from kernel.text import FORMULA_PREFIXES, clean_text, neutralise_formula

COLUMNS = DATASET_COLUMNS


@dataclass
class WrittenFiles:
    above: int
    below: int
    staging: int


_TRIGGERS = frozenset(FORMULA_PREFIXES)


def _cell(value: object) -> object:
    """One CSV cell: blank for null, floats to 6 significant figures, text safe from formulas and escapes.

    Called for every cell of every file (~400k at 18.6k models), so the common cases are
    decided by exact type before anything slower runs.
    """
    if value is None:
        return ""
    kind = type(value)
    if kind is str:
        if not value.isprintable():  # text stored before ingest cleaned every field: cleaned here too
            value = clean_text(value)
        return neutralise_formula(value) if value[:1] in _TRIGGERS else value
    if kind is float:
        return f"{value:.6g}" if -1e6 < value < 1e6 else f"{value:.4e}"
    if kind is bool or kind is int:
        return value
    return neutralise_formula(value.isoformat() if hasattr(value, "isoformat") else value)


def render_csv(rows: list[tuple]) -> str:
    """The file text for rows of the COLUMNS, header first."""
    return _render_cells([[_cell(v) for v in row] for row in rows])


def _render_cells(cells: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(cells)
    return buffer.getvalue()


def write_dataset_files(paths: Paths) -> WrittenFiles:
    """Rewrite the candidates, below and staging files from the built mart.

    One query: every row is formatted once, then goes to its file (and, when confirmed, to the
    staging file too); the files keep the mart's order, highest compute first.
    """
    con = connect(paths.db, read_only=True)
    try:
        rows = con.execute(
            f"select {', '.join(COLUMNS)}, dataset_file, coalesce(in_staging_file, false) from main.models "
            "order by training_flop desc, model_id"
        ).fetchall()
    finally:
        con.close()
    files: dict[str, list[list[object]]] = {"above": [], "below": [], "staging": []}
    width = len(COLUMNS)
    for row in rows:
        cells = [_cell(v) for v in row[:width]]
        files["above" if row[width] == "candidates" else "below"].append(cells)
        if row[width + 1]:
            files["staging"].append(cells)
    targets = {"above": paths.above_csv, "below": paths.below_csv, "staging": paths.staging_csv}
    for name, cells in files.items():
        atomic_write(targets[name], _render_cells(cells))
    return WrittenFiles(**{name: len(cells) for name, cells in files.items()})

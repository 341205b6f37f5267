"""Write the three CSV files users know, from the `models` mart, after every build.

Which model goes in which file is decided in SQL (`dataset_file`, `in_staging_file`);
this module only copies rows out, with the same columns in the same order in all
three files, atomically (temporary file, fsync, rename), and with text cells that a
spreadsheet would run as formulas neutralised.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

from flop_tracker.config import Paths
from flop_tracker.text import neutralise_formula
from ingest.loader import connect

COLUMNS = [
    "model_id",
    "model",
    "developer",
    "release_date",
    "parameters",
    "parameter_source",
    "training_flop",
    "flop_low",
    "flop_high",
    "p_above_1e25",
    "confidence",
    "confidence_explanation",
    "estimation_method",
    "alternative_methods",
    "threshold_classification",
    "status",
    "reasoning",
    "sources",
    "verified",
    "notes",
    "last_updated",
]
SELECTIONS = {
    "above": "dataset_file = 'candidates'",
    "below": "dataset_file = 'below'",
    "staging": "in_staging_file",
}


@dataclass
class WrittenFiles:
    above: int
    below: int
    staging: int


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}" if abs(value) < 1e6 else f"{value:.4e}"
    return neutralise_formula(value if not hasattr(value, "isoformat") else value.isoformat())


def _atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def render_csv(rows: list[tuple]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue()


def write_dataset_files(paths: Paths) -> WrittenFiles:
    """Rewrite the candidates, below and staging files from the built mart."""
    con = connect(paths.db, read_only=True)
    try:
        counts = {}
        for name, where in SELECTIONS.items():
            rows = con.execute(
                f"select {', '.join(COLUMNS)} from main.models where {where} order by training_flop desc, model_id"
            ).fetchall()
            target = {"above": paths.above_csv, "below": paths.below_csv, "staging": paths.staging_csv}[name]
            _atomic_write_text(target, render_csv(rows))
            counts[name] = len(rows)
    finally:
        con.close()
    return WrittenFiles(**counts)

"""Export the `models` mart: csv, parquet, json, or Epoch AI's own column layout.

csv, parquet and json carry every column of the mart (the dataset's columns plus the
decision and bookkeeping columns), one row per model, largest estimate first. The
`epoch` format writes the header of Epoch's "AI Models" exports (as the previous
system's published_data.csv has it) with the columns we can fill and the rest empty.

Text cells of csv and epoch exports that a spreadsheet would run as a formula
(`=`, `+`, `-`, `@` first) are neutralised with a leading quote. Parquet and json are
typed formats read by programs, so their values stay exactly as in the database.
Every file is written to a temporary name first and renamed into place.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq

from flop_tracker.query import Result, to_csv, to_json
from kernel.database import connect
from kernel.files import atomic_write
from kernel.paths import Paths
from kernel.text import clean_text, neutralise_formula

FORMATS = ("csv", "parquet", "json", "epoch")
EXTENSIONS = {"csv": "csv", "parquet": "parquet", "json": "json", "epoch": "epoch.csv"}
ORDER = "training_flop desc nulls last, model_id"

# The header of Epoch AI's model exports, as in previous_system/published/published_data.csv.
EPOCH_HEADER = [
    "Model",
    "Domain",
    "Task",
    "Authors",
    "Model accessibility",
    "Link",
    "Citations",
    "Reference",
    "Publication date",
    "Organization",
    "Parameters",
    "Parameters notes",
    "Training compute (FLOP)",
    "Training compute notes",
    "Training dataset",
    "Training dataset notes",
    "Training dataset size (datapoints)",
    "Dataset size notes",
    "Training time (hours)",
    "Training time notes",
    "Training hardware",
    "Confidence",
    "Abstract",
    "Country (of organization)",
    "Base model",
    "Finetune compute (FLOP)",
    "Finetune compute notes",
    "Hardware quantity",
    "Training code accessibility",
    "Accessibility notes",
    "Organization categorization (from Organization)",
]
# Epoch column <- mart column. Everything else stays empty: we do not know it.
EPOCH_MAP = {
    "Model": "model",
    "Organization": "developer",
    "Publication date": "release_date",
    "Training compute (FLOP)": "training_flop",
    "Parameters": "parameters",
    "Training compute notes": "reasoning",
    "Link": "sources",
    "Confidence": "confidence",
}
# Our confidence in Epoch's words (their vocabulary: Confident, Likely, Speculative).
EPOCH_CONFIDENCE = {"high": "Confident", "medium": "Likely", "low": "Speculative"}


def default_output(paths: Paths, fmt: str) -> Path:
    return paths.data_dir / "exports" / f"models.{EXTENSIONS[fmt]}"


def read_models(db: Path) -> Result:
    con = connect(db, read_only=True)
    try:
        cursor = con.execute(f"select * from main.models order by {ORDER}")
        return Result([d[0] for d in cursor.description], cursor.fetchall())
    finally:
        con.close()


def _epoch_date(value: date | None) -> str:
    """Epoch's own style, month/day/year without leading zeros (7/9/2025)."""
    return "" if value is None else f"{value.month}/{value.day}/{value.year}"


def _epoch_number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.4g}"


def to_epoch_csv(result: Result) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EPOCH_HEADER)
    for row in result.rows:
        record = dict(zip(result.columns, row, strict=True))
        cells = []
        for column in EPOCH_HEADER:
            source = EPOCH_MAP.get(column)
            value = record.get(source) if source else None
            if source == "release_date":
                cells.append(_epoch_date(value))
            elif source in {"training_flop", "parameters"}:
                cells.append(_epoch_number(value))
            elif source == "confidence":
                cells.append(EPOCH_CONFIDENCE.get(value, ""))
            else:
                cells.append("" if value is None else neutralise_formula(clean_text(str(value))))
        writer.writerow(cells)
    return buffer.getvalue()


def export(paths: Paths, fmt: str, output: Path | None = None) -> tuple[Path, int]:
    """Write the mart in `fmt` to `output` (default data/exports/models.<ext>); return the path and row count."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    target = output or default_output(paths, fmt)
    if fmt == "parquet":
        con = connect(paths.db, read_only=True)
        try:
            table = con.execute(f"select * from main.models order by {ORDER}").to_arrow_table()
        finally:
            con.close()
        atomic_write(target, lambda handle: pq.write_table(table, handle))
        return target, table.num_rows
    result = read_models(paths.db)
    if fmt == "csv":
        text = to_csv(result, clean=False)
    else:
        text = to_json(result) if fmt == "json" else to_epoch_csv(result)
    atomic_write(target, text)
    return target, len(result.rows)

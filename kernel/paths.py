"""Where things live. One place decides paths (and the published files' columns) so every command agrees.

The project root holds the dbt project and seeds; the data directory holds the
DuckDB file, stored captures and the CSV files users read. Both can be moved by
environment variables so tests and CI never touch a developer's own data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR_ENV = "FLOP_TRACKER_DATA_DIR"
DB_ENV = "FLOP_TRACKER_DB"
CAPTURES_ENV = "FLOP_TRACKER_CAPTURES"
DECISIONS_ENV = "FLOP_TRACKER_DECISIONS_DIR"


@dataclass(frozen=True)
class Paths:
    """Every file location a command needs, derived from one data directory."""

    data_dir: Path
    # A database that must be used whatever $FLOP_TRACKER_DB says (scratch copies for validate).
    db_override: Path | None = None

    @property
    def db(self) -> Path:
        if self.db_override is not None:
            return self.db_override
        override = os.environ.get(DB_ENV)
        return Path(override).resolve() if override else self.data_dir / "tracker.duckdb"

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def clean_dir(self) -> Path:
        return self.data_dir / "clean"

    @property
    def staging_dir(self) -> Path:
        return self.data_dir / "staging"

    @property
    def above_csv(self) -> Path:
        return self.clean_dir / "above_1e25_flop.csv"

    @property
    def below_csv(self) -> Path:
        return self.clean_dir / "below_1e25_flop.csv"

    @property
    def staging_csv(self) -> Path:
        return self.staging_dir / "above_1e25_flop_staging.csv"


# The columns of the three CSV files users read, in order: the contract `dataset_files` writes and
# `review` reads back, kept here so neither imports the other.
DATASET_COLUMNS = [
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


def default_data_dir() -> Path:
    """`$FLOP_TRACKER_DATA_DIR`, else `data/` in the project root."""
    env = os.environ.get(DATA_DIR_ENV)
    return Path(env).resolve() if env else PROJECT_ROOT / "data"


def resolve_paths(data_dir: str | Path | None = None) -> Paths:
    """Paths for an explicit `--data-dir`, or the default one."""
    return Paths(Path(data_dir).resolve() if data_dir else default_data_dir())


def curated_seeds_dir() -> Path:
    """Curated lookups (known specs, aliases, hardware): reviewed like code."""
    return PROJECT_ROOT / "seeds" / "curated"


def decisions_dir() -> Path:
    """People's data: review decisions and manual entries (seeds dbt loads from here).

    `$FLOP_TRACKER_DECISIONS_DIR` moves it (dbt reads the same variable), so tests and
    scratch builds never write to the repository's decisions.
    """
    env = os.environ.get(DECISIONS_ENV)
    return Path(env).resolve() if env else PROJECT_ROOT / "seeds" / "decisions"


def default_captures_dir() -> Path | None:
    """Saved real captures to load when live sources cannot be reached.

    `$FLOP_TRACKER_CAPTURES`, else the shared data folder beside the project
    root when it exists (it holds real LMArena, Epoch, ... captures).
    """
    env = os.environ.get(CAPTURES_ENV)
    if env:
        return Path(env).resolve()
    shared = PROJECT_ROOT.parent / "shared" / "data"
    return shared if shared.is_dir() else None


def shown_path(path: Path, cwd: Path | None = None) -> str:
    """A path as a user would type it here, for messages and reports (never this machine's layout).

    Relative to the current directory when the path is below it (`captures/lmarena`), or when it is the
    default shared data folder beside the project and the current directory is in the project
    (`../shared/data` from the project root, as the README writes it); otherwise as it is, since the
    user named it so (`--captures /mnt/archive`).
    """
    cwd = (cwd or Path.cwd()).resolve()
    path = Path(path)
    resolved = path.resolve()
    if resolved.is_relative_to(cwd):
        return str(resolved.relative_to(cwd)) or "."
    shared = PROJECT_ROOT.parent / "shared" / "data"
    if resolved == shared.resolve() and cwd.is_relative_to(PROJECT_ROOT):
        # the folder beside the project as the user sees it, not where a link to it points
        return os.path.relpath(os.path.normpath(shared), cwd)
    return str(path)


# Curated seeds are "the seeds" for modules that read a lookup (e.g. lab feeds).
seeds_dir = curated_seeds_dir

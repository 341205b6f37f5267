"""What the last build was built from, so the next build rebuilds only what changed.

A build's inputs are the project (SQL, macros, YAML, dbt's settings and version), the raw
tables each dbt source reads, and the seed files. After a build that brought every model up
to date, their fingerprints are kept in the database itself (`meta.build_inputs`), so a copy
of the database carries the state it was built from and a new database has none. The next
build compares: a changed project (or no state) means everything is built; otherwise only
what depends on a raw table or seed that changed (`source:lmarena.lmarena_scores+`,
`review_decisions+`), and nothing at all when nothing changed.

Raw tables are append-only (ingest only inserts, in one transaction per capture), so a
table's row count and newest ingest run identify its contents; a hand edit of raw rows is
not seen (`flop-tracker build --full` rebuilds everything). Any dbt command that writes
outside this planner (an explicit `--select`, validate, backtest) clears the state first,
so a database built some other way is never mistaken for an up-to-date one.

A build can be interrupted anywhere (Ctrl-C, a killed process, a full disk). So the record says
"incomplete", with what the build covers, before dbt starts (`mark_incomplete`), and "complete",
with the new fingerprints, only after the three CSV files are written (`save_inputs`). A build that
finds an incomplete record rebuilds what that build covered, whatever changed since: the models and
files it may have left half-way are never taken for up to date (before this, a decision appended,
built into the mart, then removed again before the build finished stayed in the staging file).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import duckdb
import yaml
from pydantic import BaseModel, Field

from kernel.database import connect
from kernel.paths import PROJECT_ROOT, Paths, curated_seeds_dir, decisions_dir

STATE_TABLE = "meta.build_inputs"
PROJECT_PARTS = ("models", "macros", "snapshots", "tests/data_tests", "analyses")
PROJECT_FILES = ("dbt_project.yml", "profiles.yml")
MART = "main.models"


class BuildInputs(BaseModel):
    """Fingerprints of everything a build reads: one for the project, one per raw table and seed."""

    project: str
    sources: dict[str, str] = Field(default_factory=dict)  # "<source>.<table>" -> "rows:newest run"
    seeds: dict[str, str] = Field(default_factory=dict)  # seed name -> sha256 of the file


class BuildPlan(BaseModel):
    """What a build will do and why, in words a person can read."""

    full: bool
    select: list[str] = Field(default_factory=list)
    reason: str

    @property
    def nothing_to_do(self) -> bool:
        return not self.full and not self.select


class LastBuild(BaseModel):
    """What the database records: the inputs of its last complete build, and a build started since
    that did not finish (what it covered), if any."""

    inputs: BuildInputs | None = None
    unfinished: BuildPlan | None = None


# -- the inputs now -------------------------------------------------------------------------------
def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:  # pragma: no cover - both are dependencies
        return "absent"


def seed_files() -> dict[str, Path]:
    """Every seed CSV dbt loads, by seed name (curated lookups and people's decisions)."""
    files: dict[str, Path] = {}
    for folder in (curated_seeds_dir(), decisions_dir()):
        for path in sorted(folder.glob("*.csv")) if folder.is_dir() else []:
            files[path.stem] = path
    return files


def project_fingerprint() -> str:
    """sha256 over the project's files (contents), the seed names and YAML, and dbt's versions.

    Contents, not modification times: a fresh checkout of the same commit is the same project.
    """
    digest = hashlib.sha256()
    paths: list[Path] = []
    for part in PROJECT_PARTS:
        paths += sorted(p for p in (PROJECT_ROOT / part).rglob("*") if p.is_file())
    paths += [PROJECT_ROOT / name for name in PROJECT_FILES if (PROJECT_ROOT / name).exists()]
    for folder in (curated_seeds_dir(), decisions_dir()):
        paths += sorted(folder.glob("*.yml")) if folder.is_dir() else []
    for path in paths:
        name = path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else Path("seeds", path.name)
        digest.update(f"{name}\0".encode())
        digest.update(path.read_bytes())
        digest.update(b"\0")
    digest.update(",".join(sorted(seed_files())).encode())
    for package in ("dbt-core", "dbt-duckdb", "duckdb"):
        digest.update(f"{package}={_package_version(package)}\0".encode())
    return digest.hexdigest()


def dbt_sources() -> dict[str, tuple[str, str]]:
    """Each dbt source table ("<source>.<table>") and the (schema, table) it reads, from the YAML.

    Read from the sources files directly: deciding whether to build must not cost dbt's import.
    """
    tables: dict[str, tuple[str, str]] = {}
    for path in sorted((PROJECT_ROOT / "models").rglob("_*__sources.yml")):
        for source in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("sources", []):
            schema = source.get("schema", source["name"])
            for table in source.get("tables", []):
                tables[f"{source['name']}.{table['name']}"] = (schema, table.get("identifier", table["name"]))
    return tables


def _table_fingerprint(con: duckdb.DuckDBPyConnection, schema: str, table: str, columns: set[str]) -> str:
    run_column = next((c for c in ("ingest_run_id", "run_id") if c in columns), None)
    newest = f'max("{run_column}")' if run_column else "0"
    rows, latest = con.execute(f'select count(*), {newest} from "{schema}"."{table}"').fetchone()
    return f"{rows}:{latest}"


def current_inputs(con: duckdb.DuckDBPyConnection) -> BuildInputs:
    """The fingerprints of what a build would read now (an absent raw table reads as 'absent')."""
    columns: dict[tuple[str, str], set[str]] = {}
    for schema, table, column in con.execute(
        "select table_schema, table_name, column_name from information_schema.columns"
    ).fetchall():
        columns.setdefault((schema, table), set()).add(column)
    sources = {
        name: _table_fingerprint(con, schema, table, columns[(schema, table)])
        if (schema, table) in columns
        else "absent"
        for name, (schema, table) in dbt_sources().items()
    }
    seeds = {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in seed_files().items()}
    return BuildInputs(project=project_fingerprint(), sources=sources, seeds=seeds)


# -- the inputs of the last build -----------------------------------------------------------------
def _ensure_state_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists meta")
    con.execute(
        f"create table if not exists {STATE_TABLE} ("
        "input varchar primary key, fingerprint varchar not null, built_at timestamp not null)"
    )


def _has_table(con: duckdb.DuckDBPyConnection, qualified: str) -> bool:
    schema, table = qualified.split(".")
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchone()[0]
    )


STATUS, COVERING = "status", "covering"  # rows of the record besides the fingerprints
COMPLETE, INCOMPLETE = "complete", "incomplete"


def last_build(con: duckdb.DuckDBPyConnection) -> LastBuild:
    """The record: the last complete build's inputs (None: never built, cleared, or the mart is gone),
    and an unfinished build's plan (None: the last build finished)."""
    if not _has_table(con, STATE_TABLE):
        return LastBuild()
    rows = dict(con.execute(f"select input, fingerprint from {STATE_TABLE}").fetchall())
    unfinished = None
    if rows.get(STATUS) == INCOMPLETE:
        unfinished = BuildPlan.model_validate_json(rows.get(COVERING) or '{"full": true, "reason": "?"}')
    if "project" not in rows or not _has_table(con, MART):
        return LastBuild(unfinished=unfinished)
    inputs = BuildInputs(
        project=rows["project"],
        sources={k.removeprefix("source:"): v for k, v in rows.items() if k.startswith("source:")},
        seeds={k.removeprefix("seed:"): v for k, v in rows.items() if k.startswith("seed:")},
    )
    return LastBuild(inputs=inputs, unfinished=unfinished)


def last_inputs(con: duckdb.DuckDBPyConnection) -> BuildInputs | None:
    """The inputs of the last complete build, or None (never built, cleared, or the mart is gone)."""
    return last_build(con).inputs


def mark_incomplete(con: duckdb.DuckDBPyConnection, step: BuildPlan) -> None:
    """Record, before dbt starts, that a build covering `step` is under way (the fingerprints of the
    last complete build stay as they are)."""
    _ensure_state_table(con)
    now = datetime.now(UTC).replace(tzinfo=None)
    con.execute(
        f"insert or replace into {STATE_TABLE} values (?, ?, ?), (?, ?, ?)",
        [STATUS, INCOMPLETE, now, COVERING, step.model_dump_json(), now],
    )


def save_inputs(con: duckdb.DuckDBPyConnection, inputs: BuildInputs) -> None:
    """Record the build as complete: `inputs` are what every model and the three files are now built
    from (one transaction). Called only once the files are written."""
    _ensure_state_table(con)
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = [("project", inputs.project, now), (STATUS, COMPLETE, now)]
    rows += [(f"source:{k}", v, now) for k, v in inputs.sources.items()]
    rows += [(f"seed:{k}", v, now) for k, v in inputs.seeds.items()]
    con.execute("begin transaction")
    try:
        con.execute(f"delete from {STATE_TABLE}")
        con.executemany(f"insert into {STATE_TABLE} values (?, ?, ?)", rows)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def clear_inputs(db: Path) -> None:
    """Forget what the database was built from: the next planned build builds everything."""
    if not db.exists():
        return
    con = connect(db)
    try:
        if _has_table(con, STATE_TABLE):
            con.execute(f"delete from {STATE_TABLE}")
    finally:
        con.close()


# -- the plan ---------------------------------------------------------------------------------------
def plan(previous: BuildInputs | None, current: BuildInputs, unfinished: BuildPlan | None = None) -> BuildPlan:
    """Everything, only what depends on changed inputs (and what an unfinished build covered), or nothing."""
    changes = _plan_changes(previous, current)
    if unfinished is None:
        return changes
    if unfinished.full:
        return BuildPlan(full=True, reason="the last build did not finish: rebuilding everything")
    if changes.full:
        return changes
    covered = f"the last build did not finish: rebuilding what it covered ({', '.join(unfinished.select)})"
    select = list(dict.fromkeys([*unfinished.select, *changes.select]))
    reason = covered if changes.nothing_to_do else f"{covered}; {changes.reason}"
    return BuildPlan(full=False, select=select, reason=reason)


def _plan_changes(previous: BuildInputs | None, current: BuildInputs) -> BuildPlan:
    if previous is None:
        return BuildPlan(full=True, reason="no complete build of this database yet")
    if previous.project != current.project:
        return BuildPlan(full=True, reason="the project (SQL, macros, YAML or dbt) changed since the last build")
    gone = sorted(set(previous.seeds) - set(current.seeds)) + sorted(set(previous.sources) - set(current.sources))
    if gone:
        return BuildPlan(full=True, reason=f"inputs removed since the last build: {', '.join(gone)}")
    tables = sorted(k for k, v in current.sources.items() if previous.sources.get(k) != v)
    seeds = sorted(k for k, v in current.seeds.items() if previous.seeds.get(k) != v)
    select = [f"source:{t}+" for t in tables] + [f"{s}+" for s in seeds]
    if not select:
        return BuildPlan(full=False, reason="nothing changed since the last build")
    changed = sorted({t.split(".")[0] for t in tables})
    words = []
    if changed:
        words.append("new data in " + ", ".join(changed))
    if seeds:
        words.append("changed seeds " + ", ".join(seeds))
    return BuildPlan(full=False, select=select, reason="; ".join(words) + ": rebuilding what depends on them")


def plan_for(paths: Paths, full: bool = False) -> tuple[BuildPlan, BuildInputs]:
    """Read the database's state and today's inputs; decide (read-only on the database)."""
    if not paths.db.exists():
        return BuildPlan(full=True, reason="no database yet"), BuildInputs(project=project_fingerprint())
    con = connect(paths.db, read_only=True)
    try:
        current = current_inputs(con)
        previous = LastBuild() if full else last_build(con)
    finally:
        con.close()
    if full:
        return BuildPlan(full=True, reason="--full: everything asked for"), current
    return plan(previous.inputs, current, previous.unfinished), current

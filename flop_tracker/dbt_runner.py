"""Run dbt in-process against the project in this repository.

In-process invocation pays dbt's import cost once per command instead of once
per dbt call. The database path, target and log folders all come from the data
directory, so two data directories (a user's and a test's) never share state.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from flop_tracker.build_state import clear_inputs
from kernel.database import DatabaseLockedError, locked_message
from kernel.paths import DATA_DIR_ENV, DB_ENV, PROJECT_ROOT, Paths, decisions_dir

# dbt unit tests check the SQL's logic on fixed inputs (see the models' YAML); they run in the test suite
# (tests/test_dbt_unit_tests.py: `dbt test --select test_type:unit`), not on every build of the data, as
# dbt's documentation advises for production runs (~0.5 s each).
NO_UNIT_TESTS = ["--exclude", "resource_type:unit_test"]


@dataclass
class DbtOutcome:
    """What a dbt invocation came to, in terms a person can act on."""

    success: bool
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    error: str = ""
    files: object | None = None  # dataset_files.WrittenFiles after a planned build
    plan: str = ""  # why the planned build built what it built (build_state.BuildPlan.reason)
    elapsed_s: float | None = None  # dbt's own clock for the command
    dropped: list = field(default_factory=list)  # (name, reason, count) identity excluded
    nodes: list = field(default_factory=list)  # dbt's own result per node (e.g. source freshness results)
    history: object | None = None  # history.Build recorded after a complete build
    duplicates: list = field(default_factory=list)  # (model_id, other_model_id, shared) not yet resolved
    unknown_decisions: list = field(default_factory=list)  # (line, ReviewDecision) naming no model


def dbt_env(paths: Paths) -> dict[str, str]:
    """Environment for dbt: where the database is and where dbt may write its own files."""
    return {
        DB_ENV: str(paths.db),
        DATA_DIR_ENV: str(paths.data_dir),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "DBT_TARGET_PATH": str(paths.data_dir / ".dbt" / "target"),
        "DBT_LOG_PATH": str(paths.data_dir / ".dbt" / "logs"),
        "DBT_PARTIAL_PARSE": "True",
    }


def release_database() -> None:
    """Close the DuckDB handle dbt-duckdb keeps open after an in-process run.

    dbt-duckdb caches its connection for the life of the process; left open, it
    blocks every later reader or writer of the same file (DuckDB allows one writer).
    """
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # pragma: no cover - dbt-duckdb is a dependency
        return
    env = DuckDBConnectionManager._ENV
    if env is not None:
        env.close()
    DuckDBConnectionManager.close_all_connections()


SHADOWED = ("models", "macros", "snapshots", "tests", "analyses", "dbt_project.yml", "profiles.yml")


def project_dir(paths: Paths) -> Path:
    """The dbt project to run: the repository, or a shadow of it when decisions live elsewhere.

    When $FLOP_TRACKER_DECISIONS_DIR points away from seeds/decisions (tests, scratch
    reviews), a shadow project under the data directory links every part of the real
    project and puts the decisions folder at seeds/decisions, so dbt sees ordinary
    relative seed paths and never writes beside the decisions themselves.
    """
    decisions = decisions_dir()
    if decisions == PROJECT_ROOT / "seeds" / "decisions":
        return PROJECT_ROOT
    shadow = paths.data_dir / ".dbt" / "project"
    (shadow / "seeds").mkdir(parents=True, exist_ok=True)
    links = {name: PROJECT_ROOT / name for name in SHADOWED if (PROJECT_ROOT / name).exists()}
    links["seeds/curated"] = PROJECT_ROOT / "seeds" / "curated"
    links["seeds/decisions"] = decisions
    for name, target in links.items():
        link = shadow / name
        if link.is_symlink() and link.resolve() == target.resolve():
            continue
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(target)
    return shadow


# Parse once per process. Every dbt invocation otherwise re-reads and re-validates the whole project
# (~0.4 s with partial parsing, ~3 s in a fresh data directory); the parsed manifest is kept and
# handed to the next invocation while nothing it depends on has changed (see _parse_key). One entry:
# the last project used, so a test session that builds many data directories holds one manifest.
_PARSED: dict[str, object] = {}
PARSED_COMMANDS = {"build", "run", "test", "seed", "snapshot", "compile", "show", "ls", "list", "source"}
WRITE_COMMANDS = {"build", "run", "seed", "snapshot"}


def _parse_key(project: Path, args: list[str]) -> str:
    """What a parse depends on: the project's files (names, sizes, times), the database, the --vars.

    Seed contents are read when a seed runs, not at parse time, so a decision appended to a seed does
    not force a parse; adding or removing a seed file does.
    """
    parts = [str(project), os.environ.get(DB_ENV, ""), str(decisions_dir())]
    if "--vars" in args[:-1]:
        parts.append(args[args.index("--vars") + 1])
    for folder in ("models", "macros", "snapshots", "tests/data_tests", "analyses"):
        for path in sorted((PROJECT_ROOT / folder).rglob("*")):
            if path.is_file():
                stat = path.stat()
                parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    for path in (PROJECT_ROOT / "dbt_project.yml", PROJECT_ROOT / "profiles.yml"):
        if path.exists():
            parts.append(f"{path}:{path.stat().st_mtime_ns}")
    for folder in (PROJECT_ROOT / "seeds" / "curated", decisions_dir()):
        for path in sorted(folder.glob("*")) if folder.is_dir() else []:
            parts.append(f"{path.name}:{path.stat().st_mtime_ns}" if path.suffix == ".yml" else path.name)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def without_snapshots(args: list[str]) -> list[str]:
    """`dbt build` args that leave the snapshots out (merged into an --exclude already given).

    The mart's history is taken only after a complete build has written its files
    (pipeline.build); a `dbt build` of a selection, a failed build, or a validate/backtest
    scratch copy must never record a version of it.
    """
    if not args or args[0] != "build":
        return args
    if "--exclude" in args:
        at = args.index("--exclude") + 1
        return [*args[:at], "resource_type:snapshot", *args[at:]]
    return [*args, "--exclude", "resource_type:snapshot"]


def forget_parsed_project() -> None:
    """Drop the kept manifest (the next invocation parses again)."""
    _PARSED.clear()


def run_dbt(args: list[str], paths: Paths, quiet: bool = True, planned: bool = False) -> DbtOutcome:
    """Invoke `dbt <args>` with this project's profile and the data directory's database.

    A command that writes relations clears the database's record of what it was built from
    (build_state), unless the build planner itself runs it (`planned`) and records the inputs
    after a success: a database built any other way is never taken for an up-to-date one.
    """
    if args and args[0] in WRITE_COMMANDS and not planned:
        clear_inputs(paths.db)
    env = dbt_env(paths)
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    from dbt.cli.main import dbtRunner  # imported late: ~3 s, only when a build is wanted

    project = project_dir(paths)
    where = ["--project-dir", str(project), "--profiles-dir", str(project)]
    # dbt prints an unexpected error's traceback even with --quiet (a locked database, a compile
    # error): nothing goes to the terminal, the outcome carries the message and data/.dbt/logs/dbt.log
    # the details.
    flags = ["--quiet", "--no-use-colors", "--log-level", "none"] if quiet else []
    # manifest.json and run_results.json are written after every command otherwise (~0.25 s at the end
    # of each build); nothing here reads them after a build: outcomes come from the in-process result.
    # `compile` and `docs` still write theirs (the benchmark's raw-SQL floor reads compiled code); the parse
    # keeps its partial-parse file but not the manifest (~0.25 s).
    no_json = ["--no-write-json"] if args and args[0] in WRITE_COMMANDS | {"test"} else []
    full = [*flags, *no_json, *without_snapshots(args), *where]
    cwd = Path.cwd()
    os.chdir(project)
    try:
        runner = dbtRunner()
        result = None
        if args and args[0] in PARSED_COMMANDS:
            key = _parse_key(project, args)
            if key not in _PARSED:
                vars_args = args[args.index("--vars") : args.index("--vars") + 2] if "--vars" in args[:-1] else []
                parsed = dbtRunner().invoke([*flags, "--no-write-json", "parse", *vars_args, *where])
                _PARSED.clear()
                if parsed.success:
                    _PARSED[key] = parsed.result
                else:
                    result = parsed  # the parse error is the outcome
            if key in _PARSED:
                runner = dbtRunner(manifest=_PARSED[key])
        if result is None:
            result = runner.invoke(full)
    finally:
        os.chdir(cwd)
        release_database()
        for key, value in saved.items():  # leave the caller's environment as it was
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    outcome = DbtOutcome(success=bool(result.success))
    if result.exception is not None:
        message = " ".join(str(result.exception).split())
        if "Could not set lock" in message:
            raise DatabaseLockedError(locked_message(paths.db, message))
        outcome.error = message[:500]
    outcome.elapsed_s = getattr(result.result, "elapsed_time", None)
    node_results = getattr(result.result, "results", None) or []
    outcome.nodes = list(node_results)
    for node in node_results:
        status = str(getattr(node, "status", "")).split(".")[-1].lower()
        outcome.counts[status] = outcome.counts.get(status, 0) + 1
        if status in {"error", "fail"}:
            name = getattr(getattr(node, "node", None), "name", "?")
            message = (getattr(node, "message", "") or "").strip().replace("\n", " ")
            if "Could not set lock" in message:
                raise DatabaseLockedError(locked_message(paths.db, message))
            broken = broken_rules(paths, node.node) if status == "fail" else []
            if broken:
                message = f"{len(broken)} rule(s) broken: " + "; ".join(broken)
            outcome.failures.append(f"{name}: {message[:300]}")
    return outcome


def broken_rules(paths: Paths, node: object) -> list[str]:
    """For a failed row_rules test, each broken rule with its row count (dbt only says how many).

    The test's compiled query returns one row per broken rule; it is run again, read-only,
    once dbt has let go of the database.
    """
    metadata = getattr(node, "test_metadata", None)
    sql = getattr(node, "compiled_code", None)
    if getattr(metadata, "name", None) != "row_rules" or not sql:
        return []
    import duckdb

    try:
        con = duckdb.connect(str(paths.db), read_only=True)
    except duckdb.Error:
        return []
    try:
        rows = con.execute(f"select rule, failing_rows from ({sql}) as broken order by rule").fetchall()
    except duckdb.Error:
        return []
    finally:
        con.close()
    return [f"{rule} ({n} row{'s' if n != 1 else ''})" for rule, n in rows]

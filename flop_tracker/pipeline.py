"""The steps `run` chains: ingest every source, then build. Commands call these; tests too."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from flop_tracker import build_state, history
from flop_tracker.console import console
from flop_tracker.dataset_files import write_dataset_files
from flop_tracker.dbt_runner import NO_UNIT_TESTS, DbtOutcome, run_dbt
from flop_tracker.hub_repos import tracked_hub_repos
from ingest import registry
from ingest.base import Source
from ingest.http import HttpClient
from ingest.huggingface import HuggingFaceSource, ingest_repo_files
from ingest.loader import LOADED, ensure_tables
from ingest.runner import Ingestor, RunResult, saved_captures
from ingest.settings import Settings, client_for, load_settings
from kernel.database import connect
from kernel.paths import Paths
from kernel.text import clean_terminal, terminal_text


@dataclass
class IngestSummary:
    """Results of ingesting several sources, grouped for the closing table."""

    results: list[RunResult] = field(default_factory=list)

    def for_source(self, name: str) -> list[RunResult]:
        return [r for r in self.results if r.source == name]

    @property
    def unreachable(self) -> list[str]:
        return sorted({r.source for r in self.results if r.status == "unreachable"})

    @property
    def failed(self) -> list[RunResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def degraded(self) -> list[RunResult]:
        return [r for r in self.results if r.status == "degraded"]

    def table(self) -> Table:
        """Per source: rows, captures loaded (degraded ones too), already loaded, and each problem's why."""
        table = Table(title="Ingest summary", title_justify="left", expand=False)
        table.add_column("source", no_wrap=True)
        table.add_column("rows", justify="right")
        table.add_column("loaded", justify="right")
        table.add_column("same", justify="right")
        table.add_column("problems and why", overflow="fold", max_width=44)
        for name in dict.fromkeys(r.source for r in self.results):
            rs = self.for_source(name)
            bad = [r for r in rs if r.status in {"failed", "unreachable", "degraded"}]
            reasons = dict.fromkeys(_reason(r) for r in bad)
            why = "; ".join(clean_terminal(x, 90) for x in list(reasons)[:3])
            if len(reasons) > 3:
                why += f"; +{len(reasons) - 3} more"
            table.add_row(
                terminal_text(name),
                str(sum(r.rows for r in rs)),
                str(sum(r.status in LOADED for r in rs)),
                str(sum(r.status == "unchanged" for r in rs)),
                terminal_text(f"{len(bad)}: {why}" if bad else "0"),
            )
        return table


def _reason(result: RunResult) -> str:
    """The why of a failure without the URL or file it happened to (the log line has those)."""
    text = result.message
    origin = result.origin
    if origin and text.startswith(origin):
        text = text[len(origin) :].lstrip(": ")
    if result.status == "degraded":
        return f"degraded {text.strip('()')}"
    return f"{result.status}: {text}" if result.status == "unreachable" else text


def problem_lines(source: str, results: list[RunResult]) -> list[str]:
    """One line per failed or degraded capture, and ONE line for all of a source's unreachable URLs."""
    lines = [r.line for r in results if r.status in {"failed", "degraded"}]
    unreachable = [r for r in results if r.status == "unreachable"]
    if len(unreachable) == 1:
        lines.append(unreachable[0].line)
    elif unreachable:
        reasons = list(dict.fromkeys(_reason(r).removeprefix("unreachable: ") for r in unreachable))
        why = reasons[0] if len(reasons) == 1 else f"{reasons[0]}; +{len(reasons) - 1} other reasons"
        lines.append(f"{source}: unreachable: {len(unreachable)} URLs: {clean_terminal(why, 120)}")
    return lines


def selected_sources(names: Iterable[str] | None) -> list[Source]:
    names = list(names or [])
    return [registry.get(n) for n in names] if names else list(registry.SOURCES.values())


def load_live_settings() -> Settings:
    """The settings file in force, checked against the known sources (SettingsError if unusable)."""
    return load_settings(known_sources=set(registry.SOURCES))


def live_addresses(source: Source, settings: Settings, urls: Iterable[str] | None = None) -> tuple[str, ...]:
    """Where a source is fetched from: `urls` (ingest --url) if given, else the settings', else its own."""
    chosen = tuple(urls or ())
    return chosen or settings.urls_for(source.name, source.live_urls)


def ingest(
    paths: Paths,
    sources: list[Source],
    live: bool = True,
    offline: bool = False,
    captures_dir: Path | None = None,
    client: HttpClient | None = None,
    quiet: bool = False,
    settings: Settings | None = None,
    urls: dict[str, tuple[str, ...]] | None = None,
) -> IngestSummary:
    """Ingest each source in turn; a source's failure is recorded and the next one goes on.

    live: fetch the source's live addresses (`urls` per source name, else the settings file's, else
    the source's own; for the Hub, also the config.json and card of each repository of a model the last
    build tracked). offline: replay the newest stored capture per origin.
    captures_dir: also load every saved capture of the source found there.
    """
    summary = IngestSummary()
    settings = settings or load_live_settings()
    client = client or client_for(settings)
    with (
        Ingestor(paths, list(registry.SOURCES.values())) as ingestor,
        Progress(
            TextColumn("{task.description:<14}"),
            BarColumn(bar_width=24),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=quiet,
        ) as progress,
    ):
        for source in sources:
            addresses = live_addresses(source, settings, (urls or {}).get(source.name)) if live else ()
            steps = len(addresses) + (1 if offline else 0)
            files = saved_captures(source, captures_dir) if captures_dir else []
            task = progress.add_task(source.name, total=steps + len(files))
            results: list[RunResult] = []
            if live:
                for url in addresses:
                    results.append(ingestor.ingest_url(source, url, client))
                    progress.advance(task)
                if source.name == HuggingFaceSource.name:  # config.json and card of each tracked repository
                    results.extend(ingest_repo_files(ingestor, tracked_hub_repos(ingestor.con)))
            if offline or (live and any(r.status == "unreachable" for r in results)):
                results.extend(ingestor.ingest_offline(source))
                progress.advance(task)
            results.extend(ingestor.ingest_files(source, files, lambda task=task: progress.advance(task)))
            if not quiet:
                for line in problem_lines(source.name, results):
                    console.print(line, markup=False)
            summary.results.extend(results)
    return summary


# Seeds are dropped and created again from their files on every build that loads them. dbt otherwise
# reloads an existing seed table in place, keeping its old columns, so a seed that gained or lost a
# column (a pulled commit) fails every build of an existing database. The project has no incremental
# models and builds exclude snapshots, so --full-refresh changes nothing else; seeds are a few kB.
SEEDS_RELOADED = ["--full-refresh"]


def ensure_raw(paths: Paths) -> None:
    """Create every raw table (empty) so staging views compile before any source was reached."""
    con = connect(paths.db)
    try:
        ensure_tables(con, list(registry.SOURCES.values()))
    finally:
        con.close()


def build(paths: Paths, select: list[str] | None = None, full: bool = False) -> DbtOutcome:
    """`dbt build` of what changed since the last build (or `select`, or everything), then the files.

    The seeds people write (review decisions, manual models) are validated first: dbt would
    load a hand-edited file with a bad header or an unknown decision without complaint, so a
    malformed one stops the build with the file and line, before anything is rebuilt.

    Without `select`, build_state decides: everything when the project changed or the database
    has no complete build, else only what depends on a raw table or seed that changed, else
    nothing (dbt is not even imported). Before dbt starts, the record says the build is incomplete
    (and what it covers); after a success the three CSV files are rewritten from the mart and only
    then, once the history has its snapshot (`history.record_build`), is the build recorded complete
    (`complete_build`): a build interrupted anywhere is rebuilt by the next one, and published files are
    always in the history. An explicit `select` builds just that, writes no files, and clears the record
    (the database is no longer known to match one set of inputs).
    """
    from review.checks import validate_decision_seeds
    from review.seedfile import SeedFileError

    try:
        validate_decision_seeds()
    except SeedFileError as exc:
        return DbtOutcome(success=False, error="a decisions seed is malformed; nothing was built", failures=[str(exc)])
    ensure_raw(paths)
    if select:
        with console.status("dbt build: the selected nodes...", spinner="dots"):
            return run_dbt(["build", "--select", *select, *SEEDS_RELOADED, *NO_UNIT_TESTS], paths)
    plan, inputs = build_state.plan_for(paths, full=full)
    if plan.nothing_to_do:
        outcome = DbtOutcome(success=True)
    else:
        _record(paths, lambda con: build_state.mark_incomplete(con, plan))  # before dbt touches anything
        args = ["build", *SEEDS_RELOADED, *NO_UNIT_TESTS]
        if not plan.full:
            args[1:1] = ["--select", *plan.select]
        with console.status(f"dbt build ({plan.reason})...", spinner="dots"):
            outcome = run_dbt(args, paths, planned=True)
    outcome.plan = plan.reason
    if outcome.success:
        outcome.files = write_dataset_files(paths)
        # history before the record says complete: files once published are always in the history (a build
        # stopped before the record is done again by the next one, whose snapshot then adds nothing)
        recorded = history.record_build(paths, inputs, skip_if_unchanged=plan.nothing_to_do)
        outcome.history = recorded.build
        if recorded.error:
            outcome.success = False
            outcome.error = f"the files were written, but the build's history could not be recorded: {recorded.error}"
            return outcome  # not complete: the next build builds it again and records it
        complete_build(paths, inputs)
        outcome.dropped = dropped_names(paths)
        outcome.duplicates = flagged_duplicates(paths)
        outcome.unknown_decisions = unknown_decisions(paths)
    return outcome


def complete_build(paths: Paths, inputs: build_state.BuildInputs) -> None:
    """The one step that makes a build complete: the models and the three CSV files are up to date with
    `inputs`, their history recorded (history.record_build), and the record says so."""
    _record(paths, lambda con: build_state.save_inputs(con, inputs))


def _record(paths: Paths, write) -> None:
    con = connect(paths.db)
    try:
        write(con)
    finally:
        con.close()


def _read(paths: Paths, sql: str) -> list[tuple]:
    """Rows of one query on a read-only connection, closed at once (an open reader locks out a build)."""
    con = connect(paths.db, read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def dropped_names(paths: Paths) -> list[tuple[str, str, int]]:
    """What identity dropped and why: (normalised name, reason, names dropped)."""
    return _read(
        paths,
        "select normalized_name, exclusion_reason, n_names from intermediate.int_model_names_excluded "
        "order by n_names desc, normalized_name",
    )


def flagged_duplicates(paths: Paths) -> list[tuple[str, str, str]]:
    """Model ids that look like one model under two ids and that no seed explains: (id, other id, shared)."""
    return _read(
        paths,
        "select model_id, other_model_id, shared from intermediate.int_model_duplicates_flagged "
        "where not is_allowed order by model_id, other_model_id",
    )


def unknown_decisions(paths: Paths) -> list[tuple[int, object]]:
    """Decisions whose model_id names no model (a typo, a model since renamed or dropped): (line, decision).

    The mart applies a decision by its model_id and ignores one that matches nothing; this says which,
    so nothing a reviewer entered is ignored without a word. A model is any tracked model
    (intermediate.int_models_identified), with an estimate or not yet.
    """
    from review.decisions import decisions_path, read_decision_lines

    rows = read_decision_lines(decisions_path())
    if not rows:
        return []
    known = {r[0] for r in _read(paths, "select model_id from intermediate.int_models_identified")}
    return [(line, decision) for line, decision in rows if decision.model_id not in known]

"""`ingest`, `build` and `run`, plus the names users of the previous system know.

collect-all            = ingest (every source)
estimate-flops --update = build (estimates, classification, CSV files)
refresh-dataset        = build
"""

from __future__ import annotations

import argparse
from pathlib import Path

from flop_tracker import pipeline
from flop_tracker.commands import status_cmd
from flop_tracker.commands.common import paths_from
from flop_tracker.console import console, fail, warn
from ingest import registry
from ingest.settings import SettingsError
from kernel.paths import default_captures_dir, shown_path
from kernel.text import clean_terminal


def _sources_help() -> str:
    return "\n".join(f"  {s.name:<12} {s.description}" for s in registry.SOURCES.values())


def cmd_ingest(args: argparse.Namespace) -> int:
    paths = paths_from(args)
    try:
        sources = pipeline.selected_sources(args.sources)
    except KeyError as exc:
        fail(str(exc.args[0]))
        return 2
    if args.manual_map and (not args.file or [s.name for s in sources] != ["manual"]):
        fail("--source NAME goes with `manual` and a file: `flop-tracker ingest manual --file PAGE --source NAME`")
        return 2
    if args.file and args.url:
        fail("--file loads a saved capture and --url fetches live: use one of them")
        return 2
    if args.file:
        if len(sources) != 1 or not args.sources:
            fail("--file needs exactly one SOURCE, e.g. `flop-tracker ingest lmarena --file page.html`")
            return 2
        from ingest.runner import Ingestor

        with Ingestor(paths, list(registry.SOURCES.values())) as ingestor:
            if args.manual_map:  # `ingest manual --file PAGE --source NAME`: read with ingest/manual_maps/NAME.yml
                from ingest.manual import ingest_saved

                try:
                    results = [ingest_saved(ingestor, sources[0], Path(f), args.manual_map) for f in args.file]
                except KeyError as exc:
                    fail(str(exc.args[0]))
                    return 2
            else:
                results = [ingestor.ingest_file(sources[0], Path(f)) for f in args.file]
        for r in results:
            console.print(r.line, markup=False, soft_wrap=True)
        return 0 if all(r.status in {"ok", "degraded", "unchanged"} for r in results) else 1
    urls = None
    if args.url:
        if len(sources) != 1 or not args.sources:
            fail("--url needs exactly one SOURCE, e.g. `flop-tracker ingest lmarena --url https://mirror/x.json`")
            return 2
        if args.offline:
            fail("--url fetches live; it does not go with --offline")
            return 2
        bad = next((u for u in args.url if not u.startswith(("http://", "https://"))), None)
        if bad is not None:
            fail(f"--url {bad!r}: not an http(s) URL")
            return 2
        urls = {sources[0].name: tuple(args.url)}
    captures = Path(args.captures).resolve() if args.captures else None
    try:
        summary = pipeline.ingest(
            paths, sources, live=not args.offline, offline=args.offline, captures_dir=captures, urls=urls
        )
    except SettingsError as exc:
        fail(str(exc))
        return 2
    console.print(summary.table())
    bad = [r for r in summary.results if r.status in {"failed", "unreachable"}]
    return 1 if bad else 0


def _report_build(outcome) -> int:
    counts = ", ".join(f"{n} {k}" for k, n in sorted(outcome.counts.items()))
    if outcome.success:
        why = f" ({outcome.plan})" if outcome.plan else ""
        console.print(f"build ok{why}: {counts or 'dbt not run'}", markup=False)
        if outcome.files is not None:
            f = outcome.files
            console.print(
                f"wrote {f.above} candidates (data/clean/above_1e25_flop.csv), {f.below} below "
                f"(data/clean/below_1e25_flop.csv), {f.staging} confirmed (data/staging/above_1e25_flop_staging.csv)",
                markup=False,
            )
        if outcome.dropped:
            total = sum(n for _, _, n in outcome.dropped)
            shown = ", ".join(f"{clean_terminal(name, 60)} ({n})" for name, _, n in outcome.dropped[:6])
            more = f", +{len(outcome.dropped) - 6} more" if len(outcome.dropped) > 6 else ""
            console.print(
                f"dropped {total} generic or placeholder names: {shown}{more} "
                "(reasons: seeds/curated/excluded_model_names.csv; list: intermediate.int_model_names_excluded)",
                markup=False,
            )
        if outcome.duplicates:
            shown = ", ".join(
                f"{clean_terminal(a)} / {clean_terminal(b)} ({clean_terminal(shared)})"
                for a, b, shared in outcome.duplicates[:4]
            )
            more = f", +{len(outcome.duplicates) - 4} more" if len(outcome.duplicates) > 4 else ""
            console.print(
                f"{len(outcome.duplicates)} pair(s) of model ids look like one model: {shown}{more} "
                "(merge them in seeds/curated/model_aliases.csv, or say why they differ in "
                "seeds/curated/distinct_model_pairs.csv; list: intermediate.int_model_duplicates_flagged)",
                markup=False,
            )
        warn_unknown_decisions(outcome)
        return 0
    fail(f"dbt build failed ({counts or outcome.error})")
    for line in outcome.failures:
        fail(f"  {line}")
    if outcome.error and not outcome.failures:
        fail(f"  {outcome.error}")
    return 1


def warn_unknown_decisions(outcome) -> None:
    """One warning per decision that names no model: the file, the line, the id, what it decided."""
    for line, decision in outcome.unknown_decisions:
        warn(
            f"review_decisions.csv line {line}: {clean_terminal(decision.model_id)!r} names no model, so the "
            f"decision ({decision.decision} by {clean_terminal(decision.reviewer)}) is not applied; correct its "
            'model_id (`flop-tracker sql "select model_id, model from models"` lists them)'
        )


def cmd_build(args: argparse.Namespace) -> int:
    if args.select and args.full:
        fail("--select and --full do not go together: --full builds everything")
        return 2
    return _report_build(pipeline.build(paths_from(args), args.select, full=args.full))


def cmd_run(args: argparse.Namespace) -> int:
    paths = paths_from(args)
    captures = (
        None if args.no_captures else (Path(args.captures).resolve() if args.captures else default_captures_dir())
    )
    try:
        summary = pipeline.ingest(
            paths,
            pipeline.selected_sources(None),
            live=not args.offline,
            offline=True,
            captures_dir=captures,
        )
    except SettingsError as exc:
        fail(str(exc))
        return 2
    console.print(summary.table())
    if summary.unreachable:
        console.print(
            "Could not reach: " + ", ".join(summary.unreachable) + " (built from stored and saved captures instead)",
            markup=False,
        )
    if captures:
        console.print(f"Saved captures read from {shown_path(captures)}", markup=False)
    built = _report_build(pipeline.build(paths))
    console.print("\nSources: how old the newest data is (flop-tracker status)", markup=False)
    stale = status_cmd.check(args)
    if built == 0:  # the run ends with one line of what this build changed
        from flop_tracker.changes import latest_summary

        console.print(latest_summary(paths), markup=False, soft_wrap=True)
    return built or stale


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    fmt = argparse.RawDescriptionHelpFormatter
    p = sub.add_parser(
        "ingest",
        aliases=["collect-all"],
        parents=[common],
        formatter_class=fmt,
        help="fetch or load sources into the raw schema (alias: collect-all)",
        description="Store each capture under data/raw/<source>/ with its sha256, parse it, and load it\n"
        "into DuckDB's raw schema in one transaction. A capture already loaded is skipped.\n"
        "A failing source is recorded and reported; the others go on.\n\n"
        "Live addresses come from each source, or from the settings file ($FLOP_TRACKER_SETTINGS,\n"
        "else flop-tracker.toml; see flop-tracker.example.toml), or from --url for one run.\n"
        "A capture fetched before is asked for conditionally: a 304 is recorded as unchanged.\n\n"
        "sources:\n" + _sources_help(),
        epilog="examples:\n"
        "  flop-tracker ingest                         fetch every source live\n"
        "  flop-tracker ingest lmarena --file page.html  load a saved capture\n"
        "  flop-tracker ingest lmarena --url https://mirror.example/leaderboard-text.json\n"
        "                                              fetch a source live from another address\n"
        "  flop-tracker ingest manual --file page.html --source artificial_analysis\n"
        "                                              read a saved JavaScript page with its column map\n"
        "  flop-tracker ingest --offline               replay the newest stored captures\n"
        "  flop-tracker ingest --captures ../shared/data  load every saved capture found there",
    )
    p.add_argument("sources", nargs="*", metavar="SOURCE", help="sources to ingest (default: all)")
    p.add_argument("--file", action="append", metavar="PATH", help="load a saved capture (repeatable)")
    p.add_argument("--offline", action="store_true", help="replay the newest stored capture; no network")
    p.add_argument(
        "--url",
        action="append",
        metavar="URL",
        help="fetch the one SOURCE live from URL instead of its own address (repeatable)",
    )
    p.add_argument("--captures", metavar="DIR", help="also load saved captures found in DIR")
    p.add_argument(
        "--source",
        dest="manual_map",
        metavar="NAME",
        help="with `manual --file`: the column map ingest/manual_maps/NAME.yml that reads the saved page",
    )
    p.set_defaults(func=cmd_ingest)

    for name, aliases, text in (
        ("build", ["refresh-dataset"], "run dbt: seeds, staging, estimates, marts, tests; write CSV files"),
        ("estimate-flops", [], "same as build (kept for users of the previous system; --update accepted)"),
    ):
        p = sub.add_parser(
            name,
            aliases=aliases,
            parents=[common],
            help=text + (f" (alias: {', '.join(aliases)})" if aliases else ""),
            description="Run `dbt build` against the data directory's database, then write\n"
            "data/clean/above_1e25_flop.csv, data/clean/below_1e25_flop.csv and\n"
            "data/staging/above_1e25_flop_staging.csv. Fails loudly when a data test fails.\n\n"
            "Only what changed is rebuilt: the database records what its last build read (the\n"
            "project's SQL and YAML, each raw table, each seed file). A changed project builds\n"
            "everything; new data or an edited seed rebuilds what depends on it, with its tests;\n"
            "when nothing changed, dbt is not run and the files are rewritten as they are.",
            epilog="examples:\n"
            "  flop-tracker build                  rebuild what changed, write the three files\n"
            "  flop-tracker build --full           rebuild and test everything\n"
            "  flop-tracker build --select models+ a dbt selection only (no files written)",
            formatter_class=fmt,
        )
        p.add_argument(
            "--select",
            nargs="+",
            metavar="NODE",
            help="build just this dbt selection; writes no files (default: what changed)",
        )
        p.add_argument("--full", action="store_true", help="rebuild and test everything, changed or not")
        if name == "estimate-flops":
            p.add_argument("--update", action="store_true", help="write the CSV files (always done)")
        p.set_defaults(func=cmd_build)

    p = sub.add_parser(
        "run",
        parents=[common],
        formatter_class=fmt,
        help="the main job: ingest every source, then build",
        description="Fetch every source live; where one cannot be reached, replay its newest stored\n"
        "capture and load the saved captures folder ($FLOP_TRACKER_CAPTURES, or ../shared/data\n"
        "when present). Then build. Says which sources it could not reach, and ends with\n"
        "how old each source's newest data is (the `flop-tracker status` table).",
        epilog="exit status: 0; 1 when a source failed to build; 2 on bad arguments or settings;\n"
        f"{status_cmd.EXIT_STALE} with --fail-on-stale when the build succeeded but a source or lab feed is stale.",
    )
    p.add_argument("--offline", action="store_true", help="do not fetch; use stored and saved captures")
    p.add_argument("--captures", metavar="DIR", help="saved captures folder (default: ../shared/data if present)")
    p.add_argument("--no-captures", action="store_true", help="do not load a saved captures folder")
    status_cmd.add_fail_on_stale(p)
    p.set_defaults(func=cmd_run)

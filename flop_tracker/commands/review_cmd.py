"""`review-candidates`, `manual-entry` and `import-previous`: the people's side of the dataset.

Each writes one seed in the decisions folder (seeds/decisions/, or
$FLOP_TRACKER_DECISIONS_DIR), validated with pydantic, atomically and under a lock; then
the pipeline rebuilds so the three CSV files show the result.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flop_tracker import pipeline
from flop_tracker.commands.common import paths_from
from flop_tracker.commands.pipeline_cmds import warn_unknown_decisions
from flop_tracker.console import console, fail
from kernel.paths import Paths
from kernel.text import clean_terminal
from review.seedfile import SeedFileError, describe_error


def _rebuild(paths: Paths) -> bool:
    """Validate the people's seeds, then build; False (after saying why) when either fails."""
    from review.checks import validate_decision_seeds

    try:
        validate_decision_seeds()
    except SeedFileError as exc:
        fail(str(exc))
        return False
    outcome = pipeline.build(paths)
    if not outcome.success:
        fail(f"rebuild failed: {outcome.error or 'dbt build failed'}")
        for line in outcome.failures:
            fail(f"  {line}")
        return False
    if outcome.files is not None:
        f = outcome.files
        console.print(
            f"Rebuilt: {f.above} candidates, {f.below} below, {f.staging} in staging (confirmed above 1e25 FLOP)",
            markup=False,
            soft_wrap=True,
        )
    warn_unknown_decisions(outcome)
    return True


def _needs_terminal(command: str) -> bool:
    if sys.stdin.isatty() and sys.stdout.isatty():
        return False
    fail(f"{command} asks questions and needs a terminal (stdin and stdout must be a TTY)")
    return True


# ---------------------------------------------------------------- review-candidates


def cmd_review(args: argparse.Namespace) -> int:
    from review.decisions import decisions_path, default_reviewer, known_model, read_decisions
    from review.session import ReviewPrompts, compare, load_mart, print_moves, review

    paths = paths_from(args)
    path = decisions_path()
    reviewer = default_reviewer(args.reviewer)
    console.print("Loading datasets...", markup=False, soft_wrap=True)
    try:
        read_decisions(path)
    except SeedFileError as exc:
        fail(str(exc))
        return 2
    before = load_mart(paths)
    if _needs_terminal("review-candidates"):
        return 2
    result = review(
        before, path, reviewer, ReviewPrompts(), console, batch_size=args.batch_size, known=known_model(paths)
    )
    above = sum(d.decision == "y" for d in result.saved)
    gone = f"; {len(result.not_a_model)} not saved (no longer a model)" if result.not_a_model else ""
    console.print()
    console.print(
        f"Saved {len(result.saved)} decisions as {clean_terminal(reviewer)} ({above} above, "
        f"{len(result.saved) - above} below) in {path}; skipped {len(result.skipped)}{gone}",
        markup=False,
        soft_wrap=True,
    )
    if result.interrupted:
        console.print("Interrupted: every decision made so far is saved.", markup=False, soft_wrap=True)
    if not result.saved:
        return 130 if result.interrupted else 0
    if args.no_build or result.interrupted:
        console.print("Run `flop-tracker build` to apply them to the CSV files.", markup=False, soft_wrap=True)
        return 130 if result.interrupted else 0
    if not _rebuild(paths):
        fail("the decisions are saved; fix the problem above and run `flop-tracker build`")
        return 1
    print_moves(compare(before, load_mart(paths), result.saved), console)
    return 0


# ---------------------------------------------------------------- manual-entry

FLAGS = [
    ("name", "model_name", "model name (giving it makes the command non-interactive)"),
    ("developer", "developer", "developer (required with --name)"),
    ("release-date", "release_date", "YYYY-MM-DD"),
    ("parameters", "total_parameters", "total parameters, e.g. 405B, 1.8T, 7e10"),
    ("active-parameters", "active_parameters", "active parameters per token (mixture of experts)"),
    ("tokens", "training_tokens", "training tokens, e.g. 15T"),
    ("hardware", "hardware_type", "accelerator, as in seeds/curated/hardware_specs.csv"),
    ("hardware-count", "hardware_count", "number of accelerators"),
    ("training-hours", "training_time_hours", "training time in hours"),
    ("precision", "training_precision", "fp32, tf32, fp16, bf16 or fp8"),
    ("disclosed-flop", "disclosed_training_flop", "training compute the developer states, in FLOP"),
    ("cost-usd", "training_cost_usd", "training cost in US dollars"),
    ("architecture", "architecture", "dense or moe"),
    ("source-url", "source_url", "http(s) address of the page stating these facts (required with --name)"),
    ("notes", "notes", "free text"),
]


def cmd_manual_entry(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from review.decisions import default_reviewer, now_utc
    from review.manual_entry import (
        FormPrompts,
        ManualEntryError,
        append_manual_model,
        manual_models_path,
        read_manual_models,
        run_form,
        validate_entry,
    )

    paths = paths_from(args)
    path = manual_models_path()
    entered_by = default_reviewer(args.reviewer)
    try:
        existing = read_manual_models(path)
    except ManualEntryError as exc:
        fail(str(exc))
        return 2
    given = {field: getattr(args, field) for _, field, _ in FLAGS if getattr(args, field) is not None}
    if given:
        if "model_name" not in given:
            fail("--name is required when values are given as flags")
            return 2
        values = {**given, "entered_by": entered_by, "entered_at": now_utc()}
        try:
            entry = validate_entry(values)
        except ValidationError as exc:
            flag_of = {dest: flag for flag, dest, _ in FLAGS}
            for problem in describe_error(exc, {k: str(v) for k, v in values.items()}).split("; "):
                field, _, message = problem.partition(": ")
                fail(f"--{flag_of.get(field, field)}: {message}")
            fail(f"nothing saved to {path}")
            return 2
        for warning in entry.warnings():
            console.print(f"Note: {warning}", markup=False, soft_wrap=True)
    else:
        if _needs_terminal("manual-entry (without --name ...)"):
            return 2
        console.print(
            "Enter a model no source found. Numbers accept 405B, 1.8T, 3.8e25; Enter leaves an optional field "
            "empty; Ctrl-C cancels.",
            markup=False,
            soft_wrap=True,
        )
        try:
            entry = run_form(FormPrompts(), entered_by, lambda text: console.print(text, markup=False, soft_wrap=True))
        except (KeyboardInterrupt, EOFError):
            console.print("Cancelled: nothing saved.", markup=False, soft_wrap=True)
            return 130
        if entry is None:
            console.print("Not saved.", markup=False, soft_wrap=True)
            return 1
    earlier = [m for m in existing if m.model_name.lower() == entry.model_name.lower()]
    try:
        append_manual_model(entry, path)
    except ManualEntryError as exc:  # identity would drop or merge the entry, or the file changed under us
        fail(clean_terminal(str(exc)))
        return 2
    console.print(f"Saved {clean_terminal(entry.model_name)} to {path}", markup=False, soft_wrap=True)
    if earlier:
        console.print(
            f"It supersedes the earlier entry of {earlier[-1].entered_at:%Y-%m-%d %H:%M} by "
            f"{clean_terminal(earlier[-1].entered_by)}",
            markup=False,
            soft_wrap=True,
        )
    if args.no_build:
        console.print("Run `flop-tracker build` to estimate it.", markup=False, soft_wrap=True)
        return 0
    if not _rebuild(paths):
        return 1
    _show_entry(paths, entry.model_name)
    return 0


def _show_entry(paths: Paths, name: str) -> None:
    from kernel.database import connect

    con = connect(paths.db, read_only=True)
    try:
        row = con.execute(
            """
            select m.model_id, m.training_flop, m.flop_low, m.flop_high, m.estimation_method,
                m.threshold_classification, m.dataset_file
            from intermediate.int_model_names_normalized as n
            join main.models as m on m.model_id = n.model_id
            where n.source_name = 'manual_models' and n.raw_name = ?
            limit 1
            """,
            [name],
        ).fetchone()
    finally:
        con.close()
    if row is None:
        console.print(
            f"{clean_terminal(name)} has no estimate yet (not in the dataset files).", markup=False, soft_wrap=True
        )
        return
    model_id, flop, low, high, method, classification, dataset_file = row
    where = "the candidates file" if dataset_file == "candidates" else "the below file"
    console.print(
        f"{clean_terminal(model_id)}: {flop:.2e} FLOP (90% interval {low:.2e} - {high:.2e}) by {method}; "
        f"{classification}; in {where}",
        markup=False,
        soft_wrap=True,
    )


# ---------------------------------------------------------------- import-previous


def cmd_import_previous(args: argparse.Namespace) -> int:
    from review.decisions import decisions_path
    from review.import_previous import FILES, REVIEWER, import_previous
    from review.session import compare, load_mart, print_moves

    paths = paths_from(args)
    directory = Path(args.directory).resolve()
    if not directory.is_dir():
        fail(f"{directory}: not a folder (give the previous system's data folder, holding clean/ and staging/)")
        return 2
    missing = [str(rel) for rel in FILES.values() if not (directory / rel).is_file()]
    if missing:
        fail(f"{directory}: no {', '.join(missing)} (expected the previous system's data folder)")
        return 2
    try:
        before = load_mart(paths)
        report = import_previous(directory, paths, decisions_path(), args.all_staging, args.dry_run)
    except (SeedFileError, ValueError) as exc:
        fail(str(exc))
        return 2
    verb = "Would import" if args.dry_run else "Imported"
    console.print(f"{verb} {len(report.imported)} decisions as reviewer {REVIEWER}:", markup=False, soft_wrap=True)
    for verdict, model_id in report.imported:
        console.print(
            f"  {verdict.decision} {clean_terminal(verdict.name)} -> {clean_terminal(model_id)}: "
            f"{clean_terminal(verdict.reason, 70)}",
            markup=False,
            soft_wrap=True,
        )
    for verdict, existing in report.already_decided:
        console.print(
            f"Already decided, kept: {clean_terminal(verdict.name)} ({clean_terminal(existing.model_id)}: "
            f"{existing.decision} by {clean_terminal(existing.reviewer)})",
            markup=False,
            soft_wrap=True,
        )
    for verdict, why in report.unmapped:
        console.print(
            f"Could not map: {clean_terminal(verdict.name)} ({verdict.origin}): {clean_terminal(why)}",
            markup=False,
            soft_wrap=True,
        )
    for line in report.conflicts:
        console.print(f"Conflicting verdicts, not imported: {clean_terminal(line)}", markup=False, soft_wrap=True)
    for verdict, model_id in report.not_a_model:
        console.print(
            f"Not imported, no such model in the database: {clean_terminal(verdict.name)} -> "
            f"{clean_terminal(model_id)} ({verdict.origin})",
            markup=False,
            soft_wrap=True,
        )
    if report.not_in_dataset:
        console.print(
            "Tracked but without an estimate yet (the decision applies once one exists): "
            + ", ".join(clean_terminal(m) for m in report.not_in_dataset),
            markup=False,
            soft_wrap=True,
        )
    if report.not_reviewed:
        console.print(
            f"Not imported: {len(report.not_reviewed)} rows of its staging file that no reviewer verified "
            "(added by its automation); --all-staging imports them as y",
            markup=False,
            soft_wrap=True,
        )
    if args.dry_run or not report.imported or args.no_build:
        return 0
    if not _rebuild(paths):
        return 1
    print_moves(compare(before, load_mart(paths), []), console)
    return 0


# ---------------------------------------------------------------- registration


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    fmt = argparse.RawDescriptionHelpFormatter
    reviewer_help = "who decides (default: $FLOP_TRACKER_REVIEWER, else your user name)"

    p = sub.add_parser(
        "review-candidates",
        parents=[common],
        formatter_class=fmt,
        help="confirm or reject candidates one by one (y/n + reason), then rebuild",
        description="Show each candidate nobody has decided yet (data/clean/above_1e25_flop.csv rows not in\n"
        "data/staging/above_1e25_flop_staging.csv), most likely above first, and ask:\n"
        "  y - Add to staging dataset (model is above 1e25 FLOP) - will prompt for reason\n"
        "  n - Move to below_1e25_flop.csv with verified=y (model is below threshold) - will prompt for reason\n"
        "  skip - Skip this model for now\n"
        "  quit - Exit the review process\n"
        "Type the key (y, n, s, q) and Enter. Each decision is saved to the decisions seed\n"
        "(seeds/decisions/review_decisions.csv) before the next question; quit or Ctrl-C keeps them.\n"
        "Verified models stay where you put them; a later estimate that contradicts a decision\n"
        "is flagged (status needs_re_review), never moved.",
    )
    p.add_argument("--batch-size", type=_positive, default=10, metavar="N", help="models before asking to continue")
    p.add_argument("--reviewer", metavar="NAME", help=reviewer_help)
    p.add_argument("--no-build", action="store_true", help="do not rebuild at the end")
    p.set_defaults(func=cmd_review)

    p = sub.add_parser(
        "manual-entry",
        parents=[common],
        formatter_class=fmt,
        help="add a model no source found (form, or flags for scripts), then rebuild",
        description="Ask for a model's facts (name, developer, release date, parameters, active parameters,\n"
        "tokens, hardware, disclosed compute, source URL, notes), validate them, and append them to\n"
        "seeds/decisions/manual_models.csv. Giving --name (and the other flags) skips the questions.",
        epilog="example:\n"
        "  flop-tracker manual-entry --name 'Zeta Ultra' --developer ZetaLab --parameters 1.2T \\\n"
        "      --tokens 20T --architecture dense --source-url https://example.org/zeta",
    )
    for flag, dest, text in FLAGS:
        p.add_argument(f"--{flag}", dest=dest, metavar="VALUE", help=text)
    p.add_argument("--reviewer", metavar="NAME", help="who enters it (default: $FLOP_TRACKER_REVIEWER, else user)")
    p.add_argument("--no-build", action="store_true", help="do not rebuild afterwards")
    p.set_defaults(func=cmd_manual_entry)

    p = sub.add_parser(
        "import-previous",
        parents=[common],
        formatter_class=fmt,
        help="import the previous system's verified decisions (reviewer previous_system)",
        description="Read DIR/staging/above_1e25_flop_staging.csv and DIR/clean/*.csv of the system this\n"
        "project replaces: verified=y rows (and staging rows its review tool added) become y,\n"
        "verified=y rows of the below file become n. Names are mapped to model_ids like every\n"
        "source's names (the normalize_model_name macro and model_aliases); unmapped names and\n"
        "models already decided are reported, not written. Needs a built database.",
    )
    p.add_argument("directory", metavar="DIR", help="the previous system's data folder")
    p.add_argument("--all-staging", action="store_true", help="also import unverified rows of its staging file as y")
    p.add_argument("--dry-run", action="store_true", help="report what would be imported; write nothing")
    p.add_argument("--no-build", action="store_true", help="do not rebuild afterwards")
    p.set_defaults(func=cmd_import_previous)

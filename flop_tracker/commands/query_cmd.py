"""`flop-tracker query`: list models by threshold, developer, date, method, confidence, review; or count them."""

from __future__ import annotations

import argparse
import math
import sys
from datetime import date

from flop_tracker import query
from flop_tracker.commands.common import paths_from
from flop_tracker.console import console, fail


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-01-31") from exc


def positive_int(text: str) -> int:
    """A count of 1 or more, written whole (`50`) or in exponent form (`1e3`); any size."""
    try:
        value = int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not number.is_integer():  # also NaN and infinity
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        value = int(number)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def emit(output) -> None:
    """A rich table (or several) to the console; text formats straight to stdout, unchanged."""
    if isinstance(output, str):
        sys.stdout.write(output)
        sys.stdout.flush()
        return
    items = output if isinstance(output, list) else [output]
    for i, item in enumerate(items):
        if i:
            console.print()
        console.print(item)


def cmd_query(args: argparse.Namespace) -> int:
    filters = query.Filters(
        above=args.above_threshold,
        below=args.below_threshold,
        developers=args.developer or [],
        since=args.since,
        methods=args.method or [],
        confidences=args.confidence or [],
        verified=args.verified,
    )
    db = paths_from(args).db
    try:
        if args.stats:
            emit(query.stats_output(query.fetch_stats(db, filters), args.format))
        else:
            emit(query.models_output(query.fetch_models(db, filters, args.sort, args.limit), args.format))
    except query.QueryError as exc:
        fail(str(exc))
        return 2
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "query",
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="list or count models in the built dataset (filters, sort, table/csv/json/markdown)",
        description="List the models of the built dataset (the `models` mart), read-only.\n"
        "Filters combine with AND; a repeated --developer, --method or --confidence means any of them.\n"
        "table and markdown show a compact view; csv and json carry every column of the CSV files\n"
        "plus first_seen_date.",
        epilog="examples:\n"
        "  flop-tracker query --above-threshold --format table\n"
        "  flop-tracker query --developer openai --since 2025-01-01 --sort release\n"
        "  flop-tracker query --method benchmark_regression --confidence low --format csv > low.csv\n"
        "  flop-tracker query --above-threshold --stats",
    )
    side = p.add_mutually_exclusive_group()
    side.add_argument(
        "--above-threshold",
        action="store_true",
        help="only the candidates file (classified likely or surely above 1e25, uncertain, or confirmed)",
    )
    side.add_argument("--below-threshold", action="store_true", help="only the below-1e25 file")
    p.add_argument(
        "--developer", action="append", metavar="NAME", help="developer name contains NAME (case-insensitive)"
    )
    p.add_argument("--since", type=iso_date, metavar="DATE", help="released on or after DATE (YYYY-MM-DD)")
    p.add_argument("--method", action="append", choices=query.METHODS, help="primary estimation method")
    p.add_argument("--confidence", action="append", choices=query.CONFIDENCES, help="confidence of the estimate")
    p.add_argument("--verified", action="store_true", help="only models a reviewer has decided on")
    p.add_argument("--sort", choices=list(query.SORTS), default="flop", help="order (default: flop, largest first)")
    p.add_argument("--limit", type=positive_int, metavar="N", help="show at most N models")
    p.add_argument("--format", choices=query.FORMATS, default="table", help="output format (default: table)")
    p.add_argument(
        "--stats",
        action="store_true",
        help="instead of models, count the matching models by classification, method, confidence and developer",
    )
    p.set_defaults(func=cmd_query)

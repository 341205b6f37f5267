"""`flop-tracker sql "SELECT ..."`: read-only SQL against the built database, stoppable and bounded."""

from __future__ import annotations

import argparse
import sys

from flop_tracker import query
from flop_tracker.commands.common import paths_from
from flop_tracker.commands.query_cmd import emit, positive_int
from flop_tracker.console import err_console, fail


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds (0 for no limit)")
    return value


def cmd_sql(args: argparse.Namespace) -> int:
    shown = args.limit if args.limit is not None else query.DEFAULT_TABLE_ROWS
    limit = shown if args.format in {"table", "markdown"} else args.limit
    output = None
    try:
        with query.sql_rows(paths_from(args).db, args.statement, timeout=args.timeout or None) as (columns, batches):
            if args.format == "csv":
                cut = query.stream_csv(columns, batches, sys.stdout, limit)
            elif args.format == "json":
                cut = query.stream_json(columns, batches, sys.stdout, limit)
            else:
                rows, cut = query.take(batches, limit)
                result = query.Result(columns, rows)
                output = query.generic_table(result) if args.format == "table" else query.generic_markdown(result)
    except query.QueryError as exc:
        sys.stdout.flush()
        fail(str(exc))
        return exc.exit_code
    if output is not None:
        emit(output)
    if cut:
        err_console.print(
            f"note: the first {limit} rows are shown; the query returns more (--limit N shows N, --format csv all "
            "of them)",
            soft_wrap=True,
        )
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "sql",
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="run read-only SQL against the built database",
        description="Run one SQL statement against the built DuckDB database, opened read-only\n"
        "with files, other databases and extensions out of reach: SELECT, WITH, DESCRIBE,\n"
        "SUMMARIZE and SHOW work; INSERT/UPDATE/DELETE/CREATE/DROP, COPY and ATTACH are refused.\n"
        "Schemas: main (models), intermediate (int_*), staging (stg_*), raw, seeds.\n\n"
        "Ctrl-C stops a query at once; --timeout stops one that runs too long. A table shows\n"
        f"the first {query.DEFAULT_TABLE_ROWS} rows (--limit); csv and json write every row as it comes.",
        epilog="examples:\n"
        '  flop-tracker sql "select developer, count(*) as n from models '
        "where dataset_file = 'candidates' group by 1 order by 2 desc\"\n"
        '  flop-tracker sql "describe models" --format markdown\n'
        '  flop-tracker sql "select * from raw.lmarena_scores" --format csv --timeout 0 > scores.csv',
    )
    p.add_argument("statement", metavar="SQL", help="the statement, quoted")
    p.add_argument("--format", choices=query.FORMATS, default="table", help="output format (default: table)")
    p.add_argument(
        "--limit",
        type=positive_int,
        metavar="N",
        help=f"show at most N rows (default: {query.DEFAULT_TABLE_ROWS} for table and markdown, all for csv and json)",
    )
    p.add_argument(
        "--timeout",
        type=seconds,
        default=query.DEFAULT_SQL_TIMEOUT,
        metavar="SECONDS",
        help=f"stop the query after this long (default: {query.DEFAULT_SQL_TIMEOUT:g}; 0: no limit)",
    )
    p.set_defaults(func=cmd_sql)

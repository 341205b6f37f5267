"""`flop-tracker sql "SELECT ..."`: read-only SQL against the built database."""

from __future__ import annotations

import argparse

from flop_tracker import query
from flop_tracker.commands.common import paths_from
from flop_tracker.commands.query_cmd import emit
from flop_tracker.console import fail


def cmd_sql(args: argparse.Namespace) -> int:
    try:
        result = query.run_sql(paths_from(args).db, args.statement)
    except query.QueryError as exc:
        fail(str(exc))
        return 2
    emit(query.sql_output(result, args.format))
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
        "Schemas: main (models), intermediate (int_*), staging (stg_*), raw, seeds.",
        epilog="examples:\n"
        '  flop-tracker sql "select developer, count(*) as n from models '
        "where dataset_file = 'candidates' group by 1 order by 2 desc\"\n"
        '  flop-tracker sql "describe models" --format markdown',
    )
    p.add_argument("statement", metavar="SQL", help="the statement, quoted")
    p.add_argument("--format", choices=query.FORMATS, default="table", help="output format (default: table)")
    p.set_defaults(func=cmd_sql)

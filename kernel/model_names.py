"""Model names -> model_ids in Python with the project's one identity rule.

The rule lives in two dbt macros (macros/identity/normalize_model_name.sql and
resolve_model_ids.sql) that int_model_names_normalized uses. Python needs it too, where a
person's name must be mapped before or without a build (a manual entry when it is typed, the
manual-entry seed before dbt runs, the previous system's decisions): rather than keep a second
copy of the regular expressions, the macros are rendered here with plain Jinja and run in
DuckDB on the curated seed files, so both sides always agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import duckdb
import jinja2

from kernel.paths import PROJECT_ROOT, curated_seeds_dir

MACROS = PROJECT_ROOT / "macros" / "identity"


class Resolution(NamedTuple):
    """What identity makes of one name from one source."""

    source_name: str
    raw_name: str
    normalized_name: str
    model_id: str
    matched_alias: str | None
    is_excluded: bool
    exclusion_reason: str | None


def _module() -> object:
    """Both identity macros as one Jinja module (resolve_model_ids calls normalize_model_name)."""
    source = "\n".join(
        (MACROS / name).read_text(encoding="utf-8") for name in ("normalize_model_name.sql", "resolve_model_ids.sql")
    )
    return jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(source).make_module()


def normalizer_sql(expression: str, is_repo_id: str = "false") -> str:
    """The normalize_model_name macro rendered for the SQL `expression`."""
    return str(_module().normalize_model_name(expression, is_repo_id)).strip()


def resolver_sql(names: str, aliases: str, source_aliases: str, excluded: str) -> str:
    """The resolve_model_ids macro rendered for its four relations (SQL text: a name or a subquery)."""
    return str(_module().resolve_model_ids(names, aliases, source_aliases, excluded)).strip()


def _seed(path: Path) -> str:
    quoted = str(path).replace("'", "''")
    return f"(select * from read_csv('{quoted}', header = true, all_varchar = true))"


def resolve_names(names: Iterable[tuple[str, str]], seeds_dir: Path | None = None) -> list[Resolution]:
    """(source_name, raw_name) pairs -> one resolution each, in order (a blank name: empty and excluded).

    The curated alias, source-alias and exclusion seeds are read from `seeds_dir` (the project's by default).
    An id completed from another source's name (qwen3-235b -> qwen3-235b-a22b) needs that name
    among `names`: this is the rule as dbt applies it, on the names given.
    """
    pairs = list(names)
    seeds = seeds_dir or curated_seeds_dir()
    sql = resolver_sql(
        "given_names",
        _seed(seeds / "model_aliases.csv"),
        _seed(seeds / "source_model_aliases.csv"),
        _seed(seeds / "excluded_model_names.csv"),
    )
    con = duckdb.connect()
    try:
        con.execute(
            "create temp table given_names as select unnest(?::varchar[]) as source_name, "
            "unnest(?::varchar[]) as raw_name, unnest(?::bigint[]) as position",
            [[s for s, _ in pairs], [r for _, r in pairs], list(range(len(pairs)))],
        )
        con.execute("alter table given_names add column organization varchar")
        con.execute("alter table given_names add column id_name varchar")
        con.execute("update given_names set id_name = raw_name")
        rows = con.execute(
            f"select position, source_name, raw_name, normalized_name, model_id, matched_alias, is_excluded, "
            f"exclusion_reason from ({sql}) as resolved"
        ).fetchall()
    finally:
        con.close()
    by_position = {row[0]: Resolution(*row[1:]) for row in rows}
    # The rule leaves blank names out (they name nothing); each still gets its answer here.
    return [
        by_position.get(i) or Resolution(source, raw, "", "", None, True, "name is empty after normalisation")
        for i, (source, raw) in enumerate(pairs)
    ]

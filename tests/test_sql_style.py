"""The SQL models' shape, as dbt Labs' style guide has it: every `ref` in an import CTE at the top.

An import CTE selects from one `ref` (optionally filtered), joins nothing, and comes before every
CTE that does work; the model ends in `select * from final`. Staging models do the same with
`source()`. Read from the model files (Jinja left in place), so no build is needed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kernel.paths import PROJECT_ROOT

MODELS = sorted(p for folder in ("intermediate", "marts") for p in (PROJECT_ROOT / "models" / folder).rglob("*.sql"))
_COMMENT = re.compile(r"\{#.*?#\}|--[^\n]*", re.S)
# `name as (` at the margin, or `{{ m }} as (` indented inside a Jinja loop (as sqlfluff lays it out)
_CTE_START = re.compile(r"^(\w+|\s*\{\{ \w+ \}\}) as \($", re.M)
_REF = re.compile(r"\{\{\s*ref\(")


def ctes(sql: str) -> list[tuple[str, str]]:
    """(name, body) of each top-level CTE, in order, read from lines `name as (` at column 0."""
    sql = _COMMENT.sub("", sql)
    starts = list(_CTE_START.finditer(sql))
    out = []
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(sql)
        out.append((match[1], sql[match.end() : end]))
    return out


def problems(path: Path) -> list[str]:
    sql = path.read_text(encoding="utf-8")
    found = []
    seen_work = False
    for name, body in ctes(sql):
        refs = len(_REF.findall(body))
        if refs == 0:
            seen_work = True
            continue
        if seen_work:
            found.append(f"{name}: a ref after a CTE that does work")
        if refs > 1 or re.search(r"\bjoin\b", body, re.I):
            found.append(f"{name}: not an import CTE ({refs} refs{', a join' if 'join' in body.lower() else ''})")
    if not re.search(r"select \* from final\s*$", _COMMENT.sub("", sql).strip()):
        found.append("does not end in `select * from final`")
    return found


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_every_ref_is_in_an_import_cte_at_the_top(path: Path):
    assert problems(path) == []


def test_the_checker_sees_a_ref_joined_or_below_the_imports(tmp_path: Path):
    model = tmp_path / "bad.sql"
    model.write_text(
        "with\n\nscores as (\n    select * from {{ ref('a') }}\n),\n\n"
        "joined as (\n    select * from scores inner join {{ ref('b') }} as b on true\n),\n\n"
        "work as (\n    select 1 as x\n),\n\n"
        "late as (\n    select * from {{ ref('c') }}\n),\n\n"
        "final as (\n    select * from joined\n)\n\nselect * from final\n"
    )
    assert problems(model) == ["joined: not an import CTE (1 refs, a join)", "late: a ref after a CTE that does work"]

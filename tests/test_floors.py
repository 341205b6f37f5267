"""The Python floors import only downward (read from the source, every import statement, lazy ones too).

flop_tracker/commands, cli   the command line
flop_tracker                 use cases (pipeline, query, ...)
ingest/   review/            sources and people: never each other, never flop_tracker
kernel/                      paths, database, text: nothing of the project
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kernel.paths import PROJECT_ROOT

PROJECT_PACKAGES = ("kernel", "ingest", "review", "flop_tracker")
# package -> the project packages it may import
ALLOWED = {
    "kernel": {"kernel"},
    "ingest": {"kernel", "ingest"},
    "review": {"kernel", "review"},
}


def imported_packages(path: Path) -> set[tuple[int, str]]:
    """(line, top-level project package) for every import in a file, including those inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            if top in PROJECT_PACKAGES:
                found.add((node.lineno, name))
    return found


def violations(package: str) -> list[str]:
    allowed = ALLOWED[package]
    out = []
    for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
        for line, name in sorted(imported_packages(path)):
            if name.split(".")[0] not in allowed:
                out.append(f"{path.relative_to(PROJECT_ROOT)}:{line} imports {name}")
    return out


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_floor_imports_only_downward(package: str):
    assert violations(package) == []


def test_the_reader_sees_imports_inside_functions(tmp_path: Path):
    """The check must catch a lazy import too: review.checks-style `from review... import` inside a def."""
    module = tmp_path / "lazy.py"
    module.write_text("def f():\n    from flop_tracker.commands import common\n    import ingest.loader\n")
    assert imported_packages(module) == {(2, "flop_tracker.commands"), (3, "ingest.loader")}


def test_the_use_cases_do_not_import_the_command_line():
    """flop_tracker's use cases sit below its commands: only cli and commands/ import commands."""
    out = []
    for path in sorted((PROJECT_ROOT / "flop_tracker").rglob("*.py")):
        rel = path.relative_to(PROJECT_ROOT)
        if rel.parts[1] in ("commands", "cli.py"):
            continue
        out += [
            f"{rel}:{line} imports {name}"
            for line, name in sorted(imported_packages(path))
            if name.startswith(("flop_tracker.commands", "flop_tracker.cli"))
        ]
    assert out == []

"""Style is checked like behaviour: ruff for Python, sqlfluff (dbt templater, duckdb dialect) for SQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kernel.paths import PROJECT_ROOT

BIN = Path(sys.executable).parent


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_is_clean():
    result = run(str(BIN / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.dbt
def test_sqlfluff_is_clean_on_models():
    result = run(str(BIN / "sqlfluff"), "lint", "models", "tests/data_tests", "--disable-progress-bar")
    assert result.returncode == 0, result.stdout[-3000:]

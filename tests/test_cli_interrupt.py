"""Ctrl-C while `flop-tracker` starts (loading its commands, before one runs): one line and status 130.

The real console script runs in a child. A real SIGINT (`signal.raise_signal`) is raised by an import
hook the moment a chosen module is about to be imported, so it lands at a known point of start-up on
every run; sending SIGINT from outside after a guessed delay would race the imports. Before, the
commands were imported by the console script's own `from flop_tracker.cli import main`, outside any
handler, and Python printed a traceback and died of the signal.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).parent / "flop-tracker"  # what `pip install -e .` puts beside the interpreter
HOOK = """\
import os, signal, sys


class CtrlCAtImport:
    def find_spec(self, name, path=None, target=None):
        if name == os.environ["CTRL_C_AT_IMPORT"]:
            sys.meta_path.remove(self)
            signal.raise_signal(signal.SIGINT)
        return None


sys.meta_path.insert(0, CtrlCAtImport())
"""


@pytest.mark.parametrize(
    "module",
    ["flop_tracker.commands.pipeline_cmds", "flop_tracker.commands.site_cmd", "duckdb", "rich.console"],
)
def test_ctrl_c_while_the_commands_load_says_interrupted_and_exits_130(tmp_path: Path, module: str):
    assert SCRIPT.exists(), f"{SCRIPT}: the console script is missing (pip install -e '.[dev]')"
    (tmp_path / "sitecustomize.py").write_text(HOOK)
    env = {
        **os.environ,
        "CTRL_C_AT_IMPORT": module,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")])),
    }
    child = subprocess.run(
        [str(SCRIPT), "status", "--data-dir", str(tmp_path / "data")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in child.stderr
    assert (child.returncode, child.stderr, child.stdout) == (130, "error: interrupted\n", "")

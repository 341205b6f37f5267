"""Scraped text never becomes terminal control or rich markup (issue 15 item 2).

rich reads `[...]` as markup and `:name:` as emoji in any string it renders, table cells included: a
model named `[link=https://evil.example/]Claude-9-Opus[/link]` printed as a hidden OSC 8 hyperlink,
`Bad[/]Org` crashed `query --stats` (MarkupError), `Model [beta] v2` printed as `Model  v2`. Every
scraped string reaches rich as plain `Text` now, and the consoles read no markup or emoji at all.

Organisation and developer fields were not cleaned at ingest (only names were): an organisation with
an OSC 52 clipboard write and a screen-clear reached the published CSV files and `export`. Every text
field of every record is cleaned in one place (ingest.base.Record, with kernel.text), zero-width and
bidirectional controls included.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import sys
from datetime import date, datetime
from pathlib import Path

import pexpect
import pytest
from rich.console import Console

from flop_tracker import pipeline
from flop_tracker.cli import main
from flop_tracker.commands.backtest_cmd import true_above_table
from flop_tracker.console import console
from flop_tracker.dataset_files import write_dataset_files
from flop_tracker.pipeline import IngestSummary
from ingest.base import CaptureMeta, Record
from ingest.registry import SOURCES
from ingest.runner import Ingestor, RunResult
from kernel.paths import Paths
from kernel.text import clean_terminal, clean_text
from tests.answers.conftest import MART_ROWS, write_mart
from tests.conftest import FIXTURES

LINK = "[link=https://evil.example/]Claude-9-Opus[/link]"
BAD_ORG = "Bad[/]Org"
BETA = "Model [beta] v2"
EMOJI = ":smiley: Labs"
# An OSC 52 clipboard write, a screen clear and cursor home, a zero-width space, a right-to-left override.
HOSTILE_ORG = "Acme\x1b]52;c;ZXZpbA==\x07 \x1b[2J\x1b[HLabs\u200b\u202e"
TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def hostile_row(model_id: str, model: str, developer: str, flop: float) -> tuple:
    row = list(MART_ROWS[2])  # an uncertain candidate
    row[0], row[1], row[2], row[6] = model_id, model, developer, flop
    row[14], row[26] = "uncertain", "candidates"
    return tuple(row)


@pytest.fixture
def hostile_mart(tmp_path: Path) -> Path:
    rows = [
        hostile_row("claude-9-opus", LINK, "Anthropic", 3e25),
        hostile_row("bad-org-model", "Plain Name", BAD_ORG, 2e25),
        hostile_row("model-beta-v2", BETA, EMOJI, 1.5e25),
    ]
    return write_mart(tmp_path / "data", rows)


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(console, "_width", 200)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_query_table_prints_bracketed_names_as_they_are(hostile_mart: Path, capsys, wide):
    code, out, err = run(capsys, "query", "--data-dir", str(hostile_mart))
    assert (code, err) == (0, "")
    assert [line.split("  ")[0] for line in out.splitlines()[2:5]] == [LINK, "Plain Name", BETA]
    assert BAD_ORG in out and EMOJI in out


def test_query_stats_counts_a_developer_named_with_a_closing_tag(hostile_mart: Path, capsys, wide):
    code, out, err = run(capsys, "query", "--stats", "--data-dir", str(hostile_mart))
    assert (code, err) == (0, "")
    developers = out[out.index("by developer") :].splitlines()[3:6]
    assert sorted(" ".join(line.split()) for line in developers) == [f"{EMOJI} 1", "Anthropic 1", f"{BAD_ORG} 1"]


def test_sql_table_prints_values_and_column_names_as_they_are(hostile_mart: Path, capsys, wide):
    code, out, err = run(
        capsys,
        "sql",
        'select model, developer as "[bold]dev[/bold]" from models order by model_id',
        "--data-dir",
        str(hostile_mart),
    )
    assert (code, err) == (0, "")
    assert [" ".join(line.split()) for line in out.splitlines()] == [
        "model [bold]dev[/bold]",
        "─" * len(out.splitlines()[1].strip()),
        f"Plain Name {BAD_ORG}",
        f"{LINK} Anthropic",
        f"{BETA} {EMOJI}",
    ]


def test_a_real_terminal_gets_no_hyperlink_from_a_model_name(hostile_mart: Path, tmp_path: Path):
    """Run in a pseudo-terminal, where rich would emit OSC 8 for `[link=...]` markup."""
    exe = shutil.which("flop-tracker", path=str(Path(sys.executable).parent)) or "flop-tracker"
    env = {**os.environ, "COLUMNS": "200", "LINES": "50", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(
        exe, ["query", "--data-dir", str(hostile_mart)], env=env, encoding="utf-8", timeout=60, dimensions=(50, 200)
    )
    out = child.read()
    child.close()
    assert child.exitstatus == 0, out
    assert "\x1b]8;" not in out and "evil.example" in out
    assert LINK in re.sub(r"\x1b\[[0-9;]*m", "", out)


def test_every_table_a_command_prints_takes_scraped_text_as_plain_text():
    """The ingest summary, validate and backtest tables, even printed by a console that reads markup."""
    from flop_tracker import backtest

    results = [RunResult("lmarena", "x.csv", "failed", 0, f"x.csv: {BAD_ORG} [red]{EMOJI}")]
    truth = backtest.Truth(epoch_name=BETA, epoch_flop=2e25, publication_date=None, figure_date=None)
    model = backtest.ModelResult(model_id="m", truth=truth, release_date=None)
    report = backtest.BacktestReport(date(2025, 1, 1), date(2025, 6, 1), "e.csv", True, [], 0, [model])
    out = io.StringIO()
    reader = Console(file=out, width=300, force_terminal=False, color_system=None)  # markup on
    reader.print(IngestSummary(results).table())
    reader.print(true_above_table(report))
    text = out.getvalue()
    assert f"{BAD_ORG} [red]{EMOJI}" in text and BETA in text


def test_the_consoles_read_no_markup_or_emoji(capsys):
    console.print(f"{LINK} {BAD_ORG} {EMOJI}")
    assert capsys.readouterr().out.strip() == f"{LINK} {BAD_ORG} {EMOJI}"


# -- cleaning at ingest: every text field of every record -----------------------------------------
def test_clean_text_removes_escapes_controls_zero_width_and_bidi_keeping_lines():
    assert clean_text(HOSTILE_ORG) == "Acme Labs"
    assert clean_text("a\u200cb\u200dc\u2060d\ufeffe\u00adf\u2066g\u2069") == "abcdefg"
    assert clean_text("line one\r\nline two\u2028three\ttab") == "line one\nline two\nthree\ttab"
    assert clean_text("tag \U000e0041\U000e0042smuggled") == "tag smuggled"
    assert clean_text("keep ünïcödé, 中文 and [brackets]") == "keep ünïcödé, 中文 and [brackets]"
    assert clean_terminal("zero\u200bwidth \u202eflip") == "zerowidth flip"


def test_the_record_base_cleans_every_text_field_not_only_names():
    class Anything(Record):
        name: str
        organisation: str | None = None
        count: int | None = None

    record = Anything(name="X\u200b-1", organisation=HOSTILE_ORG, count=3)
    assert (record.name, record.organisation, record.count) == ("X-1", "Acme Labs", 3)
    assert Anything(name="plain", organisation=None).organisation is None


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_record_class_keeps_the_bases_clean_up(source: str):
    """Every record class of every source is a Record and keeps its clean-up (none replaces it)."""
    for table, cls in SOURCES[source].tables.items():
        assert issubclass(cls, Record), (source, table)
        validator = cls.__pydantic_decorators__.model_validators["_clean_text_fields"]
        assert validator.func.__qualname__ == "Record._clean_text_fields", (source, table)


def epoch_csv(organisation: str) -> bytes:
    """The mini Epoch export with Beta-70B's organisation (the model's developer) replaced."""
    text = (FIXTURES / "epoch" / "mini_epoch.csv").read_text(encoding="utf-8")
    return text.replace("Beta-70B,Language,Beta Inc,", f'Beta-70B,Language,"{organisation}",', 1).encode()


def test_an_epoch_organisation_is_stored_clean():
    parsed = SOURCES["epoch"].parse(
        epoch_csv(HOSTILE_ORG), CaptureMeta(origin="e.csv", captured_at=datetime(2025, 6, 1), filename="e.csv")
    )
    organisations = {getattr(r, "organization", None) for rows in parsed.tables.values() for r in rows}
    assert "Acme Labs" in organisations
    assert not any(TERMINAL_CONTROL.search(o or "") for o in organisations)


@pytest.mark.dbt
def test_a_hostile_organisation_reaches_neither_the_published_files_nor_export(
    paths: Paths, decisions_copy: Path, capsys
):
    with Ingestor(paths, pipeline.selected_sources(None)) as ingestor:
        meta = CaptureMeta(origin="e.csv", captured_at=datetime(2025, 6, 1), filename="e_2025-06-01.csv")
        assert ingestor.ingest_bytes(SOURCES["epoch"], epoch_csv(HOSTILE_ORG), meta).status == "ok"
    outcome = pipeline.build(paths)
    assert outcome.success, outcome.failures or outcome.error
    assert main(["export", "--data-dir", str(paths.data_dir), "--format", "csv"]) == 0
    assert main(["export", "--data-dir", str(paths.data_dir), "--format", "epoch"]) == 0
    capsys.readouterr()
    published = [paths.above_csv, paths.below_csv, paths.staging_csv]
    exported = [paths.data_dir / "exports" / "models.csv", paths.data_dir / "exports" / "models.epoch.csv"]
    for path in published + exported:
        text = path.read_text(encoding="utf-8")
        assert not TERMINAL_CONTROL.search(text), (path.name, TERMINAL_CONTROL.findall(text))
    rows = list(csv.DictReader(io.StringIO((paths.data_dir / "exports" / "models.csv").read_text())))
    assert {r["model_id"]: r["developer"] for r in rows}.get("beta-70b") == "Acme Labs"


def test_text_stored_before_ingest_cleaned_it_is_cleaned_on_the_way_out(tmp_path: Path, capsys):
    """A database built before this clean-up holds `Delta \\x1b[31mUltra`: the files and exports drop the escape."""
    rows = [*MART_ROWS[:4], hostile_row("delta-ultra", "Delta \x1b[31mUltra", HOSTILE_ORG, 2e25)]
    data = write_mart(tmp_path / "data", rows)
    paths = Paths(data)
    write_dataset_files(paths)
    for fmt in ("csv", "epoch"):
        assert main(["export", "--data-dir", str(data), "--format", fmt]) == 0
    capsys.readouterr()
    for path in [paths.above_csv, data / "exports" / "models.csv", data / "exports" / "models.epoch.csv"]:
        text = path.read_text(encoding="utf-8")
        assert not TERMINAL_CONTROL.search(text), path.name
        assert "Delta Ultra" in text and "Acme Labs" in text, path.name

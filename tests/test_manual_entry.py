"""`flop-tracker manual-entry`: the pydantic model, the form driven through pipes, flags, and the rebuild."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta
from pathlib import Path

import pexpect
import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from pydantic import ValidationError

from flop_tracker.cli import main
from kernel.paths import PROJECT_ROOT
from review.manual_entry import (
    COLUMNS,
    FormPrompts,
    ManualEntryError,
    append_manual_model,
    field_error,
    parse_quantity,
    read_manual_models,
    run_form,
    validate_entry,
)
from tests.review_helpers import ReviewEnv, built_database, cli_command, copy_environment

BASE = {
    "model_name": "Omicron 1",
    "developer": "OmniLab",
    "source_url": "https://example.org/omicron",
    "entered_by": "ana",
    "entered_at": "2026-01-02 03:04:05",
}


def errors(**values: str) -> str:
    with pytest.raises(ValidationError) as info:
        validate_entry({**BASE, **values})
    return str(info.value)


def test_the_repository_seed_has_the_expected_header():
    header = (PROJECT_ROOT / "seeds" / "decisions" / "manual_models.csv").read_text().splitlines()[0]
    assert header.split(",") == COLUMNS


@pytest.mark.parametrize(
    ("text", "value"),
    [("405B", 405e9), ("1.8T", 1.8e12), ("3.8e25", 3.8e25), ("70,000,000,000", 7e10), ("16k", 16000.0), ("", None)],
)
def test_quantities_accept_suffixes_and_scientific_notation(text: str, value: float | None):
    assert parse_quantity(text) == value


def test_bad_values_are_refused_with_a_clear_message():
    assert "must be greater than zero" in errors(total_parameters="-5")
    assert "must be greater than zero" in errors(hardware_count="0")
    future = (date.today() + timedelta(days=400)).isoformat()
    assert "is more than a year in the future" in errors(release_date=future)
    validate_entry({**BASE, "release_date": (date.today() + timedelta(days=300)).isoformat()})  # announced, fine
    assert "not a date: write YYYY-MM-DD" in errors(release_date="March 2025")
    for url in ("ftp://example.org/x", "example.org/omicron", "javascript:alert(1)", "https://"):
        assert "must be an http:// or https:// address" in errors(source_url=url)
    assert "active parameters (5e+11) cannot exceed total parameters (4.05e+11)" in errors(
        total_parameters="405B", active_parameters="500B"
    )
    assert "check the unit" in errors(total_parameters="405000000000000000")
    assert "must be a whole number of accelerators" in errors(hardware_count="10.5")
    assert "not a number" in errors(training_tokens="lots")
    assert "is required" in errors(model_name="  ")
    assert "is required" in errors(source_url="")
    assert "contains control characters" in errors(model_name="Evil\x1b[2J")
    assert "Input should be 'dense' or 'moe'" in errors(architecture="sparse")


def test_a_valid_entry_becomes_a_seed_row(tmp_path: Path):
    entry = validate_entry(
        {
            **BASE,
            "release_date": "2025-06-01",
            "total_parameters": "1T",
            "training_tokens": "20T",
            "architecture": "Dense",
        }
    )
    seed = tmp_path / "manual_models.csv"
    seed.write_text(",".join(COLUMNS) + "\n")
    append_manual_model(entry, seed)
    rows = list(csv.DictReader(seed.open()))
    assert rows == [
        {
            **dict.fromkeys(COLUMNS, ""),
            "model_name": "Omicron 1",
            "developer": "OmniLab",
            "release_date": "2025-06-01",
            "total_parameters": "1e+12",
            "training_tokens": "2e+13",
            "architecture": "dense",
            "source_url": "https://example.org/omicron",
            "entered_by": "ana",
            "entered_at": "2026-01-02 03:04:05",
        }
    ]
    assert read_manual_models(seed)[0].total_parameters == 1e12


def test_a_malformed_manual_seed_fails_naming_the_line(tmp_path: Path):
    seed = tmp_path / "manual_models.csv"
    good = ",".join(["A", "Lab", "", "", "", "", "", "", "", "", "", "", "", "https://a.org", "", "ana", "2026-01-01"])
    bad = good.replace("https://a.org", "not-a-url")
    seed.write_text(",".join(COLUMNS) + "\n" + good + "\n" + bad + "\n")
    with pytest.raises(ManualEntryError, match=r"line 3: source_url: must be an http"):
        read_manual_models(seed)
    with pytest.raises(ManualEntryError, match="line 3"):
        append_manual_model(validate_entry(BASE), seed)


def test_field_error_judges_one_answer_in_the_light_of_earlier_ones():
    assert field_error({"total_parameters": "1T"}, "total_parameters") is None
    assert field_error({"total_parameters": "1T", "active_parameters": "2T"}, "active_parameters").startswith(
        "active parameters"
    )
    assert field_error({"model_name": ""}, "model_name") == "is required"


def form(keys: str):
    lines: list[str] = []
    with create_pipe_input() as inp:
        inp.send_text(keys)
        inp.close()
        entry = run_form(FormPrompts(input=inp, output=DummyOutput()), "ana", lines.append)
    return entry, lines


@pytest.mark.timeout(60)
def test_the_form_re_asks_each_bad_answer_and_saves_good_ones():
    # a refused answer stays in the field for editing; Ctrl-U (\x15) clears it
    keys = (
        "\r"
        "Omicron 1\r"  # empty name refused
        "OmniLab\r"
        "2099-01-01\r"
        "\x152025-06-01\r"  # far future refused
        "-5\r"
        "\x151T\r"  # negative parameters refused
        "\r"  # active parameters: none (dense or unknown)
        "twenty\r"
        "\x1520T\r"  # tokens: not a number, then 20T
        "d\r"  # architecture: dense
        "NVIDIA H100 SXM5 80GB\r"
        "8.5\r"
        "\x1516k\r"  # accelerators must be whole
        "\r"  # hours unknown
        "\r"  # nothing disclosed
        "ftp://example.org\r"
        "\x15https://example.org/omicron\r"  # non-http refused
        "from the launch post\r"
        "y\r"  # save
    )
    entry, lines = form(keys)
    assert entry is not None
    assert (entry.model_name, entry.developer, entry.release_date) == ("Omicron 1", "OmniLab", date(2025, 6, 1))
    assert (entry.total_parameters, entry.active_parameters, entry.training_tokens) == (1e12, None, 2e13)
    assert (entry.architecture, entry.hardware_type, entry.hardware_count) == ("dense", "NVIDIA H100 SXM5 80GB", 16000)
    assert entry.source_url == "https://example.org/omicron" and entry.notes == "from the launch post"
    assert entry.entered_by == "ana" and isinstance(entry.entered_at, datetime)
    assert lines == []  # nothing to warn about


@pytest.mark.timeout(60)
def test_the_form_infers_moe_from_active_parameters_warns_and_can_be_declined():
    keys = "Mu 2\rMuLab\r\r600B\r40B\r15T\rTPU v9\r\r\r\rhttps://example.org/mu\r\rn\r"
    entry, lines = form(keys)
    assert entry is None  # declined at "Save ...?"
    assert lines == [
        "Note: hardware 'TPU v9' is not in seeds/curated/hardware_specs.csv: the hardware method cannot use it"
    ]


def test_flags_make_it_scriptable_and_bad_flags_save_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    decisions = tmp_path / "decisions"
    decisions.mkdir()
    seed = decisions / "manual_models.csv"
    seed.write_text(",".join(COLUMNS) + "\n")
    monkeypatch.setenv("FLOP_TRACKER_DECISIONS_DIR", str(decisions))
    monkeypatch.setenv("FLOP_TRACKER_REVIEWER", "scripted")
    before = seed.read_text()
    code = main(["manual-entry", "--name", "Omicron 1", "--developer", "OmniLab", "--parameters", "-5",
                 "--source-url", "ftp://x", "--no-build", "--data-dir", str(tmp_path / "data")])  # fmt: skip
    err = " ".join(capsys.readouterr().err.replace("error: ", "\nerror: ").split())
    assert code == 2
    assert "error: --parameters: must be greater than zero (got '-5')" in err
    assert "error: --source-url: must be an http:// or https:// address" in err
    assert seed.read_text() == before
    code = main(["manual-entry", "--name", "Omicron 1", "--developer", "OmniLab", "--parameters", "1T", "--tokens",
                 "20T", "--architecture", "dense", "--source-url", "https://example.org/omicron", "--no-build",
                 "--data-dir", str(tmp_path / "data")])  # fmt: skip
    assert code == 0
    saved = read_manual_models(seed)
    assert [(m.model_name, m.total_parameters, m.entered_by) for m in saved] == [("Omicron 1", 1e12, "scripted")]
    assert main(["manual-entry", "--developer", "OmniLab", "--no-build"]) == 2  # values without --name


@pytest.mark.dbt
@pytest.mark.timeout(300)
def test_an_entry_is_estimated_by_the_rebuild(
    tmp_path_factory: pytest.TempPathFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    env: ReviewEnv = copy_environment(built_database(tmp_path_factory), tmp_path, monkeypatch)
    code = main(["manual-entry", "--name", "Omicron 1", "--developer", "OmniLab", "--release-date", "2025-06-01",
                 "--parameters", "1T", "--tokens", "20T", "--architecture", "dense",
                 "--source-url", "https://example.org/omicron", "--data-dir", str(env.data_dir)])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    # operation counting: 6 x 1e12 x 2e13 = 1.2e26
    assert "omicron-1: 1.20e+26 FLOP" in out and "by operation_counting" in out and "in the candidates file" in out
    rows = {r["model_id"]: r for r in csv.DictReader(env.paths.above_csv.open())}
    assert rows["omicron-1"]["developer"] == "OmniLab"
    assert rows["omicron-1"]["sources"] == "https://example.org/omicron"


@pytest.mark.dbt
@pytest.mark.timeout(300)
def test_the_interactive_form_in_a_terminal(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    env: ReviewEnv = copy_environment(built_database(tmp_path_factory), tmp_path, monkeypatch)
    program, argv = cli_command("manual-entry", "--no-build", "--reviewer", "ana", "--data-dir", str(env.data_dir))
    child = pexpect.spawn(program, argv, env=env.env(), encoding="utf-8", timeout=60, dimensions=(40, 160))
    answers = [
        ("Model name:", "Omicron 1"),
        ("Developer:", "OmniLab"),
        ("Release date", "2025-06-01"),
        ("Total parameters", "-5"),
        ("must be greater than zero", "\x15" + "1T"),  # Ctrl-U clears the bad answer; type a good one
        ("Active parameters", ""),
        ("Training tokens", "20T"),
        ("Architecture:", "d"),
        ("Training hardware", ""),
        ("Number of accelerators", ""),
        ("Training time in hours", ""),
        ("Disclosed training compute", ""),
        ("Source URL", "https://example.org/omicron"),
        ("Notes", ""),
        ("Save Omicron 1", "y"),
    ]
    for prompt, answer in answers:
        child.expect(prompt)
        child.send(answer + "\r")
    child.expect("Saved Omicron 1 to")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    saved = read_manual_models(env.manual)
    assert [(m.model_name, m.total_parameters, m.training_tokens, m.architecture) for m in saved] == [
        ("Omicron 1", 1e12, 2e13, "dense")
    ]


def _flags(name: str, developer: str, data: Path) -> list[str]:
    return ["manual-entry", "--name", name, "--developer", developer, "--source-url", "https://example.org/m",
            "--no-build", "--data-dir", str(data)]  # fmt: skip


def test_a_name_the_build_would_drop_is_refused_when_entered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    """Issue 15: a manual entry the identity rule drops vanished without a word. Now it is refused
    at entry: a bare family name, a placeholder, a name without a letter or digit."""
    decisions = tmp_path / "decisions"
    decisions.mkdir()
    seed = decisions / "manual_models.csv"
    seed.write_text(",".join(COLUMNS) + "\n")
    monkeypatch.setenv("FLOP_TRACKER_DECISIONS_DIR", str(decisions))
    monkeypatch.setenv("FLOP_TRACKER_REVIEWER", "scripted")
    before = seed.read_text()
    for name, developer, why in [
        ("Claude", "Anthropic", "'Claude' becomes model id 'claude', which is dropped (generic family name"),
        ("Test", "Lab", "'Test' becomes model id 'test', which is dropped (placeholder entry, not a model)"),
        ("...", "Lab", "'...' has no letter or digit to make a model id of: enter the model's own name"),
    ]:
        assert main(_flags(name, developer, tmp_path / "data")) == 2
        err = " ".join(capsys.readouterr().err.split())
        assert f"error: not saved: model_name: {why}" in err
    assert seed.read_text() == before


def test_three_developers_names_are_three_models_and_a_clash_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    """Issue 15: 'Markup [/] Model' was dropped as the placeholder 'model' (everything before '/' cut),
    three developers' names met at one id, an all-Chinese name was empty. They are saved now; two
    developers' names that still meet at one id are refused, naming the first."""
    decisions = tmp_path / "decisions"
    decisions.mkdir()
    seed = decisions / "manual_models.csv"
    seed.write_text(",".join(COLUMNS) + "\n")
    monkeypatch.setenv("FLOP_TRACKER_DECISIONS_DIR", str(decisions))
    monkeypatch.setenv("FLOP_TRACKER_REVIEWER", "scripted")
    for name, developer in [
        ("Markup [/] Model", "Markup Labs"),
        ("Acme/Orion", "Acme"),
        ("Borealis AI/Orion", "Borealis AI"),
        ("Cygnus / Orion", "Cygnus"),
        ("文心一言", "Baidu"),
        ("Orion", "Delta"),
    ]:
        assert main(_flags(name, developer, tmp_path / "data")) == 0, capsys.readouterr().err
    assert main(_flags("ORION!", "Epsilon", tmp_path / "data")) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert (
        "error: not saved: model_name: 'ORION!' (Epsilon) becomes model id 'orion', as 'Orion' (Delta) on line 7 "
        "does: name the two models apart (e.g. with the developer's name)"
    ) in err
    assert main(_flags("Orion", "Delta", tmp_path / "data")) == 0  # the same developer again: an update
    assert len(read_manual_models(seed)) == 7


def test_a_hand_edited_entry_the_build_would_drop_stops_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    """The seed is checked before every build: an entry identity would drop is a one-line error naming
    its line, and nothing is built."""
    decisions = tmp_path / "decisions"
    decisions.mkdir()
    seed = decisions / "manual_models.csv"
    good = ",".join(["Omicron 1", "OmniLab", "", "", "", "", "", "", "", "", "", "", "", "https://a.org", "", "ana",
                     "2026-01-01"])  # fmt: skip
    seed.write_text(",".join(COLUMNS) + "\n" + good + "\n" + good.replace("Omicron 1", "Model") + "\n")
    monkeypatch.setenv("FLOP_TRACKER_DECISIONS_DIR", str(decisions))
    with pytest.raises(ManualEntryError, match=r"line 3: model_name: 'Model' becomes model id 'model', which is"):
        read_manual_models(seed)
    data = tmp_path / "data"
    assert main(["build", "--data-dir", str(data)]) == 1
    err = " ".join(capsys.readouterr().err.split())
    assert "a decisions seed is malformed; nothing was built" in err
    assert "line 3: model_name: 'Model' becomes model id 'model', which is dropped (placeholder entry" in err
    assert not (data / "clean").exists()


@pytest.mark.timeout(60)
def test_the_form_re_asks_a_name_the_build_would_drop():
    keys = "Gemini\r\x15Omicron 1\rOmniLab\r\r\r\r\rd\r\r\r\r\rhttps://example.org/o\r\ry\r"
    entry, _ = form(keys)
    assert entry is not None and entry.model_name == "Omicron 1"

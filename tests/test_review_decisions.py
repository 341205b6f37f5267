"""The decisions seed: pydantic validation that names the line, and appends that never lose a decision."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import pytest

from kernel.paths import PROJECT_ROOT
from review.decisions import (
    COLUMNS,
    DecisionsFileError,
    ReviewDecision,
    append_decision,
    default_reviewer,
    read_decisions,
)
from review.store import lock_path

HEADER = ",".join(COLUMNS) + "\n"


def decision(model_id: str, verdict: str = "y", reviewer: str = "ana", reason: str = "big") -> ReviewDecision:
    return ReviewDecision(
        model_id=model_id,
        decision=verdict,
        reason=reason,
        reviewer=reviewer,
        decided_at=datetime(2026, 1, 2, 3, 4, 5),
        shown_training_flop=2e25,
        shown_flop_low=1e25,
        shown_flop_high=4e25,
        shown_classification="likely_above_1e25",
    )


def test_the_repository_seed_has_the_expected_header_and_is_valid():
    header = (PROJECT_ROOT / "seeds" / "decisions" / "review_decisions.csv").read_text().splitlines()[0]
    assert header.split(",") == COLUMNS
    read_decisions(PROJECT_ROOT / "seeds" / "decisions" / "review_decisions.csv")


def test_a_valid_seed_reads_into_decisions(tmp_path: Path):
    seed = tmp_path / "review_decisions.csv"
    seed.write_text(
        HEADER + "gpt-5,y,frontier lab flagship,ana,2026-01-02 03:04:05,5e25,1e25,2e26,likely_above_1e25\n"
        '"o3-mini",N," mini model, small ",bob,2026-01-03T10:00:00+02:00,,,,\n'
    )
    got = read_decisions(seed)
    assert list(got) == ["gpt-5", "o3-mini"]
    assert got["gpt-5"].shown_flop_high == 2e26
    assert got["o3-mini"].decision == "n"  # case folded, as the SQL does
    assert got["o3-mini"].reason == "mini model, small"
    assert got["o3-mini"].decided_at == datetime(2026, 1, 3, 8, 0, 0)  # stored as UTC
    assert got["o3-mini"].shown_training_flop is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("model_id,decision,reason\n", "line 1: bad header (missing reviewer, decided_at"),
        (HEADER.replace("reason,reviewer", "reviewer,reason"), "line 1: bad header (columns out of order)"),
        (HEADER + "a,y,r,ana,2026-01-01 00:00:00,,,,\nb,maybe,r,ana,2026-01-01 00:00:00,,,,\n", "line 3: decision"),
        (
            HEADER + "a,y,r,ana,2026-01-01 00:00:00,,,,\nb,n,x,bob,2026-01-02 00:00:00,,,,\na,n,no,cy,2026-01-03,,,,\n",
            "line 4: duplicate model_id 'a' (already on line 2)",
        ),
        (HEADER + "a,y,,ana,2026-01-01 00:00:00,,,,\n", "line 2: reason"),
        (HEADER + "a,y,r,ana,yesterday,,,,\n", "line 2: decided_at: not a timestamp"),
        (HEADER + "a,y,r,ana,2026-01-01 00:00:00,-3,,,\n", "line 2: shown_training_flop"),
        (HEADER + "a,y,r,ana,2026-01-01 00:00:00\n", "line 2: 5 cells, expected 9"),
        (
            HEADER + 'a,y,"two\nlines",ana,2026-01-01 00:00:00,,,,\n' + "b,q,r,ana,2026-01-01 00:00:00,,,,\n",
            "line 4: decision",  # the reason spans lines 2-3
        ),
    ],
)
def test_a_malformed_seed_fails_naming_the_line(tmp_path: Path, content: str, message: str):
    seed = tmp_path / "review_decisions.csv"
    seed.write_text(content)
    with pytest.raises(DecisionsFileError) as info:
        read_decisions(seed)
    assert message in str(info.value)
    assert str(seed) in str(info.value)


def test_append_writes_one_row_and_refuses_a_second_decision_on_the_model(tmp_path: Path):
    seed = tmp_path / "review_decisions.csv"
    seed.write_text(HEADER)
    first = append_decision(decision("zeta-ultra", "y", "ana", "cluster disclosure"), seed)
    assert first.saved and first.existing is None
    second = append_decision(decision("zeta-ultra", "n", "bob", "I disagree"), seed)
    assert not second.saved
    assert second.existing.reviewer == "ana" and second.existing.reason == "cluster disclosure"
    assert seed.read_text() == (
        HEADER + "zeta-ultra,y,cluster disclosure,ana,2026-01-02 03:04:05,2e+25,1e+25,4e+25,likely_above_1e25\n"
    )
    # the write went through a temporary file that is gone, and the lock file is a dot file dbt ignores
    assert sorted(p.name for p in tmp_path.iterdir()) == [".review_decisions.csv.lock", "review_decisions.csv"]
    assert lock_path(seed).name.startswith(".")


def test_append_creates_a_missing_seed_with_its_header_and_keeps_a_file_without_final_newline(tmp_path: Path):
    seed = tmp_path / "review_decisions.csv"
    append_decision(decision("a"), seed)
    assert seed.read_text().splitlines()[0] == HEADER.strip()
    other = tmp_path / "other.csv"
    other.write_text(HEADER + "b,n,small,bob,2026-01-01 00:00:00,,,,")  # no trailing newline
    append_decision(decision("c"), other)
    assert list(read_decisions(other)) == ["b", "c"]


def test_append_to_a_malformed_seed_fails_and_writes_nothing(tmp_path: Path):
    seed = tmp_path / "review_decisions.csv"
    bad = HEADER + "a,y,r,ana,2026-01-01 00:00:00,,,,\na,n,r,bob,2026-01-01 00:00:00,,,,\n"
    seed.write_text(bad)
    with pytest.raises(DecisionsFileError, match="line 3: duplicate model_id 'a'"):
        append_decision(decision("b"), seed)
    assert seed.read_text() == bad


def test_a_reason_with_control_characters_is_refused():
    with pytest.raises(ValueError, match="control characters"):
        decision("a", reason="fine\x1b[2J")


def test_reviewer_comes_from_the_option_then_the_environment_then_the_user(monkeypatch: pytest.MonkeyPatch):
    import getpass

    monkeypatch.setenv("FLOP_TRACKER_REVIEWER", "env-reviewer")
    assert default_reviewer("cli-reviewer") == "cli-reviewer"
    assert default_reviewer(None) == "env-reviewer"
    monkeypatch.delenv("FLOP_TRACKER_REVIEWER")
    assert default_reviewer(None) == getpass.getuser()


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import datetime
    from pathlib import Path
    from review.decisions import ReviewDecision, append_decision

    seed, who, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    print("ready", flush=True)
    sys.stdin.readline()  # start together
    for i in range(n):
        d = ReviewDecision(model_id=f"{who}-{i}", decision="y" if i % 2 else "n", reason=f"reason {i}",
                           reviewer=who, decided_at=datetime(2026, 1, 1))
        assert append_decision(d, seed).saved
    """
)


def test_two_processes_appending_at_once_lose_nothing(tmp_path: Path):
    seed = tmp_path / "review_decisions.csv"
    seed.write_text(HEADER)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(seed), who, "60"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=PROJECT_ROOT,
            text=True,
        )
        for who in ("alice", "bob")
    ]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        assert p.wait(timeout=120) == 0
    got = read_decisions(seed)
    assert len(got) == 120
    assert {f"{who}-{i}" for who in ("alice", "bob") for i in range(60)} == set(got)
    assert not list(tmp_path.glob(".*.tmp"))

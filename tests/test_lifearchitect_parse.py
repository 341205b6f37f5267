"""LifeArchitect models table: billions to counts, TBA as unknown, anything else not a number is an error."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from ingest.base import CaptureMeta, IngestError
from ingest.lifearchitect import LifeArchitectSource
from ingest.runner import Ingestor
from kernel.paths import Paths
from tests.conftest import FIXTURES

SRC = LifeArchitectSource()
FIXTURE = FIXTURES / "lifearchitect" / "mini_models_table_2025-01.csv"


def parse(content: bytes, name: str = "mini_models_table_2025-01.csv", when: datetime = datetime(2025, 11, 22)):
    return SRC.parse(content, CaptureMeta(origin=f"/x/{name}", captured_at=when, filename=name))


def test_fixture_rows_convert_billions_and_keep_the_ratio_as_given():
    rows = parse(FIXTURE.read_bytes()).tables["lifearchitect_models"]
    assert [r.model_name for r in rows] == ["Alpha-405B", "Beta-MoE", "Gamma-Next", "Delta-Tiny"]
    alpha, beta, gamma, delta = rows
    assert (alpha.parameters, alpha.training_tokens, alpha.tokens_per_parameter) == (405e9, 15.6e12, 39.0)
    assert (alpha.alscore, alpha.mmlu, alpha.mmlu_pro, alpha.gpqa) == (8.4, 88.6, 73.3, 51.1)
    assert alpha.announced_month == date(2024, 7, 1)
    assert (alpha.public_status, alpha.availability, alpha.architecture) == ("🟢", "public", "Dense")
    assert alpha.notes == 'Announce: "405B, 15.6T tokens"'
    assert alpha.snapshot_date == date(2025, 1, 1)  # from the name, not the capture (2025-11-22)
    assert (beta.parameters, beta.training_tokens, beta.tokens_per_parameter) == (1.3e9, 1.3e12, 1000.0)
    assert (beta.availability, beta.architecture, beta.mmlu) == ("not_public", "MoE", None)
    # TBA and blanks are unknown.
    assert (gamma.parameters, gamma.training_tokens, gamma.tokens_per_parameter) == (None, None, None)
    assert (gamma.announced_text, gamma.announced_month, gamma.availability) == ("TBA", None, "partial")
    # 0.03 B is exactly 3e7, and a ratio is kept as the table gives it, not recomputed.
    assert delta.parameters == 30_000_000.0
    assert delta.training_tokens == 30e12
    assert delta.tokens_per_parameter == 1000.0
    assert (delta.public_status, delta.availability) == ("w", None)
    assert [r.row_number for r in rows] == [1, 2, 3, 4]


def test_title_rows_above_the_header_are_skipped_and_undated_names_use_the_capture_date():
    content = b"LifeArchitect.ai models table,,\nAlan D. Thompson,,\n" + FIXTURE.read_bytes()
    rows = parse(content, name="models_table.csv", when=datetime(2025, 3, 9, 8)).tables["lifearchitect_models"]
    assert len(rows) == 4
    assert rows[0].snapshot_date == date(2025, 3, 9)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            ',405,"15,600"',
            ',about 400,"15,600"',
            r"line 9 \('Alpha-405B'\): parameters \(B\) 'about 400' is not a number",
        ),
        ('"1,300",1000:1', '"1.3T",1000:1', r"Beta-MoE.*training tokens \(B\) '1.3T' is not a number"),
        ("1000:1,0.1", "1000 to 1,0.1", r"Beta-MoE.*ratio '1000 to 1' is not of the form N:1"),
        (",88.6,", ",high,", r"Alpha-405B.*mmlu 'high' is not a number"),
        ("Feb/2024", "Spring 2024", r"Beta-MoE.*Announced 'Spring 2024' is not Mon/YYYY or TBA"),
        ("Feb/2024", "Foo/2024", r"Announced 'Foo/2024'"),
    ],
)
def test_a_non_number_where_a_number_belongs_is_an_error_naming_line_model_and_column(old, new, message):
    text = FIXTURE.read_text()
    assert old in text
    with pytest.raises(IngestError, match=message):
        parse(text.replace(old, new, 1).encode())


def test_foreign_truncated_or_empty_tables_are_refused():
    with pytest.raises(IngestError, match="no header row starting with 'Model'"):
        parse(b"name,params\nx,1\n")
    with pytest.raises(
        IngestError,
        match=r"^missing required column 'Tokens': not the LifeArchitect models table; columns found: Model, Lab, "
        r"Parameters \(B\)$",
    ):
        parse(b"Model,Lab,Parameters (B)\nx,y,1\n")
    text = FIXTURE.read_text()
    cut = text[: text.index("Gamma-Next") + 20]
    with pytest.raises(IngestError, match="line 11 has 4 fields, header has 16"):
        parse(cut.encode())
    header_only = text[: text.index("Alpha-405B")]
    with pytest.raises(IngestError, match="header but no rows"):
        parse(header_only.encode())
    with pytest.raises(IngestError, match="got HTML or JSON"):
        parse(b"<html><body>Sign in</body></html>")


@pytest.mark.shared
def test_real_table_loads_524_models_with_exact_values(shared_data: Path, paths: Paths):
    path = shared_data / "lifearchitect" / "models_table_2025-01.csv"
    assert sorted(p.name for g in SRC.capture_globs for p in shared_data.glob(g)) == [path.name]
    with Ingestor(paths, [SRC]) as ing:
        result = ing.ingest_file(SRC, path)
        # 526 data lines: 524 models, then a blank row and the "About this sheet" note.
        assert (result.status, result.rows) == ("ok", 524), result.line
        con = ing.con
        assert con.execute(
            "select count(*), count(parameters), count(training_tokens), count(tokens_per_parameter), "
            "count(announced_month), count(distinct model_name) from raw.lifearchitect_models"
        ).fetchone() == (524, 508, 434, 432, 517, 522)
        assert con.execute(
            "select parameters, training_tokens, tokens_per_parameter, alscore, mmlu, gpqa, lab, announced_month "
            "from raw.lifearchitect_models where model_name = 'Llama 3.1 405B'"
        ).fetchone() == (405e9, 15.6e12, 39.0, 8.4, 88.6, 51.1, "Meta AI", date(2024, 7, 1))
        assert con.execute(
            "select parameters, training_tokens, architecture, availability from raw.lifearchitect_models "
            "where model_name = 'DeepSeek-V3'"
        ).fetchone() == (685e9, 14.8e12, "MoE", "public")
        # Seven planned models are 'TBA'; two names (WizardLM, MPT) are different models listed twice.
        assert con.execute(
            "select count(*) from raw.lifearchitect_models where announced_text = 'TBA' and announced_month is null"
        ).fetchone() == (7,)
        assert con.execute(
            "select list(parameters order by row_number) from raw.lifearchitect_models where model_name = 'WizardLM'"
        ).fetchone() == ([70e9, 7e9],)
        assert con.execute(
            "select model_name, parameters from raw.lifearchitect_models order by parameters desc nulls last limit 1"
        ).fetchone() == ("GPT-5", 5.4e12)
        assert con.execute(
            "select parameters, training_tokens from raw.lifearchitect_models where model_name = 'PACT'"
        ).fetchone() == (None, 30e6)
        assert con.execute("select distinct snapshot_date from raw.lifearchitect_models").fetchall() == [
            (date(2025, 1, 1),)
        ]


def test_the_live_address_names_the_models_tab():
    """Without a gid the sheet's CSV export returns whichever tab is first, not the models table."""
    from ingest.lifearchitect import LifeArchitectSource

    [url] = LifeArchitectSource.live_urls
    assert url == (
        "https://docs.google.com/spreadsheets/d/1kc262HZSMAWI6FVsh0zJwbB-ooYvzhCHaHcNUiA0_hY/export"
        "?format=csv&gid=1158069878"
    )

"""The model_kind macro (macros/identity/model_line.sql), rendered with plain Jinja and run in DuckDB.

Family lineage follows a predecessor only of the same kind, so the kind must read every purpose word of an
id, including two in a row (the first version's pattern took the hyphen between them and read one).
"""

from __future__ import annotations

import duckdb
import jinja2
import pytest

from kernel.paths import PROJECT_ROOT


@pytest.fixture(scope="module")
def kind_sql() -> str:
    source = (PROJECT_ROOT / "macros" / "identity" / "model_line.sql").read_text(encoding="utf-8")
    module = jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(source).make_module()
    return module.model_kind("id")


@pytest.mark.parametrize(
    ("model_id", "kind"),
    [
        ("claude-3.5-sonnet", ""),  # a plain language model
        ("llama-4-behemoth", ""),
        ("llama-guard-3-8b", "guard"),
        ("hunyuan-video", "video"),
        ("gpt-image-1", "image"),
        ("deepseek-vl2", "vl"),  # a kind word may go on with digits
        ("qwen2.5-vl-coder", "coder+vl"),  # two in a row, sorted
        ("qwen2.5-coder-vl-coder", "coder+vl"),  # each once
        ("text-embedding-3-large", "embedding"),
        ("codestral", ""),  # a word that only starts like one is not one
        ("actor-7b", ""),
    ],
)
def test_model_kind_reads_every_purpose_word_of_an_id(kind_sql: str, model_id: str, kind: str):
    con = duckdb.connect()
    try:
        assert con.execute(f"select {kind_sql} from (select ? as id)", [model_id]).fetchone()[0] == kind
    finally:
        con.close()

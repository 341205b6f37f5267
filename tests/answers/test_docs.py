"""`flop-tracker docs`: dbt's documentation as one offline page, lineage from the raw tables to the mart."""

from __future__ import annotations

import re
from pathlib import Path

from flop_tracker.cli import main


def test_docs_generate_static_offline(use_built, tmp_path: Path, capsys):
    copy = tmp_path / "site" / "lineage.html"
    code = main(["docs", "--data-dir", str(use_built.data_dir), "--output", str(copy)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.splitlines()[0] == f"wrote {copy}"
    page = (use_built.data_dir / ".dbt" / "target" / "static_index.html").read_text(encoding="utf-8")
    assert copy.read_text(encoding="utf-8") == page
    # one file: the manifest and catalog are inlined, nothing is fetched
    assert not re.search(r"<script[^>]+src=", page) and not re.search(r"<link[^>]+href=[\"']https?:", page)
    for node in (
        "source.flop_tracker.lmarena.lmarena_scores",
        "model.flop_tracker.stg_lmarena__scores",
        "model.flop_tracker.int_models_identified",
        "model.flop_tracker.int_estimates_ranked",
        "model.flop_tracker.models",
    ):
        assert node in page

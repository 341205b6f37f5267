"""The real Hugging Face parameter list in ../shared/data: exact counts and spot values."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from ingest.huggingface import HuggingFaceSource
from ingest.runner import Ingestor
from kernel.paths import Paths

REL = "huggingface/hf_models_param_counts_2026-03-01.json"
SRC = HuggingFaceSource()


@pytest.mark.shared
def test_the_offline_copy_loads_514_models_once_with_exact_counts(shared_data: Path, paths: Paths):
    with Ingestor(paths, [SRC]) as ing:
        first = ing.ingest_file(SRC, shared_data / REL)
        assert (first.status, first.rows) == ("ok", 514)
        assert ing.ingest_file(SRC, shared_data / REL).status == "unchanged"
        con = ing.con
        counts = con.execute(
            "select count(*), count(distinct repo_id), count(*) filter (where is_moe), "
            "count(*) filter (where is_moe is null), count(active_parameters), count(reported_active_parameters), "
            "count(*) filter (where model_type is null), count(*) filter (where total_parameters >= 1e11) "
            "from raw.huggingface_models"
        ).fetchone()
        # 71 entries carry llmfit's MoE flag; the other 443 are unknown (GLM-4.5 is MoE but unflagged), and no
        # entry has the sizes the active-parameter formula needs, so none gets a computed active count.
        assert counts == (514, 514, 71, 443, 0, 71, 13, 52)
        qwen = con.execute(
            "select total_parameters, model_type, num_experts, num_experts_per_token, reported_active_parameters, "
            "context_length, release_date, captured_at from raw.huggingface_models "
            "where repo_id = 'Qwen/Qwen3-235B-A22B'"
        ).fetchone()
        assert qwen == (
            235093634560,
            "qwen3_moe",
            128,
            8,
            22000000000,
            40960,
            date(2025, 4, 27),
            datetime(2026, 3, 1),
        )
        ds = con.execute(
            "select total_parameters, num_experts, num_experts_per_token, reported_active_parameters, author "
            "from raw.huggingface_models where repo_id = 'deepseek-ai/DeepSeek-V3'"
        ).fetchone()
        assert ds == (685000000000, 256, 8, 37000000000, "deepseek-ai")
        llama = con.execute(
            "select total_parameters, is_moe, active_parameters from raw.huggingface_models "
            "where repo_id = 'meta-llama/Meta-Llama-3-8B-Instruct'"
        ).fetchone()
        assert llama == (8030261248, None, None)
        # kept as given, though implausible for a 7B model: llmfit's own count
        olmo = "select total_parameters from raw.huggingface_models where repo_id = 'allenai/Olmo-3-7B-Instruct'"
        assert con.execute(olmo).fetchone() == (528384,)

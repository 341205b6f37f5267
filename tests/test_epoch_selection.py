"""Which Epoch figure the tracker uses when exports disagree: the export with the newest data date.

Epoch revises its estimates (its 2026 exports give DeepSeek-R1 3.5e24 where the 2025 ones gave 5.17e24),
so the newest export must win. Newest means the export's own date (here the date in its file name), never
the day a file happened to be loaded: a 2025 export loaded after a 2026 one must not bring back old figures.
"""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pytest

from flop_tracker import pipeline
from ingest import registry
from ingest.runner import Ingestor
from kernel.paths import Paths

pytestmark = [pytest.mark.shared, pytest.mark.dbt]

NOTABLE_2025 = "epoch/notable_ai_models_2025-05-20.csv"
NOTABLE_2026 = "epoch/notable_ai_models_2026-07-19_published_before_2025-05-21.csv"


def test_the_newest_export_wins_whatever_order_it_was_loaded_in(shared_data, paths: Paths):
    epoch = registry.get("epoch")
    with Ingestor(paths, list(registry.SOURCES.values())) as ingestor:
        # The 2026 export loaded first (a year ago), the 2025 one last (today).
        first = ingestor.ingest_file(epoch, shared_data / NOTABLE_2026, captured_at=datetime(2025, 12, 1))
        last = ingestor.ingest_file(epoch, shared_data / NOTABLE_2025, captured_at=datetime(2026, 12, 1))
    assert (first.status, last.status) == ("ok", "ok")
    outcome = pipeline.build(
        paths, select=["+int_epoch_compute_latest", "hardware_specs"]
    )  # (a test of a seed needs it)
    assert outcome.success, outcome.failures or outcome.error
    con = duckdb.connect(str(paths.db), read_only=True)
    try:
        chosen = {
            model_id: (flop, data_date)
            for model_id, flop, data_date in con.execute(
                "select model_id, training_compute_flop, data_date from intermediate.int_epoch_compute_latest "
                "where model_id in ('deepseek-r1', 'deepseek-v3', 'grok-3', 'claude-3.5-sonnet')"
            ).fetchall()
        }
    finally:
        con.close()
    july = date(2026, 7, 19)
    assert chosen == {
        "deepseek-r1": (3.5e24, july),  # 5.17e24 in the 2025 export
        "deepseek-v3": (3.3e24, july),  # 3.4078e24
        "grok-3": (3.5e26, july),  # 4.64e26
        "claude-3.5-sonnet": (pytest.approx(2.7e25), july),  # unchanged
    }

"""Which Hub repositories' config.json and model card a live run fetches: those of tracked models.

A tracked model (one the last build identified on a leaderboard or in a curated source) is linked to Hub repositories
through the Hub source's own names (intermediate.int_model_names_normalized, source 'huggingface'). A model often has
several: the developer's original and third-party quantised copies (-AWQ, -GPTQ-Int4, -FP8, MLX conversions). Their
configs describe the same architecture, so only the unquantised ones are fetched where a model has any, which keeps a
run to one or two repositories per model. Before the first build nothing is known to be tracked, and nothing is
fetched: the next run will.
"""

from __future__ import annotations

import re

import duckdb

MAX_REPOS = 400  # a ceiling on requests per run (two files each); the shared data's tracked models need ~90
_QUANTISED = re.compile(
    r"[-_.](awq|gptq|gguf|fp8|nvfp4|mxfp4|int4|int8|w4a16|w8a8|bnb|4bit|5bit|6bit|8bit|3bit|2bit|mlx|exl2|dwq)\b", re.I
)


def is_quantised_copy(repo_id: str) -> bool:
    """True for a repository name that marks quantised or converted weights (Qwen/Qwen3-14B-AWQ)."""
    return bool(_QUANTISED.search(repo_id.split("/", 1)[-1]))


def tracked_hub_repos(con: duckdb.DuckDBPyConnection, limit: int = MAX_REPOS) -> list[str]:
    """Repository ids of tracked models, unquantised ones preferred per model, ordered by model then repository."""
    try:
        rows = con.execute(
            """
            select names.model_id, names.raw_name
            from intermediate.int_model_names_normalized as names
            inner join intermediate.int_models_identified as tracked on names.model_id = tracked.model_id
            where names.source_name = 'huggingface' and names.raw_name like '%_/_%'
            order by names.model_id, names.raw_name
            """
        ).fetchall()
    except duckdb.CatalogException:  # no build yet: nothing is known to be tracked
        return []
    by_model: dict[str, list[str]] = {}
    for model_id, repo_id in rows:
        by_model.setdefault(model_id, []).append(repo_id)
    chosen: list[str] = []
    for repos in by_model.values():
        originals = [r for r in repos if not is_quantised_copy(r)]
        chosen.extend(originals or repos[:1])
    return list(dict.fromkeys(chosen))[:limit]

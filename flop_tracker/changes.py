"""What the newest build changed against an earlier one, from the mart's history (flop_tracker.history).

Six lists, each of models (dicts with `model_id` first), compared between two builds' states:

  new_candidates  in the candidates file now, not before (a new model, or one that was below)
  crossed         classification moved across 1e25: from an above class (high_confidence_above_1e25,
                  likely_above_1e25) to a below class (likely_below_1e25, high_confidence_below_1e25)
                  or back; `uncertain` is on neither side (a move into it from below is a new candidate)
  moved           primary estimate moved by more than 0.3 dex (a factor of 2), with the old and new
                  figure and the evidence behind each: method, reasoning, sources, evidence date
  re_review       a reviewer's decision the newest build flags (status needs_re_review), not flagged before
  new_models      in the mart now, not before
  gone_models     in the mart before, not now

Figures are the snapshot's (6 significant figures), so a report reads the same every time.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time

from flop_tracker import history
from kernel.database import connect
from kernel.paths import Paths

KEYS = ("new_candidates", "crossed", "moved", "re_review", "new_models", "gone_models")
MOVE_DEX = 0.3
ABOVE = {"high_confidence_above_1e25", "likely_above_1e25"}
BELOW = {"likely_below_1e25", "high_confidence_below_1e25"}
TITLES = {
    "new_candidates": "New candidates",
    "crossed": "Crossed 1e25",
    "moved": "Estimate moved by more than 0.3 dex",
    "re_review": "Decisions flagged for re-review",
    "new_models": "New models",
    "gone_models": "Gone models",
}


@dataclass
class Report:
    """The changes between two builds (`baseline` None: nothing earlier to compare with)."""

    newest: history.Build | None
    baseline: history.Build | None
    note: str = ""
    lists: dict[str, list[dict]] = field(default_factory=lambda: {key: [] for key in KEYS})

    def as_json(self) -> str:
        return json.dumps({key: self.lists[key] for key in KEYS}, indent=2, default=_json_default) + "\n"

    def counts(self) -> dict[str, int]:
        return {key: len(self.lists[key]) for key in KEYS}

    def summary(self) -> str:
        """One line for the end of `run`."""
        if self.newest is None:
            return "changes: no build recorded yet"
        if self.baseline is None:
            return f"changes: build {self.newest.build_id} is the first recorded; nothing to compare with yet"
        c = self.counts()
        return (
            f"changes since build {self.baseline.build_id}: {c['new_models']} new models, "
            f"{c['new_candidates']} new candidates, {c['crossed']} crossed 1e25, {c['moved']} moved > 0.3 dex, "
            f"{c['re_review']} to re-review, {c['gone_models']} gone (flop-tracker changes)"
        )


def _json_default(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def _side(classification: str | None) -> str | None:
    return "above" if classification in ABOVE else "below" if classification in BELOW else None


def _order(rows: list[dict]) -> list[dict]:
    """Highest compute first, then model_id: the models that matter most lead the digest."""
    return sorted(rows, key=lambda r: (-(r.get("training_flop") or 0.0), r["model_id"]))


def compare(old: dict[str, dict], new: dict[str, dict]) -> dict[str, list[dict]]:
    """The six lists for two states of the mart (model_id -> snapshot row)."""
    out: dict[str, list[dict]] = {key: [] for key in KEYS}
    for model_id, now in new.items():
        was = old.get(model_id)
        base = {"model_id": model_id, "model": now["model"], "developer": now["developer"]}
        if was is None:
            out["new_models"].append(
                {
                    **base,
                    "training_flop": now["training_flop"],
                    "flop_low": now["flop_low"],
                    "flop_high": now["flop_high"],
                    "classification": now["threshold_classification"],
                    "method": now["estimation_method"],
                    "dataset_file": now["dataset_file"],
                }
            )
        if now["dataset_file"] == "candidates" and (was is None or was["dataset_file"] != "candidates"):
            out["new_candidates"].append(
                {
                    **base,
                    "training_flop": now["training_flop"],
                    "flop_low": now["flop_low"],
                    "flop_high": now["flop_high"],
                    "p_above_1e25": now["p_above_1e25"],
                    "classification": now["threshold_classification"],
                    "method": now["estimation_method"],
                    "previous_classification": was["threshold_classification"] if was else None,
                }
            )
        if was is None:
            continue
        old_side, new_side = _side(was["threshold_classification"]), _side(now["threshold_classification"])
        if old_side and new_side and old_side != new_side:
            out["crossed"].append(
                {
                    **base,
                    "direction": "up" if new_side == "above" else "down",
                    "old_classification": was["threshold_classification"],
                    "new_classification": now["threshold_classification"],
                    "old_training_flop": was["training_flop"],
                    "training_flop": now["training_flop"],
                }
            )
        if was["training_flop"] and now["training_flop"]:
            dex = math.log10(now["training_flop"] / was["training_flop"])
            if abs(dex) > MOVE_DEX:
                out["moved"].append(
                    {
                        **base,
                        "old_training_flop": was["training_flop"],
                        "training_flop": now["training_flop"],
                        "dex": round(dex, 3),
                        "old_method": was["estimation_method"],
                        "method": now["estimation_method"],
                        "old_reasoning": was["reasoning"],
                        "reasoning": now["reasoning"],
                        "old_evidence_date": was["evidence_date"],
                        "evidence_date": now["evidence_date"],
                        "sources": now["sources"],
                    }
                )
        if now["status"] == "needs_re_review" and was["status"] != "needs_re_review":
            out["re_review"].append(
                {
                    **base,
                    "decision": now["decision"],
                    "review_flag": now["review_flag"],
                    "training_flop": now["training_flop"],
                    "flop_low": now["flop_low"],
                    "flop_high": now["flop_high"],
                }
            )
    for model_id, was in old.items():
        if model_id not in new:
            out["gone_models"].append(
                {
                    "model_id": model_id,
                    "model": was["model"],
                    "developer": was["developer"],
                    "training_flop": was["training_flop"],
                    "classification": was["threshold_classification"],
                    "dataset_file": was["dataset_file"],
                }
            )
    for key in KEYS:
        out[key] = _order(out[key])
    out["moved"].sort(key=lambda r: (-abs(r["dex"]), r["model_id"]))
    return out


def pick_baseline(
    builds: list[history.Build], since: date | None = None, back: int = 1
) -> tuple[history.Build | None, str]:
    """The build to compare the newest with, and a note when the choice was not the one asked for.

    since: the last build recorded before that day began (UTC); the oldest build when none was.
    back: that many builds before the newest (the oldest when fewer exist).
    """
    if len(builds) < 2:
        return None, "only one build is recorded: nothing to compare with yet" if builds else "no build recorded yet"
    earlier = builds[:-1]
    if since is not None:
        start = datetime.combine(since, time.min)
        before = [b for b in earlier if b.built_at < start]
        if before:
            return before[-1], ""
        return earlier[0], f"no build before {since.isoformat()}: compared with the oldest, build {earlier[0].build_id}"
    if back > len(earlier):
        return earlier[0], f"only {len(earlier)} earlier builds: compared with the oldest, build {earlier[0].build_id}"
    return earlier[-back], ""


def changes(paths: Paths, since: date | None = None, back: int = 1) -> Report:
    """What the newest recorded build changed against the chosen earlier one."""
    con = connect(paths.db, read_only=True)
    try:
        listed = history.builds(con)
        baseline, note = pick_baseline(listed, since, back)
        report = Report(newest=listed[-1] if listed else None, baseline=baseline, note=note)
        if baseline is not None:
            report.lists = compare(history.state_at(con, baseline), history.state_at(con, report.newest))
    finally:
        con.close()
    return report


def latest_summary(paths: Paths) -> str:
    """The one line `run` ends with."""
    return changes(paths).summary()

"""The sources flop-tracker knows, by name. Adding a source means adding it here."""

from __future__ import annotations

from ingest.announcements import AnnouncementsSource
from ingest.artificial_analysis import ArtificialAnalysisSource
from ingest.base import Source
from ingest.epoch import EpochSource
from ingest.huggingface import HuggingFaceSource
from ingest.lifearchitect import LifeArchitectSource
from ingest.lmarena import LMArenaSource
from ingest.manual import ManualSource
from ingest.open_llm_leaderboard import OpenLLMLeaderboardSource
from ingest.openlm import OpenLMSource
from ingest.previous_system import PreviousSystemSource

SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        LMArenaSource(),
        EpochSource(),
        PreviousSystemSource(),
        OpenLMSource(),
        HuggingFaceSource(),
        OpenLLMLeaderboardSource(),
        ArtificialAnalysisSource(),
        LifeArchitectSource(),
        AnnouncementsSource(),
        ManualSource(),
    )
}


def get(name: str) -> Source:
    try:
        return SOURCES[name]
    except KeyError:
        known = ", ".join(sorted(SOURCES))
        raise KeyError(f"unknown source {name!r}; known sources: {known}") from None

"""OpenLM.ai Chatbot Arena: Arena Elo with coding, vision and side benchmarks, one table per page.

Two real shapes exist and both are detected from the content:
- the page itself (https://openlm.ai/chatbot-arena/): several HTML tables ("Best Open LM",
  "Full Leaderboard", ...). The leaderboard is the table whose header names Model and
  Arena Elo and the most other known columns; columns are found by their header, so their
  order does not matter. Over 2025 the page showed Arena Hard and MMLU, later AAI (the
  Artificial Analysis Intelligence Index) and MMLU-Pro: each is its own column here, never
  one relabelled as the other.
- the previous system's parse of that page (`{"metadata": {"source": "openlm_arena", ...},
  "models": [{"name", "developer", "benchmarks": {...}}]}`), the only capture kept of
  the 2025-08-15 page. Its names were already normalised (`gemini_2.5_pro`), so two
  dated versions of one model can share a name; rows are told apart by position.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any, ClassVar

from bs4 import BeautifulSoup, Tag

from ingest.base import (
    CaptureMeta,
    Contract,
    IngestError,
    Name,
    Parsed,
    PastDate,
    Record,
    Source,
    build_records,
    data_date_of,
    decode_text,
    expected,
    optional,
    parse_float,
    required,
)


class OpenLMScore(Record):
    """One leaderboard row: a model and the scores the page shows for it."""

    position: int  # 1-based order of the row in the capture's leaderboard table
    model_name: Name
    arena_elo: float | None = None
    coding: float | None = None
    vision: float | None = None
    arena_hard: float | None = None
    aai_index: float | None = None
    mmlu: float | None = None
    mmlu_pro: float | None = None
    votes: int | None = None
    organization: str | None = None
    license: str | None = None
    model_url: str | None = None
    snapshot_date: PastDate
    capture_format: str


# Header text (lower-cased, runs of non-alphanumerics collapsed to one space) -> field.
HEADERS = {
    "model": "model_name",
    "arena elo": "arena_elo",
    "elo": "arena_elo",
    "coding": "coding",
    "vision": "vision",
    "arena hard": "arena_hard",
    "arena hard auto": "arena_hard",
    "aai": "aai_index",
    "mmlu": "mmlu",
    "mmlu pro": "mmlu_pro",
    "votes": "votes",
    "organization": "organization",
    "org": "organization",
    "license": "license",
}
NUMBER_FIELDS = ("arena_elo", "coding", "vision", "arena_hard", "aai_index", "mmlu", "mmlu_pro", "votes")
# The previous system's benchmark keys -> fields (its scraper read AAI and MMLU-Pro columns).
JSON_BENCHMARKS = {
    "openlm_arena_elo": "arena_elo",
    "coding_score": "coding",
    "vision_score": "vision",
    "aai_score": "aai_index",
    "mmlu_pro_score": "mmlu_pro",
    "arena_hard_score": "arena_hard",
    "mmlu_score": "mmlu",
}
# The leaderboard table's columns by their headers (compared as _header_key reads them). Arena Hard and
# MMLU were shown until mid-2025, AAI and MMLU-Pro after: each layout lacks the other's two.
PAGE_TABLE = Contract(
    "the OpenLM Chatbot Arena leaderboard",
    (
        required("model_name", "Model"),
        required("arena_elo", "Arena Elo", "Elo"),
        expected("coding", "Coding"),
        expected("vision", "Vision"),
        expected("votes", "Votes"),
        expected("organization", "Organization", "Org"),
        expected("license", "License"),
        optional("arena_hard", "Arena Hard", "Arena Hard Auto"),
        optional("mmlu", "MMLU"),
        optional("aai_index", "AAI"),
        optional("mmlu_pro", "MMLU-Pro"),
    ),
    key=lambda text: _header_key(text),
)
# The previous system's benchmark keys (any model's); it read the page after the AAI/MMLU-Pro change.
PREVIOUS_BENCHMARKS = Contract(
    "the previous system's OpenLM Arena parse",
    (
        required("arena_elo", "openlm_arena_elo"),
        expected("coding", "coding_score"),
        expected("vision", "vision_score"),
        expected("aai_index", "aai_score"),
        expected("mmlu_pro", "mmlu_pro_score"),
        optional("arena_hard", "arena_hard_score"),
        optional("mmlu", "mmlu_score"),
    ),
)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_PAGE_DATE = re.compile(rf"\b({_MONTHS})\s+(\d{{1,2}}),\s*(20\d\d)\b")
_LEADING_MARKS = re.compile(r"^[^\w(\[]+")  # medal emoji and spaces before a model name


def _header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _cells(row: Tag) -> list[Tag]:
    return row.find_all(["th", "td"], recursive=False)


class OpenLMSource(Source):
    name: ClassVar[str] = "openlm"
    description: ClassVar[str] = "OpenLM.ai Chatbot Arena: Arena Elo, coding, vision, Arena Hard/AAI, MMLU(-Pro)"
    live_urls: ClassVar[tuple[str, ...]] = ("https://openlm.ai/chatbot-arena/",)
    tables: ClassVar[dict[str, type[Record]]] = {"openlm_scores": OpenLMScore}
    capture_globs: ClassVar[tuple[str, ...]] = ("openlm/*",)

    def parse(self, content: bytes, meta: CaptureMeta) -> Parsed:
        text = decode_text(content)
        stripped = text.lstrip()
        if stripped.startswith(("{", "[")):
            return self._parse_previous_json(text, meta)
        if "<table" in text.lower():
            return self._parse_page(text, meta)
        if stripped.startswith("<"):
            raise IngestError("HTML page without a table: not the OpenLM Chatbot Arena leaderboard")
        raise IngestError("neither an HTML page nor JSON: not an OpenLM Chatbot Arena capture")

    # -- the page ----------------------------------------------------------------------------
    def _parse_page(self, text: str, meta: CaptureMeta) -> Parsed:
        soup = BeautifulSoup(text, "html.parser")
        best: tuple[tuple[int, int], Tag, list[str | None], list[str]] | None = None
        for table in soup.find_all("table"):
            rows = table.find_all("tr")
            if not rows:
                continue
            texts = [c.get_text(" ", strip=True) for c in _cells(rows[0])]
            header = [HEADERS.get(_header_key(t)) for t in texts]
            if "model_name" not in header or "arena_elo" not in header:
                continue
            score = (len({h for h in header if h}), len(rows) - 1)
            if best is None or score > best[0]:
                best = (score, table, header, texts)
        if best is None:
            raise IngestError("no table with Model and Arena Elo columns: not the OpenLM Chatbot Arena leaderboard")
        _, table, header, texts = best
        dupes = sorted({h for h in header if h and header.count(h) > 1})
        if dupes:
            raise IngestError(f"leaderboard header names {', '.join(dupes)} twice; cannot tell which column is which")
        columns = PAGE_TABLE.match(texts)
        day, basis = data_date_of(meta, self._page_date(soup))
        snapshot = day or meta.capture_date  # rows need a date: the fetch date where none is stated
        rows: list[dict[str, Any]] = []
        for line, tr in enumerate(table.find_all("tr")[1:], start=2):
            cells = _cells(tr)
            if not cells or all(not c.get_text(strip=True) for c in cells):
                continue
            if len(cells) < len(header):
                raise IngestError(f"table row {line} has {len(cells)} cells, header has {len(header)} (truncated?)")
            row: dict[str, Any] = {}
            for field, cell in zip(header, cells, strict=False):
                if field:
                    row[field] = cell.get_text(" ", strip=True)
                if field == "model_name":
                    link = cell.find("a", href=True)
                    row["model_url"] = link["href"] if link else None
            name = _LEADING_MARKS.sub("", row["model_name"]).strip()
            if not name:
                continue
            out: dict[str, Any] = {
                "position": len(rows) + 1,
                "model_name": name,
                "model_url": row.get("model_url"),
                "organization": row.get("organization") or None,
                "license": row.get("license") or None,
                "snapshot_date": snapshot,
                "capture_format": "page",
            }
            for field in NUMBER_FIELDS:
                if field in row:
                    out[field] = self._number(row[field], field, name)
            rows.append(out)
        if not rows:
            raise IngestError("leaderboard table has a header but no model rows")
        parsed = Parsed({"openlm_scores": build_records(OpenLMScore, rows)}, data_date=day, data_date_basis=basis)
        return parsed.note_missing(columns)

    @staticmethod
    def _page_date(soup: BeautifulSoup) -> date | None:
        """The 'Attribution LMSYS . July 1, 2025' line: the first written-out date on the page."""
        match = _PAGE_DATE.search(soup.get_text(" ", strip=True))
        if not match:
            return None
        return datetime.strptime(f"{match[1]} {match[2]} {match[3]}", "%B %d %Y").date()

    @staticmethod
    def _number(text: str, field: str, name: str) -> float | int | None:
        cleaned = text.replace("+", "").replace("%", "").strip()
        try:
            value = parse_float(cleaned)
        except ValueError:
            raise IngestError(f"model {name[:60]!r}: {field} {text[:20]!r} is not a number") from None
        if value is not None and field == "votes":
            return int(value)
        return value

    # -- the previous system's parse ---------------------------------------------------------
    def _parse_previous_json(self, text: str, meta: CaptureMeta) -> Parsed:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise IngestError(f"invalid JSON at line {exc.lineno} column {exc.colno} (truncated?)") from exc
        if not isinstance(data, dict) or not isinstance(data.get("models"), list):
            raise IngestError("JSON without a 'models' list: not the previous system's OpenLM Arena parse")
        info = data.get("metadata") or {}
        origin = str(info.get("source") or "")
        if origin != "openlm_arena":
            raise IngestError(f"previous-system JSON from source {origin or 'unknown'!r}, not 'openlm_arena'")
        models = data["models"]
        stated = info.get("model_count")
        if isinstance(stated, int) and stated != len(models):
            raise IngestError(f"metadata says {stated} models but the file holds {len(models)} (truncated?)")
        stated = None
        stamp = info.get("last_updated") or info.get("saved_at")
        if stamp:
            try:
                stated = datetime.fromisoformat(str(stamp)).date()
            except ValueError:
                raise IngestError(f"metadata last_updated {str(stamp)[:30]!r} is not a date") from None
        day, basis = data_date_of(meta, stated)
        snapshot = day or meta.capture_date  # rows need a date: the fetch date where none is stated
        if not models:
            raise IngestError("the 'models' list is empty")
        columns = PREVIOUS_BENCHMARKS.match(
            list(dict.fromkeys(k for m in models if isinstance(m, dict) for k in (m.get("benchmarks") or {})))
        )
        rows = []
        for index, entry in enumerate(models, start=1):
            if not isinstance(entry, dict) or not str(entry.get("name") or "").strip():
                raise IngestError(f"model {index} has no name")
            name = str(entry["name"]).strip()
            benchmarks = entry.get("benchmarks") or {}
            if not isinstance(benchmarks, dict):
                raise IngestError(f"model {name[:60]!r}: 'benchmarks' is not an object")
            developer = entry.get("developer")
            row: dict[str, Any] = {
                "position": index,
                "model_name": name,
                # The previous scraper wrote 'Unknown' where the page's Organization cell was blank.
                "organization": None if developer in (None, "", "Unknown") else developer,
                "license": (entry.get("metadata") or {}).get("license"),
                "snapshot_date": snapshot,
                "capture_format": "previous_system_json",
            }
            for key, value in benchmarks.items():
                field = JSON_BENCHMARKS.get(key)
                if field is None:
                    continue
                try:
                    row[field] = parse_float(value)
                except ValueError:
                    raise IngestError(f"model {name[:60]!r}: {key} {str(value)[:20]!r} is not a number") from None
            rows.append(row)
        if not rows:
            raise IngestError("the 'models' list is empty")
        parsed = Parsed({"openlm_scores": build_records(OpenLMScore, rows)}, data_date=day, data_date_basis=basis)
        return parsed.note_missing(columns)

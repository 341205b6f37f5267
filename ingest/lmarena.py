"""LMArena (formerly Chatbot Arena): scores with their intervals, and model metadata.

Five real shapes exist and all are detected from the content:
- the saved leaderboard page, whose `window.gradio_config` JSON holds the tables;
- the CSV table export (rank, model, arena_score, 95_pct_ci, votes, organization, ...);
- LMArena's published JSON `{category: {model: {rating, rating_q025, rating_q975}}}`;
- the metadata tables that carry organisation and licence (a CSV keyed by `key`,
  and the catalog's scatterplot JSON list);
- the Elo history CSV (one row per date, one column per model, 0 = absent).
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from typing import Any, ClassVar

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
    drop_exact_duplicates,
    expected,
    optional,
    parse_float,
    required,
)


class LMArenaScore(Record):
    """One model's score in one category of one leaderboard snapshot."""

    model_key: Name
    display_name: Name
    category: str
    style_control: bool
    score: float
    score_low: float | None = None
    score_high: float | None = None
    votes: int | None = None
    rank: int | None = None
    rank_style_control: int | None = None
    organization: str | None = None
    license: str | None = None
    snapshot_date: PastDate
    capture_format: str


class LMArenaModel(Record):
    """Metadata for a model as LMArena lists it: who made it and under what licence."""

    model_key: Name
    display_name: Name
    organization: str | None = None
    license: str | None = None
    knowledge_cutoff: str | None = None
    link: str | None = None
    input_price_per_mtok: float | None = None
    output_price_per_mtok: float | None = None
    capture_format: str


_TAG = re.compile(r"<[^>]+>")
_MD_LINK = re.compile(r"^\[(?P<name>[^\]]+)\]\((?P<url>[^)]*)\)$")
_HREF = re.compile(r'href="(?P<url>[^"]*)"')
_CI = re.compile(r"^\s*\+\s*(?P<plus>[\d.]+)\s*/\s*-\s*(?P<minus>[\d.]+)\s*$")
_LAST_UPDATED = re.compile(r"Last updated:\s*(\d{4}-\d{2}-\d{2})")
_TAB_CATEGORY = {
    "language": "text",
    "text": "text",
    "vision": "vision",
    "text-to-image": "text_to_image",
    "copilot arena": "copilot",
    "webdev": "webdev",
}


# The columns each shape provides, by their names in the captures we know (see ../shared/data/lmarena).
PAGE_TABLE = Contract(
    "an LMArena leaderboard table",
    (
        required("model", "Model"),
        required("score", "Arena Score"),
        expected("ci", "95% CI"),
        expected("votes", "Votes"),
        expected("organization", "Organization"),
        expected("license", "License"),
        expected("rank", "Rank* (UB)", "Rank"),
        # Only the text tabs rank with style control; vision, text-to-image and the others do not.
        optional("rank_style_control", "Rank (StyleCtrl)"),
    ),
)
TABLE_CSV = Contract(
    "the LMArena table export",
    (
        required("model", "model"),
        required("score", "arena_score"),
        expected("ci", "95_pct_ci"),
        expected("votes", "votes"),
        expected("rank", "rank"),
        expected("rank_style_control", "rank_stylectrl"),
        expected("organization", "organization"),
        expected("license", "license"),
        expected("knowledge_cutoff", "knowledge_cutoff"),
        expected("url", "url"),
    ),
)
METADATA_CSV = Contract(
    "LMArena's metadata table",
    (
        required("key", "key"),
        required("organization", "Organization"),
        expected("model", "Model"),
        expected("license", "License"),
        expected("knowledge_cutoff", "Knowledge cutoff date", "Knowledge cutoff"),
        expected("link", "Link"),
    ),
)
# JSON objects: the keys any entry has.
CATALOG_ENTRY = Contract(
    "an LMArena leaderboard JSON",
    (required("rating", "rating"), expected("low", "rating_q025"), expected("high", "rating_q975")),
)
SCATTER_ENTRY = Contract(
    "LMArena's model list JSON",
    (
        required("model_api_name", "model_api_name"),
        expected("name", "name"),
        expected("organization", "organization"),
        expected("license", "license"),
        expected("link", "model_source"),
        expected("input_price", "input_token_price"),
        expected("output_price", "output_token_price"),
    ),
)


def _keys(entries: list) -> list[str]:
    """Every key any of these JSON objects has, in first-seen order."""
    return list(dict.fromkeys(k for e in entries if isinstance(e, dict) for k in e))


def _name_and_link(cell: object) -> tuple[str, str | None]:
    text = str(cell or "").strip()
    if match := _MD_LINK.match(text):
        return match["name"].strip(), match["url"] or None
    href = _HREF.search(text)
    return _TAG.sub("", text).strip(), href["url"] if href else None


def _interval(score: float, ci: object) -> tuple[float | None, float | None]:
    match = _CI.match(str(ci or ""))
    if not match:
        return None, None
    return score - float(match["minus"]), score + float(match["plus"])


def _int(value: object) -> int | None:
    number = parse_float(value)
    return None if number is None else int(number)


def _key(name: str) -> str:
    return name.strip().lower()


class LMArenaSource(Source):
    name: ClassVar[str] = "lmarena"
    description: ClassVar[str] = "LMArena text/vision leaderboards: Arena score, 95% interval, votes"
    live_urls: ClassVar[tuple[str, ...]] = (
        "https://raw.githubusercontent.com/lmarena/arena-catalog/main/data/leaderboard-text.json",
        "https://raw.githubusercontent.com/lmarena/arena-catalog/main/data/leaderboard-text-style-control.json",
        "https://raw.githubusercontent.com/lmarena/arena-catalog/main/data/scatterplot-data.json",
    )
    tables: ClassVar[dict[str, type[Record]]] = {
        "lmarena_scores": LMArenaScore,
        "lmarena_models": LMArenaModel,
    }
    capture_globs: ClassVar[tuple[str, ...]] = ("lmarena/*",)

    def parse(self, content: bytes, meta: CaptureMeta) -> Parsed:
        text = decode_text(content)
        stripped = text.lstrip()
        if "window.gradio_config" in text:
            return self._parse_page(text, meta)
        if stripped.startswith(("{", "[")):
            try:
                data = json.loads(text, object_pairs_hook=_refuse_conflicting_keys)
            except json.JSONDecodeError as exc:
                raise IngestError(f"invalid JSON at line {exc.lineno} column {exc.colno} (truncated?)") from exc
            if isinstance(data, dict):
                return self._parse_catalog(data, meta)
            if isinstance(data, list):
                return self._parse_scatterplot(data)
            raise IngestError("JSON is neither a leaderboard object nor a model list")
        if stripped.startswith("<"):
            raise IngestError("HTML without window.gradio_config: not an LMArena leaderboard page")
        return self._parse_csv(text, meta)

    # -- saved page --------------------------------------------------------------------------
    def _parse_page(self, text: str, meta: CaptureMeta) -> Parsed:
        start = text.index("window.gradio_config")
        brace = text.find("{", start)
        try:
            config, _ = json.JSONDecoder().raw_decode(text[brace:])
        except json.JSONDecodeError as exc:
            raise IngestError(f"window.gradio_config is not valid JSON (truncated page?): {exc.msg}") from exc
        components = {c.get("id"): c for c in config.get("components", [])}
        stated = None
        for comp in components.values():
            value = str(comp.get("props", {}).get("value") or "")
            if match := _LAST_UPDATED.search(value):
                stated = date.fromisoformat(match[1])
                break
        snapshot, basis = data_date_of(meta, stated)
        rows: list[dict[str, Any]] = []
        parsed = Parsed()

        def walk(node: dict, tabs: list[str]) -> None:
            comp = components.get(node.get("id"), {})
            label_ = comp.get("props", {}).get("label") if comp.get("type") == "tabitem" else None
            path = tabs + [label_] if label_ else tabs
            if comp.get("type") == "dataframe":
                rows.extend(self._page_table(comp, path, snapshot, parsed))
            for child in node.get("children", []) or []:
                walk(child, path)

        walk(config.get("layout", {}), [])
        if not rows:
            raise IngestError("page has no Arena score table")
        models = build_records(LMArenaModel, _models_from_scores(rows, "page"))
        scores = build_records(LMArenaScore, rows)
        parsed.tables = {"lmarena_scores": scores, "lmarena_models": models}
        parsed.data_date, parsed.data_date_basis = snapshot, basis
        return parsed

    @staticmethod
    def _page_table(comp: dict, tabs: list[str], snapshot: date, parsed: Parsed) -> list[dict[str, Any]]:
        value = comp.get("props", {}).get("value") or {}
        headers = [str(h) for h in value.get("headers") or []]
        if "Arena Score" not in headers or "Model" not in headers:
            return []  # the page's other tables (win rates, category breakdowns) hold no Arena score
        columns = PAGE_TABLE.match(headers)
        parsed.note_missing(columns)
        tab = re.sub(r"[^\w\s-]", "", tabs[-1] if tabs else "").strip().lower()
        category = _TAB_CATEGORY.get(tab, tab.replace(" ", "_") or "text")
        out = []
        for cells in value.get("data") or []:
            name, link = _name_and_link(columns.get(cells, "model"))
            score = parse_float(columns.get(cells, "score"))
            if not name or score is None:
                continue
            low, high = _interval(score, columns.get(cells, "ci"))
            out.append(
                {
                    "model_key": _key(name),
                    "display_name": name,
                    "category": category,
                    "style_control": False,
                    "score": score,
                    "score_low": low,
                    "score_high": high,
                    "votes": _int(columns.get(cells, "votes")),
                    "rank": _int(columns.get(cells, "rank")),
                    "rank_style_control": _int(columns.get(cells, "rank_style_control")),
                    "organization": columns.get(cells, "organization"),
                    "license": columns.get(cells, "license"),
                    "snapshot_date": snapshot,
                    "capture_format": "page",
                    "_link": link,
                }
            )
        return out

    # -- published JSON ----------------------------------------------------------------------
    def _parse_catalog(self, data: dict, meta: CaptureMeta) -> Parsed:
        style = "style" in (meta.filename or meta.origin).lower()
        snapshot, basis = data_date_of(meta)
        rows = []
        entries = []
        for category, models in data.items():
            if not isinstance(models, dict):
                raise IngestError(f"category {category!r} is not an object of models")
            entries.extend(models.values())
        columns = CATALOG_ENTRY.match(_keys(entries))
        for category, models in data.items():
            for key, entry in models.items():
                if not isinstance(entry, dict) or "rating" not in entry:
                    raise IngestError(f"category {category!r} model {key!r}: no 'rating'")
                rows.append(
                    {
                        "model_key": _key(key),
                        "display_name": key,
                        "category": "text" if category == "full" else category,
                        "style_control": style,
                        "score": entry.get("rating"),
                        "score_low": entry.get("rating_q025"),
                        "score_high": entry.get("rating_q975"),
                        "snapshot_date": snapshot,
                        "capture_format": "json",
                    }
                )
        if not rows:
            raise IngestError("leaderboard JSON has no models")
        parsed = Parsed(
            {"lmarena_scores": build_records(LMArenaScore, rows)}, data_date=snapshot, data_date_basis=basis
        )
        return parsed.note_missing(columns)

    @staticmethod
    def _parse_scatterplot(data: list) -> Parsed:
        columns = SCATTER_ENTRY.match(_keys(data))
        rows = []
        for item in data:
            if not isinstance(item, dict) or "model_api_name" not in item:
                raise IngestError("model list entries need 'model_api_name'")
            rows.append(
                {
                    "model_key": _key(item["model_api_name"]),
                    "display_name": item.get("name") or item["model_api_name"],
                    "organization": item.get("organization"),
                    "license": item.get("license"),
                    "link": item.get("model_source"),
                    "input_price_per_mtok": parse_float(item.get("input_token_price")),
                    "output_price_per_mtok": parse_float(item.get("output_token_price")),
                    "capture_format": "catalog_json",
                }
            )
        return Parsed({"lmarena_models": build_records(LMArenaModel, rows)}).note_missing(columns)

    # -- CSV shapes --------------------------------------------------------------------------
    def _parse_csv(self, text: str, meta: CaptureMeta) -> Parsed:
        reader = csv.reader(io.StringIO(text))
        try:
            header = [h.strip() for h in next(reader)]
            body = [r for r in reader if any(c.strip() for c in r)]
        except csv.Error as exc:
            raise IngestError(f"malformed CSV: {exc}") from exc
        lower = [h.lower() for h in header]
        if not body:
            raise IngestError("CSV has a header but no rows")
        bad = next((i for i, r in enumerate(body, 2) if len(r) != len(header)), None)
        if bad is not None:
            raise IngestError(f"CSV line {bad} has {len(body[bad - 2])} fields, header has {len(header)} (truncated?)")
        if "arena_score" in lower and "model" in lower:
            return self._table_csv(header, body, meta)
        if lower[0] == "" and len(header) > 2:
            return self._history_csv(header, body, meta)
        if "key" in lower and "organization" in lower:
            return self._metadata_csv(header, body)
        raise IngestError(
            "unrecognised CSV columns (expected arena_score/model, key/Organization, or a date-by-model history): "
            + ", ".join(header[:6])
        )

    @staticmethod
    def _table_csv(header: list[str], body: list[list[str]], meta: CaptureMeta) -> Parsed:
        columns = TABLE_CSV.match(header)
        snapshot, basis = data_date_of(meta)

        def get(row: list[str], name: str) -> str | None:
            return columns.get(row, name) or None

        rows = []
        for r in body:
            name = get(r, "model") or ""
            raw_score = get(r, "score")
            try:
                score = parse_float(raw_score)
            except ValueError:
                raise IngestError(f"model {name[:60]!r}: arena_score {raw_score!r} is not a number") from None
            low, high = _interval(score or 0.0, get(r, "ci"))
            rows.append(
                {
                    "model_key": _key(name),
                    "display_name": name,
                    "category": "text",
                    "style_control": False,
                    "score": score,
                    "score_low": low,
                    "score_high": high,
                    "votes": _int(get(r, "votes")),
                    "rank": _int(get(r, "rank")),
                    "rank_style_control": _int(get(r, "rank_style_control")),
                    "organization": get(r, "organization"),
                    "license": get(r, "license"),
                    "snapshot_date": snapshot,
                    "capture_format": "csv",
                    "_link": get(r, "url"),
                    "_cutoff": get(r, "knowledge_cutoff"),
                }
            )
        # The 2025-08-04 export lists Yi-34B-Chat twice, identical but for its row number.
        rows = drop_exact_duplicates(
            rows, ("model_key", "category", "style_control", "snapshot_date"), ignore=("rank",)
        )
        models = build_records(LMArenaModel, _models_from_scores(rows, "csv"))
        scores = build_records(LMArenaScore, rows)
        parsed = Parsed({"lmarena_scores": scores, "lmarena_models": models}, data_date=snapshot, data_date_basis=basis)
        return parsed.note_missing(columns)

    @staticmethod
    def _history_csv(header: list[str], body: list[list[str]], meta: CaptureMeta) -> Parsed:
        """One column per model, so there is no fixed set of columns: each row states its own date."""
        rows = []
        for r in body:
            try:
                day = date.fromisoformat(r[0].strip()[:10])
            except ValueError:
                raise IngestError(f"history row date {r[0][:20]!r} is not YYYY-MM-DD") from None
            for name, cell in zip(header[1:], r[1:], strict=True):
                try:
                    score = parse_float(cell)
                except ValueError:
                    raise IngestError(f"{day} {name[:60]!r}: score {cell[:20]!r} is not a number") from None
                if score is None or score == 0.0:
                    continue
                rows.append(
                    {
                        "model_key": _key(name),
                        "display_name": name,
                        "category": "text",
                        "style_control": False,
                        "score": score,
                        "snapshot_date": day,
                        "capture_format": "history",
                    }
                )
        # A model column repeated with the same scores is one model; with other scores, refused.
        rows = drop_exact_duplicates(rows, ("model_key", "snapshot_date"))
        newest = max((r["snapshot_date"] for r in rows), default=None)
        return Parsed({"lmarena_scores": build_records(LMArenaScore, rows)}).dated(meta, stated=newest)

    @staticmethod
    def _metadata_csv(header: list[str], body: list[list[str]]) -> Parsed:
        columns = METADATA_CSV.match(header)

        def get(row: list[str], name: str) -> str | None:
            return columns.get(row, name) or None

        rows = [
            {
                "model_key": _key(get(r, "key") or ""),
                "display_name": get(r, "model") or get(r, "key") or "",
                "organization": get(r, "organization"),
                "license": get(r, "license"),
                "knowledge_cutoff": get(r, "knowledge_cutoff"),
                "link": get(r, "link"),
                "capture_format": "metadata_csv",
            }
            for r in body
        ]
        rows = drop_exact_duplicates(rows, ("model_key",))
        return Parsed({"lmarena_models": build_records(LMArenaModel, rows)}).note_missing(columns)


def _refuse_conflicting_keys(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object whose key repeats: the same value twice is one entry; two values are refused.

    json.loads would silently keep the last value, so a model listed twice with different
    ratings would load whichever came last.
    """
    out: dict = {}
    for key, value in pairs:
        if key in out and out[key] != value:
            raise IngestError(f"model {key[:60]!r} appears twice with different values")
        out[key] = value
    return out


def _models_from_scores(rows: list[dict[str, Any]], fmt: str) -> list[dict[str, Any]]:
    """One metadata row per model named in a score table (organisation and licence come with it)."""
    seen: dict[str, dict[str, Any]] = {}
    for r in rows:
        seen.setdefault(
            r["model_key"],
            {
                "model_key": r["model_key"],
                "display_name": r["display_name"],
                "organization": r.get("organization"),
                "license": r.get("license"),
                "knowledge_cutoff": r.get("_cutoff"),
                "link": r.get("_link"),
                "capture_format": fmt,
            },
        )
    for r in rows:
        r.pop("_link", None)
        r.pop("_cutoff", None)
    return list(seen.values())

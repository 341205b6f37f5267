"""LMArena (formerly Chatbot Arena): scores with their intervals, and model metadata.

Five real shapes exist and all are detected from the content:
- the saved leaderboard page, whose `window.gradio_config` JSON holds the tables;
- the CSV table export (rank, model, arena_score, 95_pct_ci, votes, organization, ...);
- LMArena's published JSON `{category: {model: {rating, rating_q025, rating_q975}}}`;
- the metadata tables that carry organisation and licence (a CSV keyed by `key`,
  and the catalog's scatterplot JSON list);
- the Elo history CSV (one row per date, one column per model, 0 = absent);
- LMArena's leaderboard dataset on the Hugging Face Hub (`lmarena-ai/leaderboard-dataset`, CC-BY-4.0):
  one parquet file per arena and split (`text/latest-00000-of-00001.parquet`), detected by parquet's
  magic bytes `PAR1`. Its dataset card documents the columns `model_name, organization, license,
  rating, rating_lower, rating_upper, variance, vote_count, rank, category,
  leaderboard_publish_date`; each row is dated by its `leaderboard_publish_date`.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from datetime import date
from pathlib import PurePosixPath
from typing import Any, ClassVar
from urllib.parse import urlsplit

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


# lmarena-ai/leaderboard-dataset (https://huggingface.co/datasets/lmarena-ai/leaderboard-dataset), the
# columns of its Bradley-Terry arenas as the dataset card documents them. `variance` is not read. In the
# files as published, `vote_count` is float64 in every subset and `rank` float64 in `text` but int64 in
# `text_style_control`; both are whole numbers and read as such whatever their type.
DATASET = Contract(
    "an LMArena leaderboard-dataset file",
    (
        required("model_name", "model_name"),
        required("rating", "rating"),
        required("category", "category"),
        required("leaderboard_publish_date", "leaderboard_publish_date"),
        expected("rating_lower", "rating_lower"),
        expected("rating_upper", "rating_upper"),
        expected("vote_count", "vote_count"),
        expected("rank", "rank"),
        expected("organization", "organization"),
        expected("license", "license"),
    ),
)
PARQUET_MAGIC = b"PAR1"
DATASET_URL = (
    "https://huggingface.co/datasets/lmarena-ai/leaderboard-dataset/resolve/main/{subset}/latest-00000-of-00001.parquet"
)
# The dataset's subsets (one per arena; four arenas also `_style_control`), as the path names them:
# `text_style_control/latest-00000-of-00001.parquet` on the Hub, or a saved file named after its subset
# (`text_style_control_latest_2026-10-02.parquet`). Longer names first: `text_to_image` is not `text`.
_SUBSET = re.compile(
    r"(?<![a-z])(?P<arena>text_to_image|text_to_video|image_to_video|image_edit|video_edit|webdev|document|search"
    r"|vision|text)(?P<style>_style_control)?(?=$|[/._-])"
)


def dataset_subset(meta: CaptureMeta) -> tuple[str, bool]:
    """(arena, style controlled) of a leaderboard-dataset file, from where it came from or its name.

    Only the file's name and its folder's are read (as the Hub lays them out, `<subset>/latest-...`), never
    folders further up a saved file's path. A file whose name names no subset is read as the text arena
    without style control.
    """
    where = PurePosixPath(urlsplit(meta.origin).path).parts[-2:]
    path = "/".join((*where, meta.filename)).lower()
    found = list(_SUBSET.finditer(path))
    if not found:
        return "text", False
    return found[-1]["arena"], bool(found[-1]["style"])


def _dataset_category(arena: str, category: str) -> str:
    """The dataset's category in this table's terms: `overall` is the arena itself ('text' as in every
    other shape); the text arena's other categories keep their names (`coding`, as the catalog JSON has
    them); another arena's are prefixed with it (`vision_coding`)."""
    if category == "overall":
        return arena
    return category if arena == "text" else f"{arena}_{category}"


def _number(value: object) -> float | None:
    """A parquet cell as a float; null and NaN are unknown."""
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _whole(value: object) -> int | None:
    number = _number(value)
    return None if number is None else int(number)


def _text(value: object) -> str | None:
    return (str(value).strip() or None) if value is not None else None


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:160] if text else type(exc).__name__


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
    # The leaderboard dataset is LMArena's official publication of every leaderboard, updated daily; the
    # arena-catalog repository's leaderboard JSON stopped at 2025-12-11, and its model list (prices,
    # links) is still read. See the README's sources section.
    live_urls: ClassVar[tuple[str, ...]] = (
        DATASET_URL.format(subset="text"),
        DATASET_URL.format(subset="text_style_control"),
        "https://raw.githubusercontent.com/lmarena/arena-catalog/main/data/scatterplot-data.json",
    )
    tables: ClassVar[dict[str, type[Record]]] = {
        "lmarena_scores": LMArenaScore,
        "lmarena_models": LMArenaModel,
    }
    capture_globs: ClassVar[tuple[str, ...]] = ("lmarena/*",)

    def parse(self, content: bytes, meta: CaptureMeta) -> Parsed:
        if content[:4] == PARQUET_MAGIC:
            return self._parse_dataset(content, meta)
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
        day, basis = data_date_of(meta, stated)
        snapshot = day or meta.capture_date  # rows need a date: the fetch date where none is stated
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
        parsed.data_date, parsed.data_date_basis = day, basis
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
        day, basis = data_date_of(meta)
        snapshot = day or meta.capture_date  # rows need a date: the fetch date where none is stated
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
        parsed = Parsed({"lmarena_scores": build_records(LMArenaScore, rows)}, data_date=day, data_date_basis=basis)
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

    # -- LMArena's leaderboard dataset (parquet) ---------------------------------------------------
    def _parse_dataset(self, content: bytes, meta: CaptureMeta) -> Parsed:
        """One parquet file of `lmarena-ai/leaderboard-dataset` (columns: `DATASET`; subset: `dataset_subset`).

        Every row keeps its category and is dated by its `leaderboard_publish_date` (a `full` file holds
        every snapshot; a `latest` file each category's newest); the newest of those dates is the file's
        data date. A rating LMArena published as NaN (a model too thinly voted in a category) is no score,
        so that row is left out; a cell that is no number or date is an error naming the row.
        """
        import pyarrow.parquet as pq

        try:
            handle = pq.ParquetFile(io.BytesIO(content))
            columns = DATASET.match(handle.schema_arrow.names)
            data = handle.read(columns=list(dict.fromkeys(columns.header.values()))).to_pylist()
        except IngestError:
            raise
        except Exception as exc:  # pyarrow raises several unrelated types for a bad file
            raise IngestError(f"not a readable parquet file (cut short?): {_first_line(exc)}") from None
        arena, style = dataset_subset(meta)
        where = columns.header
        rows: list[dict[str, Any]] = []
        for number, cells in enumerate(data, start=1):
            values = {field: cells.get(header) for field, header in where.items()}
            name = _text(values["model_name"]) or ""
            label = f"row {number} ({name[:60]!r})"
            try:
                score = _number(values["rating"])
                numbers = {f: _number(values.get(f)) for f in ("rating_lower", "rating_upper", "vote_count", "rank")}
            except (TypeError, ValueError):
                raise IngestError(f"{label}: a rating, vote count or rank is not a number") from None
            if score is None:
                continue
            published = values["leaderboard_publish_date"]
            try:
                day = published if isinstance(published, date) else date.fromisoformat(str(published).strip())
            except ValueError:
                raise IngestError(f"{label}: leaderboard_publish_date {str(published)[:20]!r} is not a date") from None
            category = _text(values["category"])
            if not category:
                raise IngestError(f"{label}: no category")
            rows.append(
                {
                    "model_key": _key(name),
                    "display_name": name,
                    "category": _dataset_category(arena, category),
                    "style_control": style,
                    "score": score,
                    "score_low": numbers["rating_lower"],
                    "score_high": numbers["rating_upper"],
                    "votes": _whole(numbers["vote_count"]),
                    "rank": _whole(numbers["rank"]),
                    "organization": _text(values.get("organization")),
                    "license": _text(values.get("license")),
                    "snapshot_date": day,
                    "capture_format": "dataset",
                }
            )
        if not rows:
            raise IngestError("leaderboard dataset file has no rated rows")
        rows = drop_exact_duplicates(rows, ("display_name", "category", "style_control", "snapshot_date"))
        models = build_records(LMArenaModel, _models_from_scores(rows, "dataset"))
        scores = build_records(LMArenaScore, rows)
        parsed = Parsed({"lmarena_scores": scores, "lmarena_models": models})
        return parsed.note_missing(columns).dated(meta, stated=max(r["snapshot_date"] for r in rows))

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
        day, basis = data_date_of(meta)
        snapshot = day or meta.capture_date  # rows need a date: the fetch date where none is stated

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
        parsed = Parsed({"lmarena_scores": scores, "lmarena_models": models}, data_date=day, data_date_basis=basis)
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

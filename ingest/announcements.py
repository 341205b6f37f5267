"""Frontier labs' release announcements: news feeds (RSS 2.0, Atom) and Hub organisations.

Where a lab discloses a model's size, data or compute, it does so first in its
announcement. The feeds to watch are a reviewed seed, `seeds/curated/lab_feeds.csv`
(developer, feed_url, feed_kind rss|atom|hf_org, stale_after_days, source_url_note);
this source's live URLs are that list. A feed with no post in `stale_after_days` is
stale: the lab moved its blog, or a community mirror stopped. Three shapes, detected from the content:

- RSS 2.0 (`<rss><channel><item>`), with `content:encoded` read where present;
- Atom (`<feed xmlns="http://www.w3.org/2005/Atom"><entry>`);
- the Hub's model list JSON (`/api/models?author=ORG&sort=createdAt`), where each
  new repository is a release: its name is the title, its page the URL.

XML is parsed with the standard library only after a first pass with expat that
refuses any DTD or entity declaration (the defusedxml rule: a feed never needs
one, and entity expansion is how XML bombs and external-entity reads work).

Each post becomes one row of `announcement_posts` with figures read from its
title and text by regular expressions (see `extract_figures`): parameters
("405B parameters", "235B total / 22B active", "8x22B", Hub names such as
"Qwen3-235B-A22B"), training tokens ("trained on 15T tokens", "36 trillion
tokens"), hardware ("16,384 H100 GPUs"), disclosed compute ("3.8e25 FLOPs",
"3.8 x 10^25"). Where a text names several, the largest is kept with the words
it was read from (`*_text`), so a person can check it. A post announcing a model
is evidence whose source is the post URL; it is flagged `announces_model` when
figures were found in it, or its title introduces/announces/launches/releases
something with a version number in its name ("Introducing Claude Opus 4.7"),
and every Hub repository counts as one. These are heuristics: evidence for
review, never a value used unseen.
"""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, ClassVar
from xml.etree import ElementTree as ET
from xml.parsers import expat

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

from ingest.base import (
    CaptureMeta,
    Columns,
    Contract,
    Flop,
    IngestError,
    Name,
    OptionalName,
    OptionalPastDatetime,
    Parameters,
    Parsed,
    Record,
    Source,
    build_records,
    expected,
    optional,
    required,
)
from kernel.paths import PROJECT_ROOT

FEED_KINDS = ("rss", "atom", "hf_org")
SEED_COLUMNS = ("developer", "feed_url", "feed_kind", "stale_after_days", "source_url_note")
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_DATE = "{http://purl.org/dc/elements/1.1/}date"
SUMMARY_CHARS = 1000
_HTML_START = re.compile(rb"(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S)


class AnnouncementPost(Record):
    """One post of a lab's feed (or one new Hub repository), with the figures its text discloses."""

    developer: str | None = None
    feed_kind: str
    feed_url: str
    feed_title: str | None = None
    post_id: str | None = None
    title: Name
    url: str
    published_at: OptionalPastDatetime = None
    summary: str | None = None
    announces_model: bool
    model_name: OptionalName = None
    parameters: Parameters = None
    active_parameters: Parameters = None
    parameters_basis: str | None = None
    parameters_text: str | None = None
    training_tokens: float | None = None
    tokens_text: str | None = None
    hardware_count: float | None = None
    hardware_type: str | None = None
    hardware_text: str | None = None
    training_flop: Flop = None
    flop_text: str | None = None


@dataclass(frozen=True)
class Feed:
    """One row of seeds/curated/lab_feeds.csv."""

    developer: str
    url: str
    kind: str
    note: str = ""
    # A feed whose newest post is older than this many days is stale (the lab moved or the mirror
    # stopped): `flop-tracker status` reports it, so a dead feed is seen, not silently empty.
    stale_after_days: int | None = None


FEEDS_SEED = PROJECT_ROOT / "seeds" / "curated" / "lab_feeds.csv"


def load_feeds(path: Path | None = None) -> tuple[Feed, ...]:
    """The reviewed feed list; a malformed seed is an error naming the line (it is code, tested in CI)."""
    path = path or FEEDS_SEED
    if not path.is_file():
        return ()
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    if tuple(reader.fieldnames or ()) != SEED_COLUMNS:
        raise ValueError(f"{path}: columns must be {', '.join(SEED_COLUMNS)}")
    feeds: list[Feed] = []
    seen: set[str] = set()
    for line, row in enumerate(reader, start=2):
        url = (row["feed_url"] or "").strip()
        kind = (row["feed_kind"] or "").strip()
        developer = (row["developer"] or "").strip()
        if not developer or not url.startswith("https://") or kind not in FEED_KINDS:
            raise ValueError(f"{path} line {line}: needs a developer, an https feed_url and a kind in {FEED_KINDS}")
        limit = (row["stale_after_days"] or "").strip()
        if not limit.isdigit() or not 1 <= int(limit) <= 3660:
            raise ValueError(f"{path} line {line}: stale_after_days must be a whole number of days, 1 to 3660")
        if url in seen:
            raise ValueError(f"{path} line {line}: feed_url listed twice")
        seen.add(url)
        feeds.append(Feed(developer, url, kind, (row["source_url_note"] or "").strip(), int(limit)))
    return tuple(feeds)


# -- figures -----------------------------------------------------------------------------------
_NUM = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SIZE_UNIT = r"(trillion|billion|million|[TBM])"
_SCALE = {"t": 1e12, "trillion": 1e12, "b": 1e9, "billion": 1e9, "m": 1e6, "million": 1e6, "k": 1e3, "thousand": 1e3}
_PARAM_WORD = r"param(?:eter)?s?\b"
_TOTAL_ACTIVE = re.compile(
    rf"{_NUM}\s*{_SIZE_UNIT}\b[^.;\d]{{0,40}}?\btotal\b[^.;]{{0,40}}?{_NUM}\s*{_SIZE_UNIT}\b"
    rf"[^.;\d]{{0,30}}?\bactiv(?:e|ated)\b",
    re.I,
)
_ACTIVE = re.compile(rf"{_NUM}\s*{_SIZE_UNIT}\s*(?:{_PARAM_WORD}\s*)?(?:active|activated)\b", re.I)
_PARAMS = re.compile(rf"{_NUM}\s*{_SIZE_UNIT}[\s-]*(?:total\s+)?{_PARAM_WORD}", re.I)
_EXPERTS = re.compile(r"(?<![\w.])(\d+)\s*[x×]\s*(\d+(?:\.\d+)?)\s*([BMT])\b")
# Sizes in model names: "Llama-3.1-405B", "gemma-3-27b-it", "Qwen3-235B-A22B" (A = active), "Ling-1T".
_NAME_SIZE = re.compile(r"(?<![\w$.])(\d+(?:\.\d+)?)([BbMT])(?![\w.])")
_NAME_ACTIVE = re.compile(r"(?<![\w$.])A(\d+(?:\.\d+)?)[Bb](?![\w.])")
_TOKENS = re.compile(
    rf"{_NUM}\s*(trillion|billion|[TB])\+?\s+(?:(?:high-quality|multilingual|training|pre-?training|text|of)\s+)*"
    r"tokens\b(?!\s*(?:per|a day|/|each|of context|context))",
    re.I,
)
_CHIP = (
    r"(?:GB\d{3}|[HAB]\d{2,3}[A-Z]?|V100|L40S?|TPU\s?v\d+[a-z]*|MI\d{3}[A-Z]?|Ascend\s?\d{3}[A-Z]?"
    r"|Trainium\s?\d?|Gaudi\s?\d)"
)
_HARDWARE = re.compile(
    rf"{_NUM}\s*([kK]|thousand)?\s+(?:(?:NVIDIA|Nvidia|Google|AMD|Huawei|Intel|AWS|Cloud)\s+)?(?P<chip>{_CHIP})"
    r"(?:\s+(?:SXM\d?|PCIe|\d+\s?GB))*(?:\s*(?:GPUs?|chips?|accelerators?|TPUs?)|s)?\b"
)
_GPUS = re.compile(rf"{_NUM}\s*(k|thousand)?\s+GPUs\b", re.I)
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_FLOP = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)(?:[eE]\+?(\d{1,2})|\s*(?:x|×|\*|·)\s*10\s*(?:\^|\*\*)?\s*(\d{1,2}|[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2}))"
    r"(?!\d)"
)
# "more than 1e25 FLOP", "the 10^25 threshold": a rule being quoted, not a model's compute.
_THRESHOLD_BEFORE = re.compile(r"(?:more than|above|exceed\w*|greater than|at least|threshold|over|>|≥)\s*$", re.I)
_THRESHOLD_AFTER = re.compile(r"^\s*(?:FLOPs?|FLOPS|floating[- ]point operations)?\s*(?:threshold|limit|cap)\b", re.I)


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _scaled(number: str, unit: str | None) -> float:
    return _number(number) * (_SCALE[unit.lower()] if unit else 1.0)


def _context(text: str, start: int, end: int, pad: int = 40) -> str:
    snippet = text[max(0, start - pad) : min(len(text), end + pad)]
    return " ".join(snippet.split())


def extract_figures(text: str, name_like: str = "") -> dict[str, Any]:
    """Parameters, tokens, hardware and compute disclosed in `text` (prose) and `name_like` (a model name/title).

    Returns the record fields; absent figures are None. Each value is the largest of its kind found, with
    the surrounding words in the matching `*_text` field.
    """
    out: dict[str, Any] = dict.fromkeys(
        (
            "parameters",
            "active_parameters",
            "parameters_basis",
            "parameters_text",
            "training_tokens",
            "tokens_text",
            "hardware_count",
            "hardware_type",
            "hardware_text",
            "training_flop",
            "flop_text",
        )
    )
    # (total, active, basis, snippet) candidates; stated prose beats names, names beat experts x size.
    candidates: list[tuple[int, float, float | None, str, str]] = []
    for m in _TOTAL_ACTIVE.finditer(text):
        total, active = _scaled(m[1], m[2]), _scaled(m[3], m[4])
        candidates.append((3, total, active, "stated", _context(text, m.start(), m.end(), 10)))
    for m in _PARAMS.finditer(text):
        candidates.append((3, _scaled(m[1], m[2]), None, "stated", _context(text, m.start(), m.end())))
    for m in _NAME_SIZE.finditer(name_like):
        active = _NAME_ACTIVE.search(name_like)
        snippet = name_like.strip()
        candidates.append((2, _scaled(m[1], m[2]), _scaled(active[1], "b") if active else None, "name", snippet))
    for source in (text, name_like):
        for m in _EXPERTS.finditer(source):
            total = int(m[1]) * _scaled(m[2], m[3])
            candidates.append((1, total, None, "experts_x_size", _context(source, m.start(), m.end())))
    if candidates:
        _, total, active, basis, snippet = max(candidates, key=lambda c: (c[0], c[1], c[2] is not None))
        out.update(parameters=total, active_parameters=active, parameters_basis=basis, parameters_text=snippet)
    else:
        active_only = _NAME_ACTIVE.search(name_like)
        if active_only:
            out.update(active_parameters=_scaled(active_only[1], "b"), parameters_text=name_like.strip())
    if out["active_parameters"] is None:
        actives = [(_scaled(m[1], m[2]), m) for m in _ACTIVE.finditer(text)]
        if actives:
            value, m = max(actives, key=lambda a: a[0])
            out["active_parameters"] = value
            out["parameters_text"] = out["parameters_text"] or _context(text, m.start(), m.end())

    tokens = [(_scaled(m[1], m[2]), m) for m in _TOKENS.finditer(text)]
    tokens = [t for t in tokens if t[0] >= 1e9]
    if tokens:
        value, m = max(tokens, key=lambda t: t[0])
        out.update(training_tokens=value, tokens_text=_context(text, m.start(), m.end()))

    hardware = [(_scaled(m[1], m[2]), re.sub(r"\s+", " ", m["chip"]), m) for m in _HARDWARE.finditer(text)]
    if not hardware:
        hardware = [(_scaled(m[1], m[2]), None, m) for m in _GPUS.finditer(text)]
    hardware = [h for h in hardware if h[0] >= 8]
    if hardware:
        count, chip, m = max(hardware, key=lambda h: h[0])
        out.update(hardware_count=count, hardware_type=chip, hardware_text=_context(text, m.start(), m.end()))

    flops = []
    for m in _FLOP.finditer(text):
        exponent = int((m[2] or m[3]).translate(_SUPERSCRIPT))
        if not 20 <= exponent <= 30:
            continue
        if _THRESHOLD_BEFORE.search(text[max(0, m.start() - 25) : m.start()]) or _THRESHOLD_AFTER.match(
            text[m.end() : m.end() + 40]
        ):
            continue
        flops.append((float(m[1]) * 10**exponent, m))
    if flops:
        value, m = max(flops, key=lambda f: f[0])
        out.update(training_flop=value, flop_text=_context(text, m.start(), m.end()))
    return out


_ANNOUNCING = re.compile(
    r"^(?:introducing|announcing|meet|releasing|unveiling|launching)\s+(?:the\s+|our\s+)?(?P<name>.+?)"
    r"(?:\s*(?::|\s[-–—]\s|,|!|\?|\(|\s+(?:is|are|and|for|with|by|to|in|on)\b)|$)",
    re.I,
)
_RELEASE_WORDS = re.compile(r"\b(?:introduc|announc|launch|releas|unveil|meet|available)\w*", re.I)


def _model_in_title(title: str) -> str | None:
    """The model a title introduces ("Introducing Claude Opus 4.7" -> "Claude Opus 4.7"), if it names a version."""
    match = _ANNOUNCING.match(title.strip())
    if match and re.search(r"\d", match["name"]):
        return match["name"].strip()
    return None


# -- safe XML ----------------------------------------------------------------------------------
def _refuse_dtd(*_: object) -> None:
    raise IngestError("feed declares a DTD or entities; refused (a feed needs none, and entity expansion is unsafe)")


def safe_xml(content: bytes) -> ET.Element:
    """Parse XML with the standard library, after refusing DTDs and entity declarations (defusedxml's rule)."""
    check = expat.ParserCreate()
    check.StartDoctypeDeclHandler = _refuse_dtd
    check.EntityDeclHandler = _refuse_dtd
    check.UnparsedEntityDeclHandler = _refuse_dtd
    check.ExternalEntityRefHandler = _refuse_dtd
    try:
        check.Parse(content, True)
    except expat.ExpatError as exc:
        reason = expat.errors.messages.get(exc.code, str(exc))
        raise IngestError(f"malformed XML at line {exc.lineno} column {exc.offset}: {reason} (truncated?)") from None
    return ET.fromstring(content)


def _plain(markup: str | None) -> str:
    """Text of an HTML fragment (feeds carry escaped HTML in titles and summaries), whitespace collapsed."""
    if not markup:
        return ""
    if "<" in markup or "&" in markup:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            markup = BeautifulSoup(markup, "html.parser").get_text(" ")
    return " ".join(markup.split())


def _child_text(node: ET.Element, tag: str) -> str:
    """All text inside the child (Atom xhtml content nests elements; escaped HTML stays a string)."""
    child = node.find(tag)
    return "".join(child.itertext()).strip() if child is not None else ""


def _when(value: str, where: str) -> datetime | None:
    """RFC 822 (RSS) or ISO 8601 (Atom, Hub), as naive UTC."""
    value = value.strip()
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise IngestError(f"{where}: date {value[:40]!r} is neither RFC 822 nor ISO 8601") from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


# The parts of an item each shape provides (any item's children or keys count). Every item still needs
# its own title and link (refused per item otherwise); a feed whose items carry no date, or no text,
# loads degraded: its freshness, or the figures its posts disclose, cannot be known.
RSS_ITEM = Contract(
    "an RSS 2.0 feed",
    (
        required("title", "title"),
        expected("published_at", "pubDate", DC_DATE),
        expected("body", CONTENT_ENCODED, "description"),
        optional("link", "link", "guid"),  # checked per item: a link, or a guid that is a permalink
    ),
)
ATOM_ENTRY = Contract(
    "an Atom feed",
    (
        required("title", f"{ATOM}title"),
        required("link", f"{ATOM}link"),
        expected("published_at", f"{ATOM}published", f"{ATOM}updated"),
        expected("body", f"{ATOM}content", f"{ATOM}summary"),
    ),
)
HUB_MODEL = Contract(
    "the Hub's model list",
    (required("id", "id", "modelId"), expected("published_at", "createdAt"), expected("tags", "tags")),
)


def _child_tags(items: list[ET.Element]) -> list[str]:
    """Every child element name any of these items has, in first-seen order (namespaced as {uri}name)."""
    return list(dict.fromkeys(child.tag for item in items for child in item))


class AnnouncementsSource(Source):
    name: ClassVar[str] = "announcements"
    description: ClassVar[str] = "frontier labs' news feeds (RSS/Atom) and Hub organisations: disclosed figures"
    tables: ClassVar[dict[str, type[Record]]] = {"announcement_posts": AnnouncementPost}
    capture_globs: ClassVar[tuple[str, ...]] = ("announcements/*",)

    def __init__(self, feeds: tuple[Feed, ...] | None = None) -> None:
        # None: the reviewed seed, read when first needed (so a moved seeds folder is honoured).
        self._feeds = feeds

    @property
    def feeds(self) -> tuple[Feed, ...]:
        return self._feeds if self._feeds is not None else load_feeds()

    @property
    def live_urls(self) -> tuple[str, ...]:  # type: ignore[override]
        return tuple(f.url for f in self.feeds)

    def _feed_for(self, origin: str) -> Feed | None:
        return next((f for f in self.feeds if f.url == origin), None)

    def parse(self, content: bytes, meta: CaptureMeta) -> Parsed:
        if not content.strip():
            raise IngestError("file is empty")
        feed = self._feed_for(meta.origin)
        head = content.lstrip().removeprefix(b"\xef\xbb\xbf").lstrip()[:1]  # a UTF-8 BOM may lead
        columns: list[Columns] = []
        if head in (b"[", b"{"):
            rows = self._parse_hub(content, meta, feed, columns)
        elif head == b"<" and _HTML_START.match(content.lstrip().removeprefix(b"\xef\xbb\xbf").lstrip()[:200]):
            # An error or login page served with 200 at the feed's address (hosts do this); its
            # <!DOCTYPE html> would otherwise be refused as a DTD, which says nothing useful.
            raise IngestError("an HTML page, not a feed (the feed URL may have moved)")
        elif head == b"<":
            root = safe_xml(content)
            if root.tag == "rss":
                if items := root.findall("channel/item"):
                    columns.append(RSS_ITEM.match(_child_tags(items)))
                rows = self._parse_rss(root, meta, feed)
            elif root.tag == f"{ATOM}feed":
                if entries := root.findall(f"{ATOM}entry"):
                    columns.append(ATOM_ENTRY.match(_child_tags(entries)))
                rows = self._parse_atom(root, meta, feed)
            elif root.tag.lower() in {"html", "{http://www.w3.org/1999/xhtml}html"}:
                raise IngestError("an HTML page, not a feed (the feed URL may have moved)")
            else:
                raise IngestError(f"XML root <{root.tag[:60]}> is neither RSS 2.0 <rss> nor an Atom <feed>")
        else:
            raise IngestError("neither XML (RSS/Atom) nor the Hub's JSON model list")
        if not rows:
            raise IngestError("feed has no items")
        # A feed may repeat a post; the first (newest) occurrence is kept.
        unique: dict[str, dict[str, Any]] = {}
        for row in rows:
            unique.setdefault(row["url"], row)
        parsed = Parsed({"announcement_posts": build_records(AnnouncementPost, list(unique.values()))})
        parsed.note_missing(*columns)
        # A feed is as new as its newest post: a mirror regenerated daily (a fresh Last-Modified) whose
        # lab stopped posting is still stale, so the posts' own dates come first.
        dates = [r["published_at"] for r in rows if r["published_at"]]
        return parsed.dated(meta, stated=max(dates).date() if dates else None)

    # -- shapes ----------------------------------------------------------------------------
    @staticmethod
    def _post(
        feed: Feed | None,
        kind: str,
        meta: CaptureMeta,
        feed_title: str | None,
        fallback_developer: str | None,
        *,
        title: str,
        url: str,
        post_id: str | None,
        published_at: datetime | None,
        body: str,
        name_like: str,
        model_name: str | None = None,
        is_release: bool = False,
        figure_text: str | None = None,
    ) -> dict[str, Any]:
        figures = extract_figures(f"{title}\n{body}" if figure_text is None else figure_text, name_like)
        title_model = model_name or _model_in_title(title)
        found = any(figures[k] is not None for k in ("parameters", "training_tokens", "training_flop"))
        return {
            "developer": feed.developer if feed else fallback_developer,
            "feed_kind": kind,
            "feed_url": meta.origin,
            "feed_title": feed_title,
            "post_id": post_id,
            "title": title,
            "url": url,
            "published_at": published_at,
            "summary": body[:SUMMARY_CHARS] or None,
            "announces_model": bool(is_release or found or (title_model and _RELEASE_WORDS.search(title))),
            "model_name": title_model,
            **figures,
        }

    def _parse_rss(self, root: ET.Element, meta: CaptureMeta, feed: Feed | None) -> list[dict[str, Any]]:
        channel = root.find("channel")
        if channel is None:
            raise IngestError("RSS without a <channel>")
        feed_title = _plain(_child_text(channel, "title")) or None
        rows = []
        for index, item in enumerate(channel.findall("item"), start=1):
            title = _plain(_child_text(item, "title"))
            guid_node = item.find("guid")
            guid = (guid_node.text or "").strip() if guid_node is not None and guid_node.text else ""
            link = _child_text(item, "link")
            if not link and guid.startswith(("http://", "https://")) and guid_node.get("isPermaLink") != "false":
                link = guid
            where = f"item {index} ({title[:60]!r})"
            if not title or not link:
                raise IngestError(f"{where}: an item needs a title and a link")
            body = _plain(_child_text(item, CONTENT_ENCODED) or _child_text(item, "description"))
            published = _when(_child_text(item, "pubDate") or _child_text(item, DC_DATE), where)
            rows.append(
                self._post(
                    feed,
                    "rss",
                    meta,
                    feed_title,
                    feed_title,
                    title=title,
                    url=link,
                    post_id=guid or None,
                    published_at=published,
                    body=body,
                    name_like=title,
                )
            )
        return rows

    def _parse_atom(self, root: ET.Element, meta: CaptureMeta, feed: Feed | None) -> list[dict[str, Any]]:
        feed_title = _plain(_child_text(root, f"{ATOM}title")) or None
        author = root.find(f"{ATOM}author/{ATOM}name")
        fallback = (author.text or "").strip() if author is not None and author.text else feed_title
        rows = []
        for index, entry in enumerate(root.findall(f"{ATOM}entry"), start=1):
            title = _plain(_child_text(entry, f"{ATOM}title"))
            links = entry.findall(f"{ATOM}link")
            chosen = next((lk for lk in links if lk.get("rel", "alternate") == "alternate"), None)
            link = (chosen.get("href") or "").strip() if chosen is not None else ""
            where = f"entry {index} ({title[:60]!r})"
            if not title or not link:
                raise IngestError(f"{where}: an entry needs a title and an alternate link")
            body = _plain(_child_text(entry, f"{ATOM}content") or _child_text(entry, f"{ATOM}summary"))
            stamp = _child_text(entry, f"{ATOM}published") or _child_text(entry, f"{ATOM}updated")
            rows.append(
                self._post(
                    feed,
                    "atom",
                    meta,
                    feed_title,
                    fallback,
                    title=title,
                    url=link,
                    post_id=_child_text(entry, f"{ATOM}id") or None,
                    published_at=_when(stamp, where),
                    body=body,
                    name_like=title,
                )
            )
        return rows

    def _parse_hub(
        self, content: bytes, meta: CaptureMeta, feed: Feed | None, columns: list[Columns]
    ) -> list[dict[str, Any]]:
        try:
            data = json.loads(content)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise IngestError(f"invalid JSON ({exc}) (truncated?)") from None
        if isinstance(data, dict):
            reason = data.get("error") or "an object, not a list of models"
            raise IngestError(f"the Hub answered {str(reason)[:120]!r} instead of a model list")
        if not isinstance(data, list):
            raise IngestError("expected the Hub's JSON list of models")
        if data:
            columns.append(HUB_MODEL.match(list(dict.fromkeys(k for e in data if isinstance(e, dict) for k in e))))
        rows = []
        for index, item in enumerate(data, start=1):
            repo = item.get("id") or item.get("modelId") if isinstance(item, dict) else None
            if not isinstance(repo, str) or "/" not in repo:
                raise IngestError(f"model {index}: no 'id' of the form org/name")
            org, name = repo.split("/", 1)
            tags = [str(t) for t in item.get("tags") or [] if isinstance(t, str)]
            parts = [
                f"pipeline: {item['pipeline_tag']}" if item.get("pipeline_tag") else "",
                f"library: {item['library_name']}" if item.get("library_name") else "",
                f"tags: {', '.join(tags)}" if tags else "",
            ]
            rows.append(
                self._post(
                    feed,
                    "hf_org",
                    meta,
                    None,
                    org,
                    title=repo,
                    url=f"https://huggingface.co/{repo}",
                    post_id=item.get("_id") if isinstance(item.get("_id"), str) else None,
                    published_at=_when(str(item.get("createdAt") or ""), f"model {index} ({repo[:60]!r})"),
                    body="; ".join(p for p in parts if p),
                    name_like=repo,
                    model_name=name,
                    is_release=True,
                    figure_text="",  # tags name base models; only the repository's own name counts
                )
            )
        return rows

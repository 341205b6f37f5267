"""Make scraped text safe to store, to show and to export.

Text comes from web pages we do not control: it can carry ANSI escapes that repaint a
reviewer's terminal or write their clipboard (OSC 52), invisible characters that make two
names look alike or reverse what follows (zero-width and bidirectional controls), rich markup
(`[link=...]`) that a table would obey, or `=HYPERLINK(...)` payloads that a spreadsheet would
execute. Every text field of every ingested record goes through `clean_text` (ingest.base.Record);
everything shown goes through `clean_terminal` and reaches rich as plain `Text` (`terminal_text`);
everything exported to a spreadsheet format through `neutralise_formula`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Invisible format characters: soft hyphen, Arabic letter mark, Mongolian vowel separator, zero-width
# space/non-joiner/joiner, left-to-right and right-to-left marks, bidirectional embeddings, overrides
# and isolates, word joiner and invisible operators, deprecated format characters, the byte order
# mark, interlinear annotation marks, and Unicode tag characters (used to smuggle hidden text).
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_SEPARATORS = re.compile("[\n\u2028\u2029]")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def clean_text(value: str) -> str:
    """Text as stored: escape sequences, control and invisible characters removed; lines and tabs kept.

    Line breaks of every kind become `\\n`. Printable text (the usual case) is returned as it is
    without running a regular expression: `str.isprintable` is false for every character removed here.
    """
    if value.isprintable():
        return value
    return _CONTROL.sub("", _INVISIBLE.sub("", _LINE_BREAKS.sub("\n", _ANSI.sub("", value))))


def clean_terminal(value: object, max_len: int | None = None) -> str:
    """One line for a terminal: escapes, controls and invisible characters removed, line breaks as spaces.

    Optionally shortened with an ellipsis.
    """
    text = "" if value is None else str(value)
    if not text.isprintable():
        text = _ANSI.sub("", text)
        text = _CONTROL.sub("", _INVISIBLE.sub("", _SEPARATORS.sub(" ", text)))
    if max_len is not None and len(text) > max_len:
        text = text[: max(max_len - 1, 0)] + "…"
    return text


def terminal_text(value: object, max_len: int | None = None) -> Text:
    """Scraped text for a rich table or panel: cleaned for the terminal and never read as markup or emoji."""
    from rich.text import Text  # rich only where something is shown

    return Text(clean_terminal(value, max_len))


def neutralise_formula(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with a quote.

    Numbers are left alone: `-3.5` is a value, not a formula. Only strings that
    start with a formula trigger are changed.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        try:
            float(value)
            return value
        except ValueError:
            return "'" + value
    return value

"""Make scraped text safe to show and to export.

Names come from web pages we do not control: they can carry ANSI escapes that
repaint a reviewer's terminal, or `=HYPERLINK(...)` payloads that a spreadsheet
would execute. Everything shown or exported passes through here.
"""

from __future__ import annotations

import re

_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def clean_terminal(value: object, max_len: int | None = None) -> str:
    """Strip escape sequences and control characters; optionally shorten with an ellipsis."""
    text = "" if value is None else str(value)
    text = _ANSI.sub("", text)
    text = _CONTROL.sub("", text.replace("\n", " "))
    if max_len is not None and len(text) > max_len:
        text = text[: max(max_len - 1, 0)] + "…"
    return text


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

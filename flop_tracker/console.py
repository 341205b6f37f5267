"""One rich console for all commands, sized for an 80-column terminal when output is piped.

Neither console reads markup (`[link=...]`, `[/]`) or emoji codes (`:smiley:`) in what it prints:
the strings we print carry scraped names, and rich would otherwise obey them (a hidden hyperlink,
a crash on a stray closing tag, text that vanishes). Styling is given as `Text` with styles.
"""

from __future__ import annotations

import os
import sys

from rich import box
from rich.console import Console
from rich.table import Table

_width = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "80"))
console = Console(width=_width, highlight=False, soft_wrap=False, markup=False, emoji=False)
err_console = Console(stderr=True, width=_width, highlight=False, markup=False, emoji=False)


def fail(message: str) -> None:
    """A one-line error on stderr (markup-free, so bracketed names print as they are)."""
    err_console.print(f"error: {message}", markup=False, soft_wrap=True)


def warn(message: str) -> None:
    """A one-line warning on stderr: something was done, but something a person entered had no effect."""
    err_console.print(f"warning: {message}", markup=False, soft_wrap=True)


def fixed_width_table(columns: tuple[tuple[str, int, bool], ...], **options: object) -> Table:
    """A plain table whose columns (name, width, right-aligned) never grow or wrap, so it fits 80 columns.

    Long cells end in an ellipsis instead of pushing the table wider: status and check-sources list
    addresses and reasons of any length.
    """
    out = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 0), **options)
    for name, width, right in columns:
        out.add_column(
            name,
            justify="right" if right else "left",
            no_wrap=True,
            min_width=width,
            max_width=width,
            overflow="ellipsis",
        )
    return out

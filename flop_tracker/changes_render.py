"""The changes report as a person reads it: rich tables for a terminal, a markdown digest to post.

Names and reasoning are scraped text: terminal output passes through `clean_terminal`, the
markdown digest backslash-escapes every character markdown or HTML would act on, so a model
called `<img onerror=...>` or `[x](javascript:...)` is shown as its name, never as markup.
"""

from __future__ import annotations

from datetime import datetime

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from flop_tracker.changes import KEYS, TITLES, Report
from kernel.text import clean_terminal

MARKDOWN_ROWS = 50  # per section; a digest people read, the JSON has every row
_MD_SPECIAL = set("\\`*_[]<>#!|~&")


def sci(value: float | None) -> str:
    return "" if value is None else f"{value:.2e}".replace("e+", "e")


def md(text: object) -> str:
    """Scraped text for a markdown digest: one line, every markdown/HTML-active character escaped."""
    plain = clean_terminal("" if text is None else text)
    return "".join(f"\\{c}" if c in _MD_SPECIAL else c for c in plain)


def _when(build) -> str:
    stamp: datetime = build.built_at
    return f"build {build.build_id} ({stamp:%Y-%m-%d %H:%M} UTC)"


def heading(report: Report) -> str:
    if report.newest is None:
        return "No build recorded yet: run `flop-tracker build` first."
    if report.baseline is None:
        return f"B{_when(report.newest)[1:]} is the first recorded: nothing to compare with yet."
    return f"B{_when(report.newest)[1:]} against {_when(report.baseline)}"


def _cells(key: str, row: dict) -> list[str]:
    """The figures shown for one row of a section (model and developer come first elsewhere)."""
    if key in {"new_candidates", "new_models"}:
        return [
            sci(row["training_flop"]),
            f"{sci(row['flop_low'])}..{sci(row['flop_high'])}",
            row["classification"],
            row["method"],
        ]
    if key == "crossed":
        return [
            f"{sci(row['old_training_flop'])} -> {sci(row['training_flop'])}",
            f"{row['old_classification']} -> {row['new_classification']}",
        ]
    if key == "moved":
        method = row["method"] if row["method"] == row["old_method"] else f"{row['old_method']} -> {row['method']}"
        return [f"{sci(row['old_training_flop'])} -> {sci(row['training_flop'])}", f"{row['dex']:+.2f}", method]
    if key == "re_review":
        return [row["decision"], sci(row["training_flop"]), row["review_flag"] or ""]
    return [sci(row["training_flop"]), row["classification"], row["dataset_file"]]


SHORT = {
    "new_candidates": "new candidates",
    "crossed": "crossed 1e25",
    "moved": "moved > 0.3 dex",
    "re_review": "to re-review",
    "new_models": "new models",
    "gone_models": "gone",
}

HEADERS = {
    "new_candidates": ["estimate", "90% interval", "classification", "method"],
    "new_models": ["estimate", "90% interval", "classification", "method"],
    "crossed": ["estimate", "classification"],
    "moved": ["estimate", "dex", "method"],
    "re_review": ["decision", "estimate", "why"],
    "gone_models": ["last estimate", "classification", "file"],
}


def markdown(report: Report) -> str:
    """A digest to post as it is (an issue, a job summary, a chat message)."""
    lines = ["## flop-tracker: what changed", "", heading(report)]
    if report.note:
        lines += ["", f"_{md(report.note)}_"]
    counts = report.counts()
    if report.baseline is not None:
        lines += ["", ", ".join(f"{counts[k]} {SHORT[k]}" for k in KEYS) + "."]
    for key in KEYS:
        rows = report.lists[key]
        if not rows:
            continue
        lines += ["", f"### {TITLES[key]} ({len(rows)})", ""]
        lines.append("| model | developer | " + " | ".join(HEADERS[key]) + " |")
        lines.append("|---|---|" + "---|" * len(HEADERS[key]))
        for row in rows[:MARKDOWN_ROWS]:
            cells = [f"{md(row['model'])} ({md(row['model_id'])})", md(row["developer"])]
            cells += [md(c) if key == "re_review" else c for c in _cells(key, row)]
            lines.append("| " + " | ".join(cells) + " |")
        if len(rows) > MARKDOWN_ROWS:
            lines += ["", f"and {len(rows) - MARKDOWN_ROWS} more (`flop-tracker changes --format json` lists all)."]
        if key == "moved":
            lines += ["", "Evidence behind each move:", ""]
            for row in rows[:MARKDOWN_ROWS]:
                lines.append(
                    f"- {md(row['model'])}: was {md(row['old_reasoning'])} "
                    f"(evidence {row['old_evidence_date'] or 'undated'}); now {md(row['reasoning'])} "
                    f"(evidence {row['evidence_date'] or 'undated'}; sources: {md(row['sources'])})"
                )
    if report.baseline is not None and not any(counts.values()):
        lines += ["", "Nothing changed."]
    return "\n".join(lines) + "\n"


def tables(report: Report) -> Group:
    """Rich renderables for a terminal: a heading, then one table per non-empty section."""
    parts: list[object] = [Text(heading(report))]
    if report.note:
        parts.append(Text(report.note))
    if report.baseline is not None and not any(report.counts().values()):
        parts.append(Text("Nothing changed."))
    for key in KEYS:
        rows = report.lists[key]
        if not rows:
            continue
        table = Table(
            title=f"{TITLES[key]} ({len(rows)})",
            title_justify="left",
            box=box.SIMPLE_HEAD,
            show_edge=False,
            pad_edge=False,
        )
        table.add_column("model_id", overflow="fold", max_width=28)
        for header in HEADERS[key]:
            table.add_column(header, overflow="fold")
        for row in rows:
            table.add_row(clean_terminal(row["model_id"]), *(clean_terminal(c) for c in _cells(key, row)))
        parts.append(table)
    return Group(*parts)

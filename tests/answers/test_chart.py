"""`flop-tracker chart`: the PNG decodes at its size; the HTML page in headless Chromium has one point per model.

The browser tests skip, saying why, where Chromium is not installed, and fail instead when the
CI variable is set (CI installs it: .ci/run).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import matplotlib.image
import numpy as np
import pytest

from flop_tracker import chart
from flop_tracker.cli import main
from tests.browser import FLAGS

BROWSERS = ("chromium", "chromium-browser")


def chromium() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    reason = "chromium is not installed (Debian: apt-get install -y chromium)"
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {reason}; .ci/run installs it before the tests")
    pytest.skip(f"{reason}; the HTML chart is opened in a real browser in CI")


def browse(page: Path, tmp_path: Path, *mode: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run(
        [
            chromium(),
            *FLAGS,
            f"--user-data-dir={profile}",
            *mode,
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
        check=False,
    )


class Points(HTMLParser):
    """Every element of the rendered DOM; the chart's points are `circle.point` with a data-model-id."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.points: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        if tag == "circle" and "point" in (values.get("class") or "").split():
            self.points.append(values)


def rendered_points(page: Path, tmp_path: Path) -> Points:
    result = browse(page, tmp_path, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    parser = Points()
    parser.feed(result.stdout)
    assert parser.tags[:1] == ["html"], result.stdout[:500]
    return parser


def test_chart_writes_png_and_html(mart_dir: Path, capsys):
    code = main(["chart", "--data-dir", str(mart_dir)])
    out = " ".join(capsys.readouterr().out.split())
    assert code == 0
    png, html = mart_dir / "charts" / "training_compute.png", mart_dir / "charts" / "training_compute.html"
    assert out == (
        f"drew 4 models 1 models have no release date and are not drawn wrote {png} "
        f"wrote {html} (self-contained: open it in any browser, offline)"
    )
    image = matplotlib.image.imread(png)
    assert image.shape == (780, 1320, 4)  # 11 x 6.5 inches at 120 dpi, RGBA
    pixels = (image[..., :3] * 255).round().astype(int)
    # the high-confidence-above colour (#b2182b) and the likely-above colour (#ef8a62) are both drawn
    assert ((pixels == (0xB2, 0x18, 0x2B)).all(axis=-1)).sum() > 20
    assert ((pixels == (0xEF, 0x8A, 0x62)).all(axis=-1)).sum() > 20
    assert image[..., :3].std() > 0.05  # not a blank canvas


def test_html_is_self_contained_and_escapes_names(mart_dir: Path):
    data = chart.load_points(mart_dir / "tracker.duckdb")
    page = chart.page(data)
    assert "<script" not in page.lower()
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "").replace("http://x", "")
    assert "Delta &lt;AI&gt;" in page and "<AI>" not in page
    assert 'data-model-id="hyperlink-model"' in page
    assert "=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)" in page


def test_html_in_headless_chromium_has_one_point_per_model(mart_dir: Path, tmp_path: Path):
    html = tmp_path / "chart.html"
    chart.write_html(chart.load_points(mart_dir / "tracker.duckdb"), html)
    dom = rendered_points(html, tmp_path)
    assert sorted(p["data-model-id"] for p in dom.points) == ["alpha-pro", "beta-70b", "delta-ultra", "hyperlink-model"]
    by_id = {p["data-model-id"]: p for p in dom.points}
    assert by_id["alpha-pro"]["class"] == "point verified"
    assert by_id["alpha-pro"]["data-classification"] == "high_confidence_above_1e25"
    assert by_id["beta-70b"]["data-flop"] == "6.3e+24"
    assert "ai" not in dom.tags  # "Delta <AI>" stayed text
    # the threshold line sits between the points above and below it
    assert float(by_id["alpha-pro"]["cy"]) < float(by_id["delta-ultra"]["cy"]) < float(by_id["beta-70b"]["cy"])


def test_html_renders_in_headless_chromium(mart_dir: Path, tmp_path: Path):
    html = tmp_path / "chart.html"
    chart.write_html(chart.load_points(mart_dir / "tracker.duckdb"), html)
    shot = tmp_path / "shot.png"
    result = browse(html, tmp_path, "--window-size=1100,900", f"--screenshot={shot}")
    assert result.returncode == 0 and shot.is_file(), result.stderr[-2000:]
    pixels = (matplotlib.image.imread(shot)[..., :3] * 255).astype(int)
    red = (pixels[..., 0] > 150) & (pixels[..., 1] < 80) & (pixels[..., 2] < 90)
    assert red.sum() > 20  # the point above 1e25 and its swatch were painted


def test_built_database_one_point_per_dated_model(built, tmp_path: Path, capsys):
    html, png = tmp_path / "c.html", tmp_path / "c.png"
    assert main(["chart", "--data-dir", str(built.data_dir), "--html", str(html), "--png", str(png)]) == 0
    capsys.readouterr()
    con = duckdb.connect(str(built.data_dir / "tracker.duckdb"), read_only=True)
    try:
        expected = sorted(
            r[0]
            for r in con.execute(
                "select model_id from main.models where release_date is not null and training_flop > 0"
            ).fetchall()
        )
    finally:
        con.close()
    assert len(expected) > 50
    dom = rendered_points(html, tmp_path)
    assert sorted(p["data-model-id"] for p in dom.points) == expected
    assert np.asarray(matplotlib.image.imread(png)).shape == (780, 1320, 4)


def test_since_limits_the_points(mart_dir: Path):
    data = chart.load_points(mart_dir / "tracker.duckdb", since=date(2025, 3, 1))
    assert [p.model_id for p in data.points] == ["alpha-pro", "delta-ultra"]

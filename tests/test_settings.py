"""Where each source is fetched from, and who is asking: the settings file, its env variables, `--url`."""

from __future__ import annotations

from pathlib import Path

import pytest

from flop_tracker import pipeline
from flop_tracker.cli import main
from ingest import registry
from ingest.settings import CONTACT_ENV, SETTINGS_ENV, SettingsError, client_for, load_settings
from kernel.paths import PROJECT_ROOT, Paths
from tests.conftest import FIXTURES
from tests.local_http import Reply, local_server

KNOWN = set(registry.SOURCES)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "flop-tracker.toml"
    path.write_text(text)
    return path


def test_the_settings_file_points_a_source_elsewhere_for_scheduled_runs(
    tmp_path: Path, paths: Paths, monkeypatch: pytest.MonkeyPatch
):
    body = (FIXTURES / "lmarena" / "mini_catalog.json").read_bytes()
    with local_server() as server:
        url = server.route("/mirror/leaderboard-text.json", Reply(body=body, encoding="gzip"))
        settings_file = write(tmp_path, f'[http]\nmin_interval_seconds = 0\n\n[sources.lmarena]\nurls = ["{url}"]\n')
        monkeypatch.setenv(SETTINGS_ENV, str(settings_file))
        summary = pipeline.ingest(paths, [registry.get("lmarena")], quiet=True)
        assert server.hits["/mirror/leaderboard-text.json"] == 1
    assert [(r.status, r.rows) for r in summary.results] == [("ok", 3)]  # mini_catalog.json: 3 scores


def test_the_example_settings_file_is_valid_and_changes_nothing_by_default():
    settings = load_settings(PROJECT_ROOT / "flop-tracker.example.toml", KNOWN)
    assert settings.sources == {}
    assert settings.http.contact is None
    assert settings.urls_for("lmarena", registry.get("lmarena").live_urls) == registry.get("lmarena").live_urls


def test_the_contact_comes_from_the_file_or_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = write(tmp_path, '[http]\ncontact = "https://example.org/tracker-operator"\n')
    settings = load_settings(path, KNOWN)
    assert client_for(settings).user_agent.startswith("flop-tracker/0.1.0 (+https://example.org/tracker-operator;")
    monkeypatch.setenv(CONTACT_ENV, "mailto:ops@example.org")
    assert client_for(settings).user_agent.startswith("flop-tracker/0.1.0 (+mailto:ops@example.org;")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[sources.lmarenna]\nurls = ["https://x.example/a.json"]\n', "sources.lmarenna: no such source (known: "),
        (
            '[sources.lmarena]\nurls = ["ftp://x.example/a.json"]\n',
            "sources.lmarena.urls.0: 'ftp://x.example/a.json' is",
        ),
        ("[sources.lmarena]\nurls = []\n", "sources.lmarena.urls: List should have at least 1 item"),
        ("[http]\nattempts = 0\n", "http.attempts: Input should be greater than or equal to 1"),
        ("[http]\ncontakt = 'x'\n", "http.contakt: Extra inputs are not permitted"),
        ("[http\n", "not valid TOML: "),
    ],
)
def test_a_bad_settings_file_is_one_line_naming_the_key(tmp_path: Path, text: str, message: str):
    path = write(tmp_path, text)
    with pytest.raises(SettingsError) as info:
        load_settings(path, KNOWN)
    assert str(info.value).startswith(f"{path}: {message}")
    assert "\n" not in str(info.value)


def test_a_missing_settings_file_named_by_the_variable_stops_the_run(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    missing = tmp_path / "nowhere.toml"
    monkeypatch.setenv(SETTINGS_ENV, str(missing))
    assert main(["ingest", "lmarena", "--data-dir", str(data_dir)]) == 2
    assert (
        capsys.readouterr().err.strip() == f"error: {missing}: settings file not found (set by $FLOP_TRACKER_SETTINGS)"
    )
    assert not (data_dir / "tracker.duckdb").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ingest", "--url", "https://x.example/a.json"], "--url needs exactly one SOURCE"),
        (["ingest", "lmarena", "epoch", "--url", "https://x.example/a.json"], "--url needs exactly one SOURCE"),
        (["ingest", "lmarena", "--url", "x.example/a.json"], "--url 'x.example/a.json': not an http(s) URL"),
        (["ingest", "lmarena", "--offline", "--url", "https://x.example/a.json"], "--url fetches live"),
        (["ingest", "lmarena", "--file", "a.json", "--url", "https://x.example/a.json"], "--file loads a saved"),
    ],
)
def test_url_is_refused_where_it_cannot_mean_one_thing(
    argv: list[str], message: str, data_dir: Path, capsys: pytest.CaptureFixture[str]
):
    assert main([*argv, "--data-dir", str(data_dir)]) == 2
    assert capsys.readouterr().err.startswith(f"error: {message}")

"""Settings for live fetching: who is asking (the contact in the User-Agent), how politely, and from where.

Read from a TOML file: `$FLOP_TRACKER_SETTINGS` when set, else `flop-tracker.toml` in the project root
when present (none is shipped; `flop-tracker.example.toml` documents every key). A scheduled run points a
source at a mirror, a proxy or a test server here; `flop-tracker ingest SOURCE --url URL` does the same
for one run. `$FLOP_TRACKER_CONTACT` overrides the file's contact.

    [http]
    contact = "mailto:you@example.org"     # or a URL where the tracker's operator can be reached
    min_interval_seconds = 1.0             # between two requests to the same host
    attempts = 4
    timeout_seconds = 20
    max_wait_seconds = 60                  # the longest Retry-After honoured

    [sources.lmarena]
    urls = ["https://mirror.example/leaderboard-text.json"]

A bad file is one line naming the file and the key; nothing is fetched with half-read settings.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from ingest.http import HttpClient
from kernel.paths import PROJECT_ROOT

SETTINGS_ENV = "FLOP_TRACKER_SETTINGS"
CONTACT_ENV = "FLOP_TRACKER_CONTACT"
DEFAULT_FILE = PROJECT_ROOT / "flop-tracker.toml"


class SettingsError(Exception):
    """The settings file cannot be used; the message is one line naming the file and the key."""


def _http_url(value: str) -> str:
    value = value.strip()
    if not value.startswith(("http://", "https://")) or len(value) < 10 or any(c.isspace() for c in value):
        raise ValueError(f"{value[:80]!r} is not an http(s) URL")
    return value


Url = Annotated[str, AfterValidator(_http_url)]


class HttpSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contact: str | None = Field(default=None, min_length=3, max_length=200)
    min_interval_seconds: float = Field(default=1.0, ge=0, le=600)
    attempts: int = Field(default=4, ge=1, le=10)
    timeout_seconds: float = Field(default=20.0, gt=0, le=600)
    max_wait_seconds: float = Field(default=60.0, ge=0, le=3600)


class SourceSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    urls: list[Url] = Field(min_length=1)


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    http: HttpSettings = HttpSettings()
    sources: dict[str, SourceSettings] = {}
    _path: Path | None = PrivateAttr(default=None)  # the file read, if any

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def contact(self) -> str | None:
        return os.environ.get(CONTACT_ENV, "").strip() or self.http.contact

    def urls_for(self, source: str, default: tuple[str, ...]) -> tuple[str, ...]:
        """The live addresses of a source: the settings' when given, else the source's own."""
        chosen = self.sources.get(source)
        return tuple(chosen.urls) if chosen else tuple(default)


def settings_path() -> Path | None:
    """The settings file in force: $FLOP_TRACKER_SETTINGS (which must exist), else ./flop-tracker.toml if any."""
    env = os.environ.get(SETTINGS_ENV, "").strip()
    if env:
        return Path(env).expanduser().resolve()
    return DEFAULT_FILE if DEFAULT_FILE.is_file() else None


def load_settings(path: Path | None = None, known_sources: set[str] | None = None) -> Settings:
    """The settings in `path` (default: `settings_path()`); defaults when there is no file."""
    path = path or settings_path()
    if path is None:
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"{path}: settings file not found (set by ${SETTINGS_ENV})") from None
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: not valid TOML: {exc}") from None
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "file"
        raise SettingsError(f"{path}: {where}: {err['msg'].removeprefix('Value error, ')}") from None
    unknown = sorted(set(settings.sources) - known_sources) if known_sources is not None else []
    if unknown:
        raise SettingsError(
            f"{path}: sources.{unknown[0]}: no such source (known: {', '.join(sorted(known_sources or ()))})"
        )
    settings._path = path
    return settings


def client_for(settings: Settings, **overrides: object) -> HttpClient:
    """An HTTP client set up as the settings say (tests pass `sleep=` and friends as overrides)."""
    http = settings.http
    kwargs: dict[str, object] = {
        "contact": settings.contact,
        "min_interval": http.min_interval_seconds,
        "attempts": http.attempts,
        "timeout": http.timeout_seconds,
        "max_wait": http.max_wait_seconds,
    }
    kwargs.update(overrides)
    return HttpClient(**kwargs)

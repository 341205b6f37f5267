"""How old each source's newest data is, and whether that is within its limit: what `status` shows.

A source's freshness is dbt's own: each `_<source>__sources.yml` declares `loaded_at_field` on the data
date (the date the data describes, ingest.base.data_date_of; never the day it was fetched) and its
`freshness` limits. `dbt source freshness` runs in-process (run_dbt) and its results are read from the
result object; dbt also writes sources.json under data/.dbt/target, which nothing reads. Past
`warn_after` a source is `stale` (dbt says warn, or error past `error_after`); a source whose tables
hold no rows is `never`; a source without a limit (retired, frozen or loaded by hand) is never stale.

Two things dbt cannot say are added here, from raw.ingest_runs and the lab-feed seed:
- each source's last live attempt (a fetch from an http(s) address) and its result: the newest run of
  each address tried within a day of the source's newest live run (one scheduled run fetches all of a
  source's addresses), the worst of them (failed > unreachable > degraded > unchanged > ok);
- each lab feed (seeds/curated/lab_feeds.csv): every feed's posts share one table and dbt checks a
  table, not a group of its rows, so a feed's newest post is compared with its own `stale_after_days`
  here. Feeds are listed once any announcement was loaded or fetched (before that the announcements
  row says `never` for all of them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from rich.table import Table

from flop_tracker.build_state import dbt_sources
from flop_tracker.console import fixed_width_table
from flop_tracker.dbt_runner import run_dbt
from flop_tracker.pipeline import ensure_raw
from ingest import registry
from ingest.announcements import load_feeds
from kernel.database import connect
from kernel.paths import Paths

RESULTS = ("failed", "unreachable", "degraded", "unchanged", "ok")  # worst first
STATES = ("fresh", "stale", "never")
JSON_KEYS = ("source", "last_attempt", "result", "newest_data_date", "age_days", "limit_days", "state")
# The data date of a raw row, as every `loaded_at_field` reads it (null where nothing states one).
DATA_DATE = "data_date"
_DAYS = {"minute": 1 / 1440, "hour": 1 / 24, "day": 1}


class FreshnessError(RuntimeError):
    """dbt could not check freshness at all (the project does not parse, the database is unusable)."""


@dataclass(frozen=True)
class Freshness:
    """One line of `status`: a source (or a lab feed), its last live attempt, its newest data and its state."""

    source: str
    last_attempt: datetime | None
    result: str | None
    newest_data_date: date | None
    age_days: int | None
    limit_days: int | None
    state: str
    label: str = ""  # how the table names it (a feed: "  xAI rss"); the JSON's `source` is exact

    def as_json(self) -> dict:
        return {
            "source": self.source,
            "last_attempt": self.last_attempt.isoformat(timespec="seconds") if self.last_attempt else None,
            "result": self.result,
            "newest_data_date": self.newest_data_date.isoformat() if self.newest_data_date else None,
            "age_days": self.age_days,
            "limit_days": self.limit_days,
            "state": self.state,
        }


def _days(period: object) -> int | None:
    """A dbt `Time` (count, period) in whole days; None when dbt has none."""
    if period is None or getattr(period, "count", None) is None:
        return None
    unit = str(getattr(period, "period", "day")).split(".")[-1].lower()
    return max(1, round(period.count * _DAYS.get(unit, 1)))


def _dbt_checks(paths: Paths) -> dict[str, dict]:
    """`dbt source freshness` per source: newest data date, age, limit and the worst status of its tables."""
    outcome = run_dbt(["source", "freshness"], paths)
    if outcome.error and not outcome.nodes:
        raise FreshnessError(f"dbt source freshness failed: {outcome.error}")
    checks: dict[str, dict] = {}
    for result in outcome.nodes:
        node = result.node
        status = str(getattr(result, "status", "")).split(".")[-1].lower()  # pass, warn, error, runtime error
        newest = getattr(result, "max_loaded_at", None)
        if newest is not None and newest.year < 2:  # dbt's stand-in for max() of no rows
            newest = None
        age = getattr(result, "age", None)
        check = checks.setdefault(
            node.source_name, {"newest": None, "age": None, "limit": None, "stale": False, "errors": []}
        )
        limit = _days(getattr(node.freshness, "warn_after", None)) if node.freshness else None
        check["limit"] = min(x for x in (check["limit"], limit) if x is not None) if limit else check["limit"]
        if newest is None:
            if status == "runtime error":
                check["errors"].append(f"{node.name}: {(getattr(result, 'message', '') or '').strip()[:200]}")
            continue
        if check["newest"] is None or newest.date() > check["newest"]:
            check["newest"], check["age"] = newest.date(), int(age // 86400) if age is not None else None
        check["stale"] = check["stale"] or status in {"warn", "error"}
    return checks


def _newest_rows(con, source: str) -> date | None:
    """The newest data date in any raw table of a source (for sources dbt checks no freshness of)."""
    tables = [(schema, table) for name, (schema, table) in dbt_sources().items() if name.split(".")[0] == source]
    newest = None
    for schema, table in tables:
        found = con.execute(f'select max({DATA_DATE}) from "{schema}"."{table}"').fetchone()[0]
        if found is not None and (newest is None or found > newest):
            newest = found
    return newest


def _attempts(con) -> dict[str, list[tuple[str, datetime, str]]]:
    """The newest live run of each address, by source: (origin, started_at, status)."""
    rows = con.execute(
        "select source, origin, started_at, status from raw.ingest_runs "
        "where origin like 'http://%' or origin like 'https://%' "
        "qualify row_number() over (partition by source, origin order by run_id desc) = 1"
    ).fetchall()
    out: dict[str, list[tuple[str, datetime, str]]] = {}
    for source, origin, started, status in rows:
        out.setdefault(source, []).append((origin, started, status))
    return out


def _last_attempt(runs: list[tuple[str, datetime, str]]) -> tuple[datetime | None, str | None]:
    if not runs:
        return None, None
    newest = max(started for _, started, _ in runs)
    batch = [status for _, started, status in runs if started >= newest - timedelta(days=1)]
    return newest, min(batch, key=lambda s: RESULTS.index(s) if s in RESULTS else 0)


def _state(newest: date | None, stale: bool) -> str:
    return "never" if newest is None else ("stale" if stale else "fresh")


def source_freshness(paths: Paths, today: date | None = None) -> list[Freshness]:
    """One Freshness per source (registry order), then one per lab feed once announcements have data."""
    today = today or datetime.now(UTC).date()
    ensure_raw(paths)
    checks = _dbt_checks(paths)
    con = connect(paths.db, read_only=True)
    try:
        attempts = _attempts(con)
        lines = []
        for name in registry.SOURCES:
            check = checks.get(name)
            attempt, result = _last_attempt(attempts.get(name, []))
            if check is not None:  # dbt checked it: its newest data date, age and verdict
                newest, age, limit, stale = check["newest"], check["age"], check["limit"], check["stale"]
            else:  # no limit: never stale, but its data date is still said
                newest, limit, stale = _newest_rows(con, name), None, False
                age = (today - newest).days if newest else None
            lines.append(Freshness(name, attempt, result, newest, age, limit, _state(newest, stale)))
        lines += _feeds(con, attempts.get("announcements", []), today, checks.get("announcements"))
    finally:
        con.close()
    return lines


def _feeds(con, runs: list[tuple[str, datetime, str]], today: date, announcements: dict | None) -> list[Freshness]:
    """One line per feed of the seed, each against its own stale_after_days."""
    posts = dict(
        con.execute(
            f"select feed_url, max(coalesce(cast(published_at as date), {DATA_DATE})) "
            "from raw.announcement_posts group by feed_url"
        ).fetchall()
    )
    tried = con.execute("select count(*) from raw.ingest_runs where source = 'announcements'").fetchone()[0]
    if not posts and not tried:
        return []
    by_origin = {origin: (started, status) for origin, started, status in runs}
    default_limit = announcements["limit"] if announcements else None
    feeds = load_feeds()
    labels = _feed_labels(feeds)
    lines = []
    for feed in feeds:
        newest = posts.get(feed.url)
        limit = feed.stale_after_days or default_limit
        age = (today - newest).days if newest else None
        stale = bool(limit and age is not None and age > limit)
        started, status = by_origin.get(feed.url, (None, None))
        state = _state(newest, stale)
        lines.append(Freshness(f"feed:{feed.url}", started, status, newest, age, limit, state, labels[feed.url]))
    return lines


def _feed_labels(feeds: tuple) -> dict[str, str]:
    """Short names for the table, indented under announcements: `hf:ORG` for a Hub organisation, else the
    developer and kind, with the host where a developer has two feeds of one kind."""

    def base(feed) -> str:
        if feed.kind == "hf_org":
            return "hf:" + (parse_qs(urlsplit(feed.url).query).get("author") or ["?"])[0]
        return f"{feed.developer} {feed.kind}"

    names = [base(f) for f in feeds]
    return {
        f.url: "  "
        + (name if names.count(name) == 1 else f"{name} {(urlsplit(f.url).hostname or '').removeprefix('www.')}")
        for f, name in zip(feeds, names, strict=True)
    }


def any_stale(lines: list[Freshness]) -> bool:
    return any(line.state == "stale" for line in lines)


def as_json(lines: list[Freshness]) -> str:
    return json.dumps([line.as_json() for line in lines], indent=2)


def table(lines: list[Freshness]) -> Table:
    """Within 80 columns: feeds shown by a short address (the JSON has the whole one)."""
    out = fixed_width_table(
        (
            ("source", 20, False),  # 73 characters of content and six one-space column rules
            ("last live", 10, False),
            ("result", 11, False),
            ("newest data", 11, False),
            ("age", 6, True),
            ("limit", 5, True),
            ("state", 5, False),
        ),
        title_justify="left",
    )
    for line in lines:
        label = line.label or line.source
        out.add_row(
            label,
            line.last_attempt.date().isoformat() if line.last_attempt else "never",
            line.result or "",
            line.newest_data_date.isoformat() if line.newest_data_date else "",
            f"{line.age_days}d" if line.age_days is not None else "",
            f"{line.limit_days}d" if line.limit_days is not None else "none",
            line.state,
        )
    return out


def summary(lines: list[Freshness]) -> str:
    stale = [(line.label or line.source).strip() for line in lines if line.state == "stale"]
    never = sum(line.state == "never" for line in lines)
    text = f"{len(stale)} stale" + (f" ({', '.join(stale[:4])}{', ...' if len(stale) > 4 else ''})" if stale else "")
    return f"{text}, {never} never loaded, {len(lines) - len(stale) - never} fresh"

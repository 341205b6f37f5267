"""HTTP for live sources, as real hosts answer: compressed, redirected, rate-limited, cut short, slow.

What the field's libraries do here (requests with urllib3's `Retry` mounted on its `HTTPAdapter`):
- compressed bodies: gzip and deflate, and brotli through the `brotli` package (a dependency, so
  urllib3 asks for `br` and decodes it); urllib3 checks `Content-Length` against the bytes on the
  wire (`enforce_content_length`), which for a compressed body is the compressed length;
- redirects: requests follows them (301/302/307/308 chains) and keeps the hops; the final URL is
  returned so the capture's metadata can say where the bytes really came from;
- retries: `Retry` retries connection errors, read timeouts, 429 and 5xx with exponential backoff,
  and honours `Retry-After` given as seconds or as an HTTP date.

What is ours, and why:
- `sleep` is injectable (urllib3 sleeps with `time.sleep`; `_Retry` routes its waits through the
  client's `sleep`, so tests never really wait and can check every wait);
- a host asking for a longer wait than `max_wait` is not retried: its `Retry-After` is respected
  by leaving, and the one-line error says how long it asked for (urllib3 would cap and retry);
- urllib3 retries the first failure at once; `_Retry` waits `backoff` before it, as a polite
  client gives a host that just answered 503 a moment;
- a host name that does not resolve fails at once, with no retries (no DNS means no network);
- a body dropped mid-way is retried here: urllib3's `Retry` covers a request until its headers
  arrive, and requests reads the body after that;
- a deadline for the whole body (`body_deadline`): requests' timeout is per socket read, so a host
  that trickles a byte a second never times out;
- the capture size limit (`ingest.base.max_capture_bytes`, $FLOP_TRACKER_MAX_CAPTURE_MB, the one limit saved
  files obey too): a declared `Content-Length` over it (of an uncompressed body) is refused from the headers,
  any other body once the bytes read (decoded) pass it; either way at once, without retries, and nothing
  is returned to store. requests has no such limit (`iter_content` reads whatever the host sends);
- conditional requests: `fetch` sends `If-None-Match` / `If-Modified-Since` from the validators the
  caller kept with its last capture of the URL (ingest/captures.py stores them in the capture's
  sidecar). An HTTP cache (requests-cache, hishel) would keep a second copy of every body the
  capture store already keeps byte for byte, and answers a 304 with the cached body as a 200,
  hiding exactly what the run must record: that nothing changed;
- spacing per host (`min_interval`): requests has none; a run fetches ~30 documents from the Hub.

The User-Agent names the tracker and the contact of whoever runs it (`user_agent`); the contact is
set in the settings file or $FLOP_TRACKER_CONTACT (ingest/settings.py), never invented here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError, NameResolutionError, ResponseError
from urllib3.util.retry import Retry

from ingest.base import IngestError, max_capture_bytes, over_capture_limit
from kernel import __version__

RETRY_STATUSES = (429, 500, 502, 503, 504)
PROJECT = "flop-tracker"


def user_agent(contact: str | None) -> str:
    """`flop-tracker/VERSION (+CONTACT; ...)`: who is asking and how to reach them.

    Without a configured contact the agent says so instead of naming an address nobody reads.
    """
    who = f"+{contact}" if contact else "contact not configured: see FLOP_TRACKER_CONTACT"
    return f"{PROJECT}/{__version__} ({who}; research crawler tracking AI training compute)"


@dataclass(frozen=True)
class Fetched:
    """One answer: the body (decoded), where it finally came from, and what the host said about it."""

    url: str
    final_url: str
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    redirects: tuple[str, ...] = ()
    attempts: int = 1
    elapsed: float = 0.0

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _Retry(Retry):
    """urllib3's Retry with the client's sleep, a patience limit and a first pause (see module doc)."""

    sleeper: Callable[[float], None] = staticmethod(time.sleep)
    max_wait: float = 60.0

    def new(self, **kw: object) -> _Retry:
        fresh = super().new(**kw)
        fresh.sleeper, fresh.max_wait = self.sleeper, self.max_wait
        return fresh

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):  # noqa: ANN001
        if isinstance(error, NameResolutionError):
            raise MaxRetryError(_pool, url, error) from error
        if response is not None and self.respect_retry_after_header:
            asked = self.get_retry_after(response)
            if asked is not None and asked > self.max_wait:
                raise MaxRetryError(_pool, url, ResponseError(f"Retry-After {asked:.0f}s"))
        return super().increment(method, url, response, error, _pool, _stacktrace)

    def get_backoff_time(self) -> float:
        errors = sum(1 for h in self.history if h.redirect_location is None)
        return 0.0 if errors == 0 else min(self.backoff_max, self.backoff_factor * 2 ** (errors - 1))

    def sleep_for_retry(self, response) -> bool:  # noqa: ANN001
        wait = self.get_retry_after(response)
        if wait:
            self.sleeper(wait)
            return True
        return False

    def _sleep_backoff(self) -> None:
        wait = self.get_backoff_time()
        if wait > 0:
            self.sleeper(wait)


class _BodyError(Exception):
    """The body could not be read whole (after the headers arrived); `final` when retrying cannot help."""

    def __init__(self, message: str, final: bool = False) -> None:
        super().__init__(message)
        self.final = final


@dataclass
class HttpClient:
    """GET with retries, decoding, redirects, conditional requests and per-host spacing.

    attempts: requests per URL at most (the first try and its retries, for any reason).
    backoff: the first wait between attempts; it doubles per failure, up to max_wait.
    max_wait: the longest wait honoured for a Retry-After; a host asking for more is not retried.
    min_interval: seconds between two requests to the same host.
    body_deadline: seconds the whole body may take to arrive, however steadily it trickles.
    """

    timeout: float = 20.0
    attempts: int = 4
    backoff: float = 1.0
    max_wait: float = 60.0
    min_interval: float = 1.0
    body_deadline: float = 300.0
    contact: str | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    session: requests.Session = field(default_factory=requests.Session, repr=False)
    _last_request: dict[str, float] = field(default_factory=dict, repr=False)
    _adapters: dict[int, HTTPAdapter] = field(default_factory=dict, repr=False)
    _unresolvable: set[str] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        self.session.headers["User-Agent"] = user_agent(self.contact)

    @property
    def user_agent(self) -> str:
        return str(self.session.headers["User-Agent"])

    # -- the one public way in ---------------------------------------------------------------
    def get(self, url: str) -> bytes:
        """The body of `url`, or an IngestError saying why not after the retries."""
        return self.fetch(url).body

    def fetch(self, url: str, etag: str = "", last_modified: str = "") -> Fetched:
        """GET `url` (conditionally when validators are given); a 304 comes back as `not_modified`.

        Raises IngestError with one line naming the URL and what went wrong, after the retries.
        A body over the capture size limit is refused (read no further than the limit).
        """
        limit = max_capture_bytes()  # read per fetch: $FLOP_TRACKER_MAX_CAPTURE_MB may change between runs
        host = urlsplit(url).hostname or ""
        if host in self._unresolvable:
            raise IngestError(f"{url}: could not resolve host (no network?)")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        remaining = max(1, self.attempts)
        while True:
            self._space(host)
            started = self.clock()
            try:
                response = self._session_for(remaining).get(url, headers=headers, timeout=self.timeout, stream=True)
            except requests.exceptions.RequestException as exc:
                raise IngestError(self._request_error(url, host, exc)) from None
            finally:
                self._last_request[host] = self.clock()
            retries = getattr(response.raw, "retries", None)
            used = len(retries.history) + 1 if retries is not None else 1
            done = self.attempts - remaining + used
            try:
                return self._answer(url, response, started, done, limit)
            except _BodyError as exc:
                if exc.final:
                    raise IngestError(f"{url}: {exc}") from None
                remaining -= used
                if remaining <= 0:
                    raise IngestError(f"{url}: {exc} after {done} attempts") from None
            finally:
                response.close()
            self.sleep(min(self.backoff * 2 ** (done - 1), self.max_wait))

    # -- pieces ------------------------------------------------------------------------------
    def _session_for(self, remaining: int) -> requests.Session:
        """The session with an adapter allowing `remaining` attempts (one adapter, one pool, per count)."""
        adapter = self._adapters.get(remaining)
        if adapter is None:
            adapter = self._adapters[remaining] = HTTPAdapter(max_retries=self._retry(remaining))
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        return self.session

    def _retry(self, remaining: int) -> _Retry:
        retry = _Retry(
            total=remaining - 1,
            connect=remaining - 1,
            read=remaining - 1,
            status=remaining - 1,
            other=0,
            redirect=None,
            status_forcelist=RETRY_STATUSES,
            allowed_methods={"GET"},
            backoff_factor=self.backoff,
            backoff_max=self.max_wait,
            retry_after_max=float("inf"),
            raise_on_status=False,
            respect_retry_after_header=True,
        )
        retry.sleeper, retry.max_wait = self.sleep, self.max_wait
        return retry

    def _space(self, host: str) -> None:
        """Wait until `min_interval` has passed since the last request to this host."""
        last = self._last_request.get(host)
        if last is not None and self.min_interval > 0:
            wait = self.min_interval - (self.clock() - last)
            if wait > 0:
                self.sleep(wait)

    def _answer(self, url: str, response: requests.Response, started: float, attempts: int, limit: int) -> Fetched:
        status = response.status_code
        redirects = tuple(r.url for r in response.history)
        if status >= 400:
            raise IngestError(self._status_error(url, response, attempts))
        body = b"" if status == 304 else self._read_body(response, started, limit)
        return Fetched(
            url=url,
            final_url=response.url,
            status=status,
            body=body,
            content_type=response.headers.get("Content-Type", ""),
            etag=response.headers.get("ETag", ""),
            last_modified=response.headers.get("Last-Modified", ""),
            redirects=redirects,
            attempts=attempts,
            elapsed=self.clock() - started,
        )

    def _read_body(self, response: requests.Response, started: float, limit: int) -> bytes:
        """The whole (decoded) body, or a _BodyError; one read past `limit` bytes is the last."""
        declared = response.headers.get("Content-Length", "")
        encoded = response.headers.get("Content-Encoding", "identity").strip().lower() not in ("", "identity")
        if not encoded and declared.isdigit() and int(declared) > limit:
            raise _BodyError(f"{over_capture_limit(limit)}; refused", final=True)
        parts: list[bytes] = []
        size = 0
        try:
            for piece in response.iter_content(64 * 1024):
                parts.append(piece)
                size += len(piece)
                if size > limit:
                    raise _BodyError(f"{over_capture_limit(limit)}; refused", final=True)
                if self.clock() - started > self.body_deadline:
                    raise _BodyError(
                        f"body took longer than {self.body_deadline:g}s to arrive ({size} bytes so far); gave up",
                        final=True,
                    )
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError) as exc:
            raise _BodyError(f"connection dropped mid-body ({_short(exc)})") from None
        except requests.exceptions.ContentDecodingError as exc:
            raise _BodyError(f"body could not be decoded ({_short(exc)})") from None
        return b"".join(parts)

    def _status_error(self, url: str, response: requests.Response, attempts: int) -> str:
        status = response.status_code
        asked = response.headers.get("Retry-After")
        if status in RETRY_STATUSES and asked:
            wait = _Retry(respect_retry_after_header=True, retry_after_max=float("inf")).get_retry_after(response.raw)
            if wait is not None and wait > self.max_wait:
                return (
                    f"{url}: HTTP {status}, asked to retry after {wait:.0f}s "
                    f"(more than {self.max_wait:g}s); not retried"
                )
        if status in RETRY_STATUSES and attempts > 1:
            return f"{url}: HTTP {status} after {attempts} attempts"
        return f"{url}: HTTP {status}"

    def _request_error(self, url: str, host: str, exc: requests.exceptions.RequestException) -> str:
        text = str(exc)
        if "NameResolution" in text or "Failed to resolve" in text or "Name or service not known" in text:
            # No DNS means no network here: the other URLs of this host fail the same way, at once.
            self._unresolvable.add(host)
            return f"{url}: could not resolve host (no network?)"
        after = f" after {self.attempts} attempts"
        if isinstance(exc, requests.exceptions.Timeout) or "timed out" in text.lower():
            return f"{url}: timed out after {self.timeout:g}s{after}"
        if isinstance(exc, requests.exceptions.TooManyRedirects):
            return f"{url}: too many redirects"
        if isinstance(exc, requests.exceptions.RetryError):
            return f"{url}: {_short(exc)}{after}"
        if isinstance(exc, requests.exceptions.ConnectionError):
            return f"{url}: could not connect ({_reason(exc)}){after}"
        return f"{url}: {_short(exc)}"


def _reason(exc: Exception) -> str:
    """The innermost cause of a connection error, without urllib3's pool and object addresses."""
    text = str(exc)
    for marker in ("Connection refused", "Connection reset", "Network is unreachable", "No route to host"):
        if marker in text:
            return marker.lower()
    return _short(exc)


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]

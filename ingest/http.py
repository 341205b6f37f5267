"""A thin, polite HTTP client: timeouts, retries with backoff on 429/5xx, a real User-Agent.

Fetch stays thin on purpose: everything that can be wrong with the bytes is the
parser's business, everything that can be wrong with the wire is handled here.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import requests

from ingest.base import IngestError
from kernel import __version__

USER_AGENT = (
    f"flop-tracker/{__version__} (+https://github.com/flop-tracker/flop-tracker; "
    "research crawler tracking AI training compute; one request per page per run)"
)
RETRY_STATUSES = {429, 500, 502, 503, 504}


class HttpClient:
    """GET with bounded retries. `sleep` is injectable so tests do not wait for real."""

    def __init__(
        self,
        timeout: float = 20.0,
        attempts: int = 4,
        backoff: float = 1.0,
        max_wait: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.timeout = timeout
        self.attempts = attempts
        self.backoff = backoff
        self.max_wait = max_wait
        self.sleep = sleep
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT

    def _wait_for(self, attempt: int, response: requests.Response | None) -> float:
        if response is not None and (header := response.headers.get("Retry-After")):
            try:
                return min(float(header), self.max_wait)
            except ValueError:
                pass
        return min(self.backoff * 2**attempt, self.max_wait)

    def get(self, url: str) -> bytes:
        """The body of `url`, or an IngestError saying why not after the retries."""
        last = ""
        for attempt in range(self.attempts):
            response = None
            try:
                response = self.session.get(url, timeout=self.timeout)
                if response.status_code in RETRY_STATUSES:
                    last = f"HTTP {response.status_code}"
                elif response.status_code >= 400:
                    raise IngestError(f"{url}: HTTP {response.status_code}")
                else:
                    body = response.content
                    expected = response.headers.get("Content-Length")
                    if expected is not None and expected.isdigit() and int(expected) != len(body):
                        raise requests.exceptions.ChunkedEncodingError(
                            f"truncated body: {len(body)} of {expected} bytes"
                        )
                    return body
            except requests.exceptions.Timeout:
                last = f"timed out after {self.timeout:g}s"
            except requests.exceptions.ConnectionError as exc:
                if "NameResolution" in str(exc) or "Failed to resolve" in str(exc):
                    # No DNS means no network here: waiting and retrying will not help.
                    raise IngestError(f"{url}: could not resolve host (no network?)") from exc
                last = f"could not connect ({_short(exc)})"
            except requests.exceptions.ChunkedEncodingError as exc:
                last = f"connection dropped mid-body ({_short(exc)})"
            if attempt + 1 < self.attempts:
                self.sleep(self._wait_for(attempt, response))
        raise IngestError(f"{url}: {last} after {self.attempts} attempts")


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]

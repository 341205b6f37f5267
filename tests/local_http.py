"""A scripted HTTP server on 127.0.0.1 that answers as real hosts do: no test ever reaches the network.

Each path (with its query string) answers from a list of canned replies, one per request, the last one
repeating. A reply can do what real hosts do and a kind test server does not:

- compress the body (`encoding="gzip" | "deflate" | "br"`) and declare the *compressed* length, as
  GitHub's raw host and most CDNs do when the client accepts it;
- send the body in chunks (`chunked=True`, Transfer-Encoding: chunked, no Content-Length), optionally
  trickling them slowly (`trickle` seconds between chunks);
- redirect (a 301/302/307 with a `Location` header; chains are several routes);
- answer a conditional request with 304 when `etag` or `last_modified` match what the client sent;
- wait before answering (`delay`), or cut the body short (`truncate_to`: Content-Length larger than
  what is sent, then the connection closes).

`cassette_routes` serves the exchanges of a recorded VCR cassette (real hosts' headers and bodies)
under their own paths, so recorded real behaviour is replayed over a real socket.
"""

from __future__ import annotations

import gzip
import threading
import zlib
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (bounded: the server's stop event cuts it short)
    truncate_to: int | None = None  # send only this many bytes of the body, declaring the full length + 100
    encoding: str | None = None  # gzip | deflate | br: compress, and declare the compressed length
    chunked: bool = False  # Transfer-Encoding: chunked instead of Content-Length
    chunk_size: int = 16384
    trickle: float = 0.0  # seconds between chunks (a slow host)
    etag: str | None = None  # answer 304 when the request's If-None-Match carries it
    last_modified: str | None = None  # answer 304 when the request's If-Modified-Since equals it
    wire_body: bytes | None = None  # bytes already encoded as `encoding` says (a recorded body), sent as they are


class Sleeps(list):
    """A stand-in for `time.sleep` given to HttpClient: records each wait instead of waiting.

    Tests then check every pause the client would have taken (Retry-After, backoff, per-host spacing).
    """

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def compress(body: bytes, encoding: str | None) -> bytes:
    if encoding == "gzip":
        return gzip.compress(body, mtime=0)
    if encoding == "deflate":
        return zlib.compress(body)
    if encoding == "br":
        import brotli

        return brotli.compress(body, quality=5)  # 11, the default, takes seconds per megabyte
    return body


class Server:
    """Routes, a count of requests per path (to check retries) and the headers each request carried."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.hits: dict[str, int] = defaultdict(int)
        self.requests: dict[str, list[dict[str, str]]] = defaultdict(list)
        self.stop = threading.Event()
        self.port = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, *replies: Reply) -> str:
        self.routes[path] = list(replies)
        self.hits[path] = 0
        self.requests[path] = []
        return self.url(path)

    def redirect_chain(self, paths: list[str], final: Reply, status: int = 301) -> str:
        """paths[0] -> paths[1] -> ... -> paths[-1], which answers `final`; returns the first URL."""
        for here, there in zip(paths, paths[1:], strict=False):
            self.route(here, Reply(status, b"Moved Permanently", {"Location": self.url(there)}))
        self.route(paths[-1], final)
        return self.url(paths[0])


def _not_modified(reply: Reply, headers: dict[str, str]) -> bool:
    sent_etag = headers.get("if-none-match")
    if reply.etag and sent_etag:
        return reply.etag in [t.strip() for t in sent_etag.split(",")]
    sent_date = headers.get("if-modified-since")
    return bool(reply.last_modified and sent_date and sent_date == reply.last_modified)


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            try:
                self._answer()
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (a test of giving up)
                self.close_connection = True

        def _answer(self) -> None:
            path = self.path
            replies = server.routes.get(path)
            server.hits[path] += 1
            headers = {k.lower(): v for k, v in self.headers.items()}
            server.requests[path].append(headers)
            reply = replies[min(server.hits[path], len(replies)) - 1] if replies else Reply(404, b"not found")
            if reply.delay and server.stop.wait(reply.delay):
                return
            if _not_modified(reply, headers):
                self.send_response(304)
                for name, value in (("ETag", reply.etag), ("Last-Modified", reply.last_modified)):
                    if value:
                        self.send_header(name, value)
                self.end_headers()
                return
            body = reply.wire_body if reply.wire_body is not None else compress(reply.body, reply.encoding)
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.encoding:
                self.send_header("Content-Encoding", reply.encoding)
            for name, value in (("ETag", reply.etag), ("Last-Modified", reply.last_modified)):
                if value:
                    self.send_header(name, value)
            if reply.truncate_to is not None:
                self.send_header("Content-Length", str(len(body) + 100))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body[: reply.truncate_to])
                self.wfile.flush()
                self.close_connection = True
                return
            if reply.chunked:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for start in range(0, len(body), reply.chunk_size):
                    piece = body[start : start + reply.chunk_size]
                    self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                    self.wfile.flush()
                    if reply.trickle and server.stop.wait(reply.trickle):
                        return
                self.wfile.write(b"0\r\n\r\n")
                return
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@contextmanager
def local_server() -> Iterator[Server]:
    """Serve on an ephemeral port of 127.0.0.1 for the duration of the block."""
    state = Server()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.stop.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


# -- recorded real exchanges ---------------------------------------------------------------------
# Headers a replay must not repeat as recorded: the server sets the framing itself from the body it sends.
_FRAMING = {"content-length", "transfer-encoding", "connection", "content-encoding", "etag"}


def cassette_routes(server: Server, cassette: Path, method: str = "GET") -> list[tuple[str, dict]]:
    """Route each recorded `method` exchange of a VCR cassette to its path (served to a GET); returns
    (url, interaction). A path recorded twice answers as it was recorded last.

    The recorded status, headers and body are sent as recorded: a body recorded compressed (vcrpy keeps
    the bytes as `!!binary` with `Content-Encoding: gzip`) goes out compressed, chunked when the host
    sent it chunked; a plain body goes out with its recorded Content-Length. A `Location` is kept
    relative (as the host sent it), so a recorded redirect lands on the loopback server.
    """
    import yaml

    data = yaml.safe_load(cassette.read_text(encoding="utf-8"))
    out = []
    for interaction in data["interactions"]:
        request, response = interaction["request"], interaction["response"]
        if request["method"] != method and method != "*":
            continue
        parts = urlsplit(request["uri"])
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {k: v[0] for k, v in response["headers"].items() if k.lower() not in _FRAMING}
        recorded = {k.lower(): v[0] for k, v in response["headers"].items()}
        body = response["body"]["string"]
        body = body if isinstance(body, bytes) else body.encode("utf-8")
        encoding = recorded.get("content-encoding")
        reply = Reply(
            status=response["status"]["code"],
            body=body,
            headers=headers,
            encoding=encoding,
            wire_body=body if encoding else None,
            chunked=recorded.get("transfer-encoding") == "chunked",
            etag=recorded.get("etag"),  # the host answers If-None-Match with this tag by a 304
        )
        if "content-length" in recorded and not reply.chunked:
            assert int(recorded["content-length"]) == len(body), f"{cassette.name}: {path} length differs"
        server.route(path, reply)
        out.append((server.url(path), interaction))
    return out

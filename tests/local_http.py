"""A scripted HTTP server on 127.0.0.1 for live-fetch tests: no test ever reaches the network.

Each path answers from a list of canned responses, one per request, the last one repeating:
a status with headers and a body, optionally after a delay (a slow server) or cut short
(Content-Length larger than the body, then the connection is closed).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (bounded: the server's stop event cuts it short)
    truncate_to: int | None = None  # send only this many bytes of the body, declaring the full length + 100


class Server:
    """Routes, and a count of requests per path (to check retries)."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.hits: dict[str, int] = defaultdict(int)
        self.stop = threading.Event()
        self.port = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, *replies: Reply) -> str:
        self.routes[path] = list(replies)
        self.hits[path] = 0
        return self.url(path)


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            path = self.path
            replies = server.routes.get(path)
            server.hits[path] += 1
            if not replies:
                reply = Reply(404, b"not found")
            else:
                reply = replies[min(server.hits[path], len(replies)) - 1]
            if reply.delay and server.stop.wait(reply.delay):
                return
            body = reply.body
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.truncate_to is not None:
                self.send_header("Content-Length", str(len(body) + 100))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body[: reply.truncate_to])
                self.wfile.flush()
                self.close_connection = True
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

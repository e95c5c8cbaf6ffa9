"""A tiny threaded HTTP server on 127.0.0.1 for crawl tests, with a request log.

Routes map a request target (path, or path?query) to a :class:`Page`. 200 answers
carry an ETag and Last-Modified and honour If-None-Match (304). Every request is
logged with its start time and how many requests were in flight, so tests can
measure a crawler's politeness.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

LAST_MODIFIED = "Mon, 01 Jan 2024 00:00:00 GMT"


@dataclass(frozen=True, slots=True)
class Page:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def html(cls, text: str) -> Page:
        return cls(text.encode())

    @classmethod
    def xml(cls, text: str, content_type: str = "application/xml") -> Page:
        return cls(text.encode(), content_type=content_type)

    @classmethod
    def text(cls, text: str) -> Page:
        return cls(text.encode(), content_type="text/plain")


@dataclass(frozen=True, slots=True)
class Record:
    path: str
    status: int
    started: float
    in_flight: int
    headers: Mapping[str, str]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return

    def do_GET(self) -> None:  # noqa: N802
        site = self.server.site
        started, in_flight = site._enter()
        status = 500
        try:
            page = site.routes.get(self.path) or Page(b"not found", 404, "text/plain")
            if site.delay:
                time.sleep(site.delay)
            headers = {"Content-Type": page.content_type, **page.headers}
            status = page.status
            body = page.body
            if status == 200:
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                headers.update({"ETag": etag, "Last-Modified": LAST_MODIFIED})
                if self.headers.get("If-None-Match") == etag:
                    status, body = 304, b""
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        finally:
            site._leave(Record(self.path, status, started, in_flight, dict(self.headers.items())))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # a burst of new connections must not overflow the backlog
    site: TestServer


class TestServer:
    __test__ = False  # not a pytest test class

    def __init__(self, routes: Mapping[str, Page] | None = None, delay: float = 0.0) -> None:
        self.routes: dict[str, Page] = dict(routes or {})
        self.delay = delay
        self._lock = threading.Lock()
        self._log: list[Record] = []
        self._in_flight = 0
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.site = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> TestServer:
        self._thread.start()
        return self

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def _enter(self) -> tuple[float, int]:
        with self._lock:
            self._in_flight += 1
            return time.monotonic(), self._in_flight

    def _leave(self, record: Record) -> None:
        with self._lock:
            self._in_flight -= 1
            self._log.append(record)

    def requests(self) -> list[Record]:
        with self._lock:
            return sorted(self._log, key=lambda r: r.started)

    def request_count(self, path: str | None = None) -> int:
        return len([r for r in self.requests() if path is None or r.path == path])

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    def max_in_flight(self) -> int:
        return max((r.in_flight for r in self.requests()), default=0)

    def min_start_gap(self) -> float:
        starts = [r.started for r in self.requests()]
        return min((b - a for a, b in zip(starts, starts[1:], strict=False)), default=float("inf"))

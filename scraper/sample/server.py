"""A small local HTTP server for canned routes: the sample blog for ``blogbinder demo`` and tests.

It listens on 127.0.0.1 (a free port by default), serves GET and HEAD with ETag/Last-Modified and
304 answers, gzip when asked, keeps HTTP/1.1 connections alive, and logs every request with its
timing and the number of requests in flight, so tests can check a crawler's politeness::

    with serve_sample_blog() as server:
        crawl(server.base_url + "/blog")
        assert server.max_in_flight() <= 2

Routes can be changed while it runs (``set_route``/``remove_route``), e.g. to edit one post
between two crawls.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import TracebackType

from ._handler import RequestRecord, SiteHTTPServer
from .route import Route, normalize_path
from .site import build_site

__all__ = ["LocalSiteServer", "RequestRecord", "serve_sample_blog"]


def _shutdown(conn: socket.socket) -> None:
    try:
        conn.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class LocalSiteServer:
    """Serves ``routes`` (path or path?query -> Route) on ``host``; port 0 picks a free port.

    ``delay`` is added to every response (on top of each route's own delay).
    Use as a context manager, or call ``start()`` and ``stop()``.
    """

    def __init__(
        self,
        routes: Mapping[str, Route] | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        delay: float = 0.0,
    ) -> None:
        self._host = host
        self._port = port
        self.delay = delay
        self._lock = threading.Lock()
        self._routes: dict[str, Route] = {}
        self._log: list[RequestRecord] = []
        self._in_flight = 0
        self._connections: set[socket.socket] = set()
        self._handlers: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._httpd: SiteHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.replace_routes(routes or {})

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> LocalSiteServer:
        if self._httpd is not None:
            return self
        httpd = SiteHTTPServer((self._host, self._port), self)
        self._httpd = httpd
        self._stopping.clear()
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"sample-site-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        self._stopping.set()
        httpd.shutdown()
        if thread is not None:
            thread.join()
        with self._lock:  # wake handler threads idling on kept-alive connections
            connections = list(self._connections)
        for conn in connections:
            _shutdown(conn)
        httpd.server_close()
        with self._lock:
            handlers, self._handlers = self._handlers, []
        for handler in handlers:
            handler.join(timeout=10)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> LocalSiteServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("LocalSiteServer is not running; call start() first")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash)."""
        return f"http://{self._host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    # -- routes ----------------------------------------------------------------------------

    def route(self, path: str) -> Route | None:
        with self._lock:
            return self._routes.get(normalize_path(path))

    def set_route(self, path: str, route: Route) -> None:
        with self._lock:
            self._routes[normalize_path(path)] = route

    def remove_route(self, path: str) -> None:
        with self._lock:
            self._routes.pop(normalize_path(path), None)

    def replace_routes(self, routes: Mapping[str, Route]) -> None:
        fresh = {normalize_path(path): route for path, route in routes.items()}
        with self._lock:
            self._routes = fresh

    def paths(self) -> list[str]:
        with self._lock:
            return sorted(self._routes)

    # -- request log -----------------------------------------------------------------------

    def requests(self, path: str | None = None) -> list[RequestRecord]:
        """Finished requests, ordered by start time (only those for ``path`` if given)."""
        with self._lock:
            records = list(self._log)
        if path is not None:
            key = normalize_path(path)
            records = [r for r in records if normalize_path(r.path) == key]
        return sorted(records, key=lambda r: r.started)

    def request_count(self, path: str | None = None) -> int:
        return len(self.requests(path))

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    def max_in_flight(self) -> int:
        """The most requests served at once so far (0 before any request)."""
        return max((r.in_flight for r in self.requests()), default=0)

    def min_start_gap(self) -> float:
        """The shortest time between two consecutive request starts (inf if fewer than two)."""
        starts = [r.started for r in self.requests()]
        return min((b - a for a, b in zip(starts, starts[1:], strict=False)), default=float("inf"))

    def in_flight(self) -> int:
        with self._lock:
            return self._in_flight

    # -- called by the handler -------------------------------------------------------------

    def _enter(self) -> tuple[float, int]:
        with self._lock:
            self._in_flight += 1
            return time.monotonic(), self._in_flight

    def _leave(self, record: RequestRecord) -> None:
        with self._lock:
            self._in_flight -= 1
            self._log.append(record)

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def _pause(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)

    def _add_handler(self, thread: threading.Thread) -> None:
        with self._lock:
            self._handlers = [t for t in self._handlers if t.is_alive()]
            self._handlers.append(thread)

    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add and self._stopping.is_set():
                _shutdown(conn)
            elif add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)


@contextmanager
def serve_sample_blog(port: int = 0, *, delay: float = 0.0) -> Iterator[LocalSiteServer]:
    """Start the bundled sample blog on 127.0.0.1 and yield the running server."""
    server = LocalSiteServer(port=port, delay=delay).start()
    try:
        server.replace_routes(build_site(server.base_url))  # needs the port: bind, then build
        yield server
    finally:
        server.stop()

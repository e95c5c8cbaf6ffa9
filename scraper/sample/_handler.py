"""The HTTP side of ``LocalSiteServer``: request handling, validators, gzip, the log record."""

from __future__ import annotations

import gzip
import hashlib
import io
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .route import Route

if TYPE_CHECKING:
    from .server import LocalSiteServer

__all__ = ["RequestRecord", "SiteHTTPServer"]

_NOT_FOUND = Route.html(
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Page not found</title>'
    "</head><body><h1>404</h1><p>This page isn\u2019t available.</p></body></html>",
    status=404,
)
_COMPRESSIBLE = ("text/", "application/xml", "application/rss+xml", "application/json")
_GZIP_MIN = 256


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request as the server saw it. Times are ``time.monotonic()`` seconds.

    ``in_flight`` counts the requests being served when this one started, itself included
    (1 means it ran alone). ``path`` is the request target as sent (path and query).
    ``ended`` is taken when the response is ready, just before its bytes are written, so a
    client that has read a response always finds it in the log.
    """

    method: str
    path: str
    host: str | None
    status: int
    started: float
    ended: float
    in_flight: int
    headers: Mapping[str, str]

    @property
    def duration(self) -> float:
        return self.ended - self.started


class SiteHTTPServer(ThreadingHTTPServer):
    """Daemon handler threads that ``LocalSiteServer.stop()`` still joins."""

    daemon_threads = True
    request_queue_size = 128  # the default 5 makes bursts of new connections stall on SYN retries

    def __init__(self, address: tuple[str, int], site: LocalSiteServer) -> None:
        super().__init__(address, _Handler)
        self.site = site

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name="sample-site-handler",
            daemon=True,
        )
        self.site._add_handler(thread)
        thread.start()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "BlogbinderSample/1.0"
    server: SiteHTTPServer

    timeout = 30  # an idle kept-alive connection is dropped after this many seconds

    def setup(self) -> None:
        super().setup()
        self.server.site._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.site._track(self.connection, add=False)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        return  # quiet: the request log is kept in memory

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self._serve(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(head=True)

    def do_POST(self) -> None:  # noqa: N802
        self._serve(head=False, allowed=False)

    def _serve(self, *, head: bool, allowed: bool = True) -> None:
        site = self.server.site
        started, in_flight = site._enter()
        status, payload = 500, b""
        try:
            status, payload = self._respond(site, head=head, allowed=allowed)
        finally:
            if site.stopping:
                self.close_connection = True
            # Logged before the bytes go out, so a client that has read the response always
            # finds its request in the log (and no longer counted in flight).
            site._leave(
                RequestRecord(
                    method=self.command,
                    path=self.path,
                    host=self.headers.get("Host"),
                    status=status,
                    started=started,
                    ended=time.monotonic(),
                    in_flight=in_flight,
                    headers=MappingProxyType(dict(self.headers.items())),
                )
            )
        try:
            self.wfile.write(payload)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _respond(self, site: LocalSiteServer, *, head: bool, allowed: bool) -> tuple[int, bytes]:
        """The status and the whole response (status line, headers, body) as bytes."""
        if not allowed:
            route = Route(body=b"method not allowed", status=405, content_type="text/plain")
        else:
            route = site.route(self.path) or _NOT_FOUND
        site._pause(route.delay + site.delay)
        body = route.body
        headers: dict[str, str] = {"Content-Type": route.content_type}
        if route.status == 200:
            etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
            if route.last_modified:
                headers["Last-Modified"] = route.last_modified
            if self._not_modified(etag, route.last_modified):
                headers["ETag"] = etag
                del headers["Content-Type"]
                return 304, self._render(304, headers)
            if route.content_type.startswith(_COMPRESSIBLE) and len(body) >= _GZIP_MIN:
                headers["Vary"] = "Accept-Encoding"
                if _accepts_gzip(self.headers.get("Accept-Encoding", "")):
                    body = gzip.compress(body, mtime=0)
                    headers["Content-Encoding"] = "gzip"
                    etag = etag[:-1] + '-gzip"'
            headers["ETag"] = etag
        headers.update(route.headers)
        headers["Content-Length"] = str(len(body))
        return route.status, self._render(route.status, headers, b"" if head else body)

    def _not_modified(self, etag: str, last_modified: str | None) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:  # takes precedence over If-Modified-Since
            return _etag_matches(if_none_match, etag)
        since = self.headers.get("If-Modified-Since")
        if since is None or last_modified is None:
            return False
        try:
            return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False

    def _render(self, status: int, headers: Mapping[str, str], body: bytes = b"") -> bytes:
        real, buffer = self.wfile, io.BytesIO()
        self.wfile = buffer  # http.server writes the status line and headers to wfile
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
        finally:
            self.wfile = real
        return buffer.getvalue() + body


def _accepts_gzip(accept_encoding: str) -> bool:
    for part in accept_encoding.split(","):
        token, _, params = part.strip().partition(";")
        if token.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "").lower() not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _etag_matches(header: str, etag: str) -> bool:
    base = etag.strip('"')
    for candidate in header.split(","):
        tag = candidate.strip()
        if tag == "*":
            return True
        tag = tag.removeprefix("W/").strip('"').removesuffix("-gzip")
        if tag == base:
            return True
    return False

"""HTTP/2 over TLS against a real server (hypercorn on 127.0.0.1, a trustme certificate):
https speaks HTTP/2 where the server offers it, plain http stays on the engine, connections
go to the addresses the private-address check saw, and ``ca_file`` is the trust anchor."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import Any

import httpcore
import httpx
import pytest
import trustme
from httpx_aiohttp import AiohttpTransport
from hypercorn.asyncio import serve
from hypercorn.config import Config

from scraper.cli.cmd_crawl import build_options
from scraper.errors import ConnectError, UsageError
from scraper.fetch import ENGINES, FetchConfig, Fetcher, make_client

from .blog import build_routes, post_urls
from .server import Page, TestServer

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_IP = "93.184.215.14"  # never really connected to: see refuse_public
Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Seen:
    target: str
    http_version: str
    client: tuple[str, int]  # the client's end of the TCP connection


class BlogApp:
    """A tiny ASGI site serving ``routes`` (target -> Page) and logging every request."""

    def __init__(self, routes: dict[str, Page] | None = None) -> None:
        self.routes = routes or {}
        self.seen: list[Seen] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        query = scope["query_string"].decode()
        target = scope["path"] + (f"?{query}" if query else "")
        self.seen.append(Seen(target, scope["http_version"], tuple(scope["client"])))
        page = self.routes.get(target) or Page(b"not found", 404, "text/plain")
        headers = {"content-type": page.content_type, **page.headers}
        await send(
            {
                "type": "http.response.start",
                "status": page.status,
                "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
            }
        )
        await send({"type": "http.response.body", "body": page.body})

    def versions(self) -> set[str]:
        return {s.http_version for s in self.seen}

    def connections(self) -> set[tuple[str, int]]:
        return {s.client for s in self.seen}


class TLSServer:
    """hypercorn serving ``app`` over TLS (h2 and http/1.1 by ALPN) on 127.0.0.1 in a
    thread of its own. The socket is bound and listening before the thread starts, so
    connections wait in the backlog rather than racing the server's start."""

    def __init__(self, app: BlogApp, cert: trustme.LeafCert, tmp: Path) -> None:
        self.app = app
        self.config = Config()
        self.config.certfile = str(tmp / "server.pem")
        self.config.keyfile = str(tmp / "server.key")
        for i, pem in enumerate(cert.cert_chain_pems):
            pem.write_to_path(self.config.certfile, append=i > 0)
        cert.private_key_pem.write_to_path(self.config.keyfile)
        self.config.graceful_timeout = 5.0
        self.config.errorlog = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._failure: BaseException | None = None

    def _run(self) -> None:
        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            self._ready.set()
            await serve(self.app, self.config, shutdown_trigger=self._stop.wait)

        try:
            asyncio.run(main())
        except BaseException as exc:  # reported by __exit__
            self._failure = exc
            self._ready.set()

    def __enter__(self) -> TLSServer:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        self.port = sock.getsockname()[1]
        self.config.bind = [f"fd://{sock.detach()}"]  # hypercorn owns the socket now
        self._thread.start()
        assert self._ready.wait(30), "the server thread did not start"
        return self

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)
        assert not self._thread.is_alive(), "the server did not stop"
        if self._failure is not None and et is None:
            raise self._failure

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"https://{host}:{self.port}{path}"


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


PAGES = {f"/p/{i}": Page.html(f"<html><body><p>page {i}</p></body></html>") for i in range(6)}


@pytest.fixture
def tls_site(ca: trustme.CA, tmp_path: Path) -> Iterator[TLSServer]:
    with TLSServer(BlogApp(dict(PAGES)), ca.issue_cert("127.0.0.1", "localhost"), tmp_path) as s:
        yield s


def _config(ca_file: str, **kw: Any) -> FetchConfig:
    return FetchConfig(
        **{"delay": 0.0, "retries": 1, "timeout": 10.0, "allow_private": True, "ca_file": ca_file}
        | kw
    )


async def _fetch_all(config: FetchConfig, first: str, rest: Sequence[str]) -> list[bytes]:
    """``first`` alone (the connection is made), then ``rest`` all at once."""
    async with make_client(config) as client:
        fetcher = Fetcher(client, config)
        pages = [await fetcher.fetch(first)]
        pages += await asyncio.gather(*(fetcher.fetch(u) for u in rest))
        return [p.body for p in pages]


@pytest.mark.parametrize("engine", ENGINES)
def test_https_speaks_http2_on_one_connection(
    tls_site: TLSServer, ca_file: str, engine: str
) -> None:
    config = _config(ca_file, engine=engine, concurrency=4)
    urls = [tls_site.url(p) for p in PAGES]
    bodies = asyncio.run(_fetch_all(config, urls[0], urls[1:]))
    assert bodies == [PAGES[p].body for p in PAGES]
    seen = tls_site.app.seen
    assert len(seen) == len(PAGES)
    assert tls_site.app.versions() == {"2"}
    assert len(tls_site.app.connections()) == 1  # five requests multiplexed on the first


@pytest.mark.parametrize("engine", ENGINES)
def test_http2_off_is_http11(tls_site: TLSServer, ca_file: str, engine: str) -> None:
    config = _config(ca_file, engine=engine, http2=False)
    urls = [tls_site.url(p) for p in list(PAGES)[:3]]
    asyncio.run(_fetch_all(config, urls[0], urls[1:]))
    assert len(tls_site.app.seen) == 3
    assert tls_site.app.versions() == {"1.1"}


def test_plain_http_stays_on_the_aiohttp_engine(
    tls_site: TLSServer, ca_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    used: list[tuple[str, str]] = []

    def spy(name: str, cls: type[httpx.AsyncBaseTransport]) -> None:
        original = cls.handle_async_request

        async def handle(self: httpx.AsyncBaseTransport, request: httpx.Request) -> httpx.Response:
            used.append((name, request.url.scheme))
            return await original(self, request)

        monkeypatch.setattr(cls, "handle_async_request", handle)

    spy("aiohttp", AiohttpTransport)
    spy("httpx", httpx.AsyncHTTPTransport)
    config = _config(ca_file)  # engine "auto", http2 on
    with TestServer({"/plain": Page.html("<p>plain</p>")}) as plain:

        async def go() -> None:
            async with make_client(config) as client:
                fetcher = Fetcher(client, config)
                assert (await fetcher.fetch(plain.url("/plain"))).body == b"<p>plain</p>"
                assert (await fetcher.fetch(tls_site.url("/p/1"))).body == PAGES["/p/1"].body

        asyncio.run(go())
        assert plain.request_count("/plain") == 1
    assert used == [("aiohttp", "http"), ("httpx", "https")]
    assert tls_site.app.versions() == {"2"}


@pytest.fixture
def refuse_public(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every address httpcore connects to, in order; PUBLIC_IP is refused on the spot
    (no packet leaves the machine), others are connected to for real."""
    connected: list[str] = []
    original = httpcore.AnyIOBackend.connect_tcp

    async def connect_tcp(
        self: httpcore.AnyIOBackend, host: str, port: int, **kw: Any
    ) -> httpcore.AsyncNetworkStream:
        connected.append(host)
        if host == PUBLIC_IP:
            raise httpcore.ConnectError(f"test: {host} refused")
        return await original(self, host, port, **kw)

    monkeypatch.setattr(httpcore.AnyIOBackend, "connect_tcp", connect_tcp)
    return connected


def _rebinding() -> Callable[[str], Sequence[str]]:
    answers = iter([[PUBLIC_IP]])

    def resolve(host: str) -> Sequence[str]:  # public once, then 127.0.0.1
        return next(answers, ["127.0.0.1"]) if host == "localhost" else []

    return resolve


def test_dns_rebinding_is_pinned_out_of_the_httpx_engine(refuse_public: list[str]) -> None:
    """The httpx engine connects to the address the check saw, as the aiohttp one does
    (tests/faults/test_safety.py::test_dns_rebinding_is_pinned_out)."""
    config = FetchConfig(delay=0, retries=1, timeout=10.0, resolver=_rebinding(), engine="httpx")
    with TestServer({"/secret": Page.html("secret")}) as server:
        port = server.base_url.rsplit(":", 1)[1]
        with pytest.raises(ConnectError, match=PUBLIC_IP):
            asyncio.run(_fetch_all(config, f"http://localhost:{port}/secret", []))
        assert server.request_count("/secret") == 0
    assert refuse_public == [PUBLIC_IP]


def test_dns_rebinding_is_pinned_out_of_https(
    tls_site: TLSServer, ca_file: str, refuse_public: list[str]
) -> None:
    config = replace(_config(ca_file, allow_private=False), resolver=_rebinding())
    with pytest.raises(ConnectError, match=PUBLIC_IP):
        asyncio.run(_fetch_all(config, tls_site.url("/p/0", host="localhost"), []))
    assert tls_site.app.seen == []
    assert refuse_public == [PUBLIC_IP]


def test_pinned_connection_checks_the_certificate_by_name(
    ca: trustme.CA, ca_file: str, tmp_path: Path, refuse_public: list[str]
) -> None:
    """Connected by IP (the book's addresses in order, the next when one refuses), while
    TLS names the host: the certificate is for "localhost" alone, no IP in it."""
    resolver = {"localhost": [PUBLIC_IP, "127.0.0.1"]}.get
    config = replace(_config(ca_file), resolver=lambda h: resolver(h, []))
    with TLSServer(BlogApp(dict(PAGES)), ca.issue_cert("localhost"), tmp_path) as site:
        bodies = asyncio.run(_fetch_all(config, site.url("/p/2", host="localhost"), []))
        assert bodies == [PAGES["/p/2"].body]
        assert site.app.versions() == {"2"}
        assert refuse_public == [PUBLIC_IP, "127.0.0.1"]
        # by IP the same certificate does not do
        with pytest.raises(ConnectError, match="CERTIFICATE_VERIFY_FAILED|certificate"):
            asyncio.run(_fetch_all(config, site.url("/p/3"), []))


def test_unknown_ca_is_refused_and_a_bad_ca_file_is_a_usage_error(
    tls_site: TLSServer, tmp_path: Path
) -> None:
    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    for engine in ENGINES:
        for http2 in (True, False):
            config = _config(str(other), engine=engine, http2=http2)
            with pytest.raises(ConnectError):
                asyncio.run(_fetch_all(config, tls_site.url("/p/0"), []))
    assert tls_site.app.seen == []
    with pytest.raises(UsageError, match="CA file"):
        make_client(FetchConfig(ca_file=str(tmp_path / "absent.pem")))


def test_settings_and_flags_reach_the_fetch_config(
    ca_file: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no blogbinder.toml here
    for name in list(os.environ):
        if name.startswith("BLOGBINDER_"):
            monkeypatch.delenv(name)
    config = build_options().fetch_config()
    assert (config.http2, config.ca_file) == (True, None)
    monkeypatch.setenv("BLOGBINDER_HTTP2", "false")
    monkeypatch.setenv("BLOGBINDER_CA_FILE", ca_file)
    config = build_options().fetch_config()
    assert (config.http2, config.ca_file) == (False, ca_file)
    config = build_options(http2=True, ca_file="/elsewhere.pem").fetch_config()
    assert (config.http2, config.ca_file) == (True, "/elsewhere.pem")


def test_cli_crawls_a_blog_over_http2_with_ca_file(
    ca: trustme.CA, ca_file: str, tmp_path: Path
) -> None:
    app = BlogApp()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BLOGBINDER_")}
    env["PYTHONPATH"] = str(ROOT)
    with TLSServer(app, ca.issue_cert("127.0.0.1", "localhost"), tmp_path) as site:
        base = site.url("")
        app.routes = build_routes(base)
        command = [
            sys.executable, "-m", "scraper", "--quiet", "crawl", base + "/blog",
            "--db", f"sqlite:///{tmp_path / 'blog.db'}", "--delay", "0", "--json",
        ]  # fmt: skip
        refused = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path)
        assert refused.returncode == 1, refused.stderr
        assert "certificate" in refused.stderr.lower()
        assert app.seen == []
        done = subprocess.run(
            [*command, "--ca-file", ca_file],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stderr
    [summary] = json.loads(done.stdout)
    assert summary["status"] == "completed"
    assert summary["stats"]["new"] == len(post_urls(base)) == 12
    assert summary["stats"]["failed"] == 0
    assert app.versions() == {"2"}
    assert {s.target for s in app.seen} >= {"/robots.txt", "/sitemap.xml"}

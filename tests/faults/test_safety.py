"""Safe defaults: http(s) only, scope kept on redirects and links, no way from a public site
to private addresses (checked on the resolved IP of every hop), credentials kept to the
start host and out of logs and storage."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

import storage
from scraper.crawl import CrawlOptions, crawl_site
from scraper.errors import ConnectError, FetchTimeout, OutOfScope
from scraper.fetch import FetchConfig, Fetcher, fetch_bytes, make_client

from . import faults, harness
from .report import Reliability
from .server import FaultServer

PUBLIC_IP = "93.184.215.14"  # what the injected resolver claims "localhost" is


def check_only() -> httpx.AsyncBaseTransport:
    """httpx's own transport, injected into make_client so that nothing pins connections:
    the tests that make "localhost" look public need the check to see the injected answer
    and the connection the system's (127.0.0.1). make_client's own transports connect to
    the very addresses the check saw: see test_dns_rebinding_is_pinned_out."""
    return httpx.AsyncHTTPTransport()


def public_localhost(host: str) -> Sequence[str]:
    """A resolver for tests: "localhost" is a public site; other names do not resolve,
    except internal.test, a public-looking name that points into a private network."""
    return {"localhost": [PUBLIC_IP], "internal.test": ["10.1.2.3"]}.get(host, [])


async def _fetch(
    url: str, config: FetchConfig, transport: httpx.AsyncBaseTransport | None = None
) -> None:
    async with make_client(config, transport) as client:
        await Fetcher(client, config).fetch(url)


def test_only_http_and_https(reliability: Reliability) -> None:
    config = FetchConfig(delay=0, retries=1)
    with FaultServer() as server:
        for target in ("file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1:70/"):
            server.routes["/go"] = faults.redirect(target)
            with pytest.raises(OutOfScope, match="only http and https"):
                asyncio.run(_fetch(server.url("/go"), config))
        with pytest.raises(OutOfScope):
            asyncio.run(_fetch("ftp://127.0.0.1/x", config))
    reliability.add(
        "scope",
        "redirects to file:, ftp:, gopher: URLs",
        "refused (OutOfScope), nothing fetched",
    )


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/secret",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/secret",
        "http://10.0.0.1/admin",
        "http://internal.test:{port}/secret",
    ],
)
def test_public_site_cannot_redirect_to_private_addresses(target: str) -> None:
    config = FetchConfig(delay=0, retries=1, resolver=public_localhost, timeout=2.0)
    with FaultServer() as server:
        server.routes["/go"] = faults.redirect(target.format(port=server.port))
        server.routes["/secret"] = faults.page(b"secret")
        with pytest.raises(OutOfScope, match="non-public address"):
            asyncio.run(_fetch(f"http://localhost:{server.port}/go", config, check_only()))
        assert server.hit_count("/secret") == 0
        # allowed when asked for, or when the start URL is itself private
        allowed = replace(config, allow_private=True)
        if "{port}" in target and "internal" not in target and "::1" not in target:
            asyncio.run(_fetch(f"http://localhost:{server.port}/go", allowed, check_only()))
            asyncio.run(_fetch(server.url("/go"), FetchConfig(delay=0, retries=1)))
            assert server.hit_count("/secret") == 2


def test_crawl_of_public_site_refuses_private_links_and_redirects(
    tmp_path: Path, reliability: Reliability
) -> None:
    db_path = tmp_path / "p.db"
    with FaultServer() as server:
        harness.install_blog(server, extra=("/post/moved",))
        inside = f"http://127.0.0.1:{server.port}"
        server.routes["/post/moved"] = faults.redirect(inside + "/post/secret")
        server.routes["/post/secret"] = faults.page(b"<html><body>secret</body></html>")
        start = f"http://localhost:{server.port}/"
        server.routes["/"] = faults.page(
            harness.home(start.rstrip("/"), ["/post/moved"])
            + f'<a href="{inside}/post/linked">a private link</a>'.encode()
        )
        server.routes["/post/linked"] = faults.page(b"<html><body>secret</body></html>")
        # the private host is even declared part of the site: the address check still holds
        options = replace(harness.OPTIONS, extra_hosts=(f"127.0.0.1:{server.port}",))

        async def run(opts: CrawlOptions) -> int:
            with storage.open(f"sqlite:///{db_path}") as db:
                config = replace(opts.fetch_config(), resolver=public_localhost)
                async with make_client(config, check_only()) as client:
                    fetcher_config = config
                    summary = await _crawl_with(start, db, opts, client, fetcher_config)
                    return summary

        run_id = asyncio.run(run(options))
        done = harness.outcomes(db_path, run_id)
        outcome, kind, detail = done[start + "post/moved"]
        assert (outcome, kind) == ("failed", "out_of_scope") and "non-public" in detail
        assert server.hit_count("/post/secret") == 0
        outcome, kind, detail = done[inside + "/post/linked"]
        assert (outcome, kind) == ("failed", "out_of_scope") and "non-public" in detail
        assert server.hit_count("/post/linked") == 0
    reliability.add(
        "scope",
        "public site (resolver says 93.184.215.14) redirecting to 127.0.0.1, ::1, 10.0.0.1, "
        "169.254.169.254 and a name resolving to 10.1.2.3",
        "refused on the resolved IP (OutOfScope, recorded as out_of_scope); allowed with "
        "--allow-private or when the start URL is itself private",
        "0 hits on the private target",
    )


async def _crawl_with(
    start: str, db: storage.Database, options: CrawlOptions, client: object, config: FetchConfig
) -> int:
    """crawl_site with a resolver injected: the crawl builds its Fetcher from the options,
    so the test swaps in a FetchConfig factory carrying the fake resolver."""
    original = CrawlOptions.fetch_config

    def with_resolver(self: CrawlOptions) -> FetchConfig:
        return replace(original(self), resolver=config.resolver, engine=config.engine)

    CrawlOptions.fetch_config = with_resolver  # type: ignore[method-assign]
    try:
        summary = await crawl_site(start, db, options, client=client)  # type: ignore[arg-type]
    finally:
        CrawlOptions.fetch_config = original  # type: ignore[method-assign]
    return summary.run_id


def test_links_and_redirects_off_site_are_not_followed(
    tmp_path: Path, reliability: Reliability
) -> None:
    db_path = tmp_path / "o.db"
    with FaultServer(host="127.0.0.2") as other, FaultServer() as server:
        other.routes["/post/elsewhere"] = faults.page(b"<html><body>other</body></html>")
        harness.install_blog(server, extra=("/post/away",))
        server.routes["/"] = faults.page(
            harness.home(server.base_url, ["/post/away"])
            + f'<a href="{other.url("/post/elsewhere")}">x</a>'.encode()
        )
        server.routes["/post/away"] = faults.redirect(other.url("/post/elsewhere"))
        harness.crawl(server, f"sqlite:///{db_path}")
        with storage.open(f"sqlite:///{db_path}") as db:
            run_id = db.runs(limit=1)[0].id
        done = harness.outcomes(db_path, run_id)
        outcome, kind, _ = done[server.url("/post/away")]
        assert (outcome, kind) == ("failed", "out_of_scope")
        assert other.hit_count("/post/elsewhere") == 0
        assert not any(url.startswith(other.base_url) for url in done)
    reliability.add(
        "scope",
        "link and redirect to another host (127.0.0.2)",
        "link not queued; redirect refused (out_of_scope); other host never contacted",
        "0 hits on 127.0.0.2",
    )


def test_credentials_stay_on_the_start_host(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, reliability: Reliability
) -> None:
    db_path = tmp_path / "c.db"
    caplog.set_level(logging.DEBUG)
    with FaultServer(host="127.0.0.2") as other, FaultServer() as server:
        other.routes["/post/landing"] = faults.page(b"<html><body><p>landed</p></body></html>")
        harness.install_blog(server, extra=("/post/hop",))
        server.routes["/post/hop"] = faults.redirect(other.url("/post/landing"))
        options = replace(
            harness.OPTIONS,
            headers=(("Authorization", "Bearer s3cret-token"),),
            cookies=(("session", "c00kie-value"),),
            extra_hosts=(f"127.0.0.2:{other.port}",),  # in scope, so the hop is followed
        )
        harness.crawl(server, f"sqlite:///{db_path}", options)
        mine = [r for r in server.requests if r.target != "/robots.txt" or True]
        assert mine and all(r.headers.get("authorization") == "Bearer s3cret-token" for r in mine)
        assert all("session=c00kie-value" in r.headers.get("cookie", "") for r in mine)
        assert other.hit_count("/post/landing") == 1
        for request in other.requests:
            assert "authorization" not in request.headers
            assert "c00kie" not in request.headers.get("cookie", "")
    db = sqlite3.connect(db_path)
    try:
        stored = db.execute("select headers from fetches").fetchall()
    finally:
        db.close()
    assert stored
    blob = db_path.read_bytes()
    assert b"s3cret" not in blob and b"c00kie" not in blob
    assert all("s3cret" not in str(h) and "c00kie" not in str(h) for (h,) in stored)
    assert "s3cret" not in caplog.text and "c00kie" not in caplog.text
    reliability.add(
        "credentials",
        "Authorization header and cookie for the start host; redirect to 127.0.0.2",
        "sent to 127.0.0.1 only; never sent to 127.0.0.2; absent from fetches.headers, "
        "the database file and the logs",
    )


def test_fetch_bytes_refuses_private_redirects() -> None:
    """Archive image downloads: a public image URL must not lead to a private address."""
    config = FetchConfig(delay=0, retries=1, resolver=public_localhost)
    unpinned = httpx.HTTPTransport()
    with FaultServer() as server:
        server.routes["/img.png"] = faults.redirect(server.url("/secret.png"))
        server.routes["/secret.png"] = faults.page(b"PNG", "image/png")
        with pytest.raises(OutOfScope):  # (check only: see check_only)
            fetch_bytes(f"http://localhost:{server.port}/img.png", config, transport=unpinned)
        assert server.hit_count("/secret.png") == 0
        assert fetch_bytes(server.url("/img.png"), replace(config, resolver=lambda h: [])) == b"PNG"


def test_fetch_bytes_connects_to_the_address_it_checked(reliability: Reliability) -> None:
    """DNS rebinding against archive image downloads: the name is public for the check
    and 127.0.0.1 for any later lookup; the download goes to the checked address."""
    answers = iter([[PUBLIC_IP]])

    def rebinding(host: str) -> Sequence[str]:
        return next(answers, ["127.0.0.1"]) if host == "localhost" else []

    config = FetchConfig(delay=0, retries=1, resolver=rebinding, timeout=2.0)
    with FaultServer() as server:
        server.routes["/secret.png"] = faults.page(b"PNG", "image/png")
        with pytest.raises(ConnectError):
            fetch_bytes(f"http://localhost:{server.port}/secret.png", config)
        assert server.hit_count("/secret.png") == 0
        assert fetch_bytes(server.url("/secret.png"), config) == b"PNG"  # an address: as is
    reliability.add(
        "scope",
        "DNS rebinding (archive image downloads): a name public for the check, 127.0.0.1 "
        "for the connection",
        "the download connects to the address the check saw; the private server is never reached",
        "0 hits on the private server",
    )


@pytest.mark.parametrize("engine", ["aiohttp", "httpx"])
def test_dns_rebinding_is_pinned_out(reliability: Reliability, engine: str) -> None:
    """A name that resolves to a public address for the check and to a private one for
    the connection (DNS rebinding): either engine connects to the checked address, so
    the private server is never reached."""
    answers = iter([[PUBLIC_IP]])

    def rebinding(host: str) -> Sequence[str]:  # public once, then the system's answer
        return next(answers, ["127.0.0.1"]) if host == "localhost" else []

    config = FetchConfig(delay=0, retries=1, resolver=rebinding, timeout=2.0, engine=engine)
    with FaultServer() as server:
        server.routes["/secret"] = faults.page(b"secret")
        # (the public address is refused or, where the network drops the packets, times
        # out: either way the connection never goes to the private server)
        with pytest.raises((ConnectError, FetchTimeout)):
            asyncio.run(_fetch(f"http://localhost:{server.port}/secret", config))
        assert server.hit_count("/secret") == 0
    reliability.add(
        "scope",
        f"DNS rebinding ({engine} engine): a name public for the check, 127.0.0.1 for the "
        "connection",
        "connections go to the address the check saw (each name resolved once per client; "
        "https included, through the HTTP/2 transport); the private server is never reached",
        "0 hits on the private server",
    )

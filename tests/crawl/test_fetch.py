"""Fetcher over httpx.MockTransport: retries, Retry-After, size cap, redirects, 304, errors."""

from __future__ import annotations

import asyncio
import gc
import gzip
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from scraper.errors import (
    ConnectError,
    FetchTimeout,
    HTTPStatusError,
    OutOfScope,
    RedirectError,
    RobotsDisallowed,
    TooLarge,
)
from scraper.fetch import FetchConfig, Fetcher, default_user_agent, fetch_bytes, make_client
from scraper.records import FetchedPage, Validators

Handler = Callable[[httpx.Request], httpx.Response]


class Sleeps:
    """A fake clock and sleep: sleeping records the wait and moves the clock, at once."""

    def __init__(self) -> None:
        self.calls: list[float] = []
        self.now = 1000.0

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def fetch(
    handler: Handler,
    url: str = "https://blog.test/post/a",
    sleeps: Sleeps | None = None,
    **kw: object,
) -> FetchedPage:
    validators = kw.pop("validators", None)
    guard = kw.pop("guard", None)
    config = FetchConfig(**{"delay": 0.0, **kw})  # type: ignore[arg-type]

    async def go() -> FetchedPage:
        async with make_client(config, httpx.MockTransport(handler)) as client:
            fake = sleeps or Sleeps()
            fetcher = Fetcher(client, config, sleep=fake, clock=fake.clock)
            return await fetcher.fetch(url, validators=validators, guard=guard)  # type: ignore[arg-type]

    return asyncio.run(go())


def test_plain_get_sends_our_user_agent() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, html="<h1>hi</h1>", headers={"ETag": '"e1"'})

    page = fetch(handler)
    assert page.status == 200 and page.body == b"<h1>hi</h1>"
    assert page.etag == '"e1"' and page.final_url == "https://blog.test/post/a"
    assert seen[0].headers["user-agent"].startswith("blogbinder/")
    assert default_user_agent("https://me.test/bot").endswith("(+https://me.test/bot)")


def test_retries_5xx_then_succeeds_with_backoff() -> None:
    attempts = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(1)
        return httpx.Response(503 if len(attempts) < 3 else 200, text="ok")

    sleeps = Sleeps()
    page = fetch(handler, sleeps=sleeps, retries=3, backoff=0.5, adaptive=False)
    assert page.status == 200
    assert len(attempts) == 3
    assert len(sleeps.calls) == 2
    assert 0.5 <= sleeps.calls[0] <= 1.0 and 1.0 <= sleeps.calls[1] <= 1.5


def test_gives_up_after_bounded_attempts() -> None:
    attempts = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(1)
        return httpx.Response(500)

    with pytest.raises(HTTPStatusError) as info:
        fetch(handler, retries=3)
    assert len(attempts) == 3
    assert info.value.status_code == 500 and info.value.url == "https://blog.test/post/a"


def test_404_is_not_retried() -> None:
    attempts = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(1)
        return httpx.Response(404)

    with pytest.raises(HTTPStatusError) as info:
        fetch(handler, retries=3)
    assert len(attempts) == 1 and info.value.status_code == 404
    assert not info.value.retryable


def test_retry_after_seconds_is_honoured() -> None:
    attempts = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(1)
        if len(attempts) == 1:
            return httpx.Response(429, headers={"Retry-After": "7"})
        return httpx.Response(200, text="ok")

    sleeps = Sleeps()
    assert fetch(handler, sleeps=sleeps).status == 200
    assert sleeps.calls == [7.0]


def test_retry_after_http_date_is_honoured_and_capped() -> None:
    attempts = []
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    late = format_datetime(datetime.now(UTC) + timedelta(hours=5), usegmt=True)

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(1)
        if len(attempts) <= 2:
            return httpx.Response(
                503, headers={"Retry-After": soon if len(attempts) == 1 else late}
            )
        return httpx.Response(200, text="ok")

    sleeps = Sleeps()
    assert fetch(handler, sleeps=sleeps, max_retry_after=60.0).status == 200
    assert 25 <= sleeps.calls[0] <= 30
    assert sleeps.calls[1] == 60.0


def test_timeouts_and_connection_errors_are_retried_then_raised() -> None:
    calls = []

    def timeout(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(FetchTimeout) as info:
        fetch(timeout, retries=2)
    assert len(calls) == 2 and info.value.url == "https://blog.test/post/a"

    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(ConnectError):
        fetch(refused, retries=2)


def test_size_cap_counts_decompressed_bytes() -> None:
    big = b"a" * 5000
    packed = gzip.compress(big)
    assert len(packed) < 1000

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=packed, headers={"Content-Encoding": "gzip"})

    with pytest.raises(TooLarge):
        fetch(handler, max_bytes=1000)
    assert fetch(handler, max_bytes=10_000).body == big


def test_size_cap_rejects_declared_length_early() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"x" * 2000)

    with pytest.raises(TooLarge):
        fetch(handler, max_bytes=100)


def test_redirects_are_followed_and_reported() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old":
            return httpx.Response(301, headers={"Location": "/post/new"})
        return httpx.Response(200, text="new")

    page = fetch(handler, url="https://blog.test/old")
    assert page.url == "https://blog.test/old"
    assert page.final_url == "https://blog.test/post/new"


def test_redirect_loop_and_limit() -> None:
    def loop(request: httpx.Request) -> httpx.Response:
        target = "/b" if request.url.path == "/a" else "/a"
        return httpx.Response(302, headers={"Location": target})

    with pytest.raises(RedirectError, match="loop"):
        fetch(loop, url="https://blog.test/a")

    def chain(request: httpx.Request) -> httpx.Response:
        n = int(request.url.path.strip("/") or 0)
        return httpx.Response(302, headers={"Location": f"/{n + 1}"})

    with pytest.raises(RedirectError, match="more than 3"):
        fetch(chain, url="https://blog.test/0", max_redirects=3)


def test_guard_runs_on_every_hop() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "blog.test":
            return httpx.Response(302, headers={"Location": "https://elsewhere.test/x"})
        return httpx.Response(200)

    def guard(url: str) -> None:
        if "elsewhere" in url:
            raise OutOfScope("outside", url)

    with pytest.raises(OutOfScope) as info:
        fetch(handler, guard=guard)
    assert info.value.url == "https://elsewhere.test/x"

    def robots(url: str) -> None:
        raise RobotsDisallowed("no", url)

    with pytest.raises(RobotsDisallowed):
        fetch(handler, guard=robots)


def test_only_http_urls_are_fetched() -> None:
    with pytest.raises(OutOfScope):
        fetch(lambda r: httpx.Response(200), url="ftp://blog.test/file")


def test_conditional_get_returns_304_page() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304, headers={"ETag": '"v1"'})
        return httpx.Response(200, text="body")

    validators = Validators(etag='"v1"', last_modified="Mon, 01 Jan 2024 00:00:00 GMT")
    page = fetch(handler, validators=validators)
    assert page.status == 304 and page.body == b""
    assert seen[0].headers["if-modified-since"] == "Mon, 01 Jan 2024 00:00:00 GMT"


def test_per_host_concurrency_and_spacing() -> None:
    """With a fake clock the gate's schedule is exact: starts 0.02 s apart, 2 at a time."""
    fake = Sleeps()
    state = {"now": 0, "max": 0}
    starts: dict[str, list[float]] = {"a.test": [], "b.test": []}

    async def handler(request: httpx.Request) -> httpx.Response:
        state["now"] += 1
        state["max"] = max(state["max"], state["now"])
        starts[request.url.host].append(fake.now)
        await asyncio.sleep(0.005)  # real time passes, the fake clock does not
        state["now"] -= 1
        return httpx.Response(200, text="ok")

    config = FetchConfig(delay=0.02, concurrency=2, adaptive=False)

    async def go() -> None:
        async with make_client(config, httpx.MockTransport(handler)) as client:
            fetcher = Fetcher(client, config, sleep=fake, clock=fake.clock)
            urls = [f"https://{h}/{i}" for i in range(6) for h in ("a.test", "b.test")]
            await asyncio.gather(*(fetcher.fetch(u) for u in urls))

    asyncio.run(go())
    assert state["max"] <= 4  # two per host, two hosts
    for host in ("a.test", "b.test"):
        times = starts[host]
        assert len(times) == 6
        assert all(b - a >= 0.02 - 1e-9 for a, b in zip(times, times[1:], strict=False))


def test_adaptive_delay_grows_on_errors_and_decays() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503 if request.url.path == "/bad" else 200)

    config = FetchConfig(delay=0.0, retries=1, adaptive=True)

    async def go() -> tuple[float, float]:
        async with make_client(config, httpx.MockTransport(handler)) as client:
            fake = Sleeps()
            fetcher = Fetcher(client, config, sleep=fake, clock=fake.clock)
            with pytest.raises(HTTPStatusError):
                await fetcher.fetch("https://blog.test/bad")
            raised = fetcher.host_delay("https://blog.test/")
            for _ in range(30):
                await fetcher.fetch("https://blog.test/ok")
            return raised, fetcher.host_delay("https://blog.test/")

    raised, later = asyncio.run(go())
    assert raised >= 0.25
    assert later == 0.0


def test_crawl_delay_raises_the_host_delay() -> None:
    async def go() -> float:
        async with make_client(FetchConfig()) as client:
            fetcher = Fetcher(client, FetchConfig(delay=1.0))
            fetcher.set_crawl_delay("https://blog.test/", 5)
            return fetcher.host_delay("https://blog.test/x")

    assert asyncio.run(go()) == 5.0


def test_fetch_bytes_for_archive_images() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        if request.url.path == "/img/old.png":
            return httpx.Response(301, headers={"Location": "/img/new.png"})
        if request.url.path == "/img/new.png":
            return httpx.Response(200, content=b"\x89PNG\r\n\x1a\n...")
        if request.url.path == "/img/busy.png":
            return httpx.Response(503)
        return httpx.Response(404)

    transport = httpx.MockTransport(handler)
    config = FetchConfig(retries=2, backoff=0.0)
    assert fetch_bytes("https://cdn.test/img/old.png", config, transport=transport).startswith(
        b"\x89PNG"
    )
    with pytest.raises(HTTPStatusError) as info:
        fetch_bytes("https://cdn.test/img/missing.png", config, transport=transport)
    assert info.value.url == "https://cdn.test/img/missing.png"
    with pytest.raises(HTTPStatusError):
        fetch_bytes("https://cdn.test/img/busy.png", config, transport=transport)
    assert calls.count("https://cdn.test/img/busy.png") == 2
    with pytest.raises(TooLarge):
        fetch_bytes("https://cdn.test/img/new.png", FetchConfig(max_bytes=4), transport=transport)
    with pytest.raises(OutOfScope):
        fetch_bytes("file:///etc/passwd")


def test_unknown_engine_is_a_usage_error() -> None:
    from scraper.errors import UsageError

    with pytest.raises(UsageError):
        make_client(FetchConfig(engine="curl"))


def test_www_and_bare_host_share_politeness() -> None:
    async def go() -> float:
        async with make_client(FetchConfig()) as client:
            fetcher = Fetcher(client, FetchConfig(delay=1.0))
            fetcher.set_crawl_delay("https://www.blog.test/", 7)
            return fetcher.host_delay("https://blog.test/post/a")

    assert asyncio.run(go()) == 7.0


def test_cookies_the_server_sets_come_back_and_pages_without_any_skip_the_jar(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[str] = []
    adapted: list[str] = []  # responses httpx built cookie-jar adapters for

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("cookie", ""))
        if request.url.path == "/consent":
            return httpx.Response(200, text="ok", headers={"Set-Cookie": "consent=yes; Path=/"})
        return httpx.Response(200, text="<p>post</p>", headers={"Content-Type": "text/html"})

    real = httpx.Cookies._CookieCompatResponse.__init__

    def spy(self: object, response: httpx.Response) -> None:
        adapted.append(response.request.url.path)
        real(self, response)  # type: ignore[arg-type]

    monkeypatch.setattr(httpx.Cookies._CookieCompatResponse, "__init__", spy)
    config = FetchConfig(delay=0.0)

    async def go() -> None:
        async with make_client(config, httpx.MockTransport(handler)) as client:
            fetcher = Fetcher(client, config)
            await fetcher.fetch("https://blog.test/post/a")
            await fetcher.fetch("https://blog.test/consent")
            await fetcher.fetch("https://blog.test/post/b")
            assert client.cookies.get("consent") == "yes"

    asyncio.run(go())
    assert seen == ["", "", "consent=yes"]
    assert adapted == ["/consent"]


def test_fetches_leave_no_garbage_cycles() -> None:
    """A crawl rarely runs a full garbage collection (crawl_pool.tune_gc), so a reference
    cycle per fetch piles up: tenacity's per-fetch copy (its pending actions are its own
    bound methods) and httpx's stream bound to its response each made one, ~60 objects."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text="<p>post</p>", headers={"Content-Type": "text/html"})

    config = FetchConfig(delay=0.0)

    async def go() -> int:
        async with make_client(config, httpx.MockTransport(handler)) as client:
            fetcher = Fetcher(client, config)
            await fetcher.fetch("https://blog.test/post/warm-up")
            gc.collect()
            gc.disable()
            try:
                pages = [await fetcher.fetch(f"https://blog.test/post/{i}") for i in range(20)]
                assert all(page.body == b"<p>post</p>" for page in pages)
                del pages
                return gc.collect()
            finally:
                gc.enable()

    assert asyncio.run(go()) < 20  # less than one object per fetch (was ~60 per fetch)

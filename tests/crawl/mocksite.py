"""Canned responses keyed by URL for httpx.MockTransport, with a log of requested URLs."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import httpx

from scraper.crawl import CrawlOptions
from scraper.discover import DiscoveryResult, discover
from scraper.fetch import make_client

Reply = httpx.Response | str | bytes


class MockSite:
    def __init__(self, routes: Mapping[str, Reply]) -> None:
        self.routes = dict(routes)
        self.log: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        self.log.append(url)
        reply = self.routes.get(url)
        if reply is None:
            return httpx.Response(404, text="not found")
        if isinstance(reply, httpx.Response):
            return reply
        if isinstance(reply, bytes):
            return httpx.Response(200, content=reply)
        kind = "text/html" if reply.lstrip().startswith("<!") or "<html" in reply else "text/xml"
        return httpx.Response(200, text=reply, headers={"Content-Type": kind})

    def discover(self, start: str, **options: object) -> DiscoveryResult:
        opts = CrawlOptions(**{"delay": 0.0, "retries": 1, **options})  # type: ignore[arg-type]

        async def go() -> DiscoveryResult:
            async with make_client(opts.fetch_config(), httpx.MockTransport(self)) as client:
                return await discover(start, opts, client=client)

        return asyncio.run(go())

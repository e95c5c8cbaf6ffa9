"""Discovery: what a crawl of a blog would visit, found in an explicit order.

1. ``robots``: robots.txt rules, Crawl-delay and ``Sitemap:`` lines (always).
2. ``sitemap``: declared or platform-default sitemaps, indexes followed (``lastmod`` kept).
3. ``feed``: RSS/Atom from ``<link rel=alternate>`` or the platform's path, with paging.
4. ``list``: the start page (and Wix ``/blog``) as list pages; pagination is followed.
5. ``links``: the start page's in-site links, followed hop by hop.

:func:`discover` runs them without fetching posts (for ``blogbinder discover``);
the crawl runs steps 1-3 the same way and walks 4-5 in its fetch loop.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Protocol

from ..errors import (
    ConnectError,
    CrawlerError,
    FetchTimeout,
    HTTPStatusError,
    OutOfScope,
    TooLarge,
)
from ..fetch import Fetcher, HttpClient, make_client
from ..options import CrawlOptions
from ..records import FetchedPage, FrontierItem
from ..robots import RobotsRules, robots_url
from ..urls import Scope, is_http_url, normalize_url, site_root
from ..urlset import UrlSet
from ._context import Context, Found
from .feeds import feed_candidates, find_feeds
from .links import harvest_links
from .listing import harvest_list, list_seeds, walk_listing
from .page import HtmlPage, is_post_page
from .sitemaps import find_sitemaps

__all__ = [
    "Context",
    "DiscoveryResult",
    "Found",
    "FoundSink",
    "HtmlPage",
    "discover",
    "frontier_items",
    "harvest_links",
    "harvest_list",
    "is_post_page",
    "load_robots",
    "run_discovery",
]

log = logging.getLogger("blogbinder.discover")


@dataclass(slots=True)
class DiscoveryResult:
    """Everything discovery found for one site. ``found`` is in frontier order."""

    start_url: str
    site: str
    robots: RobotsRules
    platform: str | None = None
    sitemaps: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    list_pages: list[str] = field(default_factory=list)
    found: list[Found] = field(default_factory=list)
    disallowed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failures: list[CrawlerError] = field(default_factory=list, repr=False)  # errors, raised
    start_page: FetchedPage | None = None  # reused by the crawl instead of a second fetch

    @property
    def posts(self) -> list[Found]:
        return [f for f in self.found if f.kind == "post"]

    def frontier(self) -> list[FrontierItem]:
        return frontier_items(self.found)

    def to_dict(self) -> dict[str, object]:
        return {
            "start_url": self.start_url,
            "site": self.site,
            "platform": self.platform,
            "robots": self.robots.to_dict(),
            "sitemaps": self.sitemaps,
            "feeds": self.feeds,
            "list_pages": self.list_pages,
            "posts": [f.to_dict() for f in self.found if f.kind == "post"],
            "other": [f.to_dict() for f in self.found if f.kind != "post"],
            "disallowed": self.disallowed,
            "errors": self.errors,
        }


async def load_robots(fetcher: Fetcher, site: str, ignore: bool) -> RobotsRules:
    """robots.txt of ``site``: 4xx allows all, 5xx disallows all (RFC 9309).

    Raises ConnectError/FetchTimeout when the host does not answer at all.
    """
    url = robots_url(site)
    if ignore:
        return RobotsRules.allow_all(url)
    try:
        page = await fetcher.fetch(url)
    except HTTPStatusError as exc:
        if exc.status_code >= 500:
            log.warning("robots.txt answered %d; treating %s as disallowed", exc.status_code, site)
            return RobotsRules.disallow_all(url, exc.status_code)
        return RobotsRules.allow_all(url, exc.status_code)
    except TooLarge:
        log.warning("robots.txt is over the size cap; ignoring it: %s", url)
        return RobotsRules.allow_all(url)
    text = page.body.decode("utf-8", "replace")
    return RobotsRules.parse(url, text, fetcher.config.user_agent, page.status)


def frontier_items(found: list[Found]) -> list[FrontierItem]:
    """``found`` as frontier entries (depth 0: discovery found them, no page linked them)."""
    return [FrontierItem(f.url, f.kind, f.source, 0, f.lastmod) for f in found]


class FoundSink(Protocol):
    """Where a streaming discovery (the crawl's) hands what it finds, instead of keeping
    it all in ``DiscoveryResult.found``: ``begin`` once the site, its robots rules and
    start page are known (before any URL), then ``add`` with URLs in frontier order."""

    def begin(self, result: DiscoveryResult) -> None: ...

    def add(self, found: list[Found]) -> None: ...


class _Collector:
    """Merges found URLs in order, keeping the strongest kind and a known lastmod. With a
    sink, ``result.found`` is only a buffer: ``flush`` hands it on and lets it go (a URL
    handed on is not merged again: the first source's kind stands)."""

    def __init__(
        self,
        ctx: Context,
        options: CrawlOptions,
        result: DiscoveryResult,
        sink: FoundSink | None = None,
    ) -> None:
        self.ctx = ctx
        self.options = options
        self.result = result
        self.sink = sink
        self.index: dict[str, int] = {}
        self.handed = UrlSet()

    def add(self, found: Found, *, seed: bool = False) -> None:
        scope = self.ctx.scope
        allowed = not scope.excluded(found.url) if seed else scope.allows(found.url)
        if not allowed:
            return
        if not self.ctx.robots.allowed(found.url):
            if found.url not in self.result.disallowed:
                self.result.disallowed.append(found.url)
            return
        if found.url in self.handed:
            return
        at = self.index.get(found.url)
        if at is None:
            self.index[found.url] = len(self.result.found)
            self.result.found.append(found)
            return
        old = self.result.found[at]
        kind = "post" if "post" in (old.kind, found.kind) and old.kind != "list" else old.kind
        self.result.found[at] = Found(old.url, kind, old.source, old.lastmod or found.lastmod)

    def add_many(self, found: list[Found]) -> None:
        for item in found:
            self.add(item)
        self.flush()

    def flush(self) -> None:
        if self.sink is None or not self.result.found:
            return
        batch, self.result.found = self.result.found, []
        self.index = {}
        self.handed.update(f.url for f in batch)
        self.sink.add(batch)


async def run_discovery(
    fetcher: Fetcher,
    start_url: str,
    options: CrawlOptions,
    *,
    walk: bool,
    sink: FoundSink | None = None,
    _moved: bool = False,
) -> DiscoveryResult:
    """Steps 1-5 above. With ``walk`` (``discover``), list pagination is fetched and the
    start page's links listed; without it (the crawl), list and link steps only seed.
    With ``sink``, found URLs go there as they are found (sitemap by sitemap) and
    ``found`` comes back empty: memory does not grow with the blog's size.

    Raises ConnectError/FetchTimeout when the site does not answer at all.
    """
    start = normalize_url(start_url)
    site = site_root(start)
    scope = Scope.for_site(start, options.include, options.exclude, options.extra_hosts)
    try:
        robots = await load_robots(fetcher, site, options.ignore_robots)
    except (ConnectError, FetchTimeout) as exc:
        raise type(exc)(f"cannot reach the site: {exc.message}", start) from None
    fetcher.set_crawl_delay(site, robots.crawl_delay)
    ctx = Context(fetcher, site, start, scope, robots, options.max_bytes)
    if not options.ignore_robots:
        ctx.responses += 1
    result = DiscoveryResult(start_url=start, site=site, robots=robots)
    collect = _Collector(ctx, options, result, sink)
    sources = options.sources

    first: HtmlPage | None = None
    try:
        result.start_page = await ctx.get(start)
        first = HtmlPage(result.start_page.body, normalize_url(result.start_page.final_url))
        result.platform = first.platform()
    except (ConnectError, FetchTimeout) as exc:
        if ctx.responses == 0:
            raise type(exc)(f"cannot reach the site: {exc.message}", start) from None
        ctx.note(exc)
    except OutOfScope as exc:
        if not _moved and exc.url != start and is_http_url(exc.url):
            # The blog lives elsewhere (blog.example.com -> example.com/blog): start over there.
            log.warning("%s redirects to another host; crawling %s instead", start, exc.url)
            return await run_discovery(fetcher, exc.url, options, walk=walk, sink=sink, _moved=True)
        ctx.note(exc)
    except CrawlerError as exc:
        ctx.note(exc)

    if sink is not None:
        sink.begin(result)
    emit = collect.add_many if sink is not None else None  # hand sources on as they come
    if "list" in sources:
        seeds = list_seeds(start, site, result.platform)
        for url in seeds:
            collect.add(Found(url, "list", "seed"), seed=True)
    if "links" in sources:
        collect.add(Found(start, "unknown", "seed"), seed=True)
    if "sitemap" in sources:
        collect.flush()  # (the seeds first, as without a sink)
        maps = await find_sitemaps(ctx, list(robots.sitemaps), emit)
        result.sitemaps = maps.sitemaps
        for found in maps.entries:
            collect.add(found)
    if "feed" in sources:
        advertised = first.feed_links(scope) if first is not None else []
        candidates, guesses = feed_candidates(site, advertised, result.platform)
        feeds = await find_feeds(ctx, candidates, result.platform, guesses=guesses, emit=emit)
        result.feeds = feeds.feeds
        for found in feeds.entries:
            collect.add(found)
    if walk and "list" in sources:
        listing = await walk_listing(ctx, list_seeds(start, site, result.platform), first)
        result.list_pages = listing.list_pages
        for found in listing.entries:
            collect.add(found)
    if walk and "links" in sources and first is not None:
        for url, kind in harvest_links(first, scope):
            collect.add(Found(url, kind, "link"))
    collect.flush()
    result.errors = ctx.errors
    result.failures = ctx.failures
    return result


async def discover(
    start_url: str, options: CrawlOptions | None = None, *, client: HttpClient | None = None
) -> DiscoveryResult:
    """What a crawl of ``start_url`` would visit (post URLs with source and lastmod, list
    pages, feeds, sitemaps, robots), without fetching any post."""
    options = options or CrawlOptions()
    own = client is None
    http = client if client is not None else make_client(options.fetch_config())
    try:
        fetcher = Fetcher(http, options.fetch_config())
        return await run_discovery(fetcher, start_url, options, walk=True)
    finally:
        if own:
            await http.aclose()

"""Crawls of the bundled sample blog (scraper.sample) on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from scraper.crawl import CrawlOptions, CrawlSummary, crawl_site, discover
from scraper.sample import LocalSiteServer, expected_posts, serve_sample_blog

from .remote import remote_sample_blog
from .store import SqliteStore

try:
    import httpx_aiohttp  # noqa: F401

    HAVE_AIOHTTP = True
except ImportError:
    HAVE_AIOHTTP = False
needs_aiohttp = pytest.mark.skipif(not HAVE_AIOHTTP, reason="httpx-aiohttp is not installed")


@pytest.fixture(scope="module")
def sample() -> Iterator[LocalSiteServer]:
    with serve_sample_blog() as server:
        yield server


@pytest.fixture
def site(sample: LocalSiteServer) -> LocalSiteServer:
    sample.clear_log()
    return sample


def want(server: LocalSiteServer) -> set[str]:
    return {p["url"] for p in expected_posts(server.base_url)}


def run(server: LocalSiteServer, store: SqliteStore, **kw: object) -> CrawlSummary:
    options = CrawlOptions(**{"delay": 0.0, "concurrency": 8, **kw})  # type: ignore[arg-type]
    return asyncio.run(crawl_site(server.url("/"), store, options))


ENGINES = ["httpx", pytest.param("aiohttp", marks=needs_aiohttp)]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("sources", [("sitemap",), ("feed",), ("list",), ("links",)])
def test_every_sample_post_is_found_by_each_path_alone(
    site: LocalSiteServer, store: SqliteStore, sources: tuple[str, ...], engine: str
) -> None:
    summary = run(site, store, sources=sources, engine=engine)
    assert summary.status == "completed" and summary.stats.failed == 0
    assert store.post_urls() == want(site)
    assert set(store.post_save_counts().values()) == {1}


def test_full_crawl_obeys_robots(site: LocalSiteServer, store: SqliteStore) -> None:
    summary = run(site, store)
    assert store.post_urls() == want(site)
    assert not [r for r in site.requests() if r.path.startswith("/account/")]
    assert summary.disallowed >= 1
    agents = {v for r in site.requests() for k, v in r.headers.items() if k.lower() == "user-agent"}
    assert agents and all(a.startswith("blogbinder/") for a in agents)


@pytest.mark.parametrize("engine", ENGINES)
def test_politeness_by_the_server_log(store: SqliteStore, engine: str) -> None:
    """Per-host concurrency and spacing as the server saw them (server in its own process)."""
    delay = 0.05
    options = CrawlOptions(
        delay=delay, concurrency=2, adaptive=False, sources=("sitemap",), engine=engine
    )
    with remote_sample_blog() as blog:
        summary = asyncio.run(crawl_site(blog.url("/"), store, options))
        hits = blog.stop()
    assert summary.stats.new == len(expected_posts(blog.base_url))
    assert len(hits) > 15
    assert max(h.in_flight for h in hits) <= 2
    starts = sorted(h.started for h in hits)
    gaps = sorted(b - a for a, b in zip(starts, starts[1:], strict=False))
    assert gaps[len(gaps) // 2] >= delay  # the median gap
    # A request the loaded server notices late shortens the gap before it and lengthens
    # the one after by as much (one gap of 29 ms was seen in a full test run), so the
    # span of two gaps is what the client's spacing guarantees.
    spans = [c - a for a, c in zip(starts, starts[2:], strict=False)]
    assert min(spans) >= 2 * delay * 0.9
    assert gaps[0] >= delay * 0.4


def test_recrawl_is_conditional_and_stores_nothing_new(
    site: LocalSiteServer, store: SqliteStore
) -> None:
    run(site, store, skip_unchanged=False)
    site.clear_log()
    second = run(site, store, skip_unchanged=False)
    assert second.stats.new == 0 and second.stats.changed == 0
    posts = [r for r in site.requests() if r.path.startswith("/post/")]
    assert posts and all(r.status == 304 for r in posts)


def test_discover_lists_posts_with_lastmod_without_fetching_them(site: LocalSiteServer) -> None:
    result = asyncio.run(discover(site.url("/"), CrawlOptions(delay=0.0)))
    assert {f.url for f in result.posts} >= want(site)
    assert {p["url"] for p in result.to_dict()["posts"]} >= want(site)  # type: ignore[attr-defined]
    assert result.platform == "wix"
    assert site.url("/sitemap.xml") in result.sitemaps
    assert site.url("/blog-feed.xml") in result.feeds
    assert site.url("/blog/page/2") in result.list_pages
    lastmods = {f.url: f.lastmod for f in result.found}
    assert all(lastmods[u] is not None for u in want(site))
    assert not [r for r in site.requests() if r.path.startswith("/post/")]

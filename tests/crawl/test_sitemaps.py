from __future__ import annotations

import asyncio
import gc
import gzip
from datetime import UTC, datetime

import httpx
import pytest

from scraper.crawl import CrawlOptions
from scraper.discover import DiscoveryResult, Found, run_discovery
from scraper.discover._xml import gunzip_capped, parse_xml
from scraper.discover.sitemaps import parse_sitemap
from scraper.errors import DiscoveryError, TooLarge
from scraper.fetch import Fetcher, make_client

from .mocksite import MockSite

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
B = "https://blog.test"


def urlset(*entries: tuple[str, str | None]) -> str:
    rows = "".join(
        f"<url><loc>{B}{path}</loc>" + (f"<lastmod>{mod}</lastmod>" if mod else "") + "</url>"
        for path, mod in entries
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {NS}>{rows}</urlset>'


def index(*paths: str) -> str:
    rows = "".join(f"<sitemap><loc>{B}{p}</loc></sitemap>" for p in paths)
    return f'<?xml version="1.0"?><sitemapindex {NS}>{rows}</sitemapindex>'


def test_wix_index_with_gzipped_posts_sitemap_and_lastmod() -> None:
    posts = urlset(("/post/a", "2024-03-01T10:00:00.000Z"), ("/post/b", "2024-03-02"))
    site = MockSite(
        {
            f"{B}/sitemap.xml": index(
                "/pages-sitemap.xml", "/blog-posts-sitemap.xml.gz", "/blog-categories-sitemap.xml"
            ),
            f"{B}/blog-posts-sitemap.xml.gz": httpx.Response(
                200,
                content=gzip.compress(posts.encode()),
                headers={"Content-Type": "application/gzip"},
            ),
            f"{B}/pages-sitemap.xml": urlset(("/about", None), ("/blog", None)),
        }
    )
    result = site.discover(f"{B}/", sources=("sitemap",))
    by_url = {f.url: f for f in result.found}
    assert by_url[f"{B}/post/a"].kind == "post"
    assert by_url[f"{B}/post/a"].lastmod == datetime(2024, 3, 1, 10, tzinfo=UTC)
    assert by_url[f"{B}/post/b"].lastmod == datetime(2024, 3, 2, tzinfo=UTC)
    assert by_url[f"{B}/about"].kind == "unknown"
    assert by_url[f"{B}/blog"].kind == "list"
    assert f"{B}/blog-categories-sitemap.xml" not in site.log  # taxonomy sitemaps are skipped
    # the posts sitemap is read before the pages sitemap
    assert site.log.index(f"{B}/blog-posts-sitemap.xml.gz") < site.log.index(
        f"{B}/pages-sitemap.xml"
    )
    assert result.sitemaps[0] == f"{B}/sitemap.xml"


def test_yoast_sitemap_index_found_after_missing_sitemap_xml() -> None:
    site = MockSite(
        {
            f"{B}/sitemap_index.xml": index(
                "/post-sitemap.xml", "/page-sitemap.xml", "/category-sitemap.xml"
            ),
            f"{B}/post-sitemap.xml": urlset(("/hello-world/", "2024-01-01")),
            f"{B}/page-sitemap.xml": urlset(("/contact/", None)),
        }
    )
    result = site.discover(f"{B}/", sources=("sitemap",))
    kinds = {f.url: f.kind for f in result.found}
    assert kinds == {f"{B}/hello-world/": "post", f"{B}/contact/": "unknown"}
    assert f"{B}/wp-sitemap.xml" not in site.log  # stops at the first default that works
    assert not [e for e in result.errors if "sitemap" in e]  # guessing paths is not an error


def test_wordpress_core_sitemaps() -> None:
    site = MockSite(
        {
            f"{B}/wp-sitemap.xml": index(
                "/wp-sitemap-posts-post-1.xml",
                "/wp-sitemap-posts-page-1.xml",
                "/wp-sitemap-taxonomies-category-1.xml",
                "/wp-sitemap-users-1.xml",
            ),
            f"{B}/wp-sitemap-posts-post-1.xml": urlset(("/2024/01/02/a-post/", None)),
            f"{B}/wp-sitemap-posts-page-1.xml": urlset(("/shop/", None)),
        }
    )
    result = site.discover(f"{B}/", sources=("sitemap",))
    assert {f.url: f.kind for f in result.found} == {
        f"{B}/2024/01/02/a-post/": "post",
        f"{B}/shop/": "unknown",
    }
    assert not any("taxonomies" in u or "users" in u for u in site.log)


def test_ghost_and_blogger_layouts() -> None:
    ghost = MockSite(
        {
            f"{B}/sitemap.xml": index(
                "/sitemap-pages.xml", "/sitemap-posts.xml", "/sitemap-tags.xml"
            ),
            f"{B}/sitemap-posts.xml": urlset(("/my-first-post/", "2023-05-01T00:00:00+02:00")),
            f"{B}/sitemap-pages.xml": urlset(("/about/", None)),
        }
    )
    result = ghost.discover(f"{B}/", sources=("sitemap",))
    assert result.posts[0].url == f"{B}/my-first-post/"
    blogger = MockSite(
        {
            f"{B}/sitemap.xml": index("/sitemap.xml?page=1", "/sitemap.xml?page=2"),
            f"{B}/sitemap.xml?page=1": urlset(("/2016/05/greenpak4.html", None)),
            f"{B}/sitemap.xml?page=2": urlset(("/2015/01/older.html", None)),
        }
    )
    result = blogger.discover(f"{B}/", sources=("sitemap",))
    assert sorted(f.url for f in result.posts) == [
        f"{B}/2015/01/older.html",
        f"{B}/2016/05/greenpak4.html",
    ]


def test_sitemap_urls_on_other_hosts_are_ignored_and_www_counts_as_same_site() -> None:
    site = MockSite(
        {
            f"{B}/sitemap.xml": urlset(("/post/a", None)).replace(
                "</urlset>",
                "<url><loc>https://www.blog.test/post/b</loc></url>"
                "<url><loc>https://other.test/post/c</loc></url></urlset>",
            ),
        }
    )
    urls = {f.url for f in site.discover(f"{B}/", sources=("sitemap",)).found}
    assert urls == {f"{B}/post/a", "https://www.blog.test/post/b"}


def test_entity_declarations_are_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><urlset><url><loc>&lol2;</loc></url></urlset>'
    )
    with pytest.raises(DiscoveryError):
        parse_xml(bomb, "https://blog.test/sitemap.xml")
    with pytest.raises(DiscoveryError):
        parse_sitemap(bomb, "https://blog.test/sitemap.xml")
    external = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
        b"<urlset><url><loc>&ext;</loc></url></urlset>"
    )
    with pytest.raises(DiscoveryError):
        parse_xml(external, "https://blog.test/sitemap.xml")


def test_damaged_sitemap_falls_back_to_loc_scan() -> None:
    body = b"<urlset><url><loc>https://blog.test/post/a?x=1&y=2</loc></url><url><loc>https://blog.test/post/b</loc></urlset>"
    children, pages = parse_sitemap(body, "https://blog.test/sitemap.xml")
    assert children == []
    assert [p for p, _ in pages] == ["https://blog.test/post/a?x=1&y=2", "https://blog.test/post/b"]


def test_gzip_bomb_is_capped() -> None:
    packed = gzip.compress(b"<" * 100_000)
    with pytest.raises(TooLarge):
        gunzip_capped(packed, 10_000, "https://blog.test/s.xml.gz")
    assert gunzip_capped(b"plain", 10, "u") == b"plain"


def test_discovery_failures_keep_no_frames_alive() -> None:
    """A failure is kept for the run's record without its traceback: the traceback held
    discovery's frames and, through them, every URL found, in a cycle that outlived the
    crawl's hand-off of those URLs to its frontier (a full collection is rare in a crawl)."""
    site = MockSite({f"{B}/sitemap.xml": urlset(("/post/a", None), ("/post/b", None))})
    gc.collect()
    gc.disable()
    try:
        result = site.discover(f"{B}/", sources=("sitemap", "feed"))
        assert len(result.found) == 2
        assert result.failures  # the missing feeds
        assert all(exc.__traceback__ is None for exc in result.failures)
        del result
        alive = [o for o in gc.get_objects() if isinstance(o, (DiscoveryResult, Found))]
    finally:
        gc.enable()
    assert alive == []


class _Sink:
    """Records what a streaming discovery hands on, in order."""

    def __init__(self) -> None:
        self.events: list[object] = []

    def begin(self, result: DiscoveryResult) -> None:
        self.events.append(("begin", result.site, len(result.found)))

    def add(self, found: list[Found]) -> None:
        self.events.append([f.url.removeprefix(B) for f in found])


def test_a_streaming_discovery_hands_on_each_sitemap_as_it_is_read() -> None:
    site = MockSite(
        {
            f"{B}/sitemap.xml": index("/post-sitemap.xml", "/post-sitemap2.xml"),
            f"{B}/post-sitemap.xml": urlset(("/post/a", None), ("/post/b", None)),
            f"{B}/post-sitemap2.xml": urlset(("/post/b", None), ("/post/c", None)),
        }
    )
    sink = _Sink()
    opts = CrawlOptions(delay=0.0, retries=1, sources=("sitemap", "links"))

    async def go() -> DiscoveryResult:
        async with make_client(opts.fetch_config(), httpx.MockTransport(site)) as client:
            fetcher = Fetcher(client, opts.fetch_config())
            return await run_discovery(fetcher, f"{B}/", opts, walk=False, sink=sink)

    result = asyncio.run(go())
    assert sink.events == [
        ("begin", B, 0),
        ["/"],  # the start page as a seed, first
        ["/post/a", "/post/b"],  # each sitemap as it is read
        ["/post/c"],  # a URL handed on already is not handed on again
    ]
    assert result.found == []  # nothing kept: memory does not grow with the blog

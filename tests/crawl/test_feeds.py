from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx

from scraper.crawl import CrawlOptions
from scraper.discover import DiscoveryResult, Found, run_discovery
from scraper.discover.feeds import parse_feed
from scraper.fetch import Fetcher, make_client

from .mocksite import MockSite

B = "https://blog.test"


def rss(*paths: str, extra: str = "", generator: str = "") -> str:
    items = "".join(
        f"<item><title>t</title><link>{B}{p}</link><pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate>"
        "</item>"
        for p in paths
    )
    gen = f"<generator>{generator}</generator>" if generator else ""
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">'
        f"<channel><title>Blog</title>{gen}{extra}{items}</channel></rss>"
    )


def atom(*paths: str, nxt: str | None = None) -> str:
    entries = "".join(
        f'<entry><title>t</title><link rel="replies" href="{B}{p}#comments"/>'
        f'<link rel="alternate" type="text/html" href="{B}{p}"/>'
        "<updated>2024-03-05T10:00:00Z</updated></entry>"
        for p in paths
    )
    link = f'<link rel="next" href="{nxt}"/>' if nxt else ""
    return f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">{link}{entries}</feed>'


HOME = (
    '<!DOCTYPE html><html><head><link rel="alternate" type="application/rss+xml" '
    'href="/blog-feed.xml"></head><body></body></html>'
)


def test_parse_rss_and_atom() -> None:
    page = parse_feed(rss("/post/a", "/post/b").encode(), "u")
    assert page.entries == [(f"{B}/post/a", None), (f"{B}/post/b", None)]
    page = parse_feed(atom("/p/x", nxt=f"{B}/feed?page=2").encode(), "u")
    assert page.entries == [(f"{B}/p/x", "2024-03-05T10:00:00Z")]
    assert page.next_url == f"{B}/feed?page=2"


def test_rss_guid_permalink_is_a_fallback_link() -> None:
    body = (
        "<rss><channel><item><guid>https://blog.test/post/g</guid></item>"
        '<item><guid isPermaLink="false">tag:x</guid></item></channel></rss>'
    )
    assert parse_feed(body.encode(), "u").entries == [(f"{B}/post/g", None)]


def test_advertised_feed_with_rfc5005_paging() -> None:
    site = MockSite(
        {
            f"{B}/": HOME,
            f"{B}/blog-feed.xml": rss(
                "/post/a",
                "/post/b",
                extra=f'<atom:link rel="next" href="{B}/blog-feed.xml?page=2"/>',
            ),
            f"{B}/blog-feed.xml?page=2": rss("/post/c"),
        }
    )
    result = site.discover(f"{B}/", sources=("feed",))
    assert [f.url for f in result.posts] == [f"{B}/post/a", f"{B}/post/b", f"{B}/post/c"]
    assert all(f.source == "feed" for f in result.found)
    assert result.feeds == [f"{B}/blog-feed.xml", f"{B}/blog-feed.xml?page=2"]


def test_blogger_feed_pages_by_start_index() -> None:
    home = '<html><head><meta name="generator" content="blogger"></head><body></body></html>'
    site = MockSite(
        {
            f"{B}/": home,
            f"{B}/feeds/posts/default": atom("/2024/01/a.html", "/2024/01/b.html"),
            f"{B}/feeds/posts/default?max-results=2&start-index=3": atom("/2023/12/c.html"),
            f"{B}/feeds/posts/default?max-results=2&start-index=4": atom(),
        }
    )
    result = site.discover(f"{B}/", sources=("feed",))
    assert len(result.posts) == 3
    assert result.posts[0].lastmod == datetime(2024, 3, 5, 10, tzinfo=UTC)


def test_wordpress_feed_pages_by_paged() -> None:
    site = MockSite(
        {
            f"{B}/": "<html><head></head><body></body></html>",
            f"{B}/feed/": rss("/2024/01/02/a/", generator="https://wordpress.org/?v=6.4"),
            f"{B}/feed/?paged=2": rss("/2023/01/02/b/", generator="https://wordpress.org/?v=6.4"),
        }
    )
    result = site.discover(f"{B}/", sources=("feed",))
    assert [f.url for f in result.posts] == [f"{B}/2024/01/02/a/", f"{B}/2023/01/02/b/"]
    assert f"{B}/feed/?paged=3" in site.log  # 404 ends the paging


def test_ghost_rss_pages() -> None:
    home = '<html><head><meta name="generator" content="Ghost 5.80"></head><body></body></html>'
    site = MockSite(
        {
            f"{B}/": home,
            f"{B}/rss/": rss("/one/"),
            f"{B}/rss/2/": rss("/two/"),
        }
    )
    result = site.discover(f"{B}/", sources=("feed",))
    assert [f.url for f in result.posts] == [f"{B}/one/", f"{B}/two/"]


def test_unknown_platform_probes_common_paths_until_one_works() -> None:
    site = MockSite({f"{B}/": "<html></html>", f"{B}/rss/": rss("/a-post/")})
    result = site.discover(f"{B}/", sources=("feed",))
    assert [f.url for f in result.posts] == [f"{B}/a-post/"]
    assert f"{B}/rss.xml" not in site.log
    assert not [e for e in result.errors if "feed" in e]


def test_damaged_feeds_are_scanned_for_links() -> None:
    rss_body = (
        "<rss><channel><title>Tom & Jerry</title>"
        "<item><title>A & B</title><link>https://blog.test/post/a?x=1&y=2</link></item>"
        "<item><link><![CDATA[https://blog.test/post/b]]></link></item></channel></rss>"
    )
    page = parse_feed(rss_body.encode(), "u")
    assert [link for link, _ in page.entries] == [
        "https://blog.test/post/a?x=1&y=2",
        "https://blog.test/post/b",
    ]
    atom_body = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>R & D</title><entry>'
        '<link rel="replies" href="https://blog.test/c#comments"/>'
        '<link rel="alternate" href="https://blog.test/c"/></entry>'
        '<entry><link href="https://blog.test/d"/></entry></feed>'
    )
    entries = parse_feed(atom_body.encode(), "u").entries
    assert [link for link, _ in entries] == ["https://blog.test/c", "https://blog.test/d"]


def test_a_streaming_discovery_hands_on_each_feed_page_as_it_is_read() -> None:
    site = MockSite(
        {
            f"{B}/": "<html><head></head><body></body></html>",
            f"{B}/feed/": rss(
                "/2024/01/02/a/", "/2024/01/01/b/", generator="https://wordpress.org/"
            ),
            f"{B}/feed/?paged=2": rss(
                "/2024/01/01/b/", "/2023/01/02/c/", generator="https://wordpress.org/"
            ),
        }
    )
    batches: list[list[str]] = []

    class Sink:
        def begin(self, result: DiscoveryResult) -> None:
            batches.append(["begin"])

        def add(self, found: list[Found]) -> None:
            batches.append([f.url.removeprefix(B) for f in found])

    opts = CrawlOptions(delay=0.0, retries=1, sources=("feed",))

    async def go() -> DiscoveryResult:
        async with make_client(opts.fetch_config(), httpx.MockTransport(site)) as client:
            fetcher = Fetcher(client, opts.fetch_config())
            return await run_discovery(fetcher, f"{B}/", opts, walk=False, sink=Sink())

    result = asyncio.run(go())
    assert batches == [
        ["begin"],
        ["/2024/01/02/a/", "/2024/01/01/b/"],  # each feed page as it is read
        ["/2023/01/02/c/"],  # what a page repeats is not handed on again
    ]
    assert result.found == []

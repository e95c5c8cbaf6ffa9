from __future__ import annotations

import pytest

from scraper.discover.links import harvest_links
from scraper.discover.listing import harvest_list
from scraper.discover.page import Evidence, HtmlPage, is_post_page
from scraper.urls import Scope

from .mocksite import MockSite

B = "https://blog.test"
SCOPE = Scope.for_site(B)


def page(html: str, url: str = f"{B}/blog") -> HtmlPage:
    return HtmlPage(html.encode(), url)


@pytest.mark.parametrize(
    "markup",
    [
        f'<link rel="next" href="{B}/blog/page/2">',
        '<a rel="next" href="/blog/page/2">Older</a>',
        '<a data-hook="pagination__next" href="/blog/page/2">Next</a>',
        '<div class="nav-previous"><a href="/blog/page/2">Older posts</a></div>',
        '<a class="blog-pager-older-link" href="/blog/page/2">Older</a>',
        '<a href="/blog/page/2">2</a>',
    ],
)
def test_pagination_is_found(markup: str) -> None:
    harvest = harvest_list(page(f"<html><head></head><body>{markup}</body></html>"), SCOPE)
    assert harvest.next_pages == [f"{B}/blog/page/2"]


def test_query_pagination_and_self_link_ignored() -> None:
    html = '<a href="?page=2">2</a><a href="/blog">1</a><a href="/blog?page=3">3</a>'
    assert harvest_list(page(html), SCOPE).next_pages == [f"{B}/blog?page=2", f"{B}/blog?page=3"]


def test_post_links_from_list_items_and_post_shaped_urls() -> None:
    html = """<html><body>
    <nav><a href="/about">About</a><a href="/blog/categories/news">News</a></nav>
    <article><h2><a href="/my-first-post/">My first post</a></h2>
      <a href="/tag/python/">python</a></article>
    <div><a href="/post/wix-style">A Wix post</a></div>
    <a href="https://other.test/post/x">elsewhere</a>
    <a href="/img/photo.jpg">photo</a>
    </body></html>"""
    posts = dict(harvest_list(page(html), SCOPE).posts)
    assert posts == {f"{B}/post/wix-style": "post", f"{B}/my-first-post/": "unknown"}


def test_links_strategy_keeps_every_in_site_page() -> None:
    html = (
        '<a href="/about">a</a><a href="/post/x#c">b</a><a href="mailto:x@y">m</a>'
        '<a href="https://other.test/">o</a><a href="/feed.xml">f</a><a href="/blog">self</a>'
    )
    assert harvest_links(page(html), SCOPE) == [(f"{B}/about", "unknown"), (f"{B}/post/x", "post")]


def test_base_href_is_respected() -> None:
    html = '<html><head><base href="https://blog.test/sub/"></head><body><a href="post/a">x</a>'
    assert harvest_links(page(html, f"{B}/x"), SCOPE) == [(f"{B}/sub/post/a", "post")]


@pytest.mark.parametrize(
    ("head", "article", "collection"),
    [
        ('<meta property="og:type" content="article">', True, False),
        ('<script type="application/ld+json">{"@type": "BlogPosting"}</script>', True, False),
        (
            '<script type="application/ld+json">{"@graph":[{"@type":["WebPage"]},'
            '{"@type":"Article"}]}</script>',
            True,
            False,
        ),
        ('<script type="application/ld+json">{"@type":"CollectionPage"}</script>', False, True),
        ('<meta property="og:type" content="website">', False, False),
    ],
)
def test_page_evidence(head: str, article: bool, collection: bool) -> None:
    evidence = page(f"<html><head>{head}</head><body></body></html>").evidence
    assert evidence.article is article
    assert evidence.collection is collection


def test_post_decision() -> None:
    none = Evidence(None, frozenset())
    art = Evidence("article", frozenset())
    site = Evidence("website", frozenset())
    assert is_post_page("unknown", "post", none)
    assert not is_post_page("post", "list", art)  # list-shaped URLs never are posts
    assert is_post_page("unknown", "unknown", art)
    assert not is_post_page("unknown", "unknown", none)
    assert is_post_page("post", "unknown", none)  # a post sitemap or feed said so
    assert not is_post_page("post", "unknown", site)


def test_discover_walks_pagination_without_fetching_posts() -> None:
    def list_page(n: int, posts: list[str], last: bool = False) -> str:
        nxt = "" if last else f'<link rel="next" href="/page/{n + 1}/">'
        links = "".join(f'<h2 class="entry-title"><a href="{p}">t</a></h2>' for p in posts)
        return f"<html><head>{nxt}</head><body>{links}</body></html>"

    site = MockSite(
        {
            f"{B}/": list_page(1, ["/2024/02/01/b/", "/2024/01/01/a/"]),
            f"{B}/page/2/": list_page(2, ["/2023/12/01/z/"], last=True),
        }
    )
    result = site.discover(f"{B}/", sources=("list",))
    assert result.list_pages == [f"{B}/", f"{B}/page/2/"]
    assert [f.url for f in result.posts] == [
        f"{B}/2024/02/01/b/",
        f"{B}/2024/01/01/a/",
        f"{B}/2023/12/01/z/",
    ]
    assert not [u for u in site.log if "/2024/" in u or "/2023/" in u]
    data = result.to_dict()
    assert data["posts"][0] == {  # type: ignore[index]
        "url": f"{B}/2024/02/01/b/",
        "kind": "post",
        "source": "list",
        "lastmod": None,
    }


def test_wix_home_also_seeds_the_blog_page() -> None:
    home = '<html><head><meta name="generator" content="Wix.com Website Builder"></head></html>'
    blog = '<html><body><a href="/post/hello">Hello</a></body></html>'
    site = MockSite({f"{B}/": home, f"{B}/blog": blog})
    result = site.discover(f"{B}/", sources=("list",))
    assert result.platform == "wix"
    assert [f.url for f in result.posts] == [f"{B}/post/hello"]

"""robots.txt, sitemaps, the RSS feed and the paginated feed pages list exactly the sample posts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from scraper.sample import Route

from .conftest import BASE

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
IMG = "{http://www.google.com/schemas/sitemap-image/1.1}"
DC = "{http://purl.org/dc/elements/1.1/}"


def _path(url: str) -> str:
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == BASE, url
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _xml(routes: dict[str, Route], url: str) -> ET.Element:
    route = routes[_path(url)]
    assert route.status == 200
    return ET.fromstring(route.body)


def test_robots_points_to_sitemap_and_disallows_account(routes: dict[str, Route]) -> None:
    robots = routes["/robots.txt"]
    assert robots.content_type.startswith("text/plain")
    lines = robots.body.decode().splitlines()
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    assert "Disallow: /account/" in lines
    assert routes["/account/my-account"].status == 200  # exists, so a rude crawler would get it


def test_sitemap_index_and_posts_sitemap(
    routes: dict[str, Route], truth: list[dict[str, Any]]
) -> None:
    index = _xml(routes, f"{BASE}/sitemap.xml")
    assert index.tag == f"{SM}sitemapindex"
    children = [el.findtext(f"{SM}loc") for el in index.iter(f"{SM}sitemap")]
    assert children == [
        f"{BASE}/blog-posts-sitemap.xml",
        f"{BASE}/pages-sitemap.xml",
        f"{BASE}/store-products-sitemap.xml",
    ]
    posts = _xml(routes, f"{BASE}/blog-posts-sitemap.xml")
    entries = list(posts.iter(f"{SM}url"))
    assert [e.findtext(f"{SM}loc") for e in entries] == [p["url"] for p in truth]
    for entry, post in zip(entries, truth, strict=True):
        lastmod = datetime.fromisoformat(entry.findtext(f"{SM}lastmod") or "")
        expected = post["updated_at"] or post["published_at"]
        assert lastmod == datetime.fromisoformat(expected)
        image = entry.find(f"{IMG}image")
        if post["image"]:
            assert image is not None
            assert image.findtext(f"{IMG}loc") == post["image"]
            assert image.findtext(f"{IMG}title") == post["title"]
    pages = _xml(routes, f"{BASE}/pages-sitemap.xml")
    assert [e.findtext(f"{SM}loc") for e in pages.iter(f"{SM}url")] == [f"{BASE}/", f"{BASE}/blog"]
    products = _xml(routes, f"{BASE}/store-products-sitemap.xml")
    for loc in (e.findtext(f"{SM}loc") for e in products.iter(f"{SM}url")):
        assert loc and routes[_path(loc)].status == 200


def test_rss_feed_lists_every_post(routes: dict[str, Route], truth: list[dict[str, Any]]) -> None:
    assert routes["/blog-feed.xml"].content_type.startswith("application/rss+xml")
    rss = _xml(routes, f"{BASE}/blog-feed.xml")
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    items = rss.findall("./channel/item")
    assert [i.findtext("link") for i in items] == [p["url"] for p in truth]
    for item, post in zip(items, truth, strict=True):
        assert item.findtext("title") == post["title"]
        assert item.findtext("description") == post["description"]
        published = parsedate_to_datetime(item.findtext("pubDate") or "")
        assert published == datetime.fromisoformat(post["published_at"]).replace(microsecond=0)
        creators = item.findtext(f"{DC}creator") or ""
        assert creators.split(", ") == [a["name"] for a in post["authors"]]
        assert item.findtext("guid")
        enclosure = item.find("enclosure")
        if post["image"]:
            assert enclosure is not None and enclosure.get("url") == post["image"]


def _rel(tree: LexborHTMLParser, rel: str) -> str | None:
    node = tree.css_first(f'head link[rel="{rel}"]')
    return node.attributes.get("href") if node is not None else None


def test_feed_pages_chain_with_rel_next_and_list_every_post(
    routes: dict[str, Route], truth: list[dict[str, Any]]
) -> None:
    url: str | None = f"{BASE}/blog"
    previous: str | None = None
    seen: list[str] = []
    pages = 0
    while url is not None:
        tree = LexborHTMLParser(routes[_path(url)].body.decode())
        pages += 1
        assert _rel(tree, "prev") == previous
        items = tree.css('article[data-hook="post-list-item"]')
        assert 1 <= len(items) <= 5
        for item in items:
            titled = [a for a in item.css("a[href]") if a.css_first('[data-hook="post-title"]')]
            assert len(titled) == 1
            seen.append(titled[0].attributes["href"] or "")
        pager = tree.css_first('[data-hook="feed-pagination-container"]')
        assert pager is not None
        nxt = _rel(tree, "next")
        pager_next = pager.css_first('a[data-hook="pagination__next"]')
        if nxt is None:
            assert pager_next is None
        else:
            assert pager_next is not None and pager_next.attributes["href"] == nxt
        numbered = [a.attributes["href"] for a in pager.css('a[data-hook^="pagination__"]')]
        assert numbered, "every page links the others"
        previous, url = url, nxt
    assert pages == 3
    assert seen == [p["url"] for p in truth]  # newest first, all 14, no duplicates


def test_internal_links_all_resolve(routes: dict[str, Route]) -> None:
    """Every <a href> to the sample site, on every HTML page, names an existing route."""
    dangling: set[str] = set()
    for path, route in routes.items():
        if not route.content_type.startswith("text/html") or route.status != 200:
            continue
        for a in LexborHTMLParser(route.body.decode()).css("a[href]"):
            href = (a.attributes.get("href") or "").split("#")[0]
            if href.startswith(BASE) and _path(href) not in routes:
                dangling.add(f"{path} -> {href}")
    assert not dangling


def test_tag_profile_and_product_pages(
    routes: dict[str, Route], truth: list[dict[str, Any]]
) -> None:
    for post in truth:
        for tag in post["tags"]:
            page = routes["/blog/tags/" + "-".join(tag.lower().split())].body.decode()
            assert post["url"] in page
        for author in post["authors"]:
            if author["url"]:
                assert post["url"] in routes[_path(author["url"])].body.decode()
        for product in post["products"]:
            product_page = LexborHTMLParser(routes[_path(product["url"])].body.decode())
            title = product_page.css_first('[data-hook="product-title"]')
            assert title is not None and title.text() == product["name"]

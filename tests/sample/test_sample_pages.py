"""The post pages carry the platform markup MARKUP.md describes, and agree with expected_posts."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.sample import SAMPLE_NOW, Route, build_site, expected_posts

from .conftest import BASE

EXTERNAL_OK = (
    "https://www.wix.com",
    "https://www.example.com/",
    "https://gmpg.org/",
    "https://schema.org",
    "https://www.facebook.com/",
    "https://x.com/",
)


def _page(routes: dict[str, Route], url: str) -> tuple[str, LexborHTMLParser]:
    parts = urlsplit(url)
    html = routes[parts.path].body.decode("utf-8")
    return html, LexborHTMLParser(html)


def _one(tree: LexborHTMLParser | LexborNode, selector: str) -> LexborNode:
    nodes = tree.css(selector)
    assert len(nodes) == 1, f"{selector}: {len(nodes)} matches"
    return nodes[0]


def _meta(tree: LexborHTMLParser, prop: str) -> str | None:
    node = tree.css_first(f'meta[property="{prop}"]') or tree.css_first(f'meta[name="{prop}"]')
    return node.attributes.get("content") if node is not None else None


def _wix(truth: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for p in truth if p["platform"] == "wix"]


def test_the_truth_covers_what_the_brief_asks_for(truth: list[dict[str, Any]]) -> None:
    assert len(truth) == 14
    assert [p["platform"] for p in truth].count("wix") == 12
    assert {p["platform"] for p in truth} == {"wix", "wordpress", "generic"}
    assert len({a["name"] for p in truth for a in p["authors"]}) == 3
    assert any(len(p["authors"]) == 2 for p in truth)
    assert any("%E9%87%91" in p["url"] for p in truth)  # the non-ASCII slug, percent-encoded
    shown = {p["shown_date"] for p in truth}
    assert {"5 hours ago", "yesterday", "3 days ago", "Aug 11, 2023"} <= shown
    assert any(p["reading_time_minutes"] is None for p in _wix(truth))
    three = [p for p in truth if len(p["products"]) == 3]
    assert three and any(pr["price"] == "0.00" for pr in three[0]["products"])
    assert sum(1 for p in truth if p["products"]) >= 5
    kinds = {link["kind"] for p in truth for link in p["related_links"]}
    assert kinds == {"inline", "card"}
    times = [datetime.fromisoformat(p["published_at"]) for p in truth]
    assert times == sorted(times, reverse=True)
    assert all(t.utcoffset() is not None for t in times)


def test_build_site_is_deterministic() -> None:
    one, two = build_site(BASE), build_site(BASE)
    assert one.keys() == two.keys()
    assert all(one[k] == two[k] for k in one)
    other = build_site("http://127.0.0.1:9999")
    assert other.keys() == one.keys()
    assert BASE.encode() not in b"".join(r.body for r in other.values())


def test_absolute_urls_point_at_the_base(routes: dict[str, Route]) -> None:
    for path, route in routes.items():
        if not route.content_type.startswith(("text/", "application/")):
            continue
        for url in re.findall(r'(?:href|src|url)="?(https?://[^"\'<> )]+)', route.body.decode()):
            assert url.startswith(BASE) or url.startswith(EXTERNAL_OK), (path, url)


@pytest.mark.parametrize("index", range(12))
def test_wix_post_markup(routes: dict[str, Route], truth: list[dict[str, Any]], index: int) -> None:
    post = _wix(truth)[index]
    html, tree = _page(routes, post["url"])
    assert '<meta name="generator" content="Wix.com Website Builder"/>' in html[:400]
    assert html.index("<title>") > 20_000  # the inline bulk comes before the SEO tags
    assert _one(tree, "title").text() == f"{post['title']} | Riverbend Clay Studio"
    assert _one(tree, 'link[rel="canonical"]').attributes["href"] == post["url"]
    assert _meta(tree, "og:title") == post["title"]
    assert _meta(tree, "og:url") == post["url"]
    assert _meta(tree, "og:image") == post["image"]
    assert _meta(tree, "og:type") == "article"
    assert _meta(tree, "article:author") == post["authors"][0]["name"]
    published = datetime.fromisoformat(_meta(tree, "article:published_time") or "")
    assert published == datetime.fromisoformat(post["published_at"])
    assert _meta(tree, "article:modified_time") is not None
    feed = _one(tree, 'link[rel="alternate"][type="application/rss+xml"]')
    assert feed.attributes["href"] == f"{BASE}/blog-feed.xml"

    ld = json.loads(_one(tree, 'script[type="application/ld+json"]').text())
    assert ld["@type"] == "BlogPosting"
    assert datetime.fromisoformat(ld["datePublished"]) == published
    assert datetime.fromisoformat(ld["dateModified"]) == datetime.fromisoformat(post["updated_at"])
    assert ld["headline"] == post["title"]
    people = ld["author"] if isinstance(ld["author"], list) else [ld["author"]]
    assert [{"name": p["name"], "url": p["url"]} for p in people] == post["authors"]
    assert all(re.fullmatch(rf"{BASE}/profile/[0-9a-f-]{{36}}/profile", p["url"]) for p in people)
    assert ld["image"]["url"] == post["image"] and ld["publisher"]["@type"] == "Organization"

    text = _one(tree, "#SITE_CONTAINER").text()  # the visible page (scripts sit before it)
    assert text.strip().startswith("top of page") and text.strip().endswith("bottom of page")
    article = _one(tree, '[data-hook="post-page"] > div > article[data-hook="post"]')
    assert len(article.css('[data-hook="post-title"]')) == 2  # wrapper div + h1
    title = _one(article, 'div[data-hook="post-title"] > h1[data-hook="post-title"]')
    assert _one(title, "span.post-title__text").text() == post["title"]
    avatar = article.css_first('a[data-hook="profile-link"] img')
    assert avatar is not None and avatar.attributes["alt"] == "Writer's picture"
    name = _one(article, 'a[data-hook="profile-link"] span[data-hook="user-name"]')
    assert name.text() == post["authors"][0]["name"]
    assert "Writer:" + post["authors"][0]["name"] in article.text().replace("\n", "")
    date = _one(article, 'span.post-metadata__date.time-ago[data-hook="time-ago"]')
    assert date.text() == date.attributes["title"] == post["shown_date"]
    read = article.css('span[data-hook="time-to-read"]')
    if post["reading_time_minutes"] is None:
        assert read == []
    else:
        assert [r.text() for r in read] == [f"{post['reading_time_minutes']} min read"]
    assert tree.css_first("time") is None  # Wix has no <time datetime> in the header

    viewer = _one(article, '[data-hook="post-description"] div[data-id="content-viewer"]')
    markers = viewer.css('div[data-hook^="rcv-block"]')
    assert markers[0].attributes["data-hook"] == "rcv-block-first"
    assert markers[-1].attributes["data-hook"] == "rcv-block-last"
    for marker in markers[1:-1]:
        assert marker.text() == "" and marker.attributes["type"]
        block = marker.prev
        assert block is not None and (block.attributes.get("id") or "").startswith("viewer-")
    headings = [
        {"text": h.text(), "level": int((h.tag or "h0")[1])}
        for h in viewer.css("h1, h2, h3, h4, h5, h6")
    ]
    assert headings == post["headings"]
    assert _related(viewer) == [(r["text"], r["url"], r["kind"]) for r in post["related_links"]]
    assert _products(viewer) == [
        (p["name"], "$" + p["price"], p["url"], p["cta"]) for p in post["products"]
    ]
    images = [
        (i.attributes["src"], i.attributes["alt"])
        for i in viewer.css('[data-hook="imageViewer"] img')
    ]
    assert images == [(i["src"], i["alt"]) for i in post["images"]]
    assert viewer.css_first("wow-image") is not None or not post["images"]

    footer = _one(article, '#post-footer[data-hook="post-footer"]')
    assert len(footer.css('[data-hook^="share-button__"]')) >= 3
    tags = footer.css('a[href*="/blog/tags/"]')
    assert [t.text() for t in tags] == post["tags"]
    recent = _one(tree, '[data-hook="recent-posts"]')
    assert len(recent.css('article[data-hook="post-list-item"]')) == 3
    assert tree.css_first('[data-hook="comments-root"]') is not None
    for snippet in post["paragraphs"]:
        assert snippet in viewer.text()
    for snippet in post["excluded_text"]:
        assert snippet not in viewer.text() and snippet in text


def _related(viewer: LexborNode) -> list[tuple[str, str, str]]:
    """Links to sample posts in reading order (inline links and link-preview cards)."""
    out = []
    for node in viewer.css('a[data-hook="linkViewer"], figure[data-hook="linkPreviewViewer"]'):
        if node.tag == "a":
            href = node.attributes["href"] or ""
            if href.startswith(BASE):  # external links are not related links
                out.append((node.text(), href, "inline"))
        else:
            anchor = node.parent
            assert anchor is not None and anchor.tag == "a"
            caption = _one(node, "figcaption")
            assert node.text().startswith("127.0.0.1:8765")  # the host line
            out.append((caption.text(), anchor.attributes["href"] or "", "card"))
    return out


def _products(viewer: LexborNode) -> list[tuple[str, str, str, str]]:
    out = []
    for embed in viewer.css('div[data-hook="vertical-embed"]'):
        link = _one(embed, "a[href]")
        _one(link, ".vertical-embed-card")
        title = _one(link, ".vertical-embed-title").text()
        price = re.search(r"\$\d+\.\d\d", link.text())
        assert price is not None
        _one(link, ".vertical-embed-button")
        button = _one(link, ".vertical-embed-buttonText").text()
        out.append((title, price.group(0), link.attributes["href"] or "", button))
    return out


def test_wordpress_post_markup(routes: dict[str, Route], truth: list[dict[str, Any]]) -> None:
    (post,) = [p for p in truth if p["platform"] == "wordpress"]
    assert re.fullmatch(rf"{BASE}/\d{{4}}/\d\d/\d\d/[a-z-]+/", post["url"])
    html, tree = _page(routes, post["url"])
    assert "Wix.com" not in html
    assert _one(tree, "h1.entry-title").text() == post["title"]
    author = _one(tree, ".entry-meta .author.vcard a[rel=author]")
    assert [{"name": author.text(), "url": author.attributes["href"]}] == post["authors"]
    published = _one(tree, "time.entry-date.published").attributes["datetime"] or ""
    assert datetime.fromisoformat(published) == datetime.fromisoformat(post["published_at"])
    assert published == post["published_at"]  # a real offset, not UTC
    graph = json.loads(_one(tree, "script.yoast-schema-graph").text())["@graph"]
    article = next(node for node in graph if node["@type"] == "Article")
    assert article["datePublished"] == post["published_at"]
    content = _one(tree, ".entry-content")
    assert content.css_first(".sharedaddy") is not None
    own = content.css(".entry-content > h2, .entry-content > h3")  # not the Jetpack "Share this:"
    assert [h.text() for h in own] == [h["text"] for h in post["headings"]]
    assert _one(content, ".sharedaddy h3").text() == "Share this:"
    inline = [
        (a.text(), a.attributes["href"])
        for a in content.css("a")
        if (a.attributes["href"] or "").startswith(BASE)
    ]
    assert inline == [(r["text"], r["url"]) for r in post["related_links"]]
    assert tree.css_first("#comments") is not None
    assert content.css_first("#comments") is None  # comments follow the content
    tags = [a.text() for a in tree.css(".entry-footer a")]
    assert tags == post["tags"]
    assert tree.css_first("html").attributes["lang"] == post["language"]  # type: ignore[union-attr]


def test_plain_post_markup(routes: dict[str, Route], truth: list[dict[str, Any]]) -> None:
    (post,) = [p for p in truth if p["platform"] == "generic"]
    html, tree = _page(routes, post["url"])
    for marker in ("generator", "data-hook", "wp-", "ld+json", "og:"):
        assert marker not in html
    assert _one(tree, "article h1").text() == post["title"]
    stamp = _one(tree, "article time[datetime]").attributes["datetime"] or ""
    assert datetime.fromisoformat(stamp) == datetime.fromisoformat(post["published_at"])
    assert post["updated_at"] is None and post["canonical_url"] is None
    assert [h.text() for h in tree.css("article h2")] == [h["text"] for h in post["headings"]]
    assert len(tree.css("article p")) >= 4


def test_expected_posts_follow_the_base_url() -> None:
    other = expected_posts("http://127.0.0.1:9/")
    assert all(p["url"].startswith("http://127.0.0.1:9/") for p in other)
    assert other[0]["site"] == "http://127.0.0.1:9"


def test_relative_dates_fit_sample_now(truth: list[dict[str, Any]]) -> None:
    ages = {p["shown_date"]: SAMPLE_NOW - datetime.fromisoformat(p["published_at"]) for p in truth}
    assert round(ages["5 hours ago"].total_seconds() / 3600) == 5
    assert ages["yesterday"].days == 1
    assert round(ages["3 days ago"].total_seconds() / 86400) == 3


def test_public_names_match_all() -> None:
    import scraper.sample as sample

    modules = {"annotations", "content", "route", "server", "site", "truth"}
    public = {name for name in vars(sample) if not name.startswith("_")} - modules
    assert public == set(sample.__all__)

"""One parse of an HTML page for everything discovery needs from it.

Links, pagination, feed links, platform hints and "is this a post?" evidence
(``og:type=article``, JSON-LD ``BlogPosting``/``Article``) all come from one
selectolax tree, so the crawl parses each page once for discovery.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from selectolax.lexbor import LexborHTMLParser

from ..errors import ExtractionError
from ..extract._decode import decode_page, limit_nesting, may_nest_deeper
from ..urls import Scope, UrlKind, classify_url, looks_like_html, try_normalize

__all__ = ["Evidence", "HtmlPage", "is_post_page"]

ARTICLE_TYPES = frozenset(
    {"BlogPosting", "Article", "NewsArticle", "TechArticle", "ScholarlyArticle", "Report"}
)
COLLECTION_TYPES = frozenset({"CollectionPage", "ItemList", "Blog", "SearchResultsPage"})
_JSONLD_TYPE = re.compile(r'"@type"\s*:\s*(?:"([^"]+)"|\[([^\]]*)\])')
_MICRODATA = ", ".join(
    f'[itemtype$="schema.org/{t}"]' for t in ("BlogPosting", "Article", "NewsArticle")
)
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")

# Pagination controls (see ../shared/platforms/MARKUP.md "Lists of posts").
_NEXT_SELECTORS = (
    'link[rel~="next"]',
    'a[rel~="next"]',
    'a[data-hook="pagination__next"]',
    '[data-hook="feed-pagination-container"] a[href]',
    "a.next",
    "a.next.page-numbers",
    ".nav-previous a",
    "a.blog-pager-older-link",
    ".older-posts a",
    "a.older-posts",
    ".pagination a",
    "nav.pagination a",
)
# Where list pages put links to their posts.
_ITEM_SELECTORS = (
    "article a[href]",
    '[data-hook="post-list-item"] a[href]',
    '[data-hook="post-title"] a[href]',
    ".post-title a[href]",
    ".entry-title a[href]",
    "h2 a[href]",
    "h3 a[href]",
)
_PAGINATION_HREF = re.compile(r"/page/?\d+/?$|[?&](?:page|paged)=\d+")


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a page says about itself. ``microdata`` counts article items (Blogger);
    ``dated_article`` is one ``<article>`` holding an ``h1`` and a ``<time datetime>``."""

    og_type: str | None
    jsonld_types: frozenset[str] = frozenset()
    published_meta: bool = False  # article:published_time / itemprop=datePublished in head
    microdata: int = 0
    dated_article: bool = False

    @property
    def article(self) -> bool:
        if self.og_type == "article":
            return True
        if self.collection:
            return False
        if self.jsonld_types & ARTICLE_TYPES:
            return True
        return self.published_meta or self.microdata == 1 or self.dated_article

    @property
    def collection(self) -> bool:
        return bool(self.jsonld_types & COLLECTION_TYPES)


class HtmlPage:
    """Lazy views over one parsed page; ``url`` is the page's final (normalised) URL."""

    def __init__(self, body: bytes | str, url: str) -> None:
        # A page that cannot nest too deep goes to the parser as it is; others are
        # flattened first, as the extractor does, because tree building is quadratic in
        # nesting depth (100,000 levels took 23 s).
        if isinstance(body, bytes) and not may_nest_deeper(body):
            self.tree = LexborHTMLParser(body, encoding=True)
        else:
            try:
                text = decode_page(body, url)[0]
            except ExtractionError:  # binary garbage: nothing to discover in it
                text = ""
            self.tree = LexborHTMLParser(limit_nesting(text))
        self.url = url

    @cached_property
    def base(self) -> str:
        node = self.tree.css_first("base[href]")
        href = node.attributes.get("href") if node is not None else None
        if href:
            resolved = try_normalize(href, self.url)
            if resolved:
                return resolved
        return self.url

    def _resolve(self, hrefs: list[str | None], scope: Scope) -> list[str]:
        out: dict[str, None] = {}
        base = self.base
        for href in hrefs:
            if not href:
                continue
            url = try_normalize(href, base)
            if url and scope.on_site(url) and looks_like_html(url):
                out[url] = None
        return list(out)

    def links(self, scope: Scope) -> list[str]:
        """Every in-site link to something that may be an HTML page, in page order."""
        return self._resolve([n.attributes.get("href") for n in self.tree.css("a[href]")], scope)

    def next_pages(self, scope: Scope) -> list[str]:
        """Pagination targets: rel=next, Wix pagination hooks, WordPress/Blogger older-posts
        links and any in-site link shaped like ``/page/N`` or ``?page=N``."""
        hrefs: list[str | None] = []
        for selector in _NEXT_SELECTORS:
            hrefs.extend(n.attributes.get("href") for n in self.tree.css(selector))
        for node in self.tree.css("a[href]"):
            href = node.attributes.get("href")
            if href and _PAGINATION_HREF.search(href):
                hrefs.append(href)
        return [u for u in self._resolve(hrefs, scope) if u != self.url]

    def post_links(self, scope: Scope) -> list[tuple[str, UrlKind]]:
        """Links that may be posts: URLs shaped like posts anywhere on the page, plus
        links inside list items/headings whose shape is unknown (evidence decides later)."""
        found: dict[str, UrlKind] = {}
        for url in self.links(scope):
            if classify_url(url) == "post":
                found[url] = "post"
        hrefs: list[str | None] = []
        for selector in _ITEM_SELECTORS:
            hrefs.extend(n.attributes.get("href") for n in self.tree.css(selector))
        for url in self._resolve(hrefs, scope):
            if url not in found and url != self.url and classify_url(url) == "unknown":
                found[url] = "unknown"
        return list(found.items())

    def feed_links(self, scope: Scope) -> list[str]:
        hrefs: list[str | None] = []
        for node in self.tree.css('link[rel~="alternate"][href]'):
            kind = (node.attributes.get("type") or "").lower()
            if kind.startswith(_FEED_TYPES[:2]):
                hrefs.append(node.attributes.get("href"))
        out: list[str] = []
        for href in hrefs:
            url = try_normalize(href or "", self.base)
            if url and scope.on_site(url) and url not in out:
                out.append(url)
        return out

    def canonical(self) -> str | None:
        node = self.tree.css_first('link[rel~="canonical"][href]')
        href = node.attributes.get("href") if node is not None else None
        return try_normalize(href, self.base) if href else None

    @cached_property
    def evidence(self) -> Evidence:
        og = self.tree.css_first('meta[property="og:type"]')
        og_type = (og.attributes.get("content") or "").strip().lower() if og is not None else ""
        types: set[str] = set()
        for script in self.tree.css('script[type="application/ld+json"]'):
            for single, many in _JSONLD_TYPE.findall(script.text(deep=True)):
                if single:
                    types.add(single.rsplit("/", 1)[-1])
                for name in re.findall(r'"([^"]+)"', many):
                    types.add(name.rsplit("/", 1)[-1])
        tree = self.tree
        published = tree.css_first(
            'meta[property="article:published_time"], head meta[itemprop="datePublished"]'
        )
        microdata = len(tree.css(_MICRODATA))
        articles = tree.css("article")
        dated = len(articles) == 1 and (
            articles[0].css_first("h1") is not None
            and articles[0].css_first("time[datetime]") is not None
        )
        return Evidence(og_type or None, frozenset(types), published is not None, microdata, dated)

    def platform(self) -> str | None:
        """A platform hint: wix, wordpress, ghost, blogger, squarespace, substack, hugo, jekyll."""
        gen = self.tree.css_first('meta[name="generator"]')
        content = (gen.attributes.get("content") or "").lower() if gen is not None else ""
        for needle, name in (
            ("wix", "wix"),
            ("wordpress", "wordpress"),
            ("ghost", "ghost"),
            ("blogger", "blogger"),
            ("hugo", "hugo"),
            ("jekyll", "jekyll"),
            ("squarespace", "squarespace"),
        ):
            if needle in content:
                return name
        html = self.tree.html or ""
        head = html[:200_000]
        if "static.parastorage.com" in head or "static.wixstatic.com" in head:
            return "wix"
        if "/wp-content/" in head or "/wp-includes/" in head:
            return "wordpress"
        if "squarespace.com" in head:
            return "squarespace"
        if "substackcdn.com" in head:
            return "substack"
        return None


def is_post_page(item_kind: str, url_kind: UrlKind, evidence: Evidence) -> bool:
    """Post or not, from what discovery believed, the URL's shape and the page itself.

    List-shaped URLs are never posts; post-shaped URLs are; otherwise the page must
    say so (``og:type=article`` / JSON-LD article), or discovery listed it as a post
    (post sitemap, feed) and the page does not describe itself as a collection.
    """
    if url_kind == "list":
        return False
    if url_kind == "post" or evidence.article:
        return True
    return item_kind == "post" and not evidence.collection and evidence.og_type != "website"

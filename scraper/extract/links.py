"""Which links point to other posts of the same blog, and inline link-preview cards."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from selectolax.lexbor import LexborNode

from ._blocks import Special, escape
from ._document import Document, node_text
from ._walk import css, css_first

__all__ = [
    "CARD_SELECTORS",
    "PostUrls",
    "find_cards",
    "is_post_url",
    "normalise_url",
    "same_site",
]

_NOT_POST = re.compile(
    r"/(?:tags?|category|categories|categorie|kategorie|label|labels|topics?|author|authors|"
    r"profile|profiles|members?|users?|product-page|products?|shop|store|cart|checkout|"
    r"search|feed|rss|wp-content|wp-admin|wp-includes|wp-json|wp-login\.php|login|"
    r"signup|subscribe|account|about|contact|privacy|terms|impressum|datenschutz|archive|"
    r"archives|page|comments?|share|amp|embed|@[^/]+/?$)(?:/|$)",
    re.I,
)
_ASSET = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|pdf|zip|mp3|mp4|css|js|xml|json|ico)$", re.I)
_POST_PATH = (
    re.compile(r"/(?:post|posts|single-post|blog|blog-\d+|articles?|news|stories|story|p)/[^/]+"),
    re.compile(r"/(?:19|20)\d\d/(?:0?[1-9]|1[0-2])/(?:[0-3]?\d/)?[^/]+"),
    re.compile(r"\.html?$"),
    re.compile(r"-[0-9a-f]{10,12}$"),  # Medium story ids
)


def normalise_url(url: str) -> str:
    """Drop the fragment, lowercase scheme and host."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, ""))


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def same_site(url: str, page_url: str, aliases: frozenset[str] = frozenset()) -> bool:
    """Same host as ``page_url`` (``www.`` ignored) or one of ``aliases``."""
    host = _host(url)
    return bool(host) and (host == _host(page_url) or host in aliases)


def is_post_url(
    url: str, page_url: str, canonical: str | None = None, aliases: frozenset[str] = frozenset()
) -> bool:
    """True when ``url`` looks like another post of the blog ``page_url`` belongs to."""
    return PostUrls(page_url, canonical, aliases)(url)


class PostUrls:
    """:func:`is_post_url` for many links of one page (the page's hosts and paths are
    parsed once)."""

    def __init__(
        self, page_url: str, canonical: str | None = None, aliases: frozenset[str] = frozenset()
    ) -> None:
        hosts = {_host(page_url), *aliases}
        if canonical:
            hosts.add(_host(canonical))
        hosts.discard("")
        self._hosts = hosts
        self._own_paths = [urlsplit(own).path.rstrip("/") for own in (page_url, canonical) if own]

    def __call__(self, url: str) -> bool:
        if not url.startswith(("http://", "https://")):
            return False
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if (host[4:] if host.startswith("www.") else host) not in self._hosts:
            return False
        path = parts.path.rstrip("/")
        if not path or _ASSET.search(path) or _NOT_POST.search(path + "/"):
            return False
        if path in self._own_paths:
            return False
        if any(p.search(path) for p in _POST_PATH):
            return True
        last = path.rsplit("/", 1)[-1]
        return len(last) >= 8 and (last.count("-") >= 2 or last.count("_") >= 2)


_CARD_SELECTORS = (
    'figure[data-hook="linkPreviewViewer"]',
    '[data-hook="linkPreviewViewer"]',
    "blockquote.wp-embedded-content",
    "figure.wp-block-embed.is-type-wp-embed",
    ".kg-bookmark-card",
    ".embedded-post-wrap",
    ".digest-post-embed",
    ".graf--mixtapeEmbed",
    ".mixtapeEmbed",
    ".sqs-block-summary-v2 .summary-item",
)
CARD_SELECTORS = ", ".join(_CARD_SELECTORS)
_CARD_TITLE = (
    "figcaption",
    ".kg-bookmark-title",
    ".embedded-post-title",
    ".summary-title",
    "strong",
    "h2, h3, h4, h5",
)


def _wrapping_anchor(node: LexborNode) -> LexborNode | None:
    """The ``<a>`` around a card (Wix wraps the preview figure in its link)."""
    parent = node.parent
    for _ in range(2):
        if parent is None:
            return None
        if parent.tag == "a" and parent.attributes.get("href"):
            return parent
        parent = parent.parent
    return None


def _card(node: LexborNode, doc: Document) -> tuple[str, str] | None:
    anchor = node if node.tag == "a" else css_first(node, "a[href]")
    if anchor is None:
        anchor = _wrapping_anchor(node)
    if anchor is None:
        return None
    url = doc.absolute(anchor.attributes.get("href"))
    if url is None:
        return None
    title = ""
    for selector in _CARD_TITLE:
        found = css_first(node, selector)
        if found is not None:
            # figcaption of a Wix card holds the title first, then host/description
            first = css_first(found, "h1, h2, h3, h4, h5, div, span, p")
            title = node_text(first) or node_text(found)
            if title:
                break
    title = title or node_text(anchor) or url
    return title[:300], url


def find_cards(root: LexborNode, doc: Document) -> dict[int, Special]:
    """Link-preview cards under ``root``, keyed by node ``mem_id``."""
    found: dict[int, Special] = {}
    if css_first(root, CARD_SELECTORS) is None:
        return found
    claimed: set[int] = set()
    for selector in _CARD_SELECTORS:
        for node in css(root, selector):
            mem = node.mem_id
            if mem in claimed:
                continue
            card = _card(node, doc)
            if card is None:
                continue
            for inner in css(node, "*"):
                claimed.add(inner.mem_id)
            claimed.add(mem)
            title, url = card
            outer = _wrapping_anchor(node) or node
            found[outer.mem_id] = Special(f"[{escape(title)}]({url})", title, (title, url))
    return found

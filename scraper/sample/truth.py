"""What an extractor should find on each sample post, derived from the same source data.

``expected_posts(base_url)`` returns one plain dict per post, newest first (the order of the feed
pages and the RSS feed). Keys follow ../shared/contract/post.schema.json where they overlap:

- ``url``, ``canonical_url`` (None for the plain page, which declares none), ``site``,
  ``platform`` ("wix", "wordpress", "generic"), ``title`` (no site suffix), ``description``
- ``authors``: ``[{"name", "url"}]``; Wix: ``<base>/profile/<id>/profile`` (the two-author
  post shows only the first writer in its byline; JSON-LD lists both); WordPress:
  ``<base>/author/<slug>/``; plain page: url None
- ``published_at`` / ``updated_at``: ISO 8601 with offset (``datetime.isoformat()``), as the page's
  machine-readable dates say (JSON-LD / ``article:*`` / ``<time datetime>``); the plain page has no
  modified date. ``published_precision`` is "exact" everywhere. ``shown_date`` is the visible
  text ("5 hours ago", "yesterday", "3 days ago", "Aug 11, 2023"...), frozen in the data.
- ``reading_time_minutes``: as shown ("4 min read" -> 4), None when the page shows none
- ``language``; ``tags``: display names in the order the page shows them (WordPress: the
  category, then the tags; compare as a set if your source orders them differently);
  ``image``: the lead image (og:image), absolute
- ``headings``: ``[{"text", "level"}]`` in body order
- ``related_links``: ``[{"text", "url", "kind", "section"}]`` in reading order; links to other
  posts of the blog only (external links and product cards are not related links). ``kind`` is
  "inline" for ``a[data-hook=linkViewer]``/plain anchors, "card" for link-preview cards (text =
  the card's title).
  ``section`` indexes the body split at headings (0 = the lead part before the first heading).
- ``products``: ``[{"name", "price", "currency", "url", "cta"}]`` (price "7.50", free "0.00";
  image and description are not part of the truth)
- ``images``: body images ``[{"src", "alt", "caption"}]`` (not the lead/thumbnail image)
- ``paragraphs``: visible text of the body's paragraphs, list items and quotes, in order
- ``excluded_text``: page text that must not end up in the body (navigation, widgets, comments)
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ._markup import inline_links, inline_text, media_url
from ._other_posts import WORDPRESS_LANGUAGE
from .content import (
    Blank,
    Heading,
    LinkCard,
    ListBlock,
    Para,
    Picture,
    ProductCards,
    Quote,
    SiteContent,
    SourcePost,
    load_content,
)

__all__ = ["SAMPLE_NOW", "expected_post", "expected_posts"]

#: The moment the relative dates ("5 hours ago", "yesterday", "3 days ago") were written for;
#: pass it as ``fetched_at`` to resolve them the way the data intends.
SAMPLE_NOW = datetime(2024, 6, 12, 15, 0, tzinfo=UTC)

_PLATFORM = {"wix": "wix", "wordpress": "wordpress", "plain": "generic"}
_EXCLUDED = {
    "wix": [
        "top of page",
        "bottom of page",
        "Recent Posts",
        "See All",
        "Write a comment",
        "Thank you for writing this up",
        "Proudly created with",
        "Log In",
    ],
    "wordpress": [
        "Skip to content",
        "Share this:",
        "Post navigation",
        "Leave a Reply",
        "Brilliant news, see you on",
        "Proudly powered by WordPress",
    ],
    "plain": ["Kiln-room notes from"],
}


def _authors(base_url: str, site: SiteContent, post: SourcePost) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for writer in site.writers_of(post):
        if post.platform == "wix":
            url: str | None = base_url + writer.profile_path
        elif post.platform == "wordpress":
            url = base_url + writer.author_path
        else:
            url = None
        out.append({"name": writer.name, "url": url})
    return out


def _body(base_url: str, site: SiteContent, post: SourcePost) -> dict[str, Any]:
    headings: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    products: list[dict[str, Any]] = []
    images: list[dict[str, Any]] = []
    paragraphs: list[str] = []
    blocks = post.blocks
    first = next((i for i, b in enumerate(blocks) if isinstance(b, Heading)), len(blocks))
    has_lead = any(not isinstance(b, Blank) for b in blocks[:first])
    for block in blocks:
        if isinstance(block, Heading):
            headings.append({"text": inline_text(block.text), "level": block.level})
        section = len(headings) if has_lead else max(len(headings) - 1, 0)
        texts: list[str] = []
        if isinstance(block, Para | Quote):
            texts = [block.text]
        elif isinstance(block, ListBlock):
            texts = list(block.items)
        paragraphs += [inline_text(t) for t in texts]
        for text in texts:
            for link in inline_links(text):
                if link.post_slug is not None:
                    url = base_url + site.post(link.post_slug).path
                    links.append(
                        {"text": link.text, "url": url, "kind": "inline", "section": section}
                    )
        if isinstance(block, LinkCard):
            target = site.post(block.slug)
            links.append(
                {
                    "text": target.title,
                    "url": base_url + target.path,
                    "kind": "card",
                    "section": section,
                }
            )
        elif isinstance(block, ProductCards):
            for slug in block.slugs:
                product = site.products[slug]
                products.append(
                    {
                        "name": product.name,
                        "price": product.price,
                        "currency": "USD",
                        "url": base_url + product.path,
                        "cta": "Buy Now",
                    }
                )
        elif isinstance(block, Picture):
            images.append(
                {"src": media_url(base_url, block.seed), "alt": block.alt, "caption": block.caption}
            )
    return {
        "headings": headings,
        "related_links": links,
        "products": products,
        "images": images,
        "paragraphs": paragraphs,
    }


def expected_post(base_url: str, site: SiteContent, post: SourcePost) -> dict[str, Any]:
    base = base_url.rstrip("/")
    url = base + post.path
    body = _body(base, site, post)
    modified = post.modified
    return {
        "url": url,
        "canonical_url": None if post.platform == "plain" else url,
        "site": base,
        "platform": _PLATFORM[post.platform],
        "title": post.title,
        "description": post.description,
        "authors": _authors(base, site, post),
        "published_at": post.published.isoformat(),
        "published_precision": "exact",
        "updated_at": modified.isoformat() if modified else None,
        "shown_date": post.shown_date,
        "reading_time_minutes": post.read_minutes,
        "language": WORDPRESS_LANGUAGE if post.platform == "wordpress" else site.language,
        "tags": list(post.tags),
        "image": media_url(base, post.image) if post.image else None,
        "headings": body["headings"],
        "related_links": body["related_links"],
        "products": body["products"],
        "images": body["images"],
        "paragraphs": body["paragraphs"],
        "excluded_text": list(_EXCLUDED[post.platform]),
    }


def expected_posts(base_url: str) -> list[dict[str, Any]]:
    """The truth for every sample post, newest first."""
    site = load_content()
    return [expected_post(base_url, site, post) for post in site.posts]

"""WordPress (classic and block themes, Yoast, Jetpack)."""

from __future__ import annotations

from .._document import Document
from ._base import Adapter, generator_is, has_marker

__all__ = ["ADAPTER"]


def _detect(doc: Document, html: str) -> bool:
    return (
        generator_is(doc, "wordpress")
        or ("/wp-" in html and has_marker(html, "/wp-content/", "/wp-includes/"))
        or "https://api.w.org/" in html
    )


ADAPTER = Adapter(
    name="wordpress",
    detect=_detect,
    title=("h1.entry-title", "h1.wp-block-post-title", "h1.post-title", "article h1"),
    author=(
        ".entry-author [itemprop=name]",
        ".author.vcard .fn",
        "span.author.vcard",
        ".wp-block-post-author-name",
        "a[rel=author]",
        ".byline .author",
    ),
    date=(
        "time.entry-date.published",
        "time.published",
        ".wp-block-post-date time",
        "time.entry-date",
        "time.entry-published",
    ),
    reading_time=(".rt-reading-time", ".span-reading-time", ".reading-time"),
    body=(".entry-content", ".wp-block-post-content"),
    weak_body=(".post-content", "article .content"),
    cut=(
        ".sharedaddy",
        "#jp-relatedposts",
        ".jp-relatedposts",
        "#comments",
        ".comments-area",
        ".comment-respond",
        ".yarpp-related",
        ".crp_related",
        ".author-box",
        ".saboxplugin-wrap",
        ".wp-block-latest-posts",
        ".addtoany_share_save_container",
        ".post-tags",
        ".entry-footer",
    ),
    tags=("a[rel~=tag]", ".tags-links a", ".post-tags a"),
    trust_jsonld_date=False,
)

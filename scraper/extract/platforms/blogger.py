"""Blogger / Blogspot (classic layouts and Google company blogs)."""

from __future__ import annotations

from .._document import Document
from ._base import Adapter, generator_is, has_marker

__all__ = ["ADAPTER"]


def _detect(doc: Document, html: str) -> bool:
    return generator_is(doc, "blogger") or has_marker(html, "www.blogger.com/static", ".blogspot.")


ADAPTER = Adapter(
    name="blogger",
    detect=_detect,
    title=("h3.post-title", "h1.post-title", ".post h2.title", "h2.post-title", ".entry-title"),
    author=(
        ".post-author .fn [itemprop=name]",
        ".post-author .fn",
        ".byline.post-author",
        ".byline-author",
        ".g-profile",
    ),
    date=("abbr.published", "time.published", ".publishdate", "h2.date-header"),
    body=(".post-body.entry-content", ".post-body", "[itemprop=articleBody]"),
    weak_body=(".post-content",),
    cut=(".post-share-buttons", ".post-footer", "#comments", ".blog-pager", ".share-button"),
    tags=(".post-labels a", ".labels a", "a[rel~=tag]"),
)

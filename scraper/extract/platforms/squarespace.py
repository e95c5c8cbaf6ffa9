"""Squarespace (7.0 and 7.1 blog templates)."""

from __future__ import annotations

from .._document import Document
from ._base import Adapter, has_marker

__all__ = ["ADAPTER"]


def _detect(doc: Document, html: str) -> bool:
    # (every marker holds "quarespace": one scan of the hints rules most pages out)
    return "quarespace" in html and has_marker(
        html, "static1.squarespace.com", "squarespace-cdn.com", "This is Squarespace"
    )


ADAPTER = Adapter(
    name="squarespace",
    detect=_detect,
    title=(".blog-item-title .entry-title", "h1.entry-title", "h2.entry-title", "article h1"),
    author=(".blog-author-name", ".blog-meta-item--author", "a[rel=author]", "span.author"),
    date=("time.published", "time.dt-published", ".blog-meta-item--date"),
    body=(
        ".blog-item-content.e-content",
        ".blog-item-content",
        "article.hentry .sqs-layout",
    ),
    weak_body=(".entry-content",),
    cut=(
        ".blog-item-sidebar",
        "article.entry--related",
        ".sqs-block-summary-v2:not(.sqs-block-summary-v2 *)",
        ".blog-item-comments",
        ".squarespace-comments",
        ".sqs-block-socialaccountlinks",
        ".sqs-block-newsletter",
    ),
    # 7.1: tag wrappers; 7.0 templates: category links, then tags as a[rel=tag]
    tags=(
        ".blog-item-tag-wrapper a",
        ".blog-meta-item--tags a",
        ".blog-categories a",
        "a[rel~=tag]",
    ),
)

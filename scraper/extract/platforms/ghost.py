"""Ghost (Casper and custom themes)."""

from __future__ import annotations

from .._document import Document
from ._base import Adapter, generator_is

__all__ = ["ADAPTER"]


def _detect(doc: Document, html: str) -> bool:
    return generator_is(doc, "ghost")


ADAPTER = Adapter(
    name="ghost",
    detect=_detect,
    title=("h1.article-title", "h1.post-full-title", "h1.post-title", "article h1"),
    author=(".article-byline .author-name a", ".author-name", ".post-meta a.author", "a.author"),
    date=("time.byline-meta-date", "time.post-full-meta-date", "time.date", "article time"),
    reading_time=(".byline-reading-time", ".reading-time"),
    body=("section.gh-content", ".gh-content", ".post-full-content"),
    weak_body=(".post-content",),
    cut=(".read-more-wrap", ".comments", "#comments", ".subscribe-form", ".post-share"),
    tags=(".article-tag a", ".post-tags a", "a[rel~=tag]"),
)

"""Hugo sites (themes differ; the internal templates emit standard meta tags)."""

from __future__ import annotations

from .._document import Document
from ._base import Adapter, generator_is

__all__ = ["ADAPTER"]


def _detect(doc: Document, html: str) -> bool:
    return generator_is(doc, "hugo")


ADAPTER = Adapter(
    name="hugo",
    detect=_detect,
    title=("article h1", "h1.post-title", "h1.title", "h1"),
    author=(".blog-author a", ".byline-author", ".post-author", ".author", "[rel=author]"),
    date=("time[datetime]", ".post-date", ".date"),
    reading_time=(".byline-metadata", ".reading-time", ".post-meta"),
    body=(".post-content", ".article-content"),
    weak_body=(".content article", "article .content", "article"),
)

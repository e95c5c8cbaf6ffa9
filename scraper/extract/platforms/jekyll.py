"""Jekyll sites (jekyll-seo-tag; minima-like themes)."""

from __future__ import annotations

from .._document import Document
from ._base import Adapter, generator_is, has_marker

__all__ = ["ADAPTER"]


def _detect(doc: Document, html: str) -> bool:
    return generator_is(doc, "jekyll") or has_marker(html, "Begin Jekyll SEO tag")


ADAPTER = Adapter(
    name="jekyll",
    detect=_detect,
    title=("h1.post-title", "article h1", "h1"),
    author=(".p-author", ".post-author", ".author"),
    date=("time.dt-published", "time[datetime]", ".post-date"),
    body=(".post-content.e-content", ".post-content", ".e-content"),
    weak_body=("article .content", "article"),
)

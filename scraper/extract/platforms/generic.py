"""Any other site: only generic selectors; the body comes from main-content detection."""

from __future__ import annotations

from .._document import Document
from ._base import Adapter

__all__ = ["ADAPTER"]


def _detect(doc: Document, html: str) -> bool:
    return True


ADAPTER = Adapter(
    name="generic",
    detect=_detect,
    # No descendant combinators (they cost an ancestor walk per element); a container
    # whose whole text is not a name falls back to the first link inside it.
    author=(
        '[itemprop="author"]',
        '[rel="author"]',
        ".byline__name",
        ".blog-author",
        ".post-author",
        ".author-name",
        ".entry-author",
        ".byline",
        ".author",
    ),
    date=(
        "article time[datetime]",
        "time[datetime]",
        ".byline .date",
        ".post-date",
        ".entry-date",
        ".article-date",
        ".published",
        ".dateline",
        ".date",
    ),
    reading_time=(
        '[class*="reading-time"]',
        '[class*="read-time"]',
        '[class*="readtime"]',
        '[class*="readingTime"]',
    ),
)

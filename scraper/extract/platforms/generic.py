"""Any other site: only generic selectors; the body comes from main-content detection."""

from __future__ import annotations

from .._document import Document
from ._base import Adapter

__all__ = ["ADAPTER", "READING_TIME_CLASSES"]

# Class substrings of reading-time labels (each contains "read": header.py finds them with
# one ``[class*=read]`` pass instead of one attribute-substring pass per word).
READING_TIME_CLASSES = ("reading-time", "read-time", "readtime", "readingTime")


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
    # (One group, matched in document order: "article time[datetime]" or ".byline .date"
    # would only repeat matches of "time[datetime]" and ".date", at the cost of an
    # ancestor walk per element.)
    date=(
        "time[datetime]",
        ".post-date",
        ".entry-date",
        ".article-date",
        ".published",
        ".dateline",
        ".date",
    ),
    reading_time=tuple(f'[class*="{word}"]' for word in READING_TIME_CLASSES),
)

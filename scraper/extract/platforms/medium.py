"""Medium (medium.com and custom domains; obfuscated class names)."""

from __future__ import annotations

from .._document import Document
from ._base import Adapter, has_marker

__all__ = ["ADAPTER"]


def _detect(doc: Document, html: str) -> bool:
    site = (doc.first_meta("og:site_name") or "").lower()
    # (every marker holds "medium.": one scan of the hints rules most pages out)
    return site == "medium" or (
        "medium." in html
        and has_marker(html, "cdn-images-1.medium.com", "miro.medium.com", "com.medium.reader")
    )


ADAPTER = Adapter(
    name="medium",
    detect=_detect,
    title=('[data-testid="storyTitle"]', "article h1", "h1"),
    author=('[data-testid="authorName"]', 'article a[href*="/@"]'),
    date=('[data-testid="storyPublishDate"]',),
    reading_time=('[data-testid="storyReadTime"]',),
    body=("article",),
    # Medium tags every chrome link (author avatar, publication logo) with
    # "?source=post_page…"; links written in the post never carry it.
    cut=(".graf--title-hidden", 'a[href*="source=post_page"] img'),
)

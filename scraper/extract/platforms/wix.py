"""Wix Blog: stable ``data-hook`` attributes (class names are hashed per build)."""

from __future__ import annotations

from .._document import Document
from ._base import Adapter, generator_is, has_marker

__all__ = ["ADAPTER"]


def _detect(doc: Document, html: str) -> bool:
    # (every marker holds "wix" or "parastorage": two scans of the hints rule most pages out)
    return generator_is(doc, "wix") or (
        ("wix" in html or "parastorage" in html)
        and has_marker(
            html, "static.parastorage.com", "static.wixstatic.com", 'id="wix-', "wix-essential"
        )
    )


ADAPTER = Adapter(
    name="wix",
    detect=_detect,
    title=('h1[data-hook="post-title"]', '[data-hook="post-title"]'),
    # Scoped to the post: "recent posts" widgets repeat these hooks for other posts.
    author=(
        '[data-hook="post"] [data-hook="user-name"]',
        '[data-hook="post"] a[data-hook="profile-link"]',
    ),
    date=(
        '[data-hook="post"] [data-hook="time-ago"]',
        '[data-hook="post"] [data-hook="post-publish-date"]',
    ),
    reading_time=('[data-hook="post"] [data-hook="time-to-read"]',),
    body=(
        '[data-hook="post-description"] [data-id="content-viewer"]',
        '[data-hook="post-description"] [data-id="rich-content-viewer"]',
        '[data-hook="post-description"]',
        ".post-content__body",
        'article[data-hook="post"]',
    ),
    cut=(
        '[data-hook="post-footer"]',
        "#post-footer",
        '[data-hook^="share-button"]',
        '[data-hook="recent-posts"]',
        '[data-hook="post-list-item"]',
        '[data-hook="comments"]',
    ),
    tags=('[data-hook="tag"]', 'a[href*="/blog/tags/"]', 'a[href*="/blog/hashtags/"]'),
)

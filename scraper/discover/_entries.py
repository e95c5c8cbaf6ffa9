"""The URLs one discovery source (sitemaps, a feed) lists, one entry per URL."""

from __future__ import annotations

from collections.abc import Callable

from ..urlset import UrlSet
from ._context import Found

__all__ = ["Entries"]


class Entries:
    """Kept for the source's result, or with ``emit`` handed on page by page (a sitemap, a
    feed page) and then let go: a URL already handed on is not handed on again. With
    ``post_wins`` a later entry of kind "post" replaces an earlier one (a sitemap of posts
    read after a sitemap of pages); otherwise the first entry stands."""

    def __init__(self, emit: Callable[[list[Found]], None] | None, *, post_wins: bool) -> None:
        self.emit = emit
        self.post_wins = post_wins
        self.kept: dict[str, Found] = {}
        self.handed = UrlSet()
        self.count = 0  # distinct URLs put so far

    def put(self, found: Found) -> bool:
        """Take ``found``; whether its URL is new."""
        url = found.url
        if url in self.handed:
            return False
        if url not in self.kept:
            self.count += 1
            self.kept[url] = found
            return True
        if self.post_wins and found.kind == "post":
            self.kept[url] = found
        return False

    def flush(self) -> None:
        if self.emit is not None and self.kept:
            batch = list(self.kept.values())
            self.handed.update(self.kept)
            self.kept = {}
            self.emit(batch)

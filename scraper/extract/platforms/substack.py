"""Substack (own and custom domains)."""

from __future__ import annotations

import re

from .._document import Document
from ._base import Adapter, has_marker

__all__ = ["ADAPTER"]


def _detect(doc: Document, html: str) -> bool:
    return ("substack" in html and has_marker(html, "substackcdn.com", "substack.com/api")) or (
        "window._preloads" in html
    )


_PUB = re.compile(r'(?:for_pub=|\\?"subdomain\\?":\\?")([a-z0-9-]{1,63})')


def _aliases(doc: Document, html: str) -> frozenset[str]:
    match = _PUB.search(html)
    return frozenset({f"{match.group(1)}.substack.com"}) if match else frozenset()


ADAPTER = Adapter(
    name="substack",
    detect=_detect,
    title=("h1.post-title", "article h1"),
    author=(
        ".byline-wrapper a[href*='substack.com/@']",
        ".byline-wrapper .profile-hover-card-target a",
        ".byline-wrapper a",
    ),
    # the date line is a leaf div; the flex wrappers around the avatar come first and
    # would use up the few byline nodes that are read
    date=(".byline-wrapper div.pencraft:not(.pc-display-flex)",),
    body=(".available-content .body.markup", ".body.markup", ".available-content"),
    aliases=_aliases,
    cut=(
        ".subscription-widget-wrap",
        ".subscribe-widget",
        ".post-footer",
        ".comments-page",
        # stock "Share" / "Subscribe now" / "Leave a comment" buttons in the body
        ".button-wrapper:has(a[href*='action=share'])",
        ".button-wrapper:has(a[href*='/subscribe?'])",
        ".button-wrapper:has(a[href$='/subscribe'])",
        ".button-wrapper:has(a[href$='/comments'])",
    ),
)

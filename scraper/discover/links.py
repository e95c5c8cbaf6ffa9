"""In-site links: every link on a page that stays on the site and may be an HTML page."""

from __future__ import annotations

from ..records import ItemKind
from ..urls import Scope, classify_url
from .page import HtmlPage

__all__ = ["harvest_links"]


def harvest_links(page: HtmlPage, scope: Scope) -> list[tuple[str, ItemKind]]:
    """In-site links of ``page`` with what their URL shape suggests they are."""
    return [(url, classify_url(url)) for url in page.links(scope) if url != page.url]

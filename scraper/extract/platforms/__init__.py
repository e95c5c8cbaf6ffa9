"""Platform adapters: detection plus selectors for each blog platform."""

from __future__ import annotations

from .._decode import Page
from .._document import Document
from . import blogger, generic, ghost, hugo, jekyll, medium, squarespace, substack, wix, wordpress
from ._base import Adapter

__all__ = ["ADAPTERS", "Adapter", "GENERIC", "detect_platform"]

# Order matters: specific builders first, WordPress late (its asset paths show up on
# pages that only embed WordPress content), generic last.
ADAPTERS: tuple[Adapter, ...] = (
    wix.ADAPTER,
    squarespace.ADAPTER,
    ghost.ADAPTER,
    blogger.ADAPTER,
    substack.ADAPTER,
    medium.ADAPTER,
    hugo.ADAPTER,
    jekyll.ADAPTER,
    wordpress.ADAPTER,
)
GENERIC = generic.ADAPTER

_BY_GENERATOR = {
    "wix": wix.ADAPTER,
    "wordpress": wordpress.ADAPTER,
    "ghost": ghost.ADAPTER,
    "blogger": blogger.ADAPTER,
    "hugo": hugo.ADAPTER,
    "jekyll": jekyll.ADAPTER,
    "squarespace": squarespace.ADAPTER,
}


def detect_platform(doc: Document, page: Page) -> Adapter:
    """The adapter for the platform that built the page (``generic`` when unknown)."""
    generator = doc.generator.lower()
    for key, adapter in _BY_GENERATOR.items():
        if key in generator:
            return adapter
    # Asset URLs plus the start of the page (for HTML comments such as "This is Squarespace").
    hints = doc.assets + " " + page.head(16384)
    for adapter in ADAPTERS:
        if adapter.detect(doc, hints):
            return adapter
    return GENERIC

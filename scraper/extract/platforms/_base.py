"""What a platform adapter is: CSS selectors for the parts of a post page, plus detection."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...model import Platform
from .._document import Document

__all__ = ["Adapter", "generator_is", "has_marker"]


@dataclass(frozen=True)
class Adapter:
    """Selectors are tried in order; the first match wins.

    ``cut`` lists what is removed from the body before rendering (share bars, related-post
    widgets, comments); ``end`` marks nodes where the body ends (they and everything after
    them inside the body are dropped).
    """

    name: Platform
    detect: Callable[[Document, str], bool]  # (document, asset URLs + start of the HTML)
    title: tuple[str, ...] = ()
    author: tuple[str, ...] = ()
    date: tuple[str, ...] = ()
    reading_time: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    # Fallback body selectors that themes also use for teasers: only accepted when the
    # match holds a fair share of the page's text.
    weak_body: tuple[str, ...] = ()
    cut: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    # Prefer the first JSON-LD/meta date over a disagreeing visible date (False: vote).
    trust_jsonld_date: bool = True
    # Other hosts serving the same blog (a Substack custom domain and its substack.com name).
    aliases: Callable[[Document, str], frozenset[str]] | None = None


def generator_is(doc: Document, *prefixes: str) -> bool:
    generator = doc.generator.lower()
    return any(generator.startswith(p) or f" {p}" in generator for p in prefixes)


def has_marker(hints: str, *markers: str) -> bool:
    """Whether one of ``markers`` occurs in ``hints`` (asset URLs and the page start)."""
    return any(marker in hints for marker in markers)

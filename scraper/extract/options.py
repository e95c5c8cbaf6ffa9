"""How extraction runs: the options of :func:`~scraper.extract.extract_post`."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["DEFAULT_OPTIONS", "ExtractOptions"]


@dataclass(frozen=True)
class ExtractOptions:
    """How to extract. One object instead of a growing list of keyword flags.

    include_images: collect ``images`` and write images into the Markdown.
    include_products / include_links: detect product cards / related links.
    detect_platform: use the platform adapters (False: generic detection only).
    min_body_chars: a platform body shorter than this falls back to generic detection.
    max_nesting: tags nested deeper than this are flattened before parsing.
    extra_cut_selectors: CSS selectors removed from a platform body (site-specific noise).
    """

    include_images: bool = True
    include_products: bool = True
    include_links: bool = True
    detect_platform: bool = True
    min_body_chars: int = 40
    max_nesting: int = 1500
    extra_cut_selectors: tuple[str, ...] = field(default=())


DEFAULT_OPTIONS = ExtractOptions()

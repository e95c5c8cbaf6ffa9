"""The pieces the Markdown renderer produces and shares: blocks, link references,
ready-made replacement blocks, and the text helpers (escaping, whitespace)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Image
from ._scan import escape, tidy

__all__ = ["Block", "LinkRef", "Rendered", "Special", "escape", "tidy"]


@dataclass
class Block:
    markdown: str
    text: str
    level: int = 0  # heading level, 0 for other blocks


@dataclass(frozen=True)
class Special:
    """A pre-rendered replacement for a node (a link card or a product card)."""

    markdown: str
    text: str
    link: tuple[str, str] | None = None  # (title, url) of a link card


@dataclass
class LinkRef:
    text: str
    url: str
    kind: str
    block: int = -1


@dataclass
class Rendered:
    blocks: list[Block] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)

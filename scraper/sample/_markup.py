"""Small HTML helpers shared by the page renderers: escaping, inline markup, stable ids."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "InlineLink",
    "attr",
    "esc",
    "hashed_class",
    "inline_html",
    "inline_links",
    "inline_text",
    "media_uri",
    "media_url",
    "stable_id",
]

_INLINE = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<target>[^)\s]+)\)|\*\*(?P<bold>[^*]+)\*\*")
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


@dataclass(frozen=True, slots=True)
class InlineLink:
    text: str
    target: str  # "post:<slug>" or an absolute URL

    @property
    def post_slug(self) -> str | None:
        return self.target.removeprefix("post:") if self.target.startswith("post:") else None


def esc(text: str) -> str:
    """Escape text for an element's content."""
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    """Escape text for a double-quoted attribute value."""
    return html.escape(text, quote=True)


def _digest(*parts: str) -> bytes:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()


def stable_id(*parts: str, length: int = 5) -> str:
    """A short lowercase id that depends only on ``parts`` (Ricos-style ``viewer-xxxxx``)."""
    return "".join(_ALPHABET[b % len(_ALPHABET)] for b in _digest(*parts)[:length])


def hashed_class(*parts: str) -> str:
    """A build-hash-looking class name such as ``qT4x_b``."""
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"
    digest = _digest("class", *parts)
    return "".join(letters[b % len(letters)] for b in digest[:6])


def media_uri(seed: str) -> str:
    """A Wix-style media file name (``8d4c1e_<hash>~mv2.png``) for an image seed."""
    return f"8d4c1e_{hashlib.sha256(seed.encode('utf-8')).hexdigest()[:32]}~mv2.png"


def media_url(base_url: str, seed: str) -> str:
    return f"{base_url}/media/{media_uri(seed)}"


def inline_links(text: str) -> list[InlineLink]:
    return [
        InlineLink(m["text"], m["target"]) for m in _INLINE.finditer(text) if m["text"] is not None
    ]


def inline_text(text: str) -> str:
    """The visible text of inline markup."""

    def repl(m: re.Match[str]) -> str:
        return m["text"] if m["text"] is not None else m["bold"]

    return _INLINE.sub(repl, text)


def inline_html(text: str, link: Callable[[InlineLink], str], bold: str = "strong") -> str:
    """Render inline markup; ``link`` turns one link into its HTML (it must escape the text)."""
    out: list[str] = []
    pos = 0
    for m in _INLINE.finditer(text):
        out.append(esc(text[pos : m.start()]))
        if m["text"] is not None:
            out.append(link(InlineLink(m["text"], m["target"])))
        else:
            out.append(f"<{bold}>{esc(m['bold'])}</{bold}>")
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)

"""Medium's embedded ``window.__APOLLO_STATE__``: the post body, dates and reading time
when the rendered markup is obfuscated or missing.

The state maps ``Post:<id>`` and ``Paragraph:<id>`` records; the page's own post is the
one whose ``content({})`` holds a ``bodyModel`` (recommended posts carry only previews).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ...model import Image
from .._blocks import Block, LinkRef, escape

__all__ = ["MediumState", "read_state"]

_MARKER = "window.__APOLLO_STATE__"
_HEADINGS = {"H1": 1, "H2": 2, "H3": 2, "H4": 3}
_IMAGE_URL = "https://miro.medium.com/max/1400/"


@dataclass
class MediumState:
    first_published_ms: int | None = None
    reading_time: float | None = None
    blocks: list[Block] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)


def _load(html: str) -> dict[str, Any] | None:
    start = html.find(_MARKER)
    if start < 0:
        return None
    brace = html.find("{", start)
    if brace < 0:
        return None
    try:
        state, _ = json.JSONDecoder().raw_decode(html, brace)
    except (ValueError, RecursionError):
        return None
    return state if isinstance(state, dict) else None


def _resolve(state: dict[str, Any], value: Any) -> Any:
    if isinstance(value, dict) and "__ref" in value:
        return state.get(str(value["__ref"]))
    return value


def _inline(text: str, markups: list[Any], links: list[LinkRef]) -> str:
    """Markdown for a paragraph's text with its link markups (other markups dropped)."""
    anchors = sorted(
        (m for m in markups if isinstance(m, dict) and m.get("type") == "A" and m.get("href")),
        key=lambda m: int(m.get("start") or 0),
    )
    out, pos = [], 0
    for mark in anchors:
        start, end = int(mark.get("start") or 0), int(mark.get("end") or 0)
        if start < pos or end > len(text) or end <= start:
            continue
        out.append(escape(text[pos:start]))
        label = text[start:end]
        out.append(f"[{escape(label)}]({mark['href']})")
        links.append(LinkRef(label, str(mark["href"]), "inline"))
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def _body(state: dict[str, Any], paragraphs: list[Any], out: MediumState) -> None:
    list_md: list[str] = []
    list_tx: list[str] = []

    def close_list() -> None:
        if list_md:
            out.blocks.append(Block("\n".join(list_md), "\n".join(list_tx)))
            list_md.clear()
            list_tx.clear()

    started = False  # the title and subtitle headings come before the first paragraph
    for ref in paragraphs:
        para = _resolve(state, ref)
        if not isinstance(para, dict):
            continue
        kind = str(para.get("type") or "P")
        text = str(para.get("text") or "")
        if kind == "H4" and not started:
            continue
        started = started or kind in ("P", "ULI", "OLI", "BQ", "PRE")
        pending: list[LinkRef] = []
        md = _inline(text, para.get("markups") or [], pending)
        if kind in ("ULI", "OLI"):
            list_md.append(("1. " if kind == "OLI" else "- ") + md)
            list_tx.append(text)
            for link in pending:
                link.block = len(out.blocks)
            out.links.extend(pending)
            continue
        close_list()
        for link in pending:
            link.block = len(out.blocks)
        out.links.extend(pending)
        if kind in _HEADINGS and text.strip():
            level = _HEADINGS[kind]
            out.blocks.append(Block(f"{'#' * level} {md}", text, level))
        elif kind in ("BQ", "PQ"):
            out.blocks.append(Block("> " + md, text))
        elif kind == "PRE":
            out.blocks.append(Block(f"```\n{text}\n```", text))
        elif kind == "IMG":
            meta = _resolve(state, para.get("metadata"))
            if isinstance(meta, dict) and meta.get("id"):
                src = _IMAGE_URL + str(meta["id"])
                out.images.append(Image(src, None, text or None))
                out.blocks.append(Block(f"![]({src})" + (f"\n\n{md}" if text else ""), text))
        elif kind == "MIXTAPE_EMBED":
            mixtape = para.get("mixtapeMetadata") or {}
            href = mixtape.get("href") if isinstance(mixtape, dict) else None
            if href:
                title = text.split("\n")[0].strip() or str(href)
                out.links.append(LinkRef(title, str(href), "card", len(out.blocks)))
                out.blocks.append(Block(f"[{escape(title)}]({href})", title))
        elif kind != "IFRAME" and text.strip():
            out.blocks.append(Block(md, text))
    close_list()


def read_state(html: str) -> MediumState | None:
    """The page's post from the Apollo state, or None when there is none."""
    state = _load(html)
    if state is None:
        return None
    for key, post in state.items():
        if not key.startswith("Post:") or not isinstance(post, dict):
            continue
        content = post.get("content({})")
        body = content.get("bodyModel") if isinstance(content, dict) else None
        if not isinstance(body, dict):
            continue
        out = MediumState()
        first = post.get("firstPublishedAt")
        out.first_published_ms = int(first) if isinstance(first, int | float) else None
        reading = post.get("readingTime")
        out.reading_time = float(reading) if isinstance(reading, int | float) else None
        _body(state, body.get("paragraphs") or [], out)
        return out
    return None

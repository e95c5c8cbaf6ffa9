"""Reading exported Markdown back: front matter, and markdown-it-py's view of the body."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml
from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark")


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    assert text.startswith("---\n"), text[:40]
    end = text.index("\n---\n", 3)
    data = yaml.safe_load(text[4 : end + 1])
    assert isinstance(data, dict)
    return data, text[end + 5 :]


def read_export(path: Path) -> tuple[dict[str, Any], str]:
    raw = path.read_bytes()
    assert b"\r" not in raw
    return split_front_matter(raw.decode("utf-8"))


@dataclass
class Parsed:
    headings: list[tuple[int, str]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (text, href)
    images: list[tuple[str, str]] = field(default_factory=list)  # (alt, src)
    text: list[str] = field(default_factory=list)  # paragraph texts, links as their text


def parse_markdown(markdown: str) -> Parsed:
    parsed = Parsed()
    tokens = _MD.parse(markdown)
    for index, token in enumerate(tokens):
        if token.type != "inline":
            continue
        opener = tokens[index - 1]
        plain: list[str] = []
        link_href: str | None = None
        link_text: list[str] = []
        for child in token.children or []:
            if child.type == "link_open":
                link_href = str(child.attrGet("href"))
                link_text = []
            elif child.type == "link_close":
                assert link_href is not None
                parsed.links.append(("".join(link_text), link_href))
                link_href = None
            elif child.type == "image":
                parsed.images.append((child.content, str(child.attrGet("src"))))
            elif child.type in ("text", "code_inline"):
                plain.append(child.content)
                if link_href is not None:
                    link_text.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                plain.append(" ")
        content = " ".join("".join(plain).split())
        if opener.type == "heading_open":
            parsed.headings.append((int(opener.tag[1]), content))
        elif content:
            parsed.text.append(content)
    return parsed


def resolve(source: Path, href: str) -> Path:
    """The file a relative href in ``source`` points at (fragment dropped)."""
    target = unquote(href.split("#", 1)[0])
    assert not target.startswith(("/", "http:", "https:")), href
    return Path(posixpath.normpath(posixpath.join(source.parent.as_posix(), target)))

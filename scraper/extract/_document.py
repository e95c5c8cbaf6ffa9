"""The parsed page: one parse, plus the head data every later step reads.

``Document`` holds the selectolax tree, the page URL and what can be collected once
from ``<head>``: meta tags by name/property, JSON-LD objects (``@graph`` flattened,
CDATA and HTML comments stripped), the canonical URL, the language and microdata
values (``itemprop``).
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = ["Document", "absolute", "clean_text", "drop_nodes", "iter_jsonld", "node_text"]

_WS = re.compile(r"\s+")
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")
_COMMENTS = re.compile(r"^\s*<!--|-->\s*$")


# Only the microdata properties the extractor reads are collected (pages can have thousands).
_HEAD_SELECTOR = (
    "meta, script[type], script[src], link[rel], title, base[href], "
    "[itemprop~=datePublished], [itemprop~=dateModified]"
)


def clean_text(value: str | None) -> str:
    """Collapse whitespace, decode leftover HTML entities ("&amp;") and strip."""
    if not value:
        return ""
    if "&" in value:
        value = html_lib.unescape(value)
    return _WS.sub(" ", value).strip()


def node_text(node: LexborNode | None) -> str:
    if node is None:
        return ""
    return clean_text(node.text(deep=True, separator=" "))


def absolute(base: str, href: str | None) -> str | None:
    """``href`` resolved against ``base``; None for empty, ``javascript:`` or ``data:`` URLs."""
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith(("javascript:", "data:", "#")):
        return None
    if href.startswith(("https://", "http://")) and " " not in href and ".." not in href:
        return href
    try:
        resolved = urljoin(base, href)
    except ValueError:
        return None
    if resolved.startswith("//"):
        resolved = "https:" + resolved
    return resolved


def drop_nodes(nodes: list[LexborNode]) -> None:
    """Remove ``nodes`` from the tree; descendants of other removed nodes are skipped.

    Decomposing frees a subtree, so the outermost nodes are found before anything is freed.
    Ancestor verdicts are memoised, so the work stays linear in the number of tree nodes.
    """
    if not nodes:
        return
    marked = {node.mem_id for node in nodes}
    covered: dict[int, bool] = {}  # ancestor id -> it or one of its ancestors is marked
    outermost = []
    for node in nodes:
        path: list[int] = []
        parent = node.parent
        inside = False
        while parent is not None:
            mem = parent.mem_id
            if mem in covered:
                inside = covered[mem]
                break
            if mem in marked:
                inside = True
                break
            path.append(mem)
            parent = parent.parent
        for mem in path:
            covered[mem] = inside
        if not inside:
            outermost.append(node)
    for node in outermost:
        node.decompose()


def _load_json(raw: str) -> Any:
    raw = _CDATA.sub("", _COMMENTS.sub("", raw.strip())).strip()
    if not raw:
        return None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        # Some sites put raw newlines/tabs inside strings; json accepts them with strict=False.
        try:
            return json.loads(raw, strict=False)
        except (ValueError, RecursionError):
            return None


def iter_jsonld(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """All objects with an ``@type`` in a JSON-LD value (lists and ``@graph`` flattened)."""
    if depth > 6:
        return
    if isinstance(value, list):
        for item in value:
            yield from iter_jsonld(item, depth + 1)
    elif isinstance(value, dict):
        if "@type" in value:
            yield value
        graph = value.get("@graph")
        if graph is not None:
            yield from iter_jsonld(graph, depth + 1)
        main = value.get("mainEntity")
        if isinstance(main, dict | list) and depth < 3:
            yield from iter_jsonld(main, depth + 1)


@dataclass
class Document:
    tree: LexborHTMLParser
    url: str
    base_url: str
    meta: dict[str, list[str]] = field(default_factory=dict)
    jsonld: list[dict[str, Any]] = field(default_factory=list)
    itemprops: dict[str, list[LexborNode]] = field(default_factory=dict)
    canonical: str | None = None
    lang: str | None = None
    title_tag: str = ""
    generator: str = ""
    assets: str = ""  # URLs of scripts and stylesheets, space-separated (platform hints)
    mentions_read_time: bool = False  # "min read" occurs somewhere in the HTML

    @classmethod
    def parse(cls, html: str, url: str) -> Document:
        tree = LexborHTMLParser(html)
        doc = cls(tree=tree, url=url, base_url=url)
        doc.mentions_read_time = "min read" in html
        doc._collect_head()
        return doc

    def _collect_head(self) -> None:
        # One pass over the tree for everything the head and microdata offer.
        title_done = False
        assets: list[str] = []
        for node in self.tree.css(_HEAD_SELECTOR):
            tag = node.tag
            attrs = node.attributes
            if tag == "meta":
                key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
                content = attrs.get("content")
                if key and content is not None:
                    self.meta.setdefault(key.strip().lower(), []).append(content.strip())
                continue
            if "itemprop" in attrs:
                for name in (attrs.get("itemprop") or "").split():
                    self.itemprops.setdefault(name, []).append(node)
            if tag == "script":
                src = attrs.get("src")
                if src:
                    assets.append(src)
                elif "ld+json" in (attrs.get("type") or "").lower():
                    self.jsonld.extend(iter_jsonld(_load_json(node.text(deep=True))))
            elif tag == "link":
                rel = (attrs.get("rel") or "").split()
                if self.canonical is None and "canonical" in rel:
                    self.canonical = absolute(self.base_url, attrs.get("href"))
                else:
                    assets.append(f"{attrs.get('rel')}={attrs.get('href')}")
            elif tag == "base" and self.base_url == self.url:
                self.base_url = absolute(self.url, attrs.get("href")) or self.url
            elif tag == "title" and not title_done:
                self.title_tag = node_text(node)
                title_done = True
        self.assets = " ".join(assets)
        if self.canonical is None:
            og_url = self.first_meta("og:url")
            if og_url and og_url.startswith("http"):
                self.canonical = og_url
        root = self.tree.root
        if root is not None and root.tag == "html":
            self.lang = root.attributes.get("lang") or root.attributes.get("xml:lang")
        self.generator = " ".join(self.meta.get("generator", []))

    def first_meta(self, *keys: str) -> str | None:
        for key in keys:
            for value in self.meta.get(key, ()):
                if value:
                    return value
        return None

    def absolute(self, href: str | None) -> str | None:
        return absolute(self.base_url, href)

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()

    def css_first(self, selector: str) -> LexborNode | None:
        return self.tree.css_first(selector)

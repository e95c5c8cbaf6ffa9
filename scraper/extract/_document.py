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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from . import _walk
from ._walk import select_head

__all__ = [
    "Document",
    "Doomed",
    "absolute",
    "clean_text",
    "drop_nodes",
    "iter_jsonld",
    "node_text",
]

_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")
_COMMENTS = re.compile(r"^\s*<!--|-->\s*$")


_HTML_SPACE = re.compile(r"[ \t\n\f\r]+")


# UTF-8 read as Latin-1 or Windows-1252 ("InvestorÃ¢Â€Â™s", "Ã©tÃ©"): a lead byte's character
# followed by continuation bytes' characters (0x80-0xBF, or what cp1252 shows for them).
_CP1252_HIGH = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_MOJIBAKE = re.compile(f"[\u00c2-\u00f4][\u0080-\u00bf{_CP1252_HIGH}]+")


def _redecode(match: re.Match[str]) -> str:
    chars = match.group(0)
    try:
        raw = bytes(b for c in chars for b in (c.encode("cp1252") if ord(c) > 0xFF else [ord(c)]))
        return raw.decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return chars


def repair_mojibake(text: str) -> str:
    """``text`` with runs of UTF-8 that was decoded as Latin-1/Windows-1252 read again as
    UTF-8 (pages that carry their own double-encoded titles); other text unchanged."""
    if text.isascii():
        return text
    return _MOJIBAKE.sub(_redecode, text)


def clean_text(value: str | None) -> str:
    """Collapse whitespace, decode leftover HTML entities ("&amp;") and strip."""
    if not value:
        return ""
    if "&" in value:
        value = html_lib.unescape(value)
    return " ".join(value.split())  # (same as collapsing \s+ runs and stripping; faster)


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
    seen: set[int] = set()  # a node matching two selectors of a list is listed twice
    for node in nodes:
        if node.mem_id in seen:
            continue
        seen.add(node.mem_id)
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


class Doomed:
    """Nodes to remove, judged in document order (CSS match order): a node inside one
    already doomed is skipped, so its (wasted) verdict is never computed, and only the
    outermost nodes are decomposed. Each ancestor is looked up once (memoised)."""

    def __init__(self) -> None:
        self.nodes: list[LexborNode] = []
        self._covered: dict[int, bool] = {}  # node id -> it or an ancestor is doomed
        self._seen: set[int] = set()

    def skip(self, node: LexborNode) -> bool:
        """Whether ``node`` was seen already or lies inside a doomed node."""
        mem = node.mem_id
        if mem in self._seen:  # a node matching two selectors of a list comes twice
            return True
        self._seen.add(mem)
        covered = self._covered
        path: list[int] = []
        inside = False
        parent = node.parent
        while parent is not None:
            up = parent.mem_id
            known = covered.get(up)
            if known is not None:
                inside = known
                break
            path.append(up)
            parent = parent.parent
        for up in path:
            covered[up] = inside
        return inside

    def add(self, node: LexborNode) -> None:
        self.nodes.append(node)
        self._covered[node.mem_id] = True

    def drop(self) -> None:
        for node in self.nodes:
            node.decompose()
        self.nodes.clear()


def _load_json(raw: str) -> Any:
    raw = raw.strip()
    if "<!--" in raw or "-->" in raw:  # (the regexes scan the whole text; skip them if unneeded)
        raw = _COMMENTS.sub("", raw).strip()
    if "CDATA" in raw or "]]>" in raw:
        raw = _CDATA.sub("", raw).strip()
    if not raw:
        return None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        # Some sites put raw newlines/tabs inside strings; json accepts them with strict=False.
        try:
            return json.loads(raw, strict=False)
        except (ValueError, RecursionError):
            pass
    # A stray brace after the object, or two objects in one script: what parses from the
    # start (and after it, while values follow).
    values = _leading_values(raw)
    if values:
        return values[0] if len(values) == 1 else values
    if "//" not in raw and "/*" not in raw:
        return None
    # Hand-written JSON-LD with JavaScript comments ('"height": "1000", // px').
    try:
        return json.loads(_without_js_comments(raw), strict=False)
    except (ValueError, RecursionError):
        return None


_LENIENT = json.JSONDecoder(strict=False)


def _leading_values(raw: str) -> list[Any]:
    values: list[Any] = []
    at = 0
    while at < len(raw) and len(values) < 20:
        try:
            value, at = _LENIENT.raw_decode(raw, at)
        except (ValueError, RecursionError):
            break
        values.append(value)
        while at < len(raw) and raw[at] in " \t\r\n,;":
            at += 1
    return values


def _without_js_comments(raw: str) -> str:
    """``raw`` without ``//`` and ``/* */`` comments outside strings (a "//" inside a
    string, as in a URL, stays). Linear; only run on JSON that failed to parse."""
    out: list[str] = []
    i, n, start = 0, len(raw), 0
    in_string = False
    while i < n:
        c = raw[i]
        if in_string:
            if c == "\\":
                i += 2
                continue
            if c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c == "/" and i + 1 < n and raw[i + 1] in "/*":
            out.append(raw[start:i])
            if raw[i + 1] == "/":
                end = raw.find("\n", i)
                i = n if end < 0 else end
            else:
                end = raw.find("*/", i + 2)
                i = n if end < 0 else end + 2
            start = i
            continue
        i += 1
    out.append(raw[start:])
    return "".join(out)


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
    html: str = field(default="", repr=False)  # the page as parsed (or "": see ``utf8``)
    utf8: bytes | None = field(default=None, repr=False)  # the page in UTF-8, when at hand

    @classmethod
    def parse(cls, html: str, url: str, utf8: bytes | None = None) -> Document:
        """Parse ``html``; or, when ``utf8`` is given, parse those bytes, which must be the
        page in UTF-8, ``html`` being either its text or "" (the parser reads the bytes
        directly, and nothing here needs the text)."""
        tree = LexborHTMLParser(utf8 if utf8 is not None else html)
        doc = cls(tree=tree, url=url, base_url=url)
        doc.html = html
        doc.utf8 = utf8
        doc._collect_head()
        return doc

    def _collect_head(self) -> None:
        # One pass over the tree for everything the head and microdata offer. Only the
        # microdata properties the extractor reads are collected (pages can have
        # thousands): select_head finds each candidate once with cheap tag and
        # attribute-presence tests; the loop then counts how often the precise list
        # ``meta, script[type], script[src], link[rel], title, base[href],
        # [itemprop~=datePublished], [itemprop~=dateModified]`` would list the node (once
        # per matching selector) and reads it that many times.
        assets: list[str] = []
        seen_title = False
        top = self.tree.root
        for node in select_head(top) if top is not None else []:
            tag = node.tag or ""
            attrs = node.attributes
            if tag == "meta" and "itemprop" not in attrs:  # (most nodes: the fast path)
                key = attrs.get("property") or attrs.get("name")
                content = attrs.get("content")
                if key and content is not None:
                    self.meta.setdefault(key.strip().lower(), []).append(content.strip())
                continue
            if tag == "meta" or tag == "title":
                times = 1
            elif tag == "script":
                times = ("type" in attrs) + ("src" in attrs)
            elif tag == "link":
                times = int("rel" in attrs)
            elif tag == "base":
                times = int("href" in attrs)
            else:
                times = 0
            if "itemprop" in attrs:
                props = _HTML_SPACE.split(attrs.get("itemprop") or "")
                times += ("datePublished" in props) + ("dateModified" in props)
            for _ in range(times):
                if tag == "title":
                    if not seen_title:
                        self.title_tag = node_text(node)
                        seen_title = True
                    if "itemprop" in attrs:
                        self._read_itemprop(node, attrs)
                else:
                    self._read_head_node(node, tag, attrs, assets)
        self.assets = " ".join(assets)
        if self.canonical is None:
            og_url = self.first_meta("og:url")
            if og_url and og_url.startswith("http"):
                self.canonical = og_url
        root = self.tree.root
        if root is not None and root.tag == "html":
            self.lang = root.attributes.get("lang") or root.attributes.get("xml:lang")
        self.generator = " ".join(self.meta.get("generator", []))

    def _read_itemprop(self, node: LexborNode, attrs: dict[str, str | None]) -> None:
        for name in (attrs.get("itemprop") or "").split():
            self.itemprops.setdefault(name, []).append(node)

    def _read_head_node(
        self, node: LexborNode, tag: str, attrs: dict[str, str | None], assets: list[str]
    ) -> None:
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
            content = attrs.get("content")
            if key and content is not None:
                self.meta.setdefault(key.strip().lower(), []).append(content.strip())
            return
        if "itemprop" in attrs:
            self._read_itemprop(node, attrs)
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

    def contains(self, word: str) -> bool:
        """Whether ``word`` (ASCII) occurs in the page's source; a cheap test of whether a
        selector for it can match at all (searched in the bytes when at hand: memchr
        speed, unlike a search in a non-Latin-1 ``str``). Class names spelled with
        character references ("&#114;ead") are not seen."""
        if self.utf8 is not None:
            return word.encode() in self.utf8
        return word in self.html

    def source(self) -> bytes:
        """The page's source as UTF-8 bytes (searched faster than a non-Latin-1 ``str``)."""
        return self.utf8 if self.utf8 is not None else self.html.encode("utf-8", "replace")

    def none_match(self, selectors: Sequence[str]) -> bool:
        """Whether no selector of ``selectors`` matches anything in the page: one pass finds
        out for all of them, where trying them in turn costs a pass over the tree for each
        one that matches nothing. (A lone selector is not tested: its own pass costs no
        more.)"""
        return len(selectors) > 1 and self.css_first(", ".join(selectors)) is None

    def worth_trying(
        self, selectors: Sequence[str], probe: Sequence[str] | None = None
    ) -> Sequence[str]:
        """``selectors``, to be tried in turn, or none when no selector of ``probe`` (by
        default ``selectors`` themselves) matches anything: see :meth:`none_match`."""
        return () if self.none_match(selectors if probe is None else probe) else selectors

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

    def css(self, selector: str) -> list[LexborNode]:
        """``self.tree.css(selector)``, by the C walk when the selectors are compounds."""
        top = self.tree.root
        return _walk.css(top, selector) if top is not None else []

    def css_first(self, selector: str) -> LexborNode | None:
        """``self.tree.css_first(selector)``, likewise."""
        top = self.tree.root
        return _walk.css_first(top, selector) if top is not None else None

"""The post title: the platform's title element or the visible headline (``<h1>``), checked
against the meta titles; site-name affixes, kickers and subtitles left out."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from ._document import Document, clean_text, node_text
from ._walk import css, css_first
from .metadata import Metadata
from .platforms import Adapter

__all__ = ["read_title", "strip_site_name"]

_SEPARATORS = re.compile(r"(?<!\s)\s+[|\-–—·:»«/•]\s+")  # starts a run: linear
_WORD = re.compile(r"\w+")
_LOST = re.compile("[?\ufffd]")
_NON_WORD = re.compile(r"\W+")
_TRAILING_SEPARATOR = re.compile(r"(?<!\s)\s+[|\-–—·:»«/•]$")
_LEADING_SEPARATOR = re.compile(r"^[|\-–—·:»«/•]\s+")
_DOMAIN = re.compile(
    r"(?:[A-Za-z0-9-]{1,63}\.){1,3}(?i:com|net|org|io|co|de|uk|fr|es|it|nl|be|ch|at|se|no|dk|"
    r"fi|pl|cz|pt|ie|ru|ua|jp|cn|kr|in|au|nz|ca|us|br|mx|ar|info|blog|news|dev|app|ai|me|tv|"
    r"md|ro|gr|tr|za)"
)  # (a known top-level domain: "Node.js" and "v1.2.3" are no site names)
_NUMERIC_DATE = re.compile(r"\d{1,2}[./]\d{1,2}[./](?:19|20)\d\d|(?:19|20)\d\d-\d\d-\d\d")
# Parts of a headline element that are not the headline (inner date, kicker, subtitle).
_KICKERS = (
    "time, small, [class*=kicker], [class*=roofline], [class*=topline], [class*=toptitle], "
    "[class*=overline], [class*=eyebrow], [class*=dachzeile], [class*=topic-label], "
    "[class*=label], [class*=section], [class*=subtitle], [class*=subline]"
)


def _folded(text: str) -> str:
    """``text`` as site names are compared: letters and digits only, casefolded."""
    return _NON_WORD.sub("", text).casefold()


def strip_site_name(title: str, site_names: list[str]) -> str:
    """Remove " | Site", " - Site - Medium" style suffixes (and "Site | " prefixes)."""
    title = clean_text(title)
    head, _, rest = title.partition(" ")
    rest = rest.lstrip(" |-–—·:»«/•")
    if _WORD.search(rest) and _DOMAIN.fullmatch(head) and _folded(head) in map(_folded, site_names):
        title = rest  # "davidbau.com Vibe Coding", "site.de // » Title": the domain first
    parts = _SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    names = {_folded(n) for n in site_names if n}
    names.discard("")
    names.add("medium")
    first = _folded(parts[0])  # (the loops below keep parts[0])
    if first not in names:  # (not "Site | site.com - Title")
        # "Title | Site | Slogan": the site's name and whatever follows it
        for index in range(1, len(parts) - 1):
            if _is_site(parts[index], names, any_domain=False):
                parts = parts[: index + 1]
                title = title[: _end_of(title, parts)]
                break
    while len(parts) > 1 and (_is_site(parts[-1], names) or parts[-1].lower().startswith("by ")):
        title = title[: title.rfind(parts[-1])].rstrip()
        title = _TRAILING_SEPARATOR.sub("", title).rstrip()
        parts = parts[:-1]
    while len(parts) > 1 and (
        _folded(parts[0]) in names
        or _NUMERIC_DATE.fullmatch(parts[0])
        # WordPress's old default: "Site » Blog Archive » Title"
        or _folded(parts[0]) == "blogarchive"
        or (len(parts) > 2 and _folded(parts[1]) == "blogarchive")
    ):
        # "Site | Title", "23.01.2022 - Title", "Site | site.com - Title"
        title = title[title.index(parts[0]) + len(parts[0]) :].lstrip()
        title = _LEADING_SEPARATOR.sub("", title)
        parts = parts[1:]
    return title


def _is_site(part: str, names: set[str], any_domain: bool = True) -> bool:
    """Whether a title's part names the site: one of ``names``, or a short part that holds
    a name of five letters or more or is held in one ("Bridgestone Tires" on
    bridgestone.com, "DianaHR" on getdianahr.com); a last part also when it is any bare
    domain name ("... | FASSETTE.NET")."""
    folded = _folded(part)
    if folded in names or (any_domain and _DOMAIN.fullmatch(part.strip())):
        return True
    if len(folded) < 5 or len(part.split()) > 4:
        return False
    return any(len(n) >= 5 and (n in folded or folded in n) for n in names)


def _end_of(title: str, parts: list[str]) -> int:
    """Where the last of ``parts`` (the leading pieces of ``title``, in order) ends."""
    at = 0
    for part in parts:
        at = title.index(part, at) + len(part)
    return at


def _site_names(doc: Document, md: Metadata) -> list[str]:
    host = doc.host.removeprefix("www.")
    names = [md.site_name or "", host, host.split(".")[0], _domain_label(host)]
    return [n for n in names if n]


_SECOND_LEVEL = frozenset(("co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"))


def _domain_label(host: str) -> str:
    """The registered name of ``host``: "newegg" for promotions.newegg.com, "bbc" for
    www.bbc.co.uk (without a public suffix list: a two-letter country code after a
    generic second level is taken as one suffix)."""
    labels = host.split(".")
    if len(labels) < 2:
        return ""
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return labels[-3]
    return labels[-2]


def _headline(node: LexborNode | None) -> str:
    """A headline element's text without the kicker, roofline, section label or subtitle
    inside it (and without a date: Squarespace puts one in the title)."""
    text = node_text(node)
    if node is None or not text or next(node.iter(), None) is None:
        return text  # (no child elements: nothing to leave out)
    inner = css(node, _KICKERS)
    if not inner:
        return text
    for part in inner:
        words = node_text(part)
        if words:
            text = text.replace(words, " ", 1)
    text = _LEADING_SEPARATOR.sub("", clean_text(text).lstrip(":|·•»/ "))
    return text if _WORD.search(text) else node_text(node)


def _without_kicker(text: str, metas: list[str]) -> str:
    """The meta title when the headline reads "<a few words> <meta title>" (a kicker
    in the same element, without markup to tell it apart)."""
    words = _WORD.findall(text.casefold())
    for meta in metas:
        tail = _WORD.findall(meta.casefold())
        extra = len(words) - len(tail)
        if len(tail) >= 3 and 0 < extra <= 6 and words[extra:] == tail:
            return meta
    return text


def read_title(
    doc: Document, adapter: Adapter, md: Metadata
) -> tuple[str | None, LexborNode | None]:
    names = _site_names(doc, md)
    metas = _whole([strip_site_name(c, names) for c in (md.title, md.headline, doc.title_tag) if c])
    for selector in doc.worth_trying(adapter.title):
        node = doc.css_first(selector)
        text = _headline(node)
        if text and len(text) < 400:
            text = _without_kicker(strip_site_name(text, names), metas)
            return _or_meta_heading(doc, text, node, metas)
    folded_names = {_folded(n) for n in names}
    h1s = [
        (_without_kicker(strip_site_name(text, names), metas), node)
        for node in doc.tree.tags("h1")[:8]
        if (text := _headline(node))
        and len(text) < 300
        and _folded(text) not in folded_names
        and not _home_link(doc, node)
    ]
    if h1s:
        # The visible headline; with several h1s, the one closest to the meta titles.
        scored = [(max((_overlap(text, m) for m in metas), default=0.0), i) for i, (text, _) in
                  enumerate(h1s)]  # fmt: skip
        best_overlap, index = max(scored, key=lambda e: (e[0], -e[1]))
        single = len(h1s) == 1 and len(h1s[0][0].split()) >= 3
        if best_overlap >= 0.3 or single or not metas:
            return _or_meta_heading(doc, *h1s[index], metas)
    if metas:
        return metas[0], None
    return None, None


def _whole(metas: list[str]) -> list[str]:
    """``metas`` with each title cut short by an unescaped quote in its attribute
    (``content="Biden de "incapacitado""`` reads as "Biden de ") replaced by the longer
    title that goes on from it with that quote (the ``<title>`` element's)."""
    out = []
    for meta in metas:
        cut = meta.rstrip()
        for other in metas:
            if (
                len(other) > len(cut)
                and other.startswith(cut)
                and other[len(cut) :].lstrip()[:1] == '"'
            ):
                meta = other
                break
        out.append(meta)
    return out


def _home_link(doc: Document, node: LexborNode) -> bool:
    """Whether the heading is only a link to the site's home page (a theme's site name in
    an ``h1``: ``<h1><a href="http://fouryears.eu">Four Years Remaining</a></h1>``)."""
    link = css_first(node, "a[href]")
    if link is None or node_text(link) != node_text(node):
        return False
    href = doc.absolute(link.attributes.get("href")) or ""
    parts = urlsplit(href)
    return parts.path in ("", "/") and not parts.query and parts.hostname == doc.host


def _or_meta_heading(
    doc: Document, text: str, node: LexborNode | None, metas: list[str]
) -> tuple[str, LexborNode | None]:
    """``text`` (from ``node``), unless it shares almost no words with the meta titles
    while another heading reads exactly as one of them: themes that put the site's name
    or a section heading in the ``h1`` and the post's title in an ``h2``."""
    if text.isupper():  # a headline typed in capitals: the meta title's own casing
        text = next((m for m in metas if _folded(m) == _folded(text)), text)
    if ("\ufffd" in text or "?" in text.rstrip("?")) and len(_LOST.findall(text)) <= 5:
        # characters the page lost on the way ("Planning? Beginner? Guide"): the meta title
        # that reads the same where the headline has them
        # (five at most: each may stand for one to three characters)
        lost = re.compile(".{1,3}".join(re.escape(part) for part in _LOST.split(text)))
        text = next((m for m in metas if lost.fullmatch(m)), text)
    if not metas or max(_overlap(text, m) for m in metas) >= 0.3:
        return text, node
    wanted = {_folded(m) for m in metas if len(_WORD.findall(m)) >= 2}
    for meta in metas:
        # or its first part, when a site name we do not know follows it ("... | Rust Blog");
        # a long one only: "What is X - A guided introduction" is no title "What is X?"
        first = _SEPARATORS.split(meta)[0]
        if first != meta and len(_WORD.findall(first)) >= 5:
            wanted.add(_folded(first))
    for heading in doc.css("h1, h2, h3")[:12]:
        shown = _headline(heading)
        if shown and _folded(shown) in wanted:
            return shown, heading
    return text, node


def _overlap(a: str, b: str) -> float:
    """Share of common words (Jaccard) between two titles."""
    left, right = set(_WORD.findall(a.casefold())), set(_WORD.findall(b.casefold()))
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)

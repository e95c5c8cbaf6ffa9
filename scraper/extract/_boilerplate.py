"""Boilerplate removal: what is never content, structural blocks (navigation, headers,
footers, hidden blocks) and blocks whose class/id says share/comment/related/cookie/ad ...

Shared by generic main-content detection (:mod:`.content`) and the clean-up of platform
bodies. Long selector lists are matched in Python where that is cheaper than the selector
engine (each attribute-substring selector costs a pass over every element), always to
exactly what the list would match (``tests/extract/test_extract_fastpaths.py``).
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from ._document import Doomed
from ._scan import Words
from ._walk import (
    ClassIdWords,
    TagList,
    css,
    css_first,
    select_class_id_words,
    select_structural,
    select_tags,
    text_length,
)

__all__ = [
    "Signals",
    "drop_suspects",
    "link_density",
    "remove_boilerplate",
    "class_weight",
]

_NEVER = TagList(
    ("script", "style", "noscript", "template", "svg", "iframe", "select", "textarea",
     "input", "object", "embed", "canvas", "video", "audio", "map", "dialog")
)  # fmt: skip
_LINKS = TagList(("a",))
_STRUCTURAL = (
    "nav, header, footer, aside, form, [role=navigation], [role=banner], [role=contentinfo], "
    "[role=complementary], [role=search], [aria-hidden=true], [hidden], .hidden, "
    "[style*='display:none'], [style*='display: none']"
)
# _STRUCTURAL as found: these tags and the attribute tests of select_structural (presence
# tests, cheaper than five value tests), then narrowed in Python to exactly what
# _STRUCTURAL matches.
_STRUCTURAL_TAG_LIST = TagList(("nav", "header", "footer", "aside", "form"))
_STRUCTURAL_TAGS = frozenset(_STRUCTURAL_TAG_LIST.names)
_CLASS_SPLIT = re.compile(r"[ \t\n\f\r]+")  # (HTML whitespace only, unlike str.split)
_STRUCTURAL_ROLES = frozenset(("navigation", "banner", "contentinfo", "complementary", "search"))
# Checked on the whole page before scoring (kept short: each selector costs a tree pass).
_GLOBAL_SUSPECT = ClassIdWords(
    ("comment", "sidebar", "related", "share", "social", "cookie", "newsletter")
)
# Checked inside the chosen container only: a class or id holding one of these words (any
# case), i.e. the nodes the selector list ``[class*=w i], [id*=w i], ...`` would match.
# (Matched in Python over the nodes with a class or id: a CSS list of 96 attribute-substring
# selectors costs several times more.)
_SUSPECT_WORDS = (
    "share", "social", "comment", "author", "auteur", "related", "recommend", "cookie",
    "consent", "newsletter",
    "subscribe", "signup", "sidebar", "widget", "popup", "modal", "promo", "sponsor",
    "advert", "banner", "breadcrumb", "pagination", "pager", "author-bio", "authorbio",
    "footer", "masthead", "menu", "navbar", "toolbar", "tags", "byline", "disqus",
    "outbrain", "taboola", "paywall", "most-", "trending", "read-more", "readmore", "print",
    "caption-credit", "login", "skip", "jump", "ad-", "-ad", "ads",
)  # fmt: skip
_SUSPECT = Words(_SUSPECT_WORDS)
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

# Class/id words, found anywhere in the lowercased class and id strings (a case-sensitive
# search of each list: a case-insensitive regex is several times slower per string).
_NEGATIVE_WORDS = (
    "share", "social", "comment", "author", "auteur", "related", "recommend", "cookie",
    "consent", "newsletter", "subscribe", "signup", "sidebar", "widget", "popup", "modal",
    "promo", "sponsor", "advert", "banner", "breadcrumb", "pagination", "pager", "footer",
    "masthead", "menu", "navbar", "toolbar", "disqus", "outbrain", "taboola", "paywall",
    "most-", "trending", "readmore", "read-more", "skip", "jump", "login", "byline", "print",
)  # fmt: skip
_NEGATIVE_TAGS = re.compile(r"\btags?\b", re.I)
_NEGATIVE_ADS = re.compile(r"(?:^|[\s_-])ads?(?:$|[\s_-])", re.I)
_STRONG_WORDS = ("comment", "sidebar", "related", "share", "social", "cookie", "newsletter")
_POSITIVE_WORDS = (
    "article", "body", "content", "entry", "main", "post", "text", "story", "blog", "hentry",
    "prose", "markup", "paragraph", "column",
)  # fmt: skip
_KEEP_TAGS = frozenset(("html", "body", "main", "article"))


def _class_id(node: LexborNode) -> str:
    attrs = node.attributes
    return f"{attrs.get('class') or ''} {attrs.get('id') or ''}"


# (one pass over a lowercased string for all the words of a list: in C, see _scan.Words)
_STRONG = Words(_STRONG_WORDS)
_NEGATIVE = Words(_NEGATIVE_WORDS)
_POSITIVE = Words(_POSITIVE_WORDS)


def _builder_neutral(low: str) -> str:
    """A lowercased class/id string without the page builders' own container words: every
    block of an Elementor page sits in ``elementor-widget-container`` (inside
    ``elementor-widget-wrap``), every HubSpot module in a ``widget-span``; they say nothing
    about boilerplate. What follows the prefix still counts
    (``elementor-widget-share-buttons``, ``-nav-menu``)."""
    if "[" in low:  # Tailwind's arbitrary values ("md:[grid-template-areas:'sidebar_main']")
        low = _ARBITRARY_VALUE.sub("", low)
    if "sidebar" in low:  # "has-sidebar", "sidebar-enabled--false": the layout, not a sidebar
        low = _SIDEBAR_LAYOUT.sub("layout", low)
    if "widget" not in low:
        return low
    for word, plain in _BUILDER_WORDS:
        low = low.replace(word, plain)
    return low


# A utility class's bracketed value: a length, a colour or a grid template, never a name.
_ARBITRARY_VALUE = re.compile(r"\[[^\]\s]*\]")
# A layout modifier on a content block, saying whether the page has a sidebar.
_SIDEBAR_LAYOUT = re.compile(
    r"\b(?:has|no|with|without)[-_]sidebars?[\w-]{0,20}"
    r"|\bsidebar[-_](?:enabled|disabled|on|off|true|false|none|hidden)[\w-]{0,20}"
)
# Page builders' layout classes holding "widget" (Elementor; HubSpot's drag-and-drop grid).
_BUILDER_WORDS = (
    ("elementor-widget", "elementor"),
    ("widget-span", "span"),
    ("widget-type-", "type-"),
    ("hs_cos_wrapper_widget", "hs_cos_wrapper"),
    ("hs_cos_wrapper_type_widget", "hs_cos_wrapper_type"),
)


def _ident_signals(ident: str) -> tuple[int, bool, bool]:
    """(weight, looks like boilerplate, a strong boilerplate word) for a class/id string."""
    if not ident.strip():
        return 0, False, False
    low = _builder_neutral(ident.lower())
    if _STRONG.search(low):
        return -50, True, True
    negative = _NEGATIVE.search(low) or (
        ("tag" in low and _NEGATIVE_TAGS.search(low) is not None)
        or ("ad" in low and _NEGATIVE_ADS.search(low) is not None)
    )
    positive = _POSITIVE.search(low)
    weight = (-25 if negative else 0) + (25 if positive else 0)
    # "-content" alone does not rescue a boilerplate class ("share-content").
    if positive and negative:
        positive = _POSITIVE.search(ident.replace("-content", "").lower())
    return weight, negative and not positive, False


class Signals:
    """Class/id verdicts for one page, memoised (pages repeat the same class strings)."""

    def __init__(self) -> None:
        self._memo: dict[str, tuple[int, bool, bool]] = {}
        self._words: dict[str, bool] = {}
        self._hidden: set[int] | None = None  # ids of ``.hidden`` matches, when asked

    def has_suspect_word(self, cls: str, ident: str) -> bool:
        """Whether ``[class*=w i]`` or ``[id*=w i]`` matches for a word of _SUSPECT_WORDS
        (CSS ``i`` folds ASCII letters only), Elementor's container words aside (see
        :func:`_builder_neutral`)."""
        key = f"{cls}\x00{ident}"
        found = self._words.get(key)
        if found is None:
            low = key.lower() if key.isascii() else key.translate(_ASCII_LOWER)
            low = _builder_neutral(low)
            found = self._words[key] = _SUSPECT.search(low)
        return found

    def matches_structural(self, root: LexborNode, node: LexborNode) -> bool:
        """Whether ``_STRUCTURAL`` matches ``node``, a ``select_structural`` find under
        ``root``."""
        if node.tag in _STRUCTURAL_TAGS:
            return True
        attrs = node.attributes
        if attrs.get("role") in _STRUCTURAL_ROLES or attrs.get("aria-hidden") == "true":
            return True
        if "hidden" in attrs and not _streamed(attrs):
            return True
        style = attrs.get("style")
        if style and ("display:none" in style or "display: none" in style):
            return True
        classes = attrs.get("class") or ""
        if "hidden" not in classes.lower():
            return False
        tokens = _CLASS_SPLIT.split(classes)
        if "hidden" in tokens:
            return True
        if "hidden" not in (token.lower() for token in tokens):
            return False
        # Case differs ("Hidden"): class selectors ignore case in quirks mode only.
        if self._hidden is None:
            self._hidden = {n.mem_id for n in css(root, ".hidden")}
        return node.mem_id in self._hidden

    def of(self, node: LexborNode) -> tuple[int, bool, bool]:
        ident = _class_id(node)
        found = self._memo.get(ident)
        if found is None:
            found = self._memo[ident] = _ident_signals(ident)
        return found


def class_weight(node: LexborNode, signals: Signals) -> int:
    return signals.of(node)[0]


def link_density(node: LexborNode, length: int, memo: dict[int, int] | None = None) -> float:
    """Share of the text inside links; ``memo`` keeps each link's length (by node id) for
    callers that measure nested blocks."""
    if length == 0:
        return 1.0
    if memo is None:
        links = sum(text_length(a) for a in select_tags(node, _LINKS))
    else:
        links = 0
        for a in select_tags(node, _LINKS):
            mem = a.mem_id
            size = memo.get(mem)
            if size is None:
                size = memo[mem] = text_length(a)
            links += size
    return min(1.0, links / length)


_QUIET_TAGS = _KEEP_TAGS | {"p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "span"}


def _is_suspect(node: LexborNode, tag: str, total: int, signals: Signals) -> bool:
    """A block whose class/id says boilerplate and that is not most of the page."""
    if tag in _QUIET_TAGS:
        return False
    _, suspect, strong = signals.of(node)
    if not (suspect or strong):
        return False
    length = text_length(node)
    return not (length > total * 0.3 or (length > 600 and link_density(node, length) < 0.3))


def _is_structural(node: LexborNode, tag: str) -> bool:
    if tag in _STRUCTURAL_TAGS:
        return True
    attrs = node.attributes
    if attrs.get("role") in _STRUCTURAL_ROLES or ("hidden" in attrs and not _streamed(attrs)):
        return True
    if attrs.get("aria-hidden") == "true" or "hidden" in (attrs.get("class") or "").split():
        return True
    return "display:none" in (attrs.get("style") or "").replace(" ", "").lower()


_STREAMED_ID = re.compile(r"S:\d{1,6}")


def _streamed(attrs: dict[str, str | None]) -> bool:
    """A ``<div hidden id="S:0">``: React's streamed server rendering parks the page's
    late content there until a script moves it into place; it is content, not hidden."""
    ident = attrs.get("id")
    return ident is not None and _STREAMED_ID.fullmatch(ident) is not None


def drop_suspects(root: LexborNode, total: int, signals: Signals) -> None:
    """Drop the blocks under ``root`` whose class/id holds a _SUSPECT_WORDS word and that
    :func:`_is_suspect` condemns."""
    doomed = Doomed()
    for node in css(root, "[class], [id]"):
        tag = node.tag or ""
        if tag in _QUIET_TAGS or doomed.skip(node):
            continue
        attrs = node.attributes
        if not signals.has_suspect_word(attrs.get("class") or "", attrs.get("id") or ""):
            continue
        if _is_suspect(node, tag, total, signals):
            doomed.add(node)
    # Blocks that together hold most of the text are the post itself, cut into sections
    # whose class says "jump-section" or "widget": only strong words condemn them then.
    if sum(text_length(n) for n in doomed.nodes) > total * 0.6:
        doomed.nodes = [n for n in doomed.nodes if signals.of(n)[2]]
    doomed.drop()


def remove_boilerplate(
    root: LexborNode, thorough: bool = True, signals: Signals | None = None
) -> None:
    """Drop never-content tags and boilerplate-looking blocks under ``root`` (in place;
    nothing outside ``root`` is touched: the head has been read by the time this runs).

    First the structural blocks (nav, header, footer, aside, form, hidden ...), then, on
    what is left (about half the nodes), the blocks whose class/id says boilerplate:
    ``thorough`` checks the long word list; otherwise only the strongest words (comments,
    sidebars, related posts, share bars, cookie banners). Lengths are compared with the
    text of the whole of ``root`` before anything was removed.
    """
    signals = signals or Signals()
    # One selector pass; decomposing in reverse document order frees the innermost nodes
    # first, so no node is freed twice (strip_tags makes one pass per tag).
    for node in reversed(select_tags(root, _NEVER)):
        node.decompose()
    total = max(1, text_length(root))
    doomed = Doomed()
    for node in select_structural(root, _STRUCTURAL_TAG_LIST):
        if signals.matches_structural(root, node):
            _judge(node, total, signals, doomed)
    doomed.drop()
    doomed = Doomed()
    if thorough:  # the long word list is matched in Python (see _SUSPECT_WORDS)
        for node in css(root, "[class], [id]"):
            attrs = node.attributes
            if signals.has_suspect_word(attrs.get("class") or "", attrs.get("id") or ""):
                _judge(node, total, signals, doomed)
    else:
        for node in select_class_id_words(root, _GLOBAL_SUSPECT):
            _judge(node, total, signals, doomed)
    doomed.drop()


# The comment thread as comment systems mark it up (WordPress, Disqus): gone whatever its
# size (a thread of 59 comments holds more prose than the post it follows).
_THREAD_IDS = frozenset(("comments", "disqus_thread", "respond", "comments-section"))
_THREAD_CLASSES = frozenset(
    ("comments-area", "comment-list", "commentlist", "comments-wrapper", "comments-section",
     "comment-respond", "wp-block-comments", "comments-list")
)  # fmt: skip


def _is_thread(node: LexborNode) -> bool:
    attrs = node.attributes
    if attrs.get("id") in _THREAD_IDS:
        return True
    classes = attrs.get("class") or ""
    return not _THREAD_CLASSES.isdisjoint(_CLASS_SPLIT.split(classes))


def _judge(node: LexborNode, total: int, signals: Signals, doomed: Doomed) -> None:
    """Doom a structural or boilerplate-looking block unless it wraps most of the page."""
    tag = node.tag or ""
    if tag in _KEEP_TAGS or doomed.skip(node):
        return
    if _is_thread(node) and css_first(node, "h1") is None:
        doomed.add(node)
        return
    if _is_structural(node, tag):
        length = text_length(node)
        if length > total * 0.6 or (
            length > total * 0.3 and css_first(node, "h1, article, main") is not None
        ):
            return  # a wrapper around the page (mis-nested aside, hydration <div hidden>)
        doomed.add(node)
    elif _is_suspect(node, tag, total, signals):
        doomed.add(node)

"""Generic main-content detection for pages without a known body container.

1. Drop what is never content (scripts, forms, navigation, headers/footers, asides and
   blocks whose class/id says share/comment/related/cookie/newsletter/ad ...).
2. Score text blocks: each paragraph-like node adds points (length, commas) to its
   parent, grandparent and great-grandparent; containers whose class/id looks like
   content gain, boilerplate-looking ones lose; the score is scaled by (1 - link density).
3. Take the best container, plus siblings that score well or read like paragraphs.
4. Inside it, drop short link-heavy blocks (tag lists, "read more" rows, bylines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ._document import drop_nodes

__all__ = ["find_main", "remove_boilerplate"]

_NEVER = ["script", "style", "noscript", "template", "svg", "iframe",
          "select", "textarea", "input", "object", "embed", "canvas", "video", "audio",
          "map", "dialog"]  # fmt: skip
_STRUCTURAL = (
    "nav, header, footer, aside, form, [role=navigation], [role=banner], [role=contentinfo], "
    "[role=complementary], [role=search], [aria-hidden=true], [hidden], .hidden, "
    "[style*='display:none'], [style*='display: none']"
)
_STRUCTURAL_TAGS = frozenset(("nav", "header", "footer", "aside", "form"))
_STRUCTURAL_ROLES = frozenset(("navigation", "banner", "contentinfo", "complementary", "search"))
# Image captions and credits: part of a blog post, but not of a news article's text.
_CAPTIONS = "figcaption, [class*=caption i], [class*=credit i]"
# Checked on the whole page before scoring (kept short: each selector costs a tree pass).
_GLOBAL_SUSPECT = ", ".join(
    f"[class*={w} i], [id*={w} i]"
    for w in ("comment", "sidebar", "related", "share", "social", "cookie", "newsletter")
)
# Checked inside the chosen container only.
_SUSPECT = ", ".join(
    f"[class*={w} i], [id*={w} i]"
    for w in (
        "share", "social", "comment", "author", "auteur", "related", "recommend", "cookie",
        "consent", "newsletter",
        "subscribe", "signup", "sidebar", "widget", "popup", "modal", "promo", "sponsor",
        "advert", "banner", "breadcrumb", "pagination", "pager", "author-bio", "authorbio",
        "footer", "masthead", "menu", "navbar", "toolbar", "tags", "byline", "disqus",
        "outbrain", "taboola", "paywall", "most-", "trending", "read-more", "readmore", "print",
        "caption-credit", "login", "skip", "jump", "ad-", "-ad", "ads",
    )
)  # fmt: skip
_NEGATIVE = re.compile(
    r"share|social|comment|author|auteur|related|recommend|cookie|consent|newsletter|"
    r"subscribe|signup|"
    r"sidebar|widget|popup|modal|promo|sponsor|advert|banner|breadcrumb|pagination|pager|"
    r"author-?bio|footer|masthead|menu|navbar|toolbar|\btags?\b|disqus|outbrain|taboola|"
    r"paywall|most-|trending|read-?more|skip|jump|login|(?:^|[\s_-])ads?(?:$|[\s_-])|"
    r"byline|print",
    re.I,
)
_STRONG_NEGATIVE = re.compile(r"comment|sidebar|related|share|social|cookie|newsletter", re.I)
_POSITIVE = re.compile(
    r"article|body|content|entry|main|post|text|story|blog|hentry|prose|markup|"
    r"paragraph|column",
    re.I,
)
_KEEP_TAGS = frozenset(("html", "body", "main", "article"))
_PARAGRAPHS = "p, pre, td, blockquote, li, div"
_TAG_WEIGHT = {"div": 5, "article": 10, "main": 10, "section": 3, "pre": 3, "td": 3,
               "blockquote": 3, "form": -3, "ol": -3, "ul": -3, "dl": -3, "li": -3,
               "th": -5, "h1": -5, "h2": -5, "h3": -5, "h4": -5}  # fmt: skip


def _class_id(node: LexborNode) -> str:
    attrs = node.attributes
    return f"{attrs.get('class') or ''} {attrs.get('id') or ''}"


def _ident_signals(ident: str) -> tuple[int, bool, bool]:
    """(weight, looks like boilerplate, a strong boilerplate word) for a class/id string."""
    if not ident.strip():
        return 0, False, False
    negative = _NEGATIVE.search(ident) is not None
    if _STRONG_NEGATIVE.search(ident):
        return -50, True, True
    weight = -25 if negative else 0
    if _POSITIVE.search(ident):
        weight += 25
    suspect = negative and not _POSITIVE.search(ident.replace("-content", ""))
    return weight, suspect, False


class _Signals:
    """Class/id verdicts for one page, memoised (pages repeat the same class strings)."""

    def __init__(self) -> None:
        self._memo: dict[str, tuple[int, bool, bool]] = {}

    def of(self, node: LexborNode) -> tuple[int, bool, bool]:
        ident = _class_id(node)
        found = self._memo.get(ident)
        if found is None:
            found = self._memo[ident] = _ident_signals(ident)
        return found


def _weight(node: LexborNode, signals: _Signals) -> int:
    return signals.of(node)[0]


def _text_len(node: LexborNode) -> int:
    return len(node.text(deep=True).strip())


def _link_density(node: LexborNode, length: int) -> float:
    if length == 0:
        return 1.0
    links = sum(len(a.text(deep=True).strip()) for a in node.css("a"))
    return min(1.0, links / length)


def _is_suspect(node: LexborNode, tag: str, total: int, signals: _Signals) -> bool:
    """A block whose class/id says boilerplate and that is not most of the page."""
    if tag in _KEEP_TAGS or tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "span"):
        return False
    _, suspect, strong = signals.of(node)
    if not (suspect or strong):
        return False
    length = _text_len(node)
    return not (length > total * 0.3 or (length > 600 and _link_density(node, length) < 0.3))


def _is_structural(node: LexborNode, tag: str) -> bool:
    if tag in _STRUCTURAL_TAGS:
        return True
    attrs = node.attributes
    if attrs.get("role") in _STRUCTURAL_ROLES or "hidden" in attrs:
        return True
    if attrs.get("aria-hidden") == "true" or "hidden" in (attrs.get("class") or "").split():
        return True
    return "display:none" in (attrs.get("style") or "").replace(" ", "").lower()


def _drop_suspects(root: LexborNode, selector: str, total: int, signals: _Signals) -> None:
    drop_nodes([n for n in root.css(selector) if _is_suspect(n, n.tag or "", total, signals)])


def remove_boilerplate(
    tree: LexborHTMLParser,
    root: LexborNode,
    thorough: bool = True,
    signals: _Signals | None = None,
) -> None:
    """Drop never-content tags and boilerplate-looking blocks under ``root`` (in place).

    ``thorough`` checks the long list of class/id words; otherwise only the strongest
    ones (comments, sidebars, related posts, share bars, cookie banners). One tree pass
    finds both the structural blocks (nav, header, hidden ...) and the suspects.
    """
    signals = signals or _Signals()
    tree.strip_tags(_NEVER)
    total = max(1, _text_len(root))
    doomed: list[LexborNode] = []
    suspects = _SUSPECT if thorough else _GLOBAL_SUSPECT
    for node in root.css(f"{_STRUCTURAL}, {suspects}"):
        tag = node.tag or ""
        if tag in _KEEP_TAGS:
            continue
        if _is_structural(node, tag):
            length = _text_len(node)
            if length > total * 0.6 or (
                length > total * 0.3 and node.css_first("h1, article, main") is not None
            ):
                continue  # a wrapper around the page (mis-nested aside, hydration <div hidden>)
            doomed.append(node)
        elif _is_suspect(node, tag, total, signals):
            doomed.append(node)
    drop_nodes(doomed)


@dataclass
class _Candidate:
    node: LexborNode
    score: float


_SENTENCE = re.compile(r"[.!?。,;:]")


def _register(
    node: LexborNode,
    parent_of: dict[int, int | None],
    negative: dict[int, bool],
    signals: _Signals,
) -> None:
    """Record ``node`` and its ancestors (parent id, strong-negative class) up to a known one."""
    current: LexborNode | None = node
    while current is not None:
        mem = current.mem_id
        if mem in parent_of:
            return
        if current.tag in ("html", "#document", None):
            parent_of[mem] = None
            negative[mem] = False
            return
        negative[mem] = signals.of(current)[2]
        parent = current.parent
        parent_of[mem] = parent.mem_id if parent is not None else None
        current = parent


def _score_candidates(
    root: LexborNode, signals: _Signals
) -> tuple[dict[int, _Candidate], dict[int, int]]:
    """Readability-style scores for the containers of paragraphs, and for every ancestor
    the amount of sentence-like paragraph text below it."""
    scores: dict[int, _Candidate] = {}
    prose: dict[int, int] = {}
    negative: dict[int, bool] = {}
    parent_of: dict[int, int | None] = {}
    good: list[tuple[int, int]] = []
    for para in root.css(_PARAGRAPHS):
        if para.tag == "div":
            own = para.text(deep=False)
            if len(own) < 80 or len(own.strip()) < 80:
                continue
        text = para.text(deep=True)
        length = len(text.strip())
        if length < 25:
            continue
        points = 1.0 + text.count(",") + text.count("،") + min(length // 100, 3)
        if para.tag == "li":
            points *= 0.5
        ancestor = para.parent
        for level in range(3):
            if ancestor is None or ancestor.tag in ("html", "#document", None):
                break
            entry = scores.get(ancestor.mem_id)
            if entry is None:
                base = _TAG_WEIGHT.get(ancestor.tag or "", 0) + _weight(ancestor, signals)
                entry = _Candidate(ancestor, float(base))
                scores[ancestor.mem_id] = entry
            entry.score += points / (1, 2, 3)[level]
            ancestor = ancestor.parent
        if length >= 40 and _SENTENCE.search(text) and para.tag != "li":
            parent = para.parent
            if parent is not None:
                _register(parent, parent_of, negative, signals)
                good.append((parent.mem_id, length))
    # Sum prose over ancestors with dictionary walks (each tree node was visited once).
    for mem, length in good:
        chain: list[int] = []
        current: int | None = mem
        while current is not None:
            if negative.get(current):  # prose inside comments or related boxes
                chain = []
                break
            chain.append(current)
            current = parent_of.get(current)
        for ancestor_mem in chain:
            prose[ancestor_mem] = prose.get(ancestor_mem, 0) + length
    return scores, prose


def _climb(best: LexborNode, prose: dict[int, int], signals: _Signals) -> LexborNode:
    """Move up while the parent holds clearly more prose and is not a link farm."""
    node = best
    total = max(prose.values(), default=0)
    for _ in range(12):
        parent = node.parent
        if parent is None or parent.tag in ("body", "html", None):
            break
        mine, theirs = prose.get(node.mem_id, 0), prose.get(parent.mem_id, 0)
        if theirs < mine * 1.25 + 80:
            # No new prose here, but an ancestor a few levels up may add a lot (page
            # builders wrap each section in several layers of divs).
            if mine >= total * 0.5:
                break  # already holds most of the page's prose
            ahead = parent.parent
            for _ in range(4):
                if ahead is None or ahead.tag in ("body", "html", None):
                    ahead = None
                    break
                if prose.get(ahead.mem_id, 0) >= mine * 1.25 + 80:
                    break
                ahead = ahead.parent
            if ahead is None or prose.get(ahead.mem_id, 0) < mine * 1.25 + 80:
                break
        length = _text_len(parent)
        if _link_density(parent, length) > 0.33 or _weight(parent, signals) <= -25:
            break
        node = parent
    return node


def find_main(
    tree: LexborHTMLParser, keep: str = "", keep_text: re.Pattern[str] | None = None
) -> tuple[list[LexborNode], set[int]]:
    """The nodes holding the main text, in document order (cleaned in place), and the
    ``mem_id`` of caption/credit nodes in them (for Markdown only, not body text).

    Blocks matching the CSS selector ``keep`` or whose text matches ``keep_text`` (link
    cards, product cards) survive the final pruning even when they are mostly links.
    """
    root = tree.body
    if root is None:
        return [], set()
    signals = _Signals()
    remove_boilerplate(tree, root, thorough=False, signals=signals)
    scores, prose = _score_candidates(root, signals)
    if not scores:
        return [root], set()
    ranked: list[tuple[float, LexborNode]] = []
    for entry in sorted(scores.values(), key=lambda e: -e.score)[:5]:
        length = _text_len(entry.node)
        ranked.append((entry.score * (1 - _link_density(entry.node, length)), entry.node))
    ranked.sort(key=lambda e: -e[0])
    best_score, best = ranked[0]
    # A parent that holds several strong candidates is the real container.
    parent = best.parent
    if parent is not None and parent.tag not in ("body", "html"):
        strong = sum(1 for s, n in ranked[1:] if n.parent == parent and s >= best_score * 0.75)
        if strong >= 2:
            best = parent
    best = _climb(best, prose, signals)
    nodes = _with_siblings(best, best_score, scores)
    total = max(1, sum(_text_len(n) for n in nodes))
    quiet: set[int] = set()
    for node in nodes:
        _drop_suspects(node, _SUSPECT, total, signals)
        _prune(node, keep, keep_text, signals)
        quiet.update(n.mem_id for n in node.css(_CAPTIONS))
    return nodes, quiet


def _with_siblings(
    best: LexborNode, best_score: float, scores: dict[int, _Candidate]
) -> list[LexborNode]:
    parent = best.parent
    if parent is None or parent.tag in ("html", None):
        return [best]
    threshold = max(10.0, best_score * 0.2)
    best_class = best.attributes.get("class")
    out: list[LexborNode] = []
    for sibling in parent.iter():
        if sibling == best:
            out.append(sibling)
            continue
        entry = scores.get(sibling.mem_id)
        bonus = (
            best_score * 0.2 if best_class and sibling.attributes.get("class") == best_class else 0
        )
        if entry is not None and entry.score + bonus >= threshold:
            out.append(sibling)
        elif sibling.tag == "p":
            length = _text_len(sibling)
            density = _link_density(sibling, length)
            if length > 80 and density < 0.25:
                out.append(sibling)
            elif 0 < length <= 80 and density == 0 and sibling.text().rstrip().endswith("."):
                out.append(sibling)
    return out or [best]


def _prune(
    root: LexborNode, keep: str, keep_text: re.Pattern[str] | None, signals: _Signals
) -> None:
    """Drop short, link-heavy or form-like blocks inside the chosen container."""
    doomed: list[LexborNode] = []
    for node in root.css("div, section, ul, ol, table, dl, figure, header, footer, aside, nav"):
        length = _text_len(node)
        if length > 300:
            if length < 5000 and _link_density(node, length) > 0.5:
                if not (keep and node.css_first(keep) is not None):
                    doomed.append(node)
            continue
        if length == 0:
            if node.css_first("img") is None and not (keep and node.css_matches(keep)):
                doomed.append(node)
            continue
        density = _link_density(node, length)
        weight = _weight(node, signals)
        if (weight < 0 and density > 0.2) or density > 0.6:
            if keep and (node.css_matches(keep) or node.css_first(keep) is not None):
                continue
            if keep_text is not None and keep_text.search(node.text(deep=True, separator=" ")):
                continue
            doomed.append(node)
    drop_nodes(doomed)

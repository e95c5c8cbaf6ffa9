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

from ._boilerplate import (
    Signals,
    class_weight,
    drop_suspects,
    link_density,
    remove_boilerplate,
)
from ._document import Doomed
from ._walk import TagList, css, css_first, select_tags, text_length, text_stats

__all__ = ["find_main", "remove_boilerplate"]

# Image captions and credits: part of a blog post, but not of a news article's text.
_CAPTIONS = "figcaption, [class*=caption i], [class*=credit i]"
_PARAGRAPHS = TagList(("p", "pre", "td", "blockquote", "li", "div"))
_BLOCKS = TagList(
    ("div", "section", "ul", "ol", "table", "dl", "figure", "header", "footer", "aside", "nav")
)
_TAG_WEIGHT = {"div": 5, "article": 10, "main": 10, "section": 3, "pre": 3, "td": 3,
               "blockquote": 3, "form": -3, "ol": -3, "ul": -3, "dl": -3, "li": -3,
               "th": -5, "h1": -5, "h2": -5, "h3": -5, "h4": -5}  # fmt: skip


@dataclass
class _Candidate:
    node: LexborNode
    score: float


_TOP_TAGS = frozenset(("html", "#document", None))
# How many levels above a parent the climb looks for more prose (page builders and CMS
# themes wrap each section of a post in up to seven layers of their own).
_LOOKAHEAD = 8


_MAX_COMMAS = 30
_PROSE_ELSEWHERE = 1500  # characters of paragraph prose outside a prose-less best candidate


def _register(
    node: LexborNode,
    parent_of: dict[int, int | None],
    negative: dict[int, bool],
    signals: Signals,
    total: int,
) -> None:
    """Record ``node`` and its ancestors (parent id, strong-negative class) up to a known one.
    A strong word on a block that holds most of the page's text names a layout, not a
    sidebar or comment box ("grid-toc-content-sidebar" around the whole article)."""
    current: LexborNode | None = node
    while current is not None:
        mem = current.mem_id
        if mem in parent_of:
            return
        if current.tag in ("html", "#document", None):
            parent_of[mem] = None
            negative[mem] = False
            return
        strong = signals.of(current)[2]
        negative[mem] = strong and text_length(current) <= total * 0.6
        parent = current.parent
        parent_of[mem] = parent.mem_id if parent is not None else None
        current = parent


def _score_candidates(
    root: LexborNode, signals: Signals, total: int
) -> tuple[dict[int, _Candidate], dict[int, int]]:
    """Readability-style scores for the containers of paragraphs, and for every ancestor
    the amount of sentence-like paragraph text below it."""
    scores: dict[int, _Candidate] = {}
    prose: dict[int, int] = {}
    negative: dict[int, bool] = {}
    parent_of: dict[int, int | None] = {}
    good: list[tuple[int, int]] = []
    for para in select_tags(root, _PARAGRAPHS):
        tag = para.tag
        if tag == "div" and text_length(para, deep=False) < 80:
            continue
        length, commas, sentence = text_stats(para)
        if length < 25:
            continue
        points = 1.0 + min(commas, _MAX_COMMAS) + min(length // 100, 3)
        if tag == "li":
            points *= 0.5
        parent = ancestor = para.parent
        for divisor in (1, 2, 3):
            if ancestor is None:
                break
            ancestor_tag = ancestor.tag
            if ancestor_tag in _TOP_TAGS:
                break
            mem = ancestor.mem_id
            entry = scores.get(mem)
            if entry is None:
                base = _TAG_WEIGHT.get(ancestor_tag or "", 0) + class_weight(ancestor, signals)
                entry = scores[mem] = _Candidate(ancestor, float(base))
            entry.score += points / divisor
            ancestor = ancestor.parent
        if length >= 40 and tag != "li" and parent is not None and sentence:
            _register(parent, parent_of, negative, signals, total)
            good.append((parent.mem_id, length))
    # Sum prose over ancestors with dictionary walks (each tree node was visited once), one
    # walk per parent: paragraphs that share a parent share its chain.
    by_parent: dict[int, int] = {}
    for mem, length in good:
        by_parent[mem] = by_parent.get(mem, 0) + length
    for mem, length in by_parent.items():
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


def _climb(
    best: LexborNode, prose: dict[int, int], signals: Signals, links: dict[int, int]
) -> LexborNode:
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
            for _ in range(_LOOKAHEAD):
                if ahead is None or ahead.tag in ("body", "html", None):
                    ahead = None
                    break
                if prose.get(ahead.mem_id, 0) >= mine * 1.25 + 80:
                    break
                ahead = ahead.parent
            if ahead is None or prose.get(ahead.mem_id, 0) < mine * 1.25 + 80:
                break
        length = text_length(parent)
        if link_density(parent, length, links) > 0.33:
            break
        weight = class_weight(parent, signals)
        # A strong boilerplate word (comments, sidebar, related ...) always stops the climb;
        # a weaker one ("jump-section", "widget-span") only when the prose above does not
        # at least double what we hold.
        if weight <= -50 or (weight <= -25 and _prose_ahead(parent, prose) < mine * 2 + 200):
            break
        node = parent
    return node


def _prose_ahead(node: LexborNode, prose: dict[int, int]) -> int:
    """The most prose held by ``node`` or one of its next _LOOKAHEAD ancestors."""
    most = 0
    current: LexborNode | None = node
    for _ in range(_LOOKAHEAD + 1):
        if current is None or current.tag in ("body", "html", None):
            break
        most = max(most, prose.get(current.mem_id, 0))
        current = current.parent
    return most


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
    signals = Signals()
    remove_boilerplate(root, thorough=False, signals=signals)
    scores, prose = _score_candidates(root, signals, text_length(root))
    if not scores:
        return [root], set()
    links: dict[int, int] = {}  # link id -> text length (the candidates nest)
    ranked: list[tuple[float, LexborNode]] = []
    for entry in sorted(scores.values(), key=lambda e: -e.score)[:5]:
        length = text_length(entry.node)
        density = link_density(entry.node, length, links)
        ranked.append((entry.score * (1 - density), entry.node))
    ranked.sort(key=lambda e: -e[0])
    best_score, best = ranked[0]
    if (
        not prose.get(best.mem_id)
        and max(prose.values(), default=0) >= _PROSE_ELSEWHERE
        and css_first(best, "p") is None
    ):
        # A list without a paragraph (a paper's references, whose commas score high; an
        # archive of months) while the page has real paragraphs elsewhere: the best
        # container of those.
        with_prose = [(s, n) for s, n in ranked if prose.get(n.mem_id)]
        if not with_prose:
            with_prose = [
                (e.score, e.node)
                for e in sorted(scores.values(), key=lambda e: -e.score)
                if prose.get(e.node.mem_id)
            ][:1]
        if with_prose:
            best_score, best = with_prose[0]
    # A parent that holds several strong candidates is the real container.
    parent = best.parent
    if parent is not None and parent.tag not in ("body", "html"):
        parent_mem = parent.mem_id
        strong = sum(
            1
            for s, n in ranked[1:]
            if s >= best_score * 0.75 and (up := n.parent) is not None and up.mem_id == parent_mem
        )
        if strong >= 2:
            best = parent
    best = _climb(best, prose, signals, links)
    nodes = _with_siblings(best, best_score, scores)
    total = max(1, sum(text_length(n) for n in nodes))
    quiet: set[int] = set()
    for node in nodes:
        drop_suspects(node, total, signals)
        _prune(node, keep, keep_text, signals)
        quiet.update(n.mem_id for n in css(node, _CAPTIONS))
    return nodes, quiet


def _with_siblings(
    best: LexborNode, best_score: float, scores: dict[int, _Candidate]
) -> list[LexborNode]:
    parent = best.parent
    if parent is None or parent.tag in ("html", None):
        return [best]
    threshold = max(10.0, best_score * 0.2)
    best_class = best.attributes.get("class")
    best_mem = best.mem_id
    out: list[LexborNode] = []
    for sibling in parent.iter():
        if sibling.mem_id == best_mem:
            out.append(sibling)
            continue
        entry = scores.get(sibling.mem_id)
        bonus = (
            best_score * 0.2 if best_class and sibling.attributes.get("class") == best_class else 0
        )
        if entry is not None and entry.score + bonus >= threshold:
            out.append(sibling)
        elif sibling.tag == "p":
            length = text_length(sibling)
            density = link_density(sibling, length)
            if length > 80 and density < 0.25:
                out.append(sibling)
            elif 0 < length <= 80 and density == 0 and sibling.text().rstrip().endswith("."):
                out.append(sibling)
    return out or [best]


def _prune(
    root: LexborNode, keep: str, keep_text: re.Pattern[str] | None, signals: Signals
) -> None:
    """Drop short, link-heavy or form-like blocks inside the chosen container."""
    doomed = Doomed()
    links: dict[int, int] = {}  # link id -> text length (blocks nest; measure each link once)
    products: dict[int, bool | None] = {}  # block id -> whether it reads as a product card
    for node in select_tags(root, _BLOCKS):
        if doomed.skip(node):
            continue
        length = text_length(node)
        if length > 300:
            if length < 5000 and link_density(node, length, links) > 0.5:
                if not (keep and css_first(node, keep) is not None):
                    doomed.add(node)
            continue
        if length == 0:
            if css_first(node, "img") is None and not (keep and css_first(node, keep) is not None):
                doomed.add(node)
            continue
        density = link_density(node, length, links)
        weight = class_weight(node, signals)
        if (weight < 0 and density > 0.2) or density > 0.6:
            if keep and css_first(node, keep) is not None:
                continue
            if keep_text is not None and (
                keep_text.search(node.text(deep=True, separator=" "))
                or _in_product(node, keep_text, products)
            ):
                continue
            doomed.add(node)
    doomed.drop()


def _in_product(node: LexborNode, keep_text: re.Pattern[str], seen: dict[int, bool | None]) -> bool:
    """Whether ``node`` (a link-dense block: a card's button row) sits in a small block
    whose text reads as a product: a price and then a buy button. ``seen`` keeps each
    ancestor's verdict (None: too big to be a card), so no text is read twice."""
    parent = node.parent
    for _ in range(3):
        if parent is None or parent.tag in ("body", "html", "article", "main"):
            return False
        mem = parent.mem_id
        if mem not in seen:
            text = parent.text(deep=True, separator=" ")
            seen[mem] = None if len(text) > 600 else bool(keep_text.search(text))
        verdict = seen[mem]
        if verdict is None:
            return False
        if verdict:
            return True
        parent = parent.parent
    return False

"""Tag lists and text lengths over the parsed tree: in C when the tree walks of
``scraper/_lexbor_walk.pyx`` are built for the selectolax at hand, else with selectolax's
own calls (which give exactly the same; ``tests/extract/test_extract_walk.py``)."""

from __future__ import annotations

import re

import selectolax
from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = ["NATIVE", "ClassIdWords", "TagList", "select_class_id_words", "select_head",
           "select_structural", "select_tags", "text_length", "text_stats"]  # fmt: skip

try:
    from .._lexbor_walk import BUILT_FOR
    from .._lexbor_walk import select_class_id_words as _native_words
    from .._lexbor_walk import select_head as _native_head
    from .._lexbor_walk import select_structural as _native_structural
    from .._lexbor_walk import select_tags as _native_select
    from .._lexbor_walk import text_length as _native_length
    from .._lexbor_walk import text_stats as _native_stats

    # (the walks read lexbor's structs as the built-against version lays them out)
    NATIVE = BUILT_FOR == selectolax.__version__
except ImportError:
    NATIVE = False


class TagList:
    """A list of HTML tag names, as a selector and as lexbor's tag ids."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self.selector = ", ".join(names)
        # Known HTML tags have fixed ids; any other name gets one per document.
        one, two = LexborHTMLParser(""), LexborHTMLParser("<p>")
        self.ids = tuple(int(one.create_node(name).tag_id) for name in names)
        if self.ids != tuple(int(two.create_node(name).tag_id) for name in names):
            raise ValueError(f"not all known HTML tags: {names}")


class ClassIdWords:
    """Words looked for in class and id values, ASCII case aside: as a selector list
    (``[class*=w i], [id*=w i], ...``) and as bytes."""

    def __init__(self, words: tuple[str, ...]) -> None:
        if not all(w and w.isascii() and w == w.lower() and w.isalnum() for w in words):
            raise ValueError(f"not lowercase ASCII letters and digits: {words}")
        self.selector = ", ".join(f"[class*={w} i], [id*={w} i]" for w in words)
        self.encoded = tuple(w.encode() for w in words)


def select_class_id_words(root: LexborNode, words: ClassIdWords) -> list[LexborNode]:
    """``root.css(words.selector)``, each element once."""
    if NATIVE:
        found: list[LexborNode] = _native_words(root, words.encoded)
        return found
    return _once(root.css(words.selector))


HEAD_SELECTOR = "meta, script[type], script[src], link[rel], title, base[href], [itemprop]"


def select_head(root: LexborNode) -> list[LexborNode]:
    """``root.css(HEAD_SELECTOR)`` (what a page's head and microdata offer), each element
    once."""
    if NATIVE:
        found: list[LexborNode] = _native_head(root)
        return found
    return _once(root.css(HEAD_SELECTOR))


# What select_structural looks for besides its tags.
STRUCTURAL_ATTRIBUTES = "[role], [aria-hidden=true], [hidden], .hidden, [style*=display]"


def select_structural(root: LexborNode, tags: TagList) -> list[LexborNode]:
    """``root.css(f"{tags.selector}, {STRUCTURAL_ATTRIBUTES}")``, each element once."""
    if NATIVE:
        found: list[LexborNode] = _native_structural(root, tags.ids)
        return found
    return _once(root.css(f"{tags.selector}, {STRUCTURAL_ATTRIBUTES}"))


def _once(nodes: list[LexborNode]) -> list[LexborNode]:
    unique: list[LexborNode] = []
    last = -1
    for node in nodes:
        if node.mem_id != last:  # (the engine lists a node once per selector it matches)
            unique.append(node)
            last = node.mem_id
    return unique


def select_tags(root: LexborNode, tags: TagList) -> list[LexborNode]:
    """``root.css(tags.selector)``."""
    if NATIVE:
        found: list[LexborNode] = _native_select(root, tags.ids)
        return found
    return root.css(tags.selector)


def text_length(node: LexborNode, deep: bool = True) -> int:
    """``len(node.text(deep=deep).strip())``."""
    if NATIVE:
        length: int = _native_length(node, deep)
        return length
    return len(node.text(deep=deep).strip())


_SENTENCE = re.compile(r"[.!?\u3002,;:]")


def text_stats(node: LexborNode) -> tuple[int, int, bool]:
    """For ``text = node.text(deep=True)``: ``len(text.strip())``, its commas (``,`` and
    the Arabic ``\u060c``) and whether it holds sentence punctuation (``.!?\u3002,;:``)."""
    if NATIVE:
        stats: tuple[int, int, bool] = _native_stats(node)
        return stats
    text = node.text(deep=True)
    commas = text.count(",") + text.count("\u060c")
    return len(text.strip()), commas, _SENTENCE.search(text) is not None

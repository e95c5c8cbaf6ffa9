"""Text lengths and selector lists over the parsed tree: in C when the tree walks of
``scraper/_lexbor_walk.pyx`` are built for the selectolax at hand, else with selectolax's
own calls, which give exactly the same (``tests/extract/test_extract_walk.py``). Selector
lists that the C walk cannot match (pseudo-classes, combinators other than the descendant
one) always go to selectolax.
"""

from __future__ import annotations

import re

import selectolax
from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = ["NATIVE", "ClassIdWords", "Compounds", "TagList", "compounds", "css", "css_first",
           "select", "select_class_id_words", "select_first", "select_head",
           "select_containing", "select_structural", "select_tags", "text_length",
           "text_stats"]  # fmt: skip

try:
    from .._lexbor_walk import BUILT_FOR
    from .._lexbor_walk import select_class_id_words as _native_words
    from .._lexbor_walk import select_compounds as _native_compounds
    from .._lexbor_walk import select_containing as _native_containing
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


# Attributes whose values HTML compares without case in selectors (lexbor's list).
_CASELESS = frozenset(
    ("accept", "accept-charset", "align", "alink", "axis", "bgcolor", "charset", "checked",
     "clear", "codetype", "color", "compact", "declare", "defer", "dir", "direction",
     "disabled", "enctype", "face", "frame", "hreflang", "http-equiv", "lang", "language",
     "link", "media", "method", "multiple", "nohref", "noresize", "noshade", "nowrap",
     "readonly", "rel", "rev", "rules", "scope", "scrolling", "selected", "shape", "target",
     "text", "type", "valign", "valuetype", "vlink")
)  # fmt: skip
_OPS = {"": 0, "=": 1, "~=": 2, "|=": 3, "^=": 4, "$=": 5, "*=": 6}
_COMPOUND = re.compile(r"([a-z][a-z0-9]*|\*)?((?:[.#][\w-]+|\[[^\]]*\])*)")
_DESCENDANT = re.compile(r"\s+(?![>+~])")
_PART = re.compile(
    r"\.([\w-]+)|#([\w-]+)"
    r"|\[\s*([a-z][a-z0-9_:-]*)\s*(?:([~|^$*]?=)\s*"
    r"(?:\"([^\"\\]+)\"|'([^'\\]+)'|([\w-]+))\s*([is])?\s*)?\]"
)

_Test = tuple[bytes, int, bytes | None, int]  # name, op, value, flags (_lexbor_walk.pyx)
Compound = tuple[int, bytes | None, tuple[bytes, ...], tuple[_Test, ...]]
Compiled = tuple[Compound, ...]  # one selector: its compounds, left to right


class Compounds:
    """A CSS selector list; compiled for the C walk when every selector is a compound
    selector (a known tag or ``*``, ``.class``, ``#id``, ``[attr]`` tests; no
    pseudo-classes) or compound selectors joined by descendant combinators (``a b``), else
    left to selectolax."""

    def __init__(self, selector: str) -> None:
        self.selector = selector
        self.compiled: tuple[Compiled, ...] | None = _compile(selector)


def _compile(selector: str) -> tuple[Compiled, ...] | None:
    out: list[Compiled] = []
    for item in selector.split(","):
        item = item.strip()
        if not item:
            return None
        chain: list[Compound] = []
        at = 0
        while True:
            whole = _COMPOUND.match(item, at)
            assert whole is not None  # (everything in it is optional)
            if whole.end() == at:
                return None  # nothing a compound is made of: a combinator, a pseudo-class
            compound = _compile_compound(whole.group(1), whole.group(2))
            if compound is None:
                return None
            chain.append(compound)
            at = whole.end()
            if at == len(item):
                break
            space = _DESCENDANT.match(item, at)
            if space is None:
                return None  # another combinator or a pseudo-class
            at = space.end()
        out.append(tuple(chain))
    return tuple(out) if out else None


def _compile_compound(tag_name: str | None, rest: str) -> Compound | None:
    tag = 0
    if tag_name and tag_name != "*":
        try:
            tag = TagList((tag_name,)).ids[0]
        except ValueError:
            return None
    ident: bytes | None = None
    classes: list[bytes] = []
    tests: list[_Test] = []
    at = 0
    while at < len(rest):
        part = _PART.match(rest, at)
        if part is None:
            return None
        at = part.end()
        cls, hash_, name, op, *values, modifier = part.groups()
        if cls:
            classes.append(cls.encode())
        elif hash_:
            if ident is not None:
                return None
            ident = hash_.encode()
        else:
            value = next((v for v in values if v is not None), None)
            flags = (1 if modifier == "i" else 2 if modifier == "s" else 0) | (
                4 if name in _CASELESS else 0
            )
            encoded = value.encode() if value is not None else None
            tests.append((name.encode(), _OPS[op or ""], encoded, flags))
    if not (tag or ident or classes or tests or tag_name == "*"):
        return None
    return (tag, ident, tuple(classes), tuple(tests))


_KNOWN: dict[str, Compounds] = {}


def compounds(selector: str) -> Compounds:
    """``Compounds(selector)``, compiled once per selector string."""
    found = _KNOWN.get(selector)
    if found is None:
        found = _KNOWN[selector] = Compounds(selector)
    return found


def select(root: LexborNode, selectors: Compounds) -> list[LexborNode]:
    """``root.css(selectors.selector)``."""
    if NATIVE and selectors.compiled is not None:
        found: list[LexborNode] = _native_compounds(root, selectors.compiled)
        return found
    return root.css(selectors.selector)


def select_first(root: LexborNode, selectors: Compounds) -> LexborNode | None:
    """``root.css_first(selectors.selector)``."""
    if NATIVE and selectors.compiled is not None:
        found: list[LexborNode] = _native_compounds(root, selectors.compiled, True)
        return found[0] if found else None
    return root.css_first(selectors.selector)


def css(root: LexborNode, selector: str) -> list[LexborNode]:
    """``root.css(selector)``, by the C walk when it can match the selectors."""
    return select(root, compounds(selector))


def css_first(root: LexborNode, selector: str) -> LexborNode | None:
    """``root.css_first(selector)``, likewise."""
    return select_first(root, compounds(selector))


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


def select_containing(root: LexborNode, tags: TagList, words: tuple[str, ...]) -> list[LexborNode]:
    """``root.css(", ".join(f':is({tags}):lexbor-contains("{w}" i)' for w in words))``: the
    elements of ``tags`` listed once per word (lowercase ASCII) that one of their text
    children holds, ASCII case aside."""
    if NATIVE and all(w and w.isascii() and w == w.lower() for w in words):
        found: list[LexborNode] = _native_containing(
            root, tags.ids, tuple(w.encode() for w in words)
        )
        return found
    holders = f":is({tags.selector})"
    return root.css(", ".join(f'{holders}:lexbor-contains("{w}" i)' for w in words))

"""Scans of a page's bytes and of short strings: in C when ``scraper/_text_scan.pyx`` is
built, else in Python, with exactly the same answers (``tests/extract/test_extract_scan.py``
compares them)."""

from __future__ import annotations

import re

__all__ = ["NATIVE", "Words", "byte_nesting", "escape", "read_marks", "tidy", "utf8_valid"]

try:
    from .._text_scan import escape as _native_escape
    from .._text_scan import has_word as _native_has_word
    from .._text_scan import nesting as _native_nesting
    from .._text_scan import read_marks as _native_read_marks
    from .._text_scan import tidy as _native_tidy
    from .._text_scan import utf8_valid as _native_utf8_valid

    NATIVE = True
except ImportError:
    NATIVE = False


def read_marks(source: bytes, tails: tuple[bytes, ...]) -> tuple[bool, bool]:
    """Whether some ``read`` in ``source`` is followed by one of ``tails``, and whether
    some ``read`` follows ``min ``."""
    if NATIVE:
        marks: tuple[bool, bool] = _native_read_marks(source, tails)
        return marks
    class_word = min_read = False
    # (a loop of find() between the few "read"s beats a regex with a Python loop)
    at = source.find(b"read")
    while at >= 0 and not (class_word and min_read):
        class_word = class_word or source.startswith(tails, at + 4)
        min_read = min_read or (at >= 4 and source[at - 4 : at] == b"min ")
        at = source.find(b"read", at + 4)
    return class_word, min_read


def byte_nesting(
    source: bytes, flat: tuple[bytes, ...], least: int = 0
) -> tuple[int, int | None] | None:
    """The C scan behind ``_decode.may_nest_deeper`` (the count of ``<`` and, when it is at
    least ``least``, the deepest running sum of start and end tags, tags starting a name of
    ``flat`` aside), or None when the C helpers are not built."""
    if NATIVE:
        found: tuple[int, int | None] = _native_nesting(source, flat, least)
        return found
    return None


def utf8_valid(source: bytes) -> bool | None:
    """Whether ``source.decode("utf-8")`` would succeed, checked in C without decoding; None
    when the C helpers are not built."""
    if NATIVE:
        valid: bool = _native_utf8_valid(source)
        return valid
    return None


class Words:
    """ASCII words looked for anywhere in a string (``Words(...).search(text)``: whether
    one occurs), in C for strings of one byte per character, else by one regex."""

    def __init__(self, words: tuple[str, ...]) -> None:
        if not all(w and w.isascii() for w in words) or len(words) > 255:
            raise ValueError(f"not up to 255 ASCII words: {words}")
        self.pattern = re.compile("|".join(re.escape(w) for w in words))
        self.encoded = tuple(sorted(w.encode() for w in words))
        bounds = bytearray(512)
        for at, word in enumerate(self.encoded):
            first = word[0]
            if bounds[2 * first + 1] == 0:
                bounds[2 * first] = at
            bounds[2 * first + 1] = at + 1
        self.index = bytes(bounds)

    def search(self, text: str) -> bool:
        if NATIVE:
            found: bool | None = _native_has_word(text, self.encoded, self.index)
            if found is not None:
                return found
        return self.pattern.search(text) is not None


def tidy(text: str) -> str:
    """Every run of white space within a line to one space, every line stripped, and the
    empty lines at both ends gone."""
    if NATIVE:
        tidied: str = _native_tidy(text)
        return tidied
    if "\n" in text:
        return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()
    return " ".join(text.split())


# What CommonMark would read as markup in text.
_SPECIAL = "\\`*_[]<>|"
_ESCAPE_TABLE = str.maketrans({c: "\\" + c for c in _SPECIAL})
_SPECIAL_RE = re.compile("[" + re.escape(_SPECIAL) + "]")


def escape(text: str) -> str:
    """``text`` with a backslash before each character CommonMark would read as markup."""
    if NATIVE:
        escaped: str = _native_escape(text, _SPECIAL)
        return escaped
    return text.translate(_ESCAPE_TABLE) if _SPECIAL_RE.search(text) else text

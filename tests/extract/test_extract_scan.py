"""The C scans of bytes and strings (scraper/_text_scan.pyx) answer exactly what the Python
they stand for answers, on generated input."""

from __future__ import annotations

import os
import re
from itertools import accumulate

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.extract import _decode, _scan
from scraper.extract._scan import read_marks, utf8_valid

try:
    from scraper import _text_scan
except ImportError:  # (not built: the Python stands in, tested all the same)
    _text_scan = None  # type: ignore[assignment]


def test_scans_are_built_in_ci() -> None:
    # `make` builds them (Cython is a build requirement); CI must run them.
    if not os.environ.get("CI"):
        pytest.skip("only required in CI (a plain `pip install` may lack Cython or a compiler)")
    assert _text_scan is not None
    assert _scan.NATIVE


def _python_read_marks(source: bytes, tails: tuple[bytes, ...]) -> tuple[bool, bool]:
    class_word = any(source.startswith(tails, at + 4) for at in _finds(source, b"read"))
    min_read = any(at >= 4 and source[at - 4 : at] == b"min " for at in _finds(source, b"read"))
    return class_word, min_read


def _finds(source: bytes, word: bytes) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(word), source)]


_TAILS = (b"ing-time", b"time", b"-time")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([b"read", b"min ", b"min", b"ing-time", b"time", b"-", b"r",
                                 b"ead", b" ", b"\xc3\xa9", b"x"]), max_size=30))  # fmt: skip
def test_read_marks_match_python(parts: list[bytes]) -> None:
    source = b"".join(parts)
    expected = _python_read_marks(source, _TAILS)
    assert read_marks(source, _TAILS) == expected
    if _text_scan is not None:
        assert _text_scan.read_marks(source, _TAILS) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([b"<", b"</", b">", b"p", b"pre", b"br", b"BR", b"b", b"a",
                                 b"div", b"img", b"_", b"1", b" ", b"/", b"path", b"!--", b"li",
                                 b"\xe2\x80\x94", b"tbody", b"x"]), max_size=40))  # fmt: skip
def test_tag_nesting_matches_the_regex(parts: list[bytes]) -> None:
    # The C scan counts what _decode's regex counts: start tags +1, end tags -1, the
    # names that never nest (void elements, optional end tags) aside.
    source = b"".join(parts)
    steps = [_decode._STEP_BYTES[m] for m in _decode._TAG_MARK_BYTES.findall(source)]
    deepest = max(accumulate(steps), default=None)
    if _text_scan is not None:
        count = source.count(b"<")
        assert _text_scan.nesting(source, _decode._FLAT_BYTES) == (count, deepest)
        assert _text_scan.nesting(source, _decode._FLAT_BYTES, count) == (count, deepest)
        assert _text_scan.nesting(source, _decode._FLAT_BYTES, count + 1) == (count, None)
    # may_nest_deeper answers from the scan on pages with enough tags to be checked
    times = _decode.NESTING_CHECK_FROM // max(1, source.count(b"<")) + 1
    page = source * times
    steps = [_decode._STEP_BYTES[m] for m in _decode._TAG_MARK_BYTES.findall(page)]
    enough = page.count(b"<") >= _decode.NESTING_CHECK_FROM
    for limit in (0, 3, 3000):
        expected = enough and max(accumulate(steps), default=0) > limit
        assert _decode.may_nest_deeper(page, limit) == expected, limit


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([b"a", b"\x00", b"\x7f", b"\x80", b"\xbf", b"\xc0", b"\xc1",
                                 b"\xc2", b"\xdf", b"\xe0", b"\xed", b"\xef", b"\xf0", b"\xf4",
                                 b"\xf5", b"\xff", b"\x9f", b"\xa0", b"\x8f", b"\x90",
                                 b"abcdefgh", "\u00e9\u6f22\U0001d11e\ud7ff\ue000".encode()]),
                max_size=30))  # fmt: skip
def test_utf8_check_matches_the_decoder(parts: list[bytes]) -> None:
    data = b"".join(parts)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        expected = False
    else:
        expected = True
    if _text_scan is not None:
        assert _text_scan.utf8_valid(data) is expected
    assert utf8_valid(data) in (expected, None)


_WORDS = _scan.Words(("share", "sh", "comment", "most-", "-ad", "ads", "a", "zz"))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("shareomnt-adsz _\xe9\xff\u0161\U0001d11eSH")),
               max_size=20))  # fmt: skip
def test_words_search_matches_the_regex(text: str) -> None:
    # (one byte per character, in C; wider strings fall back to the regex)
    expected = _WORDS.pattern.search(text) is not None
    assert _WORDS.search(text) is expected
    assert _WORDS.search(text.replace("a", "")) is (
        _WORDS.pattern.search(text.replace("a", "")) is not None
    )
    if _text_scan is not None and text.isascii():
        assert _text_scan.has_word(text, _WORDS.encoded, _WORDS.index) is expected


def _python_tidy(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000"
                                             "\xe9\u0161\U0001d11e*")), max_size=30))  # fmt: skip
def test_tidy_matches_python(text: str) -> None:
    assert _scan.tidy(text) == _python_tidy(text)
    if _text_scan is not None:
        assert _text_scan.tidy(text) == _python_tidy(text)


def test_tag_count_on_long_pages() -> None:
    # (past the 255 rounds of 16 bytes that the SSE2 count holds in one register)
    if _text_scan is None:
        pytest.skip("the C scans are not built")
    for page in (b"<" * 5000, b"a<b" * 3001, b"<p>" + b"x" * 9000 + b"</p>" * 1000):
        assert _text_scan.nesting(page, _decode._FLAT_BYTES, 10**9) == (page.count(b"<"), None)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("a \\`*_[]<>|#\xe9\u0161\U0001d11e")), max_size=20))
def test_escape_matches_python(text: str) -> None:
    expected = text.translate(_scan._ESCAPE_TABLE) if _scan._SPECIAL_RE.search(text) else text
    assert _scan.escape(text) == expected
    if _text_scan is not None:
        assert _text_scan.escape(text, _scan._SPECIAL) == expected

"""Bytes to text: BOM, ``<meta charset>``, UTF-8, then a lenient fallback.

Binary input (images, archives, PDFs) is rejected with :class:`ExtractionError`.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from itertools import accumulate

from ..errors import ExtractionError
from ._scan import byte_nesting, utf8_valid

__all__ = ["Page", "decode_html", "decode_page", "limit_nesting", "may_nest_deeper", "read_page"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.I
)
_BINARY_MAGIC = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"BZh")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, *range(0x0E, 0x20)])


def _looks_binary(data: bytes, url: str) -> None:
    if data.startswith(_BINARY_MAGIC):
        raise ExtractionError("input is a binary file, not HTML", url)
    head = data[:4096]
    if head and head.count(0) > len(head) // 10:
        raise ExtractionError("input looks binary (NUL bytes), not HTML", url)


def decode_html(data: str | bytes, url: str) -> str:
    """Decode ``data`` to ``str``; raise ``ExtractionError`` for binary garbage."""
    return read_page(data, url).text


def decode_page(data: str | bytes, url: str) -> tuple[str, bytes | None]:
    """``data`` decoded to ``str``, plus ``data`` itself when it is exactly that text in
    UTF-8 (then the parser can take the bytes as they are instead of re-encoding the text).
    Raises ``ExtractionError`` for binary garbage."""
    page = read_page(data, url)
    return page.text, page.utf8


class Page:
    """A page's text, plus its bytes when they are exactly that text in UTF-8. The text of
    such a page is decoded only when asked for: the parser reads the bytes, and most of
    the extraction never needs the text."""

    def __init__(self, text: str | None, utf8: bytes | None) -> None:
        self._text = text
        self.utf8 = utf8  # (``text`` is None only when these are given)

    @property
    def text(self) -> str:
        if self._text is None:
            assert self.utf8 is not None
            self._text = self.utf8.decode("utf-8")
        return self._text

    def head(self, size: int) -> str:
        """``text[:size]``, decoding no more of the bytes than it takes."""
        if self._text is None and self.utf8 is not None:
            # A character cut in two where the bytes are cut is left out ("ignore": the
            # bytes are well-formed but for that cut), and lies beyond ``size`` characters
            # when they are there before it; ``size`` characters take at most 4 * size bytes.
            for cut in (size + size // 4, 4 * size):
                if len(self.utf8) <= cut:
                    break
                head = self.utf8[:cut].decode("utf-8", "ignore")
                if len(head) >= size:
                    return head[:size]
        return self.text[:size]

    def blank(self) -> bool:
        """Whether the text is empty or all white space."""
        if self._text is None and self.utf8 is not None and b"<" in self.utf8:
            return False  # ("<" is not white space; pages without one are rare)
        return not self.text or self.text.isspace()


def read_page(data: str | bytes, url: str) -> Page:
    """``data`` as a :class:`Page`; raises ``ExtractionError`` for binary garbage."""
    utf8: bytes | None = None
    text: str | None
    if isinstance(data, str):
        text = data
    elif isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
        text, is_utf8 = _decode_bytes(raw, url)
        if b"\x00" in raw:  # (bytes search is fast; str search is not)
            if text is None:
                text = raw.decode("utf-8")
            if "\x00" in text:
                text = text.replace("\x00", "")
        elif is_utf8:
            utf8 = raw
    else:
        raise ExtractionError(f"expected str or bytes, got {type(data).__name__}", url)
    if text is not None and text.startswith("\ufeff"):
        text = text.lstrip("\ufeff")
        utf8 = None
    page = Page(text, utf8)
    head = utf8[:8192] if utf8 is not None else b""
    if head.isascii() and (text is None or len(head) == min(8192, len(text))):
        # The same count on the bytes (ASCII: one byte per character), at C speed. (Bytes
        # that are the text: their first 8192 are ASCII, so are its first 8192 characters,
        # or the whole page.)
        controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
        size = len(head)
    else:
        sample = page.head(8192)
        controls, size = len(_CONTROL.findall(sample)), len(sample)
    if size and controls > max(32, size // 20):
        raise ExtractionError("input looks binary (control characters), not HTML", url)
    # NUL characters left in a str are harmless: the HTML parser drops them from text
    # and replaces them in attributes, as the HTML standard says.
    return page


_SINGLE_BYTE = re.compile(r"cp12\d\d|iso8859-\d+|mac-|koi8-|cp8\d\d|cp437|tis-620")


def _decode_bytes(raw: bytes, url: str) -> tuple[str | None, bool]:
    """The text, and whether it is the bytes read as UTF-8 without a byte order mark (then
    the text is None when the C scans only checked them: see :class:`Page`)."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom) :].decode(encoding, "replace"), False
    _looks_binary(raw, url)
    match = _META_CHARSET.search(raw[:4096])
    if match:
        name = match.group(1).decode("ascii", "replace").lower()
        try:
            encoding = codecs.lookup(name).name
        except LookupError:
            encoding = "utf-8"
        if encoding in ("iso8859-1", "latin-1", "ascii"):
            encoding = "cp1252"  # what browsers do for these labels
        if _SINGLE_BYTE.match(encoding) and not raw.isascii():
            # A single-byte label on bytes that read as UTF-8 (multi-byte sequences almost
            # never occur by chance in single-byte text): a template's stale label.
            valid, text = _as_utf8(raw)
            if valid:
                return text, True
        if encoding == "utf-8":
            valid, text = _as_utf8(raw)
            if valid:
                return text, True
        elif encoding not in ("utf-16", "utf-32", "utf-16-le", "utf-16-be"):
            try:
                return raw.decode(encoding), False
            except (UnicodeDecodeError, LookupError):
                pass
    valid, text = _as_utf8(raw)
    if valid:
        return text, True
    return raw.decode("cp1252", "replace"), False


def _as_utf8(raw: bytes) -> tuple[bool, str | None]:
    """Whether ``raw.decode("utf-8")`` succeeds, and its text when it had to be decoded to
    find out (without the C scans); with them the bytes are only checked."""
    valid = utf8_valid(raw)
    if valid is not None:
        return valid, None
    try:
        return True, raw.decode("utf-8")
    except UnicodeDecodeError:
        return False, None


# Deep nesting makes HTML tree building quadratic (every start tag walks the stack of
# open elements). Browsers flatten beyond a fixed depth; we do the same before parsing.
# Void elements and elements whose end tag is optional (``<p>``, ``<li>`` ...) do not
# count towards nesting depth: pages routinely leave them unclosed.
_FLAT_NAMES = (
    "br img meta link input hr wbr source area col embed param track base p li dt dd option "
    "optgroup tr td th tbody thead tfoot colgroup rb rt rp path circle rect line polygon "
    "polyline ellipse stop use"
).split()
_FLAT = r"(?!(?:" + "|".join(_FLAT_NAMES) + r")\b)"
_FLAT_BYTES = tuple(name.encode() for name in _FLAT_NAMES)
_TAG = re.compile(r"<(/?)" + _FLAT + r"[a-zA-Z][^<>]*>")
_TAG_MARK = re.compile(r"<(/?)" + _FLAT + r"[a-zA-Z]")
_TAG_MARK_BYTES = re.compile(_TAG_MARK.pattern.encode())
_STEP = {"": 1, "/": -1}
_STEP_BYTES = {b"": 1, b"/": -1}
MAX_DEPTH = 1500
# Below this many tags a page is parsed as it is (see limit_nesting).
NESTING_CHECK_FROM = 3000


def may_nest_deeper(html: str | bytes, max_depth: int = MAX_DEPTH) -> bool:
    """False when ``html`` certainly nests no deeper than ``max_depth``. On bytes it lets a
    page be parsed without decoding it first."""
    # Cheap exit: a page cannot nest deeper than its tag count, and below ~3000 levels the
    # tree builder's extra cost stays in the milliseconds.
    threshold = max(max_depth, NESTING_CHECK_FROM)
    # Upper estimate at C speed: running sum of +1 per start tag, -1 per end tag.
    steps: Iterable[int]
    if isinstance(html, bytes):
        scanned = byte_nesting(html, _FLAT_BYTES, threshold)  # (in C, when built)
        if scanned is not None:
            count, deepest = scanned
            return count >= threshold and (deepest or 0) > max_depth
        # (replace() finds the byte at memchr speed; count() tests every byte: half the time)
        if len(html) - len(html.replace(b"<", b"")) < threshold:
            return False
        steps = map(_STEP_BYTES.__getitem__, _TAG_MARK_BYTES.findall(html))
    else:
        if html.count("<") < threshold:
            return False
        steps = map(_STEP.__getitem__, _TAG_MARK.findall(html))
    return max(accumulate(steps), default=0) > max_depth


def limit_nesting(html: str, max_depth: int = MAX_DEPTH) -> str:
    """Drop start/end tags nested deeper than ``max_depth`` (text is kept). Linear time."""
    if not may_nest_deeper(html, max_depth):
        return html
    out: list[str] = []
    depth = 0
    last = 0
    for match in _TAG.finditer(html):
        closing = bool(match.group(1))
        if closing:
            keep = depth <= max_depth
            depth = max(0, depth - 1)
        elif match.group(0).endswith("/>"):
            keep = depth < max_depth
        else:
            depth += 1
            keep = depth <= max_depth
        if not keep:
            out.append(html[last : match.start()])
            last = match.end()
    out.append(html[last:])
    return "".join(out)

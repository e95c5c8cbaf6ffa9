"""The Python shortcuts that stand in for costly CSS selector lists match exactly what the
selector engine would match, in standards and in quirks mode (no doctype)."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.extract._boilerplate import (
    _STRUCTURAL,
    _STRUCTURAL_TAG_LIST,
    _SUSPECT_WORDS,
    Signals,
    remove_boilerplate,
)
from scraper.extract._decode import decode_page, read_page
from scraper.extract._document import Document, Doomed, clean_text
from scraper.extract._images import _CAPTION, caption_index
from scraper.extract._walk import select_structural
from scraper.extract.bylines import _DATED_BYLINE, _may_open_byline
from scraper.extract.header import _GENERIC_READING, _reading_nodes, _ReadMarks

MODES = pytest.mark.parametrize("doctype", ["", "<!DOCTYPE html>"])

BLOCKS = (
    "<div class=Hidden role=button>a</div>",
    "<div class='x hidden'>b</div>",
    "<div style='display:none'>c</div>",
    "<div style='DISPLAY:NONE'>d</div>",
    "<div role=search>e</div>",
    "<div role=Search>f</div>",
    "<div class='a\xa0hidden' role=note>g</div>",
    "<nav>h</nav>",
    "<div aria-hidden=true>i</div>",
    "<div aria-hidden=TRUE>j</div>",
    "<div hidden>k</div>",
    "<p style='color: red; display: none'>l</p>",
    "<span style='display: block'>m</span>",
    "<div class='Share-Buttons'>n</div>",
    "<div id='COMMENTS'>o</div>",
    "<div class='x' id='main-navbar'>p</div>",
    "<section class='author-bio sidebar'>q</section>",
    "<div class='\u212aelvin -ad-slot'>r</div>",
    "<div class='reading-time x'>s</div>",
    "<span class='Reading-Time'>t</span>",
    "<div class='post-readingTime'>u</div>",
    "<div class='breadcrumb'>v</div>",
)


def _tree(doctype: str) -> LexborHTMLParser:
    return LexborHTMLParser(f"{doctype}<html><body>{''.join(BLOCKS)}</body></html>")


def _unique(texts: list[str]) -> list[str]:
    return list(dict.fromkeys(texts))


@MODES
def test_structural_narrowing_matches_the_selector_list(doctype: str) -> None:
    tree = _tree(doctype)
    assert tree.body is not None
    signals = Signals()
    wanted = [n.text() for n in tree.body.css(_STRUCTURAL)]
    found = [
        n.text()
        for n in select_structural(tree.body, _STRUCTURAL_TAG_LIST)
        if signals.matches_structural(tree.body, n)
    ]
    assert _unique(found) == _unique(wanted)


@MODES
def test_suspect_words_match_the_attribute_substring_selectors(doctype: str) -> None:
    tree = _tree(doctype)
    assert tree.body is not None
    selector = ", ".join(f"[class*={w} i], [id*={w} i]" for w in _SUSPECT_WORDS)
    wanted = [n.text() for n in tree.body.css(selector)]
    signals = Signals()
    found = [
        n.text()
        for n in tree.body.css("[class], [id]")
        if signals.has_suspect_word(n.attributes.get("class") or "", n.attributes.get("id") or "")
    ]
    assert _unique(found) == _unique(wanted)


@pytest.mark.parametrize("as_bytes", [False, True])
def test_reading_time_prefilter_skips_pages_without_the_words(as_bytes: bool) -> None:
    page = "<html><body><div class='thread'>x</div><p>already read</p></body></html>"
    text, utf8 = decode_page(page.encode() if as_bytes else page, "https://example.com/p")
    doc = Document.parse(text, "https://example.com/p", utf8)
    assert (doc.utf8 is not None) == as_bytes
    assert not doc.contains("read-time")
    marks = _ReadMarks(doc)
    assert _reading_nodes(doc, _GENERIC_READING, marks) == []
    assert not marks.class_word
    assert not marks.min_read
    page = page.replace("thread", "post-read-time").replace("already read", "3 min read")
    text, utf8 = decode_page(page.encode() if as_bytes else page, "https://example.com/p")
    doc = Document.parse(text, "https://example.com/p", utf8)
    marks = _ReadMarks(doc)
    assert [n.text() for n in _reading_nodes(doc, _GENERIC_READING, marks)] == ["x"]
    assert marks.class_word
    assert marks.min_read


@pytest.mark.parametrize(
    ("body", "class_word", "min_read"),
    [
        ("<span class='readingTime'>4</span><p>thread</p>", True, False),
        ("<p>read on: 5 min read</p>", False, True),
        ("<p>min reader</p><i class='x-readtime'></i>", True, True),
        ("<p>5 minread, reading time</p>", False, False),
        ("<p>read</p>", False, False),
    ],
)
def test_read_marks_tell_the_two_words_apart(body: str, class_word: bool, min_read: bool) -> None:
    page = f"<html><body>{body}</body></html>"
    for data in (page, page.encode()):  # searched in the page's bytes, or in its text
        text, utf8 = decode_page(data, "https://e.com/p")
        marks = _ReadMarks(Document.parse(text, "https://e.com/p", utf8))
        assert (marks.class_word, marks.min_read) == (class_word, min_read)


@MODES
def test_reading_time_shortcut_matches_the_generic_selectors(doctype: str) -> None:
    text = f"{doctype}<html><body>{''.join(BLOCKS)}</body></html>"
    doc = Document.parse(text, "https://example.com/p")
    wanted = _unique([n.text() for n in doc.tree.css(_GENERIC_READING)])
    assert wanted == ["s", "u"]
    assert [n.text() for n in _reading_nodes(doc, _GENERIC_READING, _ReadMarks(doc))] == wanted


def test_caption_index_answers_like_css_first() -> None:
    tree = LexborHTMLParser(
        "<body><div id=a><figure id=b><img src=x.png><figcaption>One</figcaption></figure>"
        "<div id=c><p class='image-caption'>Two</p><p class='wp-caption-text'>Three</p></div>"
        "</div><div id=d><img src=y.png></div></body>"
    )
    root = tree.css_first("#c")
    assert root is not None
    first = caption_index(root)  # covers #a (up to four levels above, below <body>)
    for node in tree.css("#a, #a div, #a figure, #a p, #a figcaption"):
        expected = node.css_first(_CAPTION)
        got = first.get(node.mem_id)
        assert (got.text() if got else None) == (expected.text() if expected else None)


def test_doomed_skips_nodes_inside_a_doomed_one_and_duplicates() -> None:
    tree = LexborHTMLParser(
        "<body><div class='c' id='x1'><div class='c'><p>in</p></div></div><p>out</p></body>"
    )
    doomed = Doomed()
    outer, inner = tree.css("div")[:2]
    assert not doomed.skip(outer)
    doomed.add(outer)
    assert doomed.skip(outer)  # listed twice ("[class], [id]")
    assert doomed.skip(inner)
    doomed.drop()
    assert tree.body is not None and tree.body.text() == "out"


def test_remove_boilerplate_keeps_page_wrappers_and_drops_boilerplate() -> None:
    article = "<p>" + "Real words of the article, long enough to count. " * 20 + "</p>"
    tree = LexborHTMLParser(
        "<body><div hidden><main>" + article + "</main></div>"
        "<nav><a href='/'>Home</a></nav><div class='share-bar'><a href='#'>Share</a></div>"
        "<form><input name=q></form><script>var x = 1;</script></body>"
    )
    assert tree.body is not None
    remove_boilerplate(tree.body, thorough=False)
    text = tree.body.text()
    assert "Real words" in text
    assert "Home" not in text and "Share" not in text and "var x" not in text


@pytest.mark.parametrize(
    ("data", "same"),
    [
        ("<p>caf\u00e9</p>".encode(), True),
        (b"\xef\xbb\xbf<p>bom</p>", False),
        (b"<meta charset=windows-1252><p>caf\xe9</p>", False),
        (b"<p>nul\x00</p>", False),
        ("<p>plain</p>", False),
    ],
)
def test_decode_page_hands_over_bytes_only_when_they_are_the_text(
    data: str | bytes, same: bool
) -> None:
    text, utf8 = decode_page(data, "https://example.com/")
    assert (utf8 is not None) is same
    if utf8 is not None:
        assert utf8 == text.encode("utf-8")


@pytest.mark.parametrize(
    "data",
    [
        "<p>caf\u00e9 \u6f22\U0001d11e</p>".encode() * 3000,  # (text left undecoded)
        b"<meta charset=windows-1252><p>caf\xe9</p>",
        b"<meta charset=iso-8859-1><p>caf\xc3\xa9 read as UTF-8</p>",
        b"<meta charset=utf-8><p>not UTF-8: \xe9\xff</p>",
        b"<p>overlong \xc0\xaf and a surrogate \xed\xa0\x80</p>",
        b"\xef\xbb\xbf<p>bom</p>",
        " \u3000\n".encode(),
        "\u2003".encode() * 5,
        b"",
    ],
)
def test_a_page_reads_as_its_decoded_text(data: bytes) -> None:
    # read_page may leave a UTF-8 page's text undecoded; every view of it is the text.
    page = read_page(data, "https://example.com/")
    text, utf8 = decode_page(data, "https://example.com/")
    assert page.utf8 == utf8
    for size in (0, 1, 3, 10, 8192, 16384, 10**6):
        assert read_page(data, "https://example.com/").head(size) == text[:size]
    assert page.blank() == (not text or text.isspace())
    assert page.text == text


# Lines that are bylines (first) and lines that are not, marked up the ways pages split
# a line into elements.
BYLINES = (
    "<p>By Ann Lee</p>",
    "<div>\xa0 <!-- x --><span>BY:</span> Ann Lee, Dec 17, 2025</div>",
    "<li><b>Written</b> <i>by</i> <a href='/author/ann/'>Ann Lee</a></li>",
    "<span>\n  posted by Ann Lee | June 3, 2024</span>",
    "<div><div><div>Author : Ann Lee</div></div></div>",
    "<p>words by Ann Lee</p>",
    "<p>Ｂy Ann Lee</p>",  # (not ASCII: passed on to the exact test)
)
NOT_BYLINES = (
    "<p>Byline: Ann Lee</p>",
    "<div><p>Roses</p><p>By Ann Lee</p></div>",
    "<div><script>var by = 1;</script>By Ann Lee</div>",
    "<p>Stand by me</p>",
    "<div></div>",
)


def test_byline_prefilter_passes_every_line_the_byline_pattern_matches() -> None:
    tree = LexborHTMLParser(f"<html><body>{''.join(BYLINES + NOT_BYLINES)}</body></html>")
    assert tree.body is not None
    verdicts = []
    for node in tree.body.css("p, span, div, li"):
        matches = _DATED_BYLINE.match(clean_text(node.text(deep=True, separator=" ")))
        passes = _may_open_byline(node)
        assert passes or not matches, node.html
        verdicts.append((node.html, passes, matches is not None))
    # (not vacuous: lines that match pass, and most lines that do not are turned away)
    assert sum(1 for _, passes, matches in verdicts if matches) >= 6
    assert sum(1 for _, passes, matches in verdicts if not passes) >= 5


def test_none_match_answers_for_a_whole_selector_list_in_one_pass() -> None:
    doc = Document.parse(
        "<html><body><article><h1 class='entry-title'>T</h1><div class='tags-links'>"
        "<a href='/tag/x'>x</a></div></article></body></html>",
        "https://example.com/p",
    )
    assert doc.none_match([".post-content", "article .content", "h1.post-title"])
    assert not doc.none_match([".post-content", "article h1"])
    assert not doc.none_match(["h1.post-title", ".tags-links"])
    assert not doc.none_match([".post-content"])  # a lone selector: its own pass answers
    assert not doc.none_match([])
    # worth_trying: the selectors to try in turn, or none when the probe matches nothing
    lacking = (".post-content", "article .content")
    assert doc.worth_trying(lacking) == ()
    assert doc.worth_trying((".post-content", "article h1")) == (".post-content", "article h1")
    tags = (".post-tags a", ".tags-links a")
    assert doc.worth_trying(tags, probe=[".post-tags", ".tags-links"]) == tags
    assert doc.worth_trying(tags, probe=[".post-tags", ".cat-links"]) == ()

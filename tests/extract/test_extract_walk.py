"""The C tree walks (scraper/_lexbor_walk.pyx) give exactly what the selectolax calls they
stand for give, on generated pages with every kind of white space and nesting."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import selectolax
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract import _walk, extract_post
from scraper.extract._walk import (
    HEAD_SELECTOR,
    STRUCTURAL_ATTRIBUTES,
    ClassIdWords,
    Compounds,
    TagList,
    select,
    select_class_id_words,
    select_containing,
    select_first,
    select_head,
    select_structural,
    select_tags,
    text_length,
    text_stats,
)

try:
    from scraper import _lexbor_walk
except ImportError:  # (not built: the selectolax calls stand in, tested all the same)
    _lexbor_walk = None  # type: ignore[assignment]

TAGS = TagList(("p", "td", "li", "div", "script", "svg", "a", "template", "noscript"))
WORDS = ClassIdWords(("share", "comment", "sidebar"))
STRUCT = TagList(("nav", "header", "footer", "aside", "form"))
LISTS = [
    Compounds(s)
    for s in (
        '[itemprop="author"], [rel="author"], .byline__name, .author, .post-author',
        "time[datetime], .post-date, .date, [datetime]",
        '[class*="author"], [class*="Author"], div[id*="author"], span[id*="author"]',
        'a[href*="/author/"], a[href*="/authors/"], a[href^=https], [href$=".PDF" i]',
        "[rel~=tag], [lang|=en], #main, #Main, .a.b, p.a[lang=en], [class~=B i]",
        # descendant combinators (ancestors above the search's root count too)
        ".author [itemprop=name], div a, td p, div  div, nav [href], #Main *, svg a",
        "template p, [role] .hidden, body * li, html p, * span, div div div, *, a b, p b",
    )
]
_ATTRS = st.sampled_from(
    ["", " class='post Share-Bar'", " id=COMMENTS", " class=''", " class", " id='x' class=y",
     " class='sHaRe sidebar'", " id='side bar'", " class='ſhare'", " class='comment\u0130'",
     " data-class=share", " class=' comment '", " role=navigation", " hidden",
     " aria-hidden=true", " aria-hidden=TRUE", " class='a HIDDEN'", " class='hidden\tb'",
     " style='display: none'", " style='DISPLAY:none'", " data-role=x", " class=hiddenx",
     " aria-hidden='true' role", " itemprop=name", " ITEMPROP=author", " type=x",
     " src=/a.js", " rel=canonical", " href=/b", " data-itemprop=y", " rel=Author",
     " itemprop=author", " href='/Author/ann'", " lang=EN-us", " class='a b author'",
     " id=Main", " datetime=2020", " rel='tag nofollow'", " href='https://x.pdf'"]
)  # fmt: skip
# Python's white space (str.isspace) and some characters that are not
_TEXTS = st.text(
    alphabet=st.sampled_from(
        list(" \t\n\r\x0b\x0c\x1c\x85\xa0\u1680\u2003\u2028\u202f\u3000")
        + list("ab,é€𝄞漢\u200b\ufeff&<.!?;:\u060c\u3002\u0601")
    ),
    max_size=12,
)


@st.composite
def _markup(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 4 else 0))):
        kind = draw(st.sampled_from(["text", "text", "element", "table", "comment", "raw"]))
        if kind == "text":
            parts.append(draw(_TEXTS).replace("&", "&amp;").replace("<", "&lt;"))
        elif kind == "comment":
            parts.append(f"<!--{draw(_TEXTS).replace('-', '')}-->")
        elif kind == "raw":
            tag = draw(st.sampled_from(["script", "style", "textarea", "noscript"]))
            parts.append(f"<{tag}>{draw(_TEXTS).replace('<', '')}</{tag}>")
        elif kind == "table":
            parts.append(f"<table><tr><td>{draw(_markup(depth + 1))}</td></tr></table>")
        else:
            tag = draw(
                st.sampled_from(["div", "p", "span", "a", "li", "svg", "template", "b", "nav",
                                 "header", "footer", "aside", "form", "meta", "link",
                                 "script", "base", "title"])
            )  # fmt: skip
            parts.append(f"<{tag}{draw(_ATTRS)}>{draw(_markup(depth + 1))}</{tag}>")
    return "".join(parts)


def _every_node(tree: LexborHTMLParser) -> list[LexborNode]:
    assert tree.root is not None
    return [tree.root, *tree.root.traverse(include_text=True)]


@settings(max_examples=150, deadline=None)
@given(_markup())
def test_walks_match_selectolax(body: str) -> None:
    doctype = "<!doctype html>" if len(body) % 2 else ""  # (standards and quirks mode)
    head = "<head><meta charset=utf-8><script src=/x.js></script><link rel=icon></head>"
    tree = LexborHTMLParser(f"{doctype}<html>{head}<body>{body}</body></html>")
    nodes = _every_node(tree)
    for node in nodes:
        text = node.text(deep=True)
        expected = len(text.strip())
        own = len(node.text(deep=False).strip())
        stats = (expected, text.count(",") + text.count("\u060c"),
                 any(c in text for c in ".!?\u3002,;:"))  # fmt: skip
        assert text_length(node) == expected
        assert text_length(node, deep=False) == own
        assert text_stats(node) == stats
        if _lexbor_walk is not None:
            assert _lexbor_walk.text_length(node) == expected
            assert _lexbor_walk.text_length(node, False) == own
            assert _lexbor_walk.text_stats(node) == stats
    for node in nodes:
        if node.tag is None or node.tag.startswith("-"):
            continue
        expected_ids = [n.mem_id for n in node.css(TAGS.selector)]
        assert [n.mem_id for n in select_tags(node, TAGS)] == expected_ids
        if _lexbor_walk is not None:
            found = _lexbor_walk.select_tags(node, TAGS.ids)
            assert [n.mem_id for n in found] == expected_ids
        listed = [n.mem_id for n in node.css(f"{STRUCT.selector}, {STRUCTURAL_ATTRIBUTES}")]
        once = [m for i, m in enumerate(listed) if i == 0 or listed[i - 1] != m]
        assert [n.mem_id for n in select_structural(node, STRUCT)] == once
        if _lexbor_walk is not None:
            found = _lexbor_walk.select_structural(node, STRUCT.ids)
            assert [n.mem_id for n in found] == once
        for selectors in LISTS:
            assert selectors.compiled is not None
            want = [n.mem_id for n in node.css(selectors.selector)]
            assert [n.mem_id for n in select(node, selectors)] == want
            first = node.css_first(selectors.selector)
            got = select_first(node, selectors)
            assert (got.mem_id if got else None) == (first.mem_id if first else None)
        listed = [n.mem_id for n in node.css(HEAD_SELECTOR)]
        once = [m for i, m in enumerate(listed) if i == 0 or listed[i - 1] != m]
        assert [n.mem_id for n in select_head(node)] == once
        if _lexbor_walk is not None:
            assert [n.mem_id for n in _lexbor_walk.select_head(node)] == once
        listed = [n.mem_id for n in node.css(WORDS.selector)]
        once = [m for i, m in enumerate(listed) if i == 0 or listed[i - 1] != m]
        assert [n.mem_id for n in select_class_id_words(node, WORDS)] == once
        if _lexbor_walk is not None:
            found = _lexbor_walk.select_class_id_words(node, WORDS.encoded)
            assert [n.mem_id for n in found] == once


def test_walks_on_a_real_shape() -> None:
    page = (
        "<html><head><script>var a = 1;</script><title> T </title></head><body>\n"
        "<div id=main>\xa0 <p>One,\u2003two</p><table><tr><td> three </td></tr></table>"
        "<svg><a>link</a></svg><template><p>hidden</p></template>"
        "<ul><li>four\u3000</li></ul></div>\n</body></html>"
    )
    tree = LexborHTMLParser(page)
    main = tree.css_first("#main")
    assert main is not None
    assert text_length(main) == len("One,\u2003two three linkfour")
    assert [n.tag for n in select_tags(main, TAGS)] == ["div", "p", "td", "svg", "a",
                                                         "template", "li"]  # fmt: skip
    # (a template's content is a separate fragment: its <p> is not listed)
    found = select_tags(tree.body, TagList(("p",)))  # type: ignore[arg-type]
    assert [n.text() for n in found] == ["One,\u2003two"]


def test_class_id_words() -> None:
    tree = LexborHTMLParser(
        "<body><div class='Post-Share'><p id=mainCOMMENTS>a</p><p class=sidebarx>b</p>"
        "<p class='shar e'>c</p><p data-id=share>d</p></div></body>"
    )
    assert tree.body is not None
    found = select_class_id_words(tree.body, WORDS)
    assert [n.attributes for n in found] == [
        {"class": "Post-Share"}, {"id": "mainCOMMENTS"}, {"class": "sidebarx"}
    ]  # fmt: skip
    with pytest.raises(ValueError, match="lowercase ASCII"):
        ClassIdWords(("Share",))


def test_only_compound_selectors_are_compiled() -> None:
    for selector in ("div:has(.x)", "a:not(.b)", "p > a", "p >a", "h1 + p", "p ~ p",
                     "my-widget", "div my-widget", ".a, div >p", "[x=]", "a ,", "A"):  # fmt: skip
        assert Compounds(selector).compiled is None, selector
    compiled = Compounds('h1.entry-title, #main.x[data-a~="b c" i], [rel=author]').compiled
    assert compiled is not None
    assert [[(c[1], c[2], c[3]) for c in chain] for chain in compiled] == [
        [(None, (b"entry-title",), ())],
        [(b"main", (b"x",), ((b"data-a", 2, b"b c", 1),))],
        [(None, (), ((b"rel", 1, b"author", 4),))],  # (rel is compared without case in HTML)
    ]
    chains = Compounds(".byline  .author, article h1, *").compiled
    assert chains is not None
    assert [[c[2] for c in chain] for chain in chains] == [
        [(b"byline",), (b"author",)], [(), ()], [()]
    ]  # fmt: skip
    assert chains[2] == ((0, None, (), ()),)  # (``*``: any element)


def test_tag_lists_take_known_html_tags_only() -> None:
    assert TagList(("p", "div")).ids != TagList(("div", "p")).ids
    with pytest.raises(ValueError, match="known HTML tags"):
        TagList(("p", "my-widget"))


def test_walks_are_built_in_ci() -> None:
    # `make` fetches lexbor's headers and builds the walks; CI must run them.
    if not os.environ.get("CI"):
        pytest.skip("only required in CI (a plain `pip install` may lack lexbor's headers)")
    assert _lexbor_walk is not None
    assert _lexbor_walk.BUILT_FOR == selectolax.__version__
    assert _walk.NATIVE


_WITHOUT_WALKS = """
import json, sys
sys.modules["scraper._lexbor_walk"] = None  # (as on an install without the C helpers)
sys.modules["scraper._text_scan"] = None
from pathlib import Path
from scraper.extract import _scan, _walk, extract_post
assert not _walk.NATIVE and not _scan.NATIVE
out = {}
for page in sorted(Path(sys.argv[1]).glob("*.html")):
    post = extract_post(page.read_bytes(), "https://blog.example/" + page.stem)
    out[page.name] = post.to_dict()
print(json.dumps(out, default=str))
"""


def test_extraction_is_the_same_without_the_walks() -> None:
    # The fallbacks (selectolax's own calls, the Python scans) give the very same posts,
    # field by field.
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "html"
    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT_WALKS, str(fixtures)],
        capture_output=True,
        text=True,
        check=True,
    )
    without = json.loads(done.stdout)
    assert len(without) == len(list(fixtures.glob("*.html"))) >= 10
    for page in sorted(fixtures.glob("*.html")):
        post = extract_post(page.read_bytes(), "https://blog.example/" + page.stem)
        assert json.loads(json.dumps(post.to_dict(), default=str)) == without[page.name]


_LABEL_TEXTS = st.lists(
    st.sampled_from(["By", " by ", "BY:", "Aut", "author", "contrıbutor", "Contributor:", "bY",
                     "von", "b", "y", "Ann Lee", " ", "\u0130", "Author\u017f", "x"]),
    max_size=4,
).map("".join)  # fmt: skip


@st.composite
def _label_markup(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 3 if depth < 3 else 0))):
        if draw(st.booleans()):
            parts.append(draw(_LABEL_TEXTS))
        else:
            tag = draw(st.sampled_from(["p", "span", "div", "b", "a", "section", "h2", "li"]))
            parts.append(f"<{tag}>{draw(_label_markup(depth + 1))}</{tag}>")
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(_label_markup(), st.sampled_from([("by",), ("aut", "contributor", "by", "von")]))
def test_holders_containing_words_match_selectolax(body: str, words: tuple[str, ...]) -> None:
    # select_containing stands for lexbor's :lexbor-contains (each text child on its own,
    # ASCII case aside), one selector per word.
    tags = TagList(("p", "span", "div", "b", "h2"))
    tree = LexborHTMLParser(f"<html><body>{body}</body></html>")
    assert tree.body is not None
    for node in [tree.body, *tree.body.traverse()]:
        if node.tag is None or node.tag.startswith("-"):
            continue
        holders = f":is({tags.selector})"
        selector = ", ".join(f'{holders}:lexbor-contains("{w}" i)' for w in words)
        expected = [n.mem_id for n in node.css(selector)]
        assert [n.mem_id for n in select_containing(node, tags, words)] == expected
        if _lexbor_walk is not None:
            encoded = tuple(w.encode() for w in words)
            found = _lexbor_walk.select_containing(node, tags.ids, encoded)
            assert [n.mem_id for n in found] == expected

"""Reading a visible byline: which author elements belong to the post, and their text.

- :func:`byline_text`: an element's text without screen-reader-only labels ("Post author");
- :func:`in_teaser`: an author element of a teaser card (a related or latest post: a
  linked heading next to it), whose name is not the post's author;
- :func:`post_scope`: the nearest ``article``/``li`` around an element (co-authors must
  share the first byline's);
- :func:`header_author`: a name-like ``[class*=author]`` element near the title, for
  themes whose byline classes the generic selectors do not list;
- :func:`header_byline`: a "By Ann Lee" line near the title;
- :func:`page_author`: an author element or author-archive link anywhere in the post;
- :func:`labelled_byline`: the last resort, a labelled line anywhere in the post
  ("Posted by Ann Lee on ...", "Written by" above the name);
- :func:`first_line_name`: the name on an author element's first line (above a date or
  a bio).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from selectolax.lexbor import LexborNode

from ._document import clean_text, node_text
from ._walk import TagList, css, css_first, select_containing
from .datehints import outside_post
from .dates import parse_visible_date
from .metadata import clean_author_name

__all__ = [
    "byline_line",
    "byline_text",
    "first_line_name",
    "header_author",
    "header_byline",
    "in_teaser",
    "is_role",
    "labelled_byline",
    "name_like",
    "page_author",
    "post_scope",
]

_HIDDEN = ".screen-reader-text, .sr-only, .visually-hidden, .visuallyhidden, .screen-reader-only"
# (a link to "#section" is a heading's own permalink, not a teaser's)
_TEASER_SIZE = 1500  # characters: a card holds a title, an excerpt and a byline
_TEASER_HEADING = ", ".join(f'{h} a[href]:not([href^="#"])' for h in ("h2", "h3", "h4", "h5", "h6"))
_AUTHOR_CLASS = '[class*="author"], [class*="Author"], div[id*="author"], span[id*="author"]'
_AUTHOR_LINK = 'a[href*="/author/"], a[href*="/authors/"]'
_NOT_AUTHOR_CLASS = ("avatar", "image", "img", "photo", "bio", "description", "title")
_ROLE_WORDS = frozenset(
    ("author", "authors", "staff", "writer", "team", "editor", "editors", "admin", "guest",
     "contributor", "posted", "written", "published", "your", "our", "expert",
     # an editorial desk, not a person ("Multimedia Redaktion", "La Redacción")
     "redaktion", "redacción", "rédaction", "redazione", "redactie", "newsroom", "desk")
)  # fmt: skip
_NAME_WORD = re.compile(r"^[^\W\d_][\w'’.-]*$")


def byline_text(node: LexborNode) -> str:
    """``node``'s text, leaving out screen-reader-only labels."""
    text = node_text(node)
    if node.tag == "a":
        return text
    for hidden in css(node, _HIDDEN):
        label = node_text(hidden)
        if label:
            text = text.replace(label, " ", 1)
    return clean_text(text)


def in_teaser(node: LexborNode) -> bool:
    """Whether ``node`` sits in a teaser card: within three levels up, a small block with
    a heading link (a post whose own headings link somewhere is no card)."""
    parent = node.parent
    for _ in range(3):
        if parent is None or parent.tag in ("body", "html", "article", "main"):
            return False
        if css_first(parent, _TEASER_HEADING) is not None:
            return len(parent.text(deep=True)) < _TEASER_SIZE
        parent = parent.parent
    return False


def post_scope(node: LexborNode) -> int:
    """Identity of the nearest ``article`` or ``li`` around ``node`` (0: none)."""
    parent = node.parent
    while parent is not None:
        if parent.tag in ("article", "li"):
            return parent.mem_id
        parent = parent.parent
    return 0


def name_like(text: str) -> bool:
    """Two to four words, each starting with a capital letter, no digits."""
    words = text.split()
    if not 2 <= len(words) <= 4 or len(text) > 50:
        return False
    return all(_NAME_WORD.match(w) and (w[0].isupper() or w in ("von", "van", "de", "da", "der"))
               for w in words)  # fmt: skip


def _named(node: LexborNode) -> str | None:
    """The name ``node`` shows when it is an author element that holds just a name, or a
    name on its first line ("Andrew Gerrand<br>4 August 2010", a name above a bio)."""
    cls = (node.attributes.get("class") or "").lower()
    if any(word in cls for word in _NOT_AUTHOR_CLASS):
        return None
    name = clean_author_name(byline_text(node))
    return name if name_like(name) else first_line_name(node)


def first_line_name(node: LexborNode) -> str | None:
    """The name on the first line of ``node``'s text (its first text node), when it reads
    as one; what follows it (a date, a bio, a role) is left out. A date or a separator
    before it is passed over ("Dec 17, 2025 · Julian K. Arni")."""
    looked = 0
    for raw in _LINE_SPLIT.split(node.text(deep=True, separator="\n")):
        line = clean_text(raw)
        if not line or line in _SEPARATORS:
            continue
        looked += 1
        if looked > 4:
            break
        if line.casefold() in _LABEL_WORDS:
            continue  # "VON" above "MORITZ GATHMANN"
        if len(line) <= 40 and parse_visible_date(line) is not None:
            continue
        name = clean_author_name(line)
        return name if _accept(name) else None
    return None


_SEPARATORS = frozenset(("·", "•", "|", "-", "–", "—", "/", ","))
# Lines, and parts of a line between dots or bars ("Dec. 19, 2025 · Niko Matsakis").
_LINE_SPLIT = re.compile(r"\n|\s[·•|]\s")
_LABEL_WORDS = frozenset(
    ("by", "by:", "von", "von:", "par", "por", "de", "di", "door", "av", "written by",
     "posted by", "author", "author:", "autor", "autor:", "auteur", "text", "text:")
)  # fmt: skip


def _in_aside(node: LexborNode) -> bool:
    """Whether ``node`` sits in a sidebar, a navigation block or the page's footer (an
    article's own footer, "Posted by Ann Lee on ...", is part of the post)."""
    parent = node.parent
    footer = False
    while parent is not None:
        tag = parent.tag
        if tag in ("aside", "nav"):
            return True
        if tag == "footer":
            footer = True
        elif tag == "article":
            footer = False
        parent = parent.parent
    return footer


def page_author(body: LexborNode | None) -> tuple[str, LexborNode] | None:
    """The first ``[class*=author]`` element anywhere in ``body`` whose text is a name,
    else the first link to an author archive whose text is one, leaving out comments,
    related posts and teaser cards (the last resort, for bylines far from the title:
    "blog_author-text", "author-meta--name")."""
    if body is None:
        return None
    for node in css(body, _AUTHOR_CLASS)[:40]:
        name = _named(node)
        if name is not None and not is_role(name) and _in_post(node):
            return name, node
    # Then a link to an author archive ("/author/ann-lee/") whose text is a name.
    for node in css(body, _AUTHOR_LINK)[:40]:
        name = clean_author_name(node_text(node))
        if _accept(name) and _in_post(node):
            return name, node
    return None


_BYLINE_LINE = re.compile(
    r"^(?:by|written by|posted by|words by|author:)\s+(?P<name>[^|·•,]{3,50}?)\s*$", re.I
)
# A byline with its date after it: "by: Ann Lee, Dec 17, 2025", "By Ann Lee | June 3, 2024"
_DATED_BYLINE = re.compile(
    r"^(?:by|written by|posted by|words by|author)\s*:?\s+(?P<name>[^|·•,]{3,50}?)\s*"
    r"(?:[|·•,]\s*(?P<rest>.{1,60}))?$",
    re.I,
)
_HEADER_LINES = "p, span, div, li"


def byline_line(text: str) -> str | None:
    """The name in a line that is only a byline ("By Ann Lee", "Written by Ann Lee")."""
    match = _BYLINE_LINE.match(text.strip()) if len(text) <= 64 else None
    if match is None:
        return None
    name = match.group("name")
    return name if _accept(name) else None


def _dated_byline(text: str, node: LexborNode | None = None) -> str | None:
    """The name in a byline line that may end in a date ("by: Ann Lee, Dec 17, 2025");
    what follows the name must hold a digit (a date, not a second name or a role). One
    word is a name too when ``node`` links it to an author page ("by <a
    href="/author/amanda/">Amanda</a> · Dec 20, 2025")."""
    match = _DATED_BYLINE.match(text) if len(text) <= 100 else None
    if match is None:
        return None
    rest = match.group("rest")
    if rest is not None and not any(c.isdigit() for c in rest):
        return None
    name = _without_date_words(match.group("name"))
    if _accept(name) or (node is not None and _author_linked(node, name)):
        return name
    return None


# An author's own page: "/author/amanda/", "/authors/ann-lee", "/profile/123".
_AUTHOR_PAGE = re.compile(r"/(?:author|authors|profile|profiles|people|writers?)/", re.I)


def _author_linked(node: LexborNode, name: str) -> bool:
    """Whether ``name`` (one capitalised word) is the text of a link in ``node`` to an
    author's page."""
    if " " in name or not _NAME_WORD.match(name) or not name[0].isupper() or len(name) < 3:
        return False
    if is_role(name):
        return False
    return any(
        node_text(a) == name and _AUTHOR_PAGE.search(a.attributes.get("href") or "")
        for a in css(node, "a[href]")
    )


_DATE_WORDS = frozenset(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
     "january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
     "jul", "aug", "sep", "sept", "oct", "nov", "dec", "updated", "published")
)  # fmt: skip


def _without_date_words(name: str) -> str:
    """``name`` without the weekday or month words a run-together line put after it ("By
    Ann Lee Thursday, November 9, 2023": the comma split leaves "Ann Lee Thursday")."""
    words = name.split()
    while words and words[-1].casefold().rstrip(".") in _DATE_WORDS:
        words.pop()
    return " ".join(words)


# The first word of a line _DATED_BYLINE can match (its labels), lowercased.
_LABEL_OPENERS = frozenset(("by", "by:", "written", "posted", "words", "author", "author:"))


def _may_open_byline(node: LexborNode) -> bool:
    """Whether ``node``'s text may match _DATED_BYLINE, judged by the first word of its
    first text (the whole text of a large block costs far more to read). The text is
    joined with spaces, so its first word lies within that first text; one that needs a
    closer look (not ASCII, or holding a character reference) passes."""
    for part in node.traverse(include_text=True):
        if not part.is_text_node:
            continue
        words = (part.text_content or "").split(None, 1)
        if words:
            word = words[0]
            return not word.isascii() or "&" in word or word.lower() in _LABEL_OPENERS
    return False


def header_byline(title: LexborNode | None) -> list[tuple[str, LexborNode]]:
    """A short element near ``title`` (up to three levels up) that reads as a byline: "By
    Ann Lee", "Written by" above "Ann Lee", "by: Ann Lee, Dec 17, 2025"; for themes with
    no author class at all. Each name comes with its link, or the line itself; co-authors
    linked one by one ("Written by: [Ann Lee] [Bo Chen]") are told apart by their links."""
    scope = title.parent if title is not None else None
    for _ in range(3):
        if scope is None or scope.tag in ("body", "html"):
            return []
        for node in css(scope, _HEADER_LINES)[:60]:
            if not _may_open_byline(node):
                continue
            text = clean_text(node.text(deep=True, separator=" "))
            name = _dated_byline(text, node)
            if name is None or not _in_post(node):
                continue
            links = [(clean_author_name(node_text(a)), a) for a in css(node, "a[href]")]
            named = [(n, a) for n, a in links if name_like(n) or (n == name and " " not in n)]
            if named and named[0][0] == name:
                return [named[0]]
            if len(named) > 1 and name.startswith(named[0][0] + " "):
                return named  # two linked names read as one: split at the links
            return [(name, node)]
        scope = scope.parent
    return []


# A line anywhere in the post that names its writer after a label: "Posted by Ann Lee on
# 2025-12-18 in News", "By Ann Lee", "This post was written by Ann Lee, Head of
# Marketing", "Text by Ann Lee", "von Ann Lee". (The label is required: a bare name could
# be anyone's.) The word for "by" in the page's language ("von", "par") is matched only on
# pages in that language ("Di Maria" on an English page is a name, not a label).
_BY_WORDS = {"de": "von", "fr": "par", "es": "por", "pt": "por", "it": "di", "nl": "door",
             "sv": "av", "no": "av", "nb": "av", "nn": "av", "da": "af"}  # fmt: skip
_HOLDERS = TagList(
    ("p", "span", "div", "li", "footer", "small", "em", "i", "strong", "b", "address", "h2",
     "h3", "h4", "h5", "h6")
)  # fmt: skip
_INLINE = frozenset(("span", "small", "em", "i", "strong", "b"))


@dataclass(frozen=True)
class _Labels:
    line: re.Pattern[str]  # a whole labelled line: the name and what may follow it
    start: re.Pattern[str]  # the label at the start of a line
    own: re.Pattern[str]  # a label word in an element's own text
    words: tuple[str, ...]  # in a text of an element that may hold such a line


@functools.cache
def _labels(by: str) -> _Labels:
    label = (
        r"(?:(?:(?:this|the) (?:post|article|story|piece) (?:was |is )?)?"
        r"(?:(?:written|posted|published|authored|article|text|words|story|post|blog post|"
        rf"guest post|reported)\s+)?(?:{by})"
        # "Author: Ann Lee", "Contributors: Ann Lee" (a colon or nothing after the word)
        r"|(?:authors?|contributors?|autor(?:in)?|auteur)(?=\s*:|\s*$))"
    )
    words = ["aut", "contributor", *by.split("|")]
    return _Labels(
        line=re.compile(
            rf"^{label}\s*:?\s+(?P<name>[^|·•,;:()/]{{3,50}}?)\s*"
            r"(?:(?:[|·•,;(/-]|\s(?:on|in|at|for)\s)\s*(?P<rest>.{0,80}))?$",
            re.I,
        ),
        start=re.compile(rf"^{label}\s*:?(?:\s+|$)", re.I),
        own=re.compile(
            rf"\b(?:{by})\b|\b(?:authors?|contributors?|autor(?:in)?|auteur)\s*(?::|$)", re.I
        ),
        words=tuple(words),
    )


_MAX_LABEL_READS = 200


def labelled_byline(
    body: LexborNode | None, language: str | None = None
) -> list[tuple[str, LexborNode]]:
    """The writers named by a labelled line in the post ("Posted by <a>Ann Lee</a> on
    2025-12-18", "Written by" above "Ann Lee", "By Ann Lee, Bo Chen", "von Ann Lee" on a
    German page), leaving out comments, sidebars and teasers; the last resort for pages
    with no author element (an author box after the post, a footer line)."""
    if body is None:
        return []
    by = _BY_WORDS.get((language or "")[:2].lower())
    labels = _labels(f"by|{by}" if by else "by")
    read = 0
    # (each holder once per word in one of its texts: the count bounds the work below)
    for node in select_containing(body, _HOLDERS, labels.words):
        if not labels.own.search(node.text(deep=False)):
            continue  # ("by" only further down: a holder of the line, not the line)
        read += 1
        if read > _MAX_LABEL_READS:  # (bounded work on hostile pages: nested "by" divs)
            break
        text = clean_text(node.text(deep=True, separator=" "))
        label = labels.start.match(text) if len(text) <= 140 else None
        if label is None:
            continue
        if label.end() >= len(text) and node.tag in _INLINE and node.parent is not None:
            # "<strong>Contributors:</strong> Ann Lee": the line is the parent's
            line = clean_text(node.parent.text(deep=True, separator=" "))
            outer = labels.start.match(line) if len(line) <= 140 else None
            if outer is not None and outer.end() < len(line):
                node, text, label = node.parent, line, outer
        if label.end() >= len(text):  # the label alone: the name is the next element
            found = _next_name(node)
        else:
            found = _labelled_names(node, text, label.end(), labels.line)
        if found and _in_post(node):
            return found
    return []


def _next_name(node: LexborNode) -> list[tuple[str, LexborNode]]:
    """The name after a label that stands alone: the next element ("Written by" above
    "Ann Lee"), or the text right after it ("<span>Autor:</span> Ann Lee<br>", an agency
    after a slash left out)."""
    sibling = node.next
    while sibling is not None and sibling.tag == "-text" and not node_text(sibling):
        sibling = sibling.next
    if sibling is None or sibling.tag == "-comment":
        return []
    if sibling.tag == "-text":
        name = clean_author_name(node_text(sibling).split("/")[0])
        holder = node.parent
        return [(name, holder)] if holder is not None and _accept(name) else []
    name = clean_author_name(node_text(sibling))
    return [(name, sibling)] if _accept(name) else []


_CO_AUTHORS = re.compile(r",|&|\band\b")


def _labelled_names(
    node: LexborNode, text: str, start: int, labelled: re.Pattern[str]
) -> list[tuple[str, LexborNode]]:
    # A linked name right after the label ("By <a>A. J. Neal</a> View In Digital Edition").
    for link in css(node, "a[href]")[:2]:
        name = clean_author_name(node_text(link))
        if text.startswith(name, start) and _accept(name):
            return [(name, link)]
    match = labelled.match(text)
    if match is None:
        return []
    name = clean_author_name(_without_date_words(match.group("name")))
    if not _accept(name):
        # "Written by Moses Kim and Kate Shokurova": two names joined in one line
        pair = [part.strip() for part in _CO_AUTHORS.split(name)]
        if len(pair) > 1 and all(_accept(part) for part in pair):
            return [(part, node) for part in pair]
        return []
    # "By Ann Lee, Bo Chen and Cy Diaz": co-authors when every part reads as a name; a
    # date or a role after the comma is left out.
    rest = [part.strip() for part in _CO_AUTHORS.split(match.group("rest") or "")]
    rest = [part for part in rest if part]
    if rest and all(_accept(part) for part in rest):
        return [(name, node)] + [(part, node) for part in rest]
    return [(name, node)]


def _accept(name: str) -> bool:
    """Whether ``name`` reads as a person's name and not as a label or a role."""
    return name_like(name) and not is_role(name)


def is_role(name: str) -> bool:
    """Whether a name-shaped text is a label ("The Author") or a role ("Staff Writer")."""
    return not _ROLE_WORDS.isdisjoint(name.casefold().split())


def _in_post(node: LexborNode) -> bool:
    """Whether ``node`` sits in the post itself, not in a sidebar, comment or teaser."""
    return not (outside_post(node) or in_teaser(node) or _in_aside(node))


def header_author(title: LexborNode | None) -> tuple[str, LexborNode] | None:
    """A ``[class*=author]`` element near ``title`` (up to three levels up) whose text is
    a name."""
    scope = title.parent if title is not None else None
    for _ in range(3):
        if scope is None or scope.tag in ("body", "html"):
            return None
        for node in css(scope, _AUTHOR_CLASS)[:8]:
            name = _named(node)
            if name is not None:
                return name, node
        scope = scope.parent
    return None

"""Where else a publication date can be read, and which timestamps to distrust.

- :func:`outside_post`: a node inside a comment thread, a related-posts list or an embedded
  social post (its ``<time>`` dates the comment or the tweet, not the article);
- :func:`fallback_shown_date`: a visible date in any element whose class names a date,
  time, meta line or byline, or in a short line of text next to the title (looked for
  near the title first), when nothing else dated the page;
- :func:`labelled_date`: the last resort, a date after a publication label ("Datum:",
  "Published on", "Pressemitteilung vom", "Publié le" ...) or a date with a clock time
  ("24.01.2022 11:38") in the first part of the page's visible text;
- :func:`url_day`: a ``/2023/11/08/`` (or ``/2023-11-08-``) date in the URL path;
- :func:`naive_local_offset`: the UTC offset a naive markup time was written in, when an
  aware timestamp names the same moment.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from ._document import clean_text
from ._walk import css
from .dates import parse_iso, parse_visible_date

__all__ = [
    "fallback_shown_date",
    "labelled_date",
    "naive_local_offset",
    "before_update",
    "outside_post",
    "update_labelled",
    "url_day",
]

# /2023/11/08/, /2023-11-08-, /2023-11/08/, /20231108/ (a whole segment), /08-11-2023-
_Y, _M, _D = r"(?P<y>(?:19|20)\d{2})", r"(?P<m>\d{2})", r"(?P<d>\d{2})"
_URL_DAY = (
    re.compile(rf"/{_Y}/(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})(?:/|$|[-_.])"),
    re.compile(rf"/{_Y}-{_M}-{_D}(?:/|$|[-_.])"),
    re.compile(rf"/{_Y}-{_M}/{_D}(?:/|$|[-_.])"),
    re.compile(rf"/{_Y}{_M}{_D}(?:/|$)"),
    re.compile(rf"/{_D}-{_M}-{_Y}(?:/|$|[-_.])"),
)
# Class/id words of containers whose dates are not the article's (comment threads,
# related-post lists, embedded social posts); comment *counts and links* do not count.
_FOREIGN_PREFIX = ("comment", "related", "recommend", "respond")
_FOREIGN_WORDS = frozenset(("instagram-media", "twitter-tweet", "tiktok-embed", "fb-post"))
_FOREIGN_KEYS = ("comment", "related", "recommend", "respond", "-media", "tweet", "-embed", "fb-")
_FOREIGN_SUFFIX = ("-open", "-closed", "-count", "-link", "-links", "-number", "-icon")
_FALLBACK = (
    '[class*="date"], [class*="Date"], [class*="time"], [class*="meta"], [class*="byline"], '
    '[class*="publish"]'
)
_NOT_PUBLISHED = ("modif", "updat", "comment", "reading", "read-time", "readtime")
_MAX_SCANNED = 60
# The page's clock, not the post's date ("It is currently Wed Oct 14, 2020 12:18 pm" in a
# forum's header, "Aktuelle Zeit: 14.10.2020, 12:18"), or a forum member's sign-up date.
_CLOCK = re.compile(
    r"(?:it is currently|current time|the time now is|today is|aktuelle zeit|"
    r"heute ist|heure actuelle|hora actual"
    # or a member's sign-up date beside a forum post
    r"|registered|joined|member since|registriert|mitglied seit|inscrit)\b",
    re.I,
)
# Publication labels (en, de, fr, es, it, nl, pt) and the text after them that may hold
# the date; or a numeric date followed by a clock time (a timestamp line).
_LABELLED = re.compile(
    r"\b(?:datum|date|published(?:\s+on)?|posted(?:\s+on)?|ver[öo]ffentlicht(?:\s+am)?|"
    r"erschienen(?:\s+am)?|publiziert(?:\s+am)?|pressemitteilung\s+vom|press\s+release\s+of|"
    r"publi[ée](?:\s+le)?|publicado(?:\s+el)?|pubblicato(?:\s+il)?|gepubliceerd(?:\s+op)?)"
    r"\s*:?\s*(.{6,40})",
    re.I | re.S,
)
_STAMPED = re.compile(r"\b\d{1,2}\.\s?\d{1,2}\.\s?(?:19|20)\d\d,?\s+(?:um\s+)?\d{1,2}[:.]\d\d\b")
# A news dateline opening a paragraph: "27.1.2022 - Bei der Erinnerung ..." (a dash and
# then words, not a second date: "27.1. - 30.1.2022" is a range).
_DATELINE = re.compile(r"\b\d{1,2}\.\s?\d{1,2}\.\s?(?:19|20)\d\d\s+[-–—]\s+[^\W\d]")
_LABEL_SCAN_CHARS = 20_000  # of visible text, from the top of the page
_EARLIEST = date(1990, 1, 1)
_AFTER_TITLE = 160  # characters after the headline searched for its dateline
_INVISIBLE = frozenset(("script", "style", "noscript", "template", "title"))
_SHORT = "time, span, small, p, li, div"
_SHORT_LEN = 80


def url_day(url: str) -> date | None:
    """The calendar date written in the URL path, or None."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    for pattern in _URL_DAY:
        m = pattern.search(path)
        if m is None:
            continue
        try:
            found = date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            continue
        return found
    return None


def outside_post(node: LexborNode) -> bool:
    """Whether ``node`` sits in a comment thread, a related-posts list or a social embed."""
    parent: LexborNode | None = node
    for _ in range(40):
        if parent is None:
            return False
        attrs = parent.attributes
        if attrs and _foreign(f"{attrs.get('class') or ''} {attrs.get('id') or ''}"):
            return True
        parent = parent.parent
    return False


def _foreign(words: str) -> bool:
    words = words.lower()
    if not any(key in words for key in _FOREIGN_KEYS):
        return False
    for word in words.split():
        if word in _FOREIGN_WORDS:
            return True
        if word.startswith(_FOREIGN_PREFIX) and not word.endswith(_FOREIGN_SUFFIX):
            return True
    return False


def _shown_date(
    text: str, language: str | None, fetched_at: datetime | None, updates: bool = False
) -> date | None:
    """The date written in ``text``, unless the text is the page's clock, a sign-up date or
    (unless ``updates``) the date of the last update ("Updated March 3, 2026")."""
    if _CLOCK.match(text.lstrip()):
        return None
    if not updates:
        text = before_update(text)
    return parse_visible_date(text, language, fetched_at) if text else None


def before_update(text: str) -> str:
    """``text`` up to an update label: "Jan 3, 2024 · Updated Feb 5, 2026" keeps the first
    date, "Updated Feb 5, 2026" none."""
    m = _UPDATE_ANY.search(text)
    return text[: m.start()] if m is not None else text


# The label of a last-update date (en, de, fr, es, it, nl, pt): "Updated", "Last updated
# on", "Zuletzt aktualisiert am", "Mis à jour le", "Actualizado el".
_UPDATE_WORDS = (
    r"(?:last\s+)?(?:updated|modified)|(?:zuletzt\s+)?(?:aktualisiert|ge[äa]ndert)"
    r"|mis\s+[àa]\s+jour|modifi[ée]|actualizado|aggiornato|bijgewerkt|atualizado"
)
_UPDATE_FIRST = re.compile(rf"(?:{_UPDATE_WORDS})\b", re.I)
_UPDATE_ANY = re.compile(rf"\b(?:{_UPDATE_WORDS})\b", re.I)
_UPDATE_LAST = re.compile(
    rf"\b(?:{_UPDATE_WORDS})(?:\s+(?:on|at|am|le|el|il|op|em))?\s*:?\s*$", re.I
)
_LABEL_CHARS = 40  # of the text right before a date element
_LABEL_SIBLINGS = 8  # empty siblings passed over on the way to that text


def update_labelled(node: LexborNode) -> bool:
    """Whether the date in ``node`` is the post's last update, not its publication: the
    element's text starts with an update label, or the text right before it ends with one
    ("Updated <time>Feb 12, 2026</time>"; also one level up: "<span>Last updated:</span>
    <span><time>...</time></span>")."""
    if _UPDATE_FIRST.match(node.text(deep=True)[:_LABEL_CHARS].lstrip()):
        return True
    current: LexborNode | None = node
    for _ in range(2):
        if current is None:
            return False
        before = ""
        sibling = current.prev
        for _ in range(_LABEL_SIBLINGS):  # (bounded: a hostile page's empty siblings)
            if sibling is None:
                break
            before = sibling.text(deep=True) + before
            if before.strip():
                break
            sibling = sibling.prev
        if before.strip():
            return _UPDATE_LAST.search(before[-_LABEL_CHARS:]) is not None
        current = current.parent
    return False


def _scan(
    scope: LexborNode, language: str | None, fetched_at: datetime | None, updates: bool
) -> date | None:
    for node in css(scope, _FALLBACK)[:_MAX_SCANNED]:
        attrs = node.attributes
        cls = (attrs.get("class") or "").lower()
        if any(word in cls for word in _NOT_PUBLISHED) or node.tag in ("body", "html"):
            continue
        raw = attrs.get("datetime") or attrs.get("content")
        parsed = parse_iso(raw) if raw else None
        found: date | None = parsed[0].date() if parsed is not None else None
        if found is None:
            text = node.text(deep=True, separator=" ")
            if len(text) > 400:
                continue
            text = clean_text(text)
            if not text or len(text) > 160:
                continue
            found = _shown_date(text, language, fetched_at, updates)
        if found is not None and not outside_post(node) and (updates or not update_labelled(node)):
            return found
    return None


def _scan_short(
    scope: LexborNode, language: str | None, fetched_at: datetime | None, updates: bool
) -> date | None:
    """A short line of text (a dateline under the headline, "Press release of 25 January
    2022 | Berlin") in any element of ``scope``."""
    for node in css(scope, _SHORT)[:_MAX_SCANNED]:
        text = node.text(deep=True, separator=" ")
        # (a cheap bound before cleaning; markup indentation can triple a short line)
        if len(text) > 600 or not any(ch.isdigit() for ch in text):
            continue
        text = clean_text(text)
        if len(text) > _SHORT_LEN:
            continue
        found = _shown_date(text, language, fetched_at, updates)
        if found is not None and not outside_post(node) and (updates or not update_labelled(node)):
            return found
    return None


def fallback_shown_date(
    root: LexborNode | None,
    title: LexborNode | None,
    language: str | None,
    fetched_at: datetime | None,
    updates: bool = False,
) -> date | None:
    """A visible date in a date/time/meta/byline-classed element: within the title's
    nearest ancestors first, then anywhere in ``root`` (a bounded number of elements)."""
    scope = title.parent if title is not None else None
    for level in range(4):
        if scope is None or scope.tag in ("body", "html"):
            break
        found = _scan(scope, language, fetched_at, updates)
        if found is None and level < 3:
            found = _scan_short(scope, language, fetched_at, updates)
        if found is not None:
            return found
        scope = scope.parent
    return _scan(root, language, fetched_at, updates) if root is not None else None


def labelled_date(
    root: LexborNode | None,
    language: str | None,
    fetched_at: datetime | None,
    title: str | None = None,
    updates: bool = False,
) -> date | None:
    """A plausible date (not in the future of ``fetched_at``, not before 1990) in the visible
    text of ``root``: right after the ``title`` (a dateline or byline under the headline),
    else the first after a publication label or written with a clock time."""
    if root is None:
        return None
    text = clean_text(_visible_text(root, _LABEL_SCAN_CHARS))
    if not any(ch.isdigit() for ch in text):
        return None
    latest = fetched_at.date() if fetched_at is not None else None

    def plausible(found: date | None) -> bool:
        return found is not None and found >= _EARLIEST and (latest is None or found <= latest)

    head = clean_text(title)[:80] if title else ""
    at = text.find(head) if len(head) >= 10 else -1
    if at >= 0:
        start = at + len(head)
        found = _shown_date(text[start : start + _AFTER_TITLE], language, fetched_at, updates)
        if plausible(found):
            return found
    for pattern in (_LABELLED, _STAMPED, _DATELINE):  # labels first: a clock line may be the page's
        for m in pattern.finditer(text):
            if _CLOCK.search(text, max(0, m.start() - 24), m.start()):
                continue  # ("Registriert: 18.09.2008, 05:56")
            found = parse_visible_date(m.group(m.lastindex or 0), language, fetched_at)
            if plausible(found):
                return found
    return None


def _visible_text(root: LexborNode, limit: int) -> str:
    """The text of ``root`` without scripts and styles, about ``limit`` characters."""
    parts: list[str] = []
    size = 0
    for node in root.traverse(include_text=True):
        if node.tag != "-text":
            continue
        parent = node.parent
        if parent is not None and parent.tag in _INVISIBLE:
            continue
        piece = node.text_content or ""
        parts.append(piece)
        size += len(piece)
        if size >= limit:
            break
    return " ".join(parts)


def naive_local_offset(naive: datetime, aware: datetime) -> timezone | None:
    """The UTC offset under which ``naive`` (read as UTC) is the instant ``aware``: a whole
    quarter hour within ±14 h, else None."""
    delta = naive - aware
    seconds = delta.total_seconds()
    if delta == timedelta(0) or abs(seconds) > 14 * 3600 or seconds % 900:
        return None
    return timezone(delta)

"""The post header: title, authors, dates, reading time, tags and language.

Machine sources come first (JSON-LD, meta, microdata), then the platform's visible
byline; dates from several sources are cross-checked (see :func:`choose_published`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

from selectolax.lexbor import LexborNode

from ..model import Author, Precision
from ._document import Document, clean_text, node_text
from ._scan import read_marks
from ._walk import css, css_first
from .bylines import (
    byline_text,
    first_line_name,
    header_author,
    header_byline,
    in_teaser,
    is_role,
    labelled_byline,
    name_like,
    page_author,
    post_scope,
)
from .datehints import (
    before_update,
    fallback_shown_date,
    labelled_date,
    naive_local_offset,
    outside_post,
    update_labelled,
    url_day,
)
from .dates import is_naive_iso, midnight_utc, parse_iso, parse_relative, parse_visible_date
from .metadata import DateCandidate, Metadata, clean_author_name, dedupe_authors
from .platforms import GENERIC, Adapter
from .platforms.generic import READING_TIME_CLASSES
from .titles import read_title, strip_site_name

__all__ = [
    "Header",
    "choose_published",
    "normalise_language",
    "parse_reading_time",
    "read_header",
    "strip_site_name",
]

_READING = re.compile(
    r"(\d{1,3})\s*(?:min(?:ute)?s?\.?|minuten|minutos|mn)(?:\s*(?:read|de lecture|lesezeit|"
    r"de lectura|lectura|lesen))?\b",
    re.I,
)
_READ_PHRASE = re.compile(r"(\d{1,3})\s*(?:-\s*)?min(?:ute)?s?\.?\s+read\b", re.I)
_DIGIT = re.compile(r"\d")
# What follows "read" in the page's source when that makes one of the
# READING_TIME_CLASSES: see _ReadMarks.
_READ_TAILS = tuple(w.removeprefix("read").encode() for w in READING_TIME_CLASSES)
_SOURCE_RANK = {"jsonld": 0, "state": 0, "meta": 1, "itemprop": 2, "markup": 2}


@dataclass
class Header:
    title: str | None
    title_node: LexborNode | None
    authors: list[Author]
    published: datetime | None
    precision: Precision | None
    updated: datetime | None
    reading_time: int | None
    tags: list[str]
    language: str | None


def normalise_language(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().replace("_", "-")
    if not re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", value):
        return None
    parts = value.split("-")
    parts[0] = parts[0].lower()
    if len(parts) > 1 and len(parts[1]) == 2:
        parts[1] = parts[1].upper()
    return "-".join(parts)


def _groups(adapter: Adapter, field: str) -> list[str]:
    """The platform's selectors for ``field`` and then the generic ones, each group joined
    into one selector list (one tree pass per group; matches come in document order)."""
    groups = [", ".join(getattr(adapter, field))]
    if adapter is not GENERIC:
        groups.append(", ".join(getattr(GENERIC, field)))
    return [g for g in groups if g]


def _plausible_name(name: str) -> bool:
    words = name.split()
    return (
        bool(name)
        and len(name) <= 80
        and len(words) <= 6
        and not _DIGIT.search(name)
        and "@" not in name  # an e-mail address or a handle
        and "by" not in (w.casefold() for w in words)  # a label ("Reviewed by")
    )


# Inside an author element whose whole text is not a name (an author box with a bio): the
# element that holds the name.
_INNER_NAME = '[itemprop="name"], a[href], h2, h3, h4, h5, h6, strong, b'


# A link to a section or tag page: a card's category ("Personal finance"), not a name.
_TOPIC_PATH = re.compile(r"/(?:category|categories|tags?|topics?|sections?)/", re.I)


def _author_nodes(doc: Document, adapter: Adapter) -> list[Author]:
    groups = _groups(adapter, "author")
    for selector in doc.worth_trying(groups):
        nodes = doc.css(selector)[:5]
        found = []
        scope = -1  # co-authors come from the first byline's article (not teaser lists)
        for node in nodes:
            if (scope < 0 and outside_post(node)) or _is_credit(node):
                continue
            if scope >= 0 and (post_scope(node) != scope or in_teaser(node)):
                continue
            name = clean_text(node.attributes.get("title")) if node.tag != "a" else ""
            name = clean_author_name(name or byline_text(node))
            if not _plausible_name(name):
                # "By Ann Lee · June 12, 2025": the name is the link (or itemprop) inside
                # (not a two-letter language switch: "EN")
                inner = css_first(node, _INNER_NAME)
                name = clean_author_name(node_text(inner)) if inner is not None else ""
                if (
                    inner is not None
                    and len(name) > 2
                    and _plausible_name(name)
                    and not _TOPIC_PATH.search(inner.attributes.get("href") or "")
                ):
                    node = inner
                else:  # "Andrew Gerrand<br>4 August 2010": the name on the first line
                    name = first_line_name(node) or ""
                    if not name:
                        continue
                    # (its link, if any: other links there are the publication's)
                    links = css(node, "a[href]")
                    node = next((a for a in links if node_text(a) == name), node)
                    if node.tag != "a":
                        found.append(Author(name, None))
                        scope = post_scope(node) if scope < 0 else scope
                        continue
            anchor = node if node.tag == "a" else None
            parent = node.parent
            for _ in range(3):
                if anchor is not None or parent is None:
                    break
                if parent.tag == "a":
                    anchor = parent
                parent = parent.parent
            if anchor is None:
                anchor = css_first(node, "a[href]")
            href = doc.absolute(anchor.attributes.get("href")) if anchor is not None else None
            found.append(Author(name, href))
            if scope < 0:
                scope = post_scope(node)
        if found:
            return found
    return []


# Builders whose pages always mark the byline up when there is one: a "by Ann Lee" line
# elsewhere on them is text of the post (or of a teaser on a list page), not its byline.
_MARKED_BYLINES = frozenset(("wix", "squarespace", "ghost", "substack", "medium"))


def _header_author(doc: Document, adapter: Adapter, title: LexborNode | None) -> list[Author]:
    hit = header_author(title)
    hits = [hit] if hit is not None else header_byline(title)
    if not hits:
        hit = page_author(doc.tree.body)
        if hit is not None:
            hits = [hit]
        elif adapter.name not in _MARKED_BYLINES:
            hits = labelled_byline(doc.tree.body, normalise_language(doc.lang))
    found = []
    for name, node in hits:
        anchor = node if node.tag == "a" else _name_link(node, name)
        href = doc.absolute(anchor.attributes.get("href")) if anchor is not None else None
        found.append(Author(name, href))
    return found


def _name_link(node: LexborNode, name: str) -> LexborNode | None:
    """The link of ``name`` in the author element ``node``: one whose text is the name,
    else the only link of an element that shows nothing but the name (a link to the
    publication after "Ann Lee," is not hers)."""
    links = css(node, "a[href]")
    folded = _fold_name(name)
    for link in links:
        text = _fold_name(node_text(link))  # ("Dr. Shelby Loos", "Vanessa Mendez, MD")
        if text and (folded in text or (len(text) > 3 and text in folded)):
            return link
    if len(links) == 1 and clean_author_name(byline_text(node)) == name:
        return links[0]
    return None


_CREDIT_WORDS = ("license", "licence", "credit", "copyright")


def _is_credit(node: LexborNode) -> bool:
    """Whether the author element credits an image ("license-author" links to the photo's
    page, a "photo-credit" wrapper) rather than the post."""
    link = node if node.tag == "a" else css_first(node, "a[class]")
    for item in (node, link, node.parent):
        if item is not None:
            cls = (item.attributes.get("class") or "").lower()
            if any(word in cls for word in _CREDIT_WORDS):
                return True
    return False


def _is_handle(name: str) -> bool:
    """A login name rather than a display name: one word that is all lowercase, holds a
    digit or a dot, or has a capital inside ("andrew.keaveney", "KatieS", "jsmith42")."""
    if any(c.isspace() for c in name):
        return False
    return (
        name == name.lower()
        or any(c.isdigit() or c in "._@" for c in name)
        or any(a.islower() and b.isupper() for a, b in zip(name, name[1:], strict=False))
    )


def _placeholder(authors: list[Author]) -> bool:
    """Whether structured data names only accounts, roles or organisations ("NOC Admin",
    "KatieS", "L-MAG – Das Magazin für Lesben")."""
    return bool(authors) and all(
        _is_handle(a.name) or is_role(a.name) or _organisation(a.name) for a in authors
    )


_LEGAL_FORMS = frozenset("gmbh ag e.v. ev inc inc. ltd ltd. llc corp corp. sa s.a. plc".split())


def _organisation(name: str) -> bool:
    """A publisher's name where a person's would be: four or more words that do not read
    as a name, a legal form ("GmbH", "e.V.") or a domain name."""
    words = name.casefold().split()
    if not _LEGAL_FORMS.isdisjoint(words) or any(_DOMAIN_WORD.fullmatch(w) for w in words):
        return True
    # (a name with credentials is a person's: "Ann Lee, MS, RD")
    return len(words) >= 4 and not name_like(name.split(",")[0])


_DOMAIN_WORD = re.compile(
    r"(?<![a-z0-9-])[a-z0-9-]+\.(?:com|net|org|de|at|ch|it|fr|es|nl|uk|eu|info|io)"
)


def _fold_name(name: str) -> str:
    return " ".join(name.casefold().split())


# "Rob Picheta, CNN", "unocero - Alberto Ávila", "Jane Doe | The Daily": a byline that
# adds the site's own name before or after the writer's.
_AFFIX_SPLIT = re.compile(r"(?<!\s)\s*,\s+|(?<!\s)\s+[-–—|/·]\s+")  # (linear: run starts)
_NOT_ALNUM = re.compile(r"[\W_]+")


def _site_keys(doc: Document, md: Metadata) -> set[str]:
    """The site's name as a byline could spell it: ``og:site_name`` and the host's labels
    ("edition.cnn.com" -> "cnn", "editioncnncom"), folded to letters and digits."""
    host = doc.host.removeprefix("www.")
    labels = host.split(".")
    keys = {_NOT_ALNUM.sub("", host)}
    keys.update(label for label in labels[:-1] if len(label) > 2)
    if md.site_name:
        keys.add(_NOT_ALNUM.sub("", md.site_name.casefold()))
    keys.discard("")
    return keys


def _without_site_affixes(authors: list[Author], doc: Document, md: Metadata) -> list[Author]:
    """Each name without a leading or trailing part that is only the site's name (a name
    that is nothing but the site's name stays: an organisation as author)."""
    if not any(_AFFIX_SPLIT.search(a.name) for a in authors):
        return authors
    keys = _site_keys(doc, md)
    out = []
    for author in authors:
        parts = _AFFIX_SPLIT.split(author.name)
        if len(parts) > 1:
            folded = [_NOT_ALNUM.sub("", part.casefold()) for part in parts]
            if folded[-1] in keys:
                parts, folded = parts[:-1], folded[:-1]
            elif folded[0] in keys:
                parts, folded = parts[1:], folded[1:]
            if len(parts) == 1 and _plausible_name(parts[0]):
                author = Author(parts[0], author.url)
        out.append(author)
    return dedupe_authors(out)


def _pick_authors(
    doc: Document, adapter: Adapter, md: Metadata, title: LexborNode | None
) -> list[Author]:
    machine = dedupe_authors(md.authors)
    site = _fold_name(md.site_name or "")
    # the site's own name ("USA TODAY" for a USA TODAY story): a byline naming someone
    # else, when there is one, is the writer
    only_site = bool(site and machine) and all(_fold_name(a.name) == site for a in machine)
    if adapter is GENERIC and machine and all(a.url for a in machine) and not only_site:
        return machine  # nothing a visible byline could add
    visible = dedupe_authors(_author_nodes(doc, adapter))
    if only_site:
        if not visible:  # a byline line near the title, an author element further down
            visible = dedupe_authors(_header_author(doc, adapter, title))
        named = visible and not any(_fold_name(a.name).startswith(site) for a in visible)
        return visible if named else machine
    placeholder = _placeholder(machine)
    if not visible and (placeholder or not machine):
        visible = dedupe_authors(_header_author(doc, adapter, title))
    if machine:
        urls = {a.name.casefold(): a.url for a in visible if a.url}
        merged = [a if a.url else Author(a.name, urls.get(a.name.casefold())) for a in machine]
        # Visible bylines win when the machine name is only a handle or an organisation
        # (a role shown on the page, "Aidoc Staff", does not beat a person's name).
        if visible and not any(a.name.casefold() in urls or a in visible for a in machine):
            if (placeholder or md.article is None) and not all(is_role(a.name) for a in visible):
                return visible
        return merged
    return visible


@dataclass
class _Shown:
    """What the page's date elements say: machine-readable times, the visible date or
    relative date of the publication, and the date of the last update when one is
    labelled so ("Updated Feb 12, 2026")."""

    machine: list[DateCandidate]
    shown: date | None = None
    relative: datetime | None = None
    updated: datetime | None = None
    updated_precision: Precision = "exact"


def _visible_date(
    doc: Document, adapter: Adapter, language: str | None, fetched_at: datetime | None
) -> _Shown:
    out = _Shown([])
    # The generic group is only searched when the platform's is not enough; dates of
    # comments, related posts and embedded tweets are skipped. Per group, the first four
    # elements that hold a date count (elements with none, a teaser's bare "09:30", do not).
    groups = _groups(adapter, "date")
    for group in doc.worth_trying(groups):
        useful = 0
        for node in _in_post_nodes(doc.css(group)[:12]):
            attrs = node.attributes
            raw = attrs.get("datetime") or (attrs.get("title") if node.tag == "abbr" else None)
            parsed = parse_iso(raw) if raw else None
            if update_labelled(node):  # the last update, not the publication
                if out.updated is None:
                    if parsed is not None:
                        out.updated = parsed[0]
                        out.updated_precision = "exact" if parsed[1] else "day"
                    else:
                        seen = parse_visible_date(node_text(node), language, fetched_at)
                        out.updated = midnight_utc(seen) if seen is not None else None
                        out.updated_precision = "day"
                if not out.machine and out.shown is None and out.relative is None:
                    # The post's date line shows only its update: dates further down
                    # belong to teasers and notes.
                    return out
                continue
            if parsed is not None:
                out.machine.append(DateCandidate(parsed[0], parsed[1], "markup", is_naive_iso(raw)))
            text = node_text(node)[:120] or clean_text(attrs.get("title"))
            if out.shown is None and out.relative is None and text:
                out.shown = parse_visible_date(before_update(text), language, fetched_at)
                if out.shown is None:
                    out.relative = parse_relative(text, fetched_at)
                if out.shown is None and out.relative is None and attrs.get("title"):
                    out.shown = parse_visible_date(attrs.get("title") or "", language, fetched_at)
            if out.machine and (out.shown or out.relative):
                return out
            # (an element counts when it held a date, and every one does once a visible
            # date is known)
            useful += parsed is not None or out.shown is not None or out.relative is not None
            if useful >= 4:
                break
    return out


def _in_post_nodes(nodes: list[LexborNode]) -> Iterator[LexborNode]:
    """``nodes`` outside comments, related posts and embeds, checked one at a time (the
    caller stops early: each check walks the ancestors)."""
    for node in nodes:
        if not outside_post(node):
            yield node


def _localise(candidates: list[DateCandidate]) -> tuple[list[DateCandidate], timezone | None]:
    """Naive markup times re-read in the UTC offset that makes them equal an aware
    timestamp of the page (``23:30:59`` next to ``05:30:59Z`` the next day: UTC-6)."""
    aware = [c for c in candidates if c.has_time and not c.naive]
    out: list[DateCandidate] = []
    found: timezone | None = None
    for cand in candidates:
        if cand.naive and cand.has_time:
            for other in aware:
                offset = naive_local_offset(cand.value, other.value)
                if offset is not None:
                    cand = DateCandidate(cand.value.replace(tzinfo=offset), True, cand.source)
                    found = found or offset
                    break
        out.append(cand)
    return out, found


def choose_published(
    candidates: list[DateCandidate],
    shown: date | None,
    relative: datetime | None,
    trust_jsonld: bool = True,
    hint: date | None = None,
) -> tuple[datetime | None, Precision | None]:
    """Pick the first-publication time by majority of independent sources.

    Candidates naming the same instant form a group; each source kind (JSON-LD, meta,
    microdata/markup) votes once, a visible calendar date that matches the group's
    local or UTC day adds a vote, and ties go to the most authoritative source. A
    JSON-LD date that agrees with the visible date wins outright (Medium's
    article:published_time is the latest re-publish). ``hint`` is a calendar date from
    elsewhere (the URL path): it votes like the visible date.

    A UTC timestamp whose day is one off the visible or URL date (a late-evening post in
    a timezone behind UTC) gives way to that date with precision "day", unless the page
    gives the same moment in its own offset, on that day (microdata with an offset, or a
    naive markup time that tells the offset): then the time is given in it.
    """
    candidates, local = _localise(candidates)
    exact = [c for c in candidates if c.has_time]
    if not exact:
        days = [c for c in candidates if not c.has_time]
        if days:
            best = min(days, key=lambda c: _SOURCE_RANK.get(c.source, 4))
            return best.value, "day"
        if shown is not None:
            return midnight_utc(shown), "day"
        if relative is not None:
            return relative, "relative"
        return None, None
    groups: dict[datetime, list[DateCandidate]] = {}
    for cand in exact:
        key = cand.value.astimezone(UTC).replace(microsecond=0)
        groups.setdefault(key, []).append(cand)
    day_hints = [c.value.date() for c in candidates if not c.has_time]
    if shown is not None:
        day_hints.append(shown)
    if hint is not None:
        day_hints.append(hint)

    def local_days(instant: datetime, members: list[DateCandidate]) -> set[date]:
        return {c.value.date() for c in members} | {instant.date()}

    shown_matches = {
        instant for instant, members in groups.items() if shown in local_days(instant, members)
    }

    def rank(item: tuple[datetime, list[DateCandidate]]) -> tuple[int, int]:
        instant, members = item
        votes = len({_SOURCE_RANK.get(c.source, 4) for c in members})
        days = local_days(instant, members)
        votes += sum(1 for d in day_hints if d in days)
        best_rank = min(_SOURCE_RANK.get(c.source, 4) for c in members)
        if trust_jsonld and best_rank == 0 and shown_matches == {instant}:
            votes += 10  # only JSON-LD agrees with what the reader sees
        return votes, -best_rank

    _, members = max(groups.items(), key=rank)
    chosen = min(members, key=lambda c: _SOURCE_RANK.get(c.source, 4)).value
    if chosen.utcoffset() == timedelta(0):
        if local is not None and any(c.value.tzinfo == local for c in members):
            return chosen.astimezone(local), "exact"
        seen = [d for d in (shown, hint) if d is not None]
        if seen and chosen.date() not in seen:
            for member in members:  # the same instant in the page's own offset, on that day
                offset = member.value.utcoffset()
                if offset and member.value.date() in seen:
                    return member.value, "exact"
            for day in seen:
                if abs((day - chosen.date()).days) == 1:
                    return midnight_utc(day), "day"
    return chosen, "exact"


def parse_reading_time(text: str) -> int | None:
    m = _READING.search(text[:200])
    if m is None:
        return None
    minutes = int(m.group(1))
    return minutes if 0 < minutes < 600 else None


_GENERIC_READING = ", ".join(GENERIC.reading_time)


class _ReadMarks:
    """Whether the page's source holds a READING_TIME_CLASSES word and whether it holds
    "min read", from one pass over its bytes (made when first asked: pages whose platform
    selectors find the reading time never pay for it)."""

    def __init__(self, doc: Document) -> None:
        self._doc = doc
        self._found: tuple[bool, bool] | None = None

    def _scan(self) -> tuple[bool, bool]:
        if self._found is None:
            self._found = read_marks(self._doc.source(), _READ_TAILS)
        return self._found

    @property
    def class_word(self) -> bool:
        return self._scan()[0]

    @property
    def min_read(self) -> bool:
        return self._scan()[1]


def _reading_nodes(doc: Document, selector: str, marks: _ReadMarks) -> list[LexborNode]:
    """``doc.css(selector)``; the generic class-substring list is matched with one
    ``[class*=read]`` pass and a check of each (rare) hit's class in Python."""
    if selector != _GENERIC_READING:
        return doc.css(selector)
    if not marks.class_word:
        return []  # no class can hold a word the page's source lacks
    found = []
    for node in doc.css('[class*="read"]'):
        cls = node.attributes.get("class") or ""
        if any(word in cls for word in READING_TIME_CLASSES):
            found.append(node)
    return found


def _reading_time(
    doc: Document, adapter: Adapter, md: Metadata, title: LexborNode | None
) -> int | None:
    marks = _ReadMarks(doc)
    for selector in _groups(adapter, "reading_time"):
        for node in _reading_nodes(doc, selector, marks)[:3]:
            text = node_text(node) or clean_text(node.attributes.get("title"))
            minutes = parse_reading_time(text) if len(text) < 200 else None
            if minutes is not None:
                return minutes
    if md.reading_time is not None:
        return md.reading_time
    if title is None or not marks.min_read:
        return None
    ancestor = title.parent
    for _ in range(4):
        if ancestor is None:
            break
        m = _READ_PHRASE.search(ancestor.text(deep=True, separator=" ")[:1500])
        if m is not None:
            return int(m.group(1))
        ancestor = ancestor.parent
    return None


def _link_box(selector: str) -> str | None:
    """The ``<box>`` of a ``"<box> a"`` selector (a simple one), else None."""
    box, _, inner = selector.rpartition(" ")
    if inner != "a" or not box or any(c in box for c in " >+~,"):
        return None
    return box


def _select(doc: Document, selector: str) -> list[LexborNode]:
    """``doc.css(selector)``; a ``"<box> a"`` selector is found as its boxes and then
    the links inside them (the engine matches right to left: it would walk the ancestors
    of every link on the page)."""
    box = _link_box(selector)
    if box is None:
        return doc.css(selector)
    found: list[LexborNode] = []
    seen: set[int] = set()
    for node in doc.css(box):
        for link in css(node, "a"):
            if link.mem_id not in seen:  # (boxes may nest)
                seen.add(link.mem_id)
                found.append(link)
    return found


def _tags(doc: Document, adapter: Adapter, md: Metadata) -> list[str]:
    tags = list(md.tags)
    # (no link inside a box the page lacks: the boxes tell whether any selector can match)
    scopes = [_link_box(selector) or selector for selector in adapter.tags]
    for selector in doc.worth_trying(adapter.tags, probe=scopes):
        tags.extend(node_text(n) for n in _select(doc, selector)[:30])
    seen: set[str] = set()
    out = []
    for tag in tags:
        tag = clean_text(tag).lstrip("#")
        if tag and len(tag) < 80 and tag.casefold() not in seen:
            seen.add(tag.casefold())
            out.append(tag)
    return out[:50]


def _last_resort_date(
    doc: Document,
    seen_dates: _Shown,
    from_url: date | None,
    title: str | None,
    title_node: LexborNode | None,
    language: str | None,
    fetched_at: datetime | None,
) -> tuple[datetime | None, Precision | None]:
    """For a page whose date elements and structured data give no publication date: a date
    in any date/meta/byline-classed element (near the title first), then the URL path, then
    a labelled line in the text; and when the page shows nothing but the date of its last
    update, that date (readers take it for the post's date). A page whose date line shows
    only its update has no other date of its own: a date further down is a teaser's."""
    body = doc.tree.body
    if seen_dates.updated is not None:
        if from_url is not None:
            return midnight_utc(from_url), "day"
        return seen_dates.updated, seen_dates.updated_precision
    seen = (
        fallback_shown_date(body, title_node, language, fetched_at)
        or from_url
        or labelled_date(body, language, fetched_at, title)
        or fallback_shown_date(body, title_node, language, fetched_at, updates=True)
        or labelled_date(body, language, fetched_at, title, updates=True)
    )
    return (midnight_utc(seen), "day") if seen is not None else (None, None)


def read_header(
    doc: Document, adapter: Adapter, md: Metadata, fetched_at: datetime | None
) -> Header:
    language = normalise_language(doc.lang) or normalise_language(md.language)
    title, title_node = read_title(doc, adapter, md)
    seen_dates = _Shown([])
    structured = any(c.has_time and c.source in ("jsonld", "meta") for c in md.published)
    if adapter is not GENERIC or not structured:
        # Known platforms always cross-check with the visible date; other sites only
        # look for one when no structured timestamp exists.
        seen_dates = _visible_date(doc, adapter, language, fetched_at)
    from_url = url_day(doc.url)
    published, precision = choose_published(
        md.published + seen_dates.machine,
        seen_dates.shown,
        seen_dates.relative,
        adapter.trust_jsonld_date,
        from_url,
    )
    if published is None:
        published, precision = _last_resort_date(
            doc, seen_dates, from_url, title, title_node, language, fetched_at
        )
    updated = seen_dates.updated
    if md.modified:
        updated = min(md.modified, key=lambda c: _SOURCE_RANK.get(c.source, 4)).value
    return Header(
        title=title or None,
        title_node=title_node,
        authors=_without_site_affixes(_pick_authors(doc, adapter, md, title_node), doc, md),
        published=published,
        precision=precision,
        updated=updated,
        reading_time=_reading_time(doc, adapter, md, title_node),
        tags=_tags(doc, adapter, md),
        language=language,
    )

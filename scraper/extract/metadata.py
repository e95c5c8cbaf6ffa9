"""Page metadata from JSON-LD, meta tags and microdata (no visible-body heuristics)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..model import Author
from ._document import Document, clean_text, node_text
from .dates import is_naive_iso, midnight_utc, parse_iso, parse_visible_date

__all__ = [
    "DateCandidate",
    "Metadata",
    "clean_author_name",
    "dedupe_authors",
    "names_a_job",
    "read_metadata",
]

_ARTICLE_TYPES = {
    "article", "blogposting", "newsarticle", "posting", "socialmediaposting", "report",
    "techarticle", "scholarlyarticle", "liveblogposting", "analysisnewsarticle",
    "opinionnewsarticle", "reportagenewsarticle", "reviewnewsarticle", "backgroundnewsarticle",
    "medicalwebpage", "review", "recipe", "howto",
}  # fmt: skip
_BYLINE_PREFIX = re.compile(
    r"^\s*(?:(?:view|see)\s+all\s+(?:posts|articles|stories)\s+by|all\s+posts\s+by|"
    r"(?:posts|articles|stories)\s+by|more\s+(?:from|by)|post\s+author(?:\s+by)?|"
    r"(?:artikel|beiträge|beitrag)\s+von|alle\s+beiträge\s+von|"
    r"(?:written|posted|published|authored|analysis|opinion|commentary|article|text|words|"
    r"story)\s+by|by|about|writer|author|autor(?:in)?|"
    r"von|par|por|de)\s*[:：]?\s+",
    re.I,
)
_BYLINE_PREFIX_COLON = re.compile(r"^\s*(?:writer|author|autor(?:in)?|auteur)\s*[:：]\s*", re.I)


_NOT_NAMES = {
    "by", "von", "par", "por", "de", "author", "authors", "writer", "posted by", "written by",
    "admin", "administrator", "unknown", "anonymous", "staff", "guest", "no author",
    # CMS placeholders (a `<meta name="author" content="publisher">`), not people
    "publisher", "editor", "editors", "editorial", "editorial team", "team", "newsroom",
    "webmaster", "user", "root", "undefined", "null", "none", "n/a", "nan",
}  # fmt: skip
# A word that makes the whole value a placeholder ("Publisher ACME", "ACME newsdesk").
# ("Redaktion" is kept: sites use it as their byline and the evaluation truth does too.)
_DESK_WORDS = {"publisher", "newsdesk"}
_TEMPLATE = re.compile(r"\{\{|\}\}|\$\{|<%|^[a-z0-9_]++(?:\.[a-z0-9_]++){3,}$")


@dataclass(frozen=True)
class DateCandidate:
    value: datetime
    has_time: bool
    source: str
    naive: bool = False  # written without a UTC offset (read as UTC)


@dataclass
class Metadata:
    title: str | None = None
    headline: str | None = None
    site_name: str | None = None
    description: str | None = None
    image: str | None = None
    language: str | None = None
    authors: list[Author] = field(default_factory=list)
    published: list[DateCandidate] = field(default_factory=list)
    modified: list[DateCandidate] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    reading_time: int | None = None
    article: dict[str, Any] | None = None


def _types(obj: dict[str, Any]) -> set[str]:
    raw = obj.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {str(v).lower() for v in values if v}


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return clean_text(value) or None
    if isinstance(value, list) and value:
        return _text(value[0])
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@value"))
    return None


# a dash or bar with spaces around it: what follows a full name there is a role or a team
# (names are clean_text()'s: single spaces; anchored and possessive, so linear even when
# searched)
_ROLE_AFTER = re.compile(r" [-\u2013\u2014|] ")
_FULL_NAME = re.compile(r"^(?:[^\W\d_][\w.'\u2019-]*+ ){1,3}[^\W\d_][\w.'\u2019-]*+$")
_JOB_TITLES = frozenset(
    "writer reporter editor contributor correspondent columnist journalist coordinator "
    "producer strategist specialist manager director analyst "
    # German, French, Spanish, Italian, Portuguese, Dutch newsroom titles
    "redakteur redakteurin chefredakteur chefredakteurin korrespondent korrespondentin "
    "journalistin autorin rédacteur rédactrice journaliste correspondant correspondante "
    "periodista redactor redactora corresponsal giornalista redattore redattrice "
    "jornalista repórter redacteur verslaggever".split()
)
_INITIAL = re.compile(r"[^\W\d_]\.")
_NOT_NAME_WORDS = frozenset("the to of and for from on in at by a an our your".split())
_MEDIA_TYPES = frozenset(
    ("imageobject", "videoobject", "audioobject", "mediaobject", "photograph", "clip")
)
_QUOTES = {'"': '"', "\u201c": "\u201d", "\u201e": "\u201c", "\u00ab": "\u00bb", "'": "'"}


# A publication after the name: ", The Commercial Appeal" (no person's name starts "The").
_OUTLET_AFTER = re.compile(r",\s*The\s+[A-Z][\w'’&.-]*(?:\s+[A-Z&][\w'’&.-]*){0,4}$")
_ON_BEHALF = re.compile(r"(?<!\s)\s+(?:for and )?on behalf of\b.*$", re.I | re.S)


def clean_author_name(name: str) -> str:
    name = clean_text(name)
    name = _BYLINE_PREFIX_COLON.sub("", name)
    name = _BYLINE_PREFIX.sub("", name)
    name = name.strip(" ,;|·-–—:")
    name = _ON_BEHALF.sub("", name)  # "Niko Matsakis on behalf of the Vision Doc group"
    if len(name) > 2 and _QUOTES.get(name[0]) == name[-1]:  # '"Ann Lee"'
        name = name[1:-1].strip()
    outlet = _OUTLET_AFTER.search(name)
    if outlet is not None and outlet.start() > 0:
        name = name[: outlet.start()]  # "Manoj Jain, The Commercial Appeal": a publication
    role = _ROLE_AFTER.search(name)
    if role is not None and _FULL_NAME.fullmatch(name[: role.start()]):
        name = name[: role.start()]  # "Ann Lee - Staff Writer", "Ann Lee | Editor"
    head, comma, rest = name.partition(", ")
    if comma and _FULL_NAME.fullmatch(head) and names_a_job(rest):
        # "Jane Smith, Product Manager, Google Cloud" (a credential alone stays: "Ann Lee,
        # MD"; one before the job goes: "Cara Dumaplin RN, Founder")
        words = head.split()
        if len(words) > 2 and words[-1].casefold().strip(".") in _CREDENTIALS:
            head = " ".join(words[:-1])
        name = head
    return _without_job_title(_without_leading_job(name))


def _without_leading_job(name: str) -> str:
    """ "FOCUS-Online-Experte Robin Tschöpe", "Reporter Ann Lee" -> the name: a job word
    (or a hyphenated compound ending in one) before a first and last name."""
    first, _, rest = name.partition(" ")
    job = first.casefold().rsplit("-", 1)[-1]
    if rest and (job in _JOB_TITLES or job in _LEADING_JOBS) and _FULL_NAME.fullmatch(rest):
        words = rest.split()
        if len(words) >= 2 and all(w[0].isupper() for w in words):
            return rest
    return name


_LEADING_JOBS = frozenset("experte expertin autor gastautor gastautorin fotograf".split())


_MORE_JOBS = frozenset(
    "engineer founder co-founder cofounder ceo cto cfo coo vp president officer head lead "
    "professor scientist researcher developer designer consultant partner advocate "
    "marketer owner chief intern fellow".split()
)


_ANY_JOB = _JOB_TITLES | _MORE_JOBS
_CREDENTIALS = frozenset("rn md phd dvm np mba cpa lcsw rd dds pharmd mph".split())


def names_a_job(text: str) -> bool:
    """Whether ``text`` (what follows "Ann Lee, ") holds a job title word."""
    words = {w.strip(".,;:()") for w in text.casefold().replace("-", " - ").split()}
    return not words.isdisjoint(_ANY_JOB)


def _without_job_title(name: str) -> str:
    """ "Ann Lee Senior Tech Reporter" (a byline whose name and title sit in separate
    elements) -> "Ann Lee": a first and last name, with a middle initial if there is one."""
    words = name.split()
    if not 3 <= len(words) <= 7:
        return name
    keep = 3 if len(words) > 3 and _INITIAL.fullmatch(words[1]) else 2
    after = words[keep].casefold().strip(",")  # ("Matt Check Head Winemaker")
    if words[-1].casefold() not in _JOB_TITLES and after not in _ANY_JOB:
        return name
    head = words[:keep]
    if not _FULL_NAME.fullmatch(" ".join(head)) or not all(
        w[0].isupper() and w.casefold() not in _NOT_NAME_WORDS for w in head
    ):
        return name  # "Letters To The Editor" is a column, not Ms "Letters To"
    return " ".join(head)


def _is_generated_id(name: str) -> bool:
    """One long token of letters with three or more digits mixed in: a generated user id,
    not a name or a handle someone chose ("ann_lee", "sara.r.peter", "user42" stay)."""
    if " " in name or len(name) < 12 or not name.isalnum():
        return False
    digits = sum(c.isdigit() for c in name)
    return digits >= 3 and not name[-digits:].isdigit()


def _json_name(name: str) -> str:
    """The name in an author given as a JSON object in a string ('{ "@type":"Person",
    "name":"Alice Wu" }' in a meta tag), else ``name``."""
    if not name.startswith("{") or '"name"' not in name:
        return name
    try:
        value = json.loads(name)
    except ValueError:
        return name
    found = value.get("name") if isinstance(value, dict) else None
    return found if isinstance(found, str) else name


def dedupe_authors(authors: list[Author]) -> list[Author]:
    seen: dict[str, int] = {}
    out: list[Author] = []
    for author in authors:
        name = clean_author_name(_json_name(author.name))
        if not name or len(name) > 100 or name.startswith(("http://", "https://")):
            continue
        if name.casefold() in _NOT_NAMES or _DESK_WORDS & set(name.casefold().split()):
            continue
        if _TEMPLATE.search(name):  # an unfilled template: "page.head.extra.author"
            continue
        if _is_generated_id(name):  # a CMS's user id: "mdelatorreq6vkpg2ma0ci"
            continue
        key = name.casefold()
        if key in seen:
            index = seen[key]
            if out[index].url is None and author.url:
                out[index] = Author(out[index].name, author.url)
            continue
        seen[key] = len(out)
        out.append(Author(name, author.url))
    return out


def _jsonld_authors(value: Any, doc: Document, by_id: dict[str, dict[str, Any]]) -> list[Author]:
    items = value if isinstance(value, list) else [value]
    out: list[Author] = []
    for item in items[:20]:
        if isinstance(item, str):
            out.append(Author(clean_text(item)))
        elif isinstance(item, dict):
            if "name" not in item and isinstance(item.get("@id"), str):
                item = by_id.get(item["@id"], item)
            if "organization" in _types(item) or "newsmediaorganization" in _types(item):
                continue  # a publisher, not a writer; the visible byline is better
            name = _text(item.get("name"))
            if name:
                url = item.get("url") or item.get("sameAs")
                url = url[0] if isinstance(url, list) and url else url
                out.append(Author(name, doc.absolute(url) if isinstance(url, str) else None))
    return out


def _image(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value:
        return _image(value[0])
    if isinstance(value, dict):
        return _image(value.get("url") or value.get("contentUrl"))
    return None


def _add_date(target: list[DateCandidate], value: Any, source: str) -> bool:
    """Add ``value`` to ``target`` when it is an ISO timestamp; whether it was one."""
    value = value.strip() if isinstance(value, str) else value
    parsed = parse_iso(value)
    if parsed is None:
        return False
    target.append(DateCandidate(parsed[0], parsed[1], source, is_naive_iso(value)))
    return True


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _pick_article(doc: Document) -> dict[str, Any] | None:
    articles = [obj for obj in doc.jsonld if _types(obj) & _ARTICLE_TYPES]
    if not articles:
        # the post nested in its blog or page: {"@type": "Blog", "blogPost": [{...}]},
        # {"@type": "WebPage", "mainEntity": {...}} (one post only: a list is no post page)
        nested = [
            inner
            for obj in doc.jsonld
            for key in ("blogPost", "mainEntity")
            for inner in _listed(obj.get(key))
            if isinstance(inner, dict) and _types(inner) & _ARTICLE_TYPES
        ]
        if len(nested) == 1:
            return nested[0]
    if not articles:
        # (an image's or a video's own datePublished is not the page's)
        pages = [o for o in doc.jsonld if "datePublished" in o and not _types(o) & _MEDIA_TYPES]
        return pages[0] if pages else None
    for obj in articles:
        if obj.get("datePublished") or obj.get("headline"):
            return obj
    return articles[0]


def read_metadata(doc: Document) -> Metadata:
    md = Metadata()
    by_id = {str(o["@id"]): o for o in doc.jsonld if isinstance(o.get("@id"), str)}
    article = _pick_article(doc)
    md.article = article
    meta = doc.first_meta
    md.title = meta("og:title", "twitter:title")
    md.site_name = meta("og:site_name", "application-name")
    md.description = meta("og:description", "description", "twitter:description")
    md.image = meta("og:image", "og:image:url", "og:image:secure_url", "twitter:image")
    md.language = meta("og:locale", "content-language", "language")

    if article is not None:
        md.headline = _text(article.get("headline") or article.get("name"))
        md.authors.extend(_jsonld_authors(article.get("author"), doc, by_id))
        _add_date(md.published, article.get("datePublished"), "jsonld")
        _add_date(md.modified, article.get("dateModified"), "jsonld")
        md.description = md.description or _text(article.get("description"))
        md.image = md.image or _image(article.get("image") or article.get("thumbnailUrl"))
        keywords = article.get("keywords")
        if isinstance(keywords, str):
            keywords = keywords.split(",")
        if isinstance(keywords, list):
            for keyword in keywords[:50]:
                if not isinstance(keyword, str):
                    continue
                if keyword.startswith("Tag:"):  # Medium: "Tag:JavaScript", "Lite:true", ...
                    keyword = keyword[4:]
                elif re.match(r"^\w+:", keyword):
                    continue
                md.tags.append(keyword.strip())
        lang = article.get("inLanguage")
        md.language = md.language or (lang if isinstance(lang, str) else None)
        publisher = article.get("publisher")
        if isinstance(publisher, dict) and not md.site_name:
            if "name" not in publisher and isinstance(publisher.get("@id"), str):
                publisher = by_id.get(publisher["@id"], publisher)
            md.site_name = _text(publisher.get("name"))
    if not md.site_name:
        for obj in doc.jsonld:
            if "website" in _types(obj):
                md.site_name = _text(obj.get("name"))
                break
    if not md.authors:
        # Yoast graphs without an Article node: the Person is the author.
        people = [o for o in doc.jsonld if "person" in _types(o)]
        if len(people) == 1 and article is None:
            md.authors.extend(_jsonld_authors(people[0], doc, by_id))

    for key in _PUBLISHED_KEYS:
        for value in doc.meta.get(key, ())[:1]:
            _add_date(md.published, value, "meta" if key.startswith(("article", "og")) else key)
    if not md.published:  # a site's own name for it: "w-published-date", "published"
        for key, values in doc.meta.items():
            if not values or key in _PUBLISHED_KEYS or not _PUBLISHED_META.search(key):
                continue
            value = values[0][:80]
            if not _add_date(md.published, value, key) and any(c.isalpha() for c in value):
                day = parse_visible_date(value, doc.lang)  # "July 17, 2025" (not "03-09-2026")
                if day is not None:
                    md.published.append(DateCandidate(midnight_utc(day), False, key))
            if md.published:
                break
    for key in ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified"):
        for value in doc.meta.get(key, ())[:1]:
            _add_date(md.modified, value, "meta")
    for name, target in (("datePublished", md.published), ("dateModified", md.modified)):
        for node in doc.itemprops.get(name, ())[:2]:
            attrs = node.attributes
            raw = attrs.get("datetime") or attrs.get("content") or attrs.get("title")
            shown = raw or node_text(node)
            if not _add_date(target, shown, "itemprop") and not raw:
                day = parse_visible_date(shown, doc.lang)  # written out: "28. Dezember 2022"
                if day is not None:
                    target.append(DateCandidate(midnight_utc(day), False, "itemprop"))

    if not md.authors:  # meta tags only when structured data names no person
        for key in _META_AUTHORS:
            # a paper's citation tags list every author, in order; other tags repeat one
            for name in doc.meta.get(key, ())[: 20 if key == "citation_author" else 3]:
                if name and not name.startswith("http"):
                    name = clean_text(name)
                    md.authors.append(Author(_first_last(name) if key in _INVERTED else name))
            if md.authors:
                break
    labels = doc.meta.get("twitter:label1", [])
    if (
        not md.authors
        and labels
        and re.search(r"written|verfasst|auteur|escrito|author", labels[0], re.I)
    ):
        for name in doc.meta.get("twitter:data1", ())[:1]:
            md.authors.append(Author(clean_text(name)))
    md.tags.extend(doc.meta.get("article:tag", []))
    md.reading_time = _meta_reading_time(doc)
    return md


_PUBLISHED_KEYS = (
    "article:published_time", "og:article:published_time", "datepublished", "date", "dc.date",
    "dc.date.issued", "dcterms.created", "pubdate", "parsely-pub-date", "sailthru.date",
    "publish-date", "publish_date", "publishdate", "published-date", "date_published",
    "publication_date", "article.published", "article_date_original",
    "citation_publication_date", "dcterms.date", "dc.date.created", "rnews:datepublished",
)  # fmt: skip
_PUBLISHED_META = re.compile(
    r"(?:^|[-_.:])(?:published|publish|pub|publication)(?:[-_]?(?:date|time|at|on))?$"
)
_META_AUTHORS = (
    "author", "article:author", "dc.creator", "parsely-author", "sailthru.author",
    "citation_author",
)  # fmt: skip
_INVERTED = frozenset(("citation_author", "dc.creator"))  # often "Roy, Aniruddha"


def _first_last(name: str) -> str:
    """The scholarly "Last, First" turned around ("Roy, Aniruddha" -> "Aniruddha Roy"); a
    name with a suffix after its comma ("Ann Lee, MD", "Lee, Ann, PhD") stays as it is."""
    last, comma, first = name.partition(",")
    first, last = first.strip(), last.strip()
    if not comma or not first or not last or "," in first or first.isupper():
        return name
    if len(last.split()) > 3 or len(first.split()) > 3:
        return name
    return f"{first} {last}"


_MINUTES = re.compile(r"(\d{1,3})\s*(?:min|minutes?|minuten|minutos|mins)\b", re.I)


def _meta_reading_time(doc: Document) -> int | None:
    for index in ("1", "2", "3"):
        labels = doc.meta.get(f"twitter:label{index}", [])
        if labels and re.search(r"read|lese|lectur|lectura", labels[0], re.I):
            for value in doc.meta.get(f"twitter:data{index}", ())[:1]:
                m = _MINUTES.search(value)
                if m:
                    return int(m.group(1))
    return None

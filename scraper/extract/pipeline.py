"""The extraction pipeline behind :func:`~scraper.extract.extract_post`: decode, parse,
read the header, find and clean the body, render it, split it into sections and map the
related links (the steps are listed in the package's docstring). Compiled with mypyc when
the install can (see setup.py); ``extract_post`` wraps it with the error boundary.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from ..errors import ExtractionError
from ..model import Author, Image, Post, Product, RelatedLink, Section
from ._decode import Page, limit_nesting, may_nest_deeper, read_page
from ._document import Document, drop_nodes, repair_mojibake
from ._images import promote_noscript_images
from ._walk import css, text_length
from .bylines import byline_line
from .content import find_main, remove_boilerplate
from .dates import is_date_line, parse_iso, parse_visible_date
from .header import Header, read_header
from .links import CARD_SELECTORS, PostUrls, find_cards, normalise_url
from .markdown import Block, LinkRef, Rendered, Special, render
from .metadata import DateCandidate, names_a_job, read_metadata
from .options import ExtractOptions
from .platforms import GENERIC, Adapter, detect_platform
from .platforms.medium_state import read_state
from .products import CARD_SELECTORS as PRODUCT_CARDS
from .products import PRODUCT_TEXT, find_products

__all__ = ["extract"]

_WORD = re.compile(r"\w+")
_GENERIC_CUT = (
    ".sharedaddy, #jp-relatedposts, .jp-relatedposts, #comments, .comments-area, "
    ".comment-respond, .yarpp-related, .crp_related, [data-hook^='share-button'], "
    "[data-hook='post-footer'], .post-share, .share-buttons, .social-share, "
    ".cookie-banner, #cookie-notice, .newsletter-signup, .skip-link, "
    "a[href='#SITE_CONTAINER'], a[href='#main-content'], a[href='#content'], "
    "[aria-hidden=true], [hidden], [style*='display:none'], [style*='display: none']"
)
# "3 min read", "3 MIN. READ", "6 min readDec 1, 2025", "Reading time: 11 minutes", and
# the same in German, French, Spanish, Portuguese ("Lesezeit: 4 Min.", "4 min de lecture",
# "Tempo de leitura 2 minutos")
_READ_PHRASE = re.compile(
    r"\b\d{1,3}\s*min(?:ute)?s?\.?\s+read|\breading time:?\s*\d{1,3}\s*min"
    r"|\b(?:lesezeit|temps de lecture|tiempo de lectura|tempo de leitura)\s*:?\s*\d{1,3}\s*min"
    r"|\b\d{1,3}\s*(?:min\.?|minuten|minutes|minutos)"
    r"\s+(?:lesezeit|de lecture|de lectura|de leitura)",
    re.I,
)
_KEEP = f"{CARD_SELECTORS}, {PRODUCT_CARDS}"
_SKIP_LINK = re.compile(r"^(?:top of page|bottom of page|skip to (?:main )?content)$", re.I)


def _site(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return url


def _body_nodes(
    doc: Document, adapter: Adapter, opts: ExtractOptions
) -> tuple[list[LexborNode], set[int]]:
    # A real post body holds a fair share of the page's text; teaser boxes that reuse a
    # fallback body class (".post-content" in a "latest posts" grid) do not. The
    # platform's own body selectors are trusted with any length.
    floor = -1  # measured once, when a weak selector is first tried
    weak = set(adapter.weak_body)
    selectors = (*adapter.body, *adapter.weak_body)
    for selector in doc.worth_trying(selectors):
        least = opts.min_body_chars
        if selector in weak:
            if floor < 0:
                page = doc.tree.body
                page_len = text_length(page) if page is not None else 0
                floor = max(opts.min_body_chars, int(page_len * 0.15))
            least = floor
        best, best_len = None, least - 1
        for node in doc.css(selector)[:20]:  # a theme may reuse the class for teasers
            length = text_length(node)
            if length > best_len:
                best, best_len = node, length
        if best is not None:
            _clean_platform_body(doc, best, adapter, opts)
            return [best], set()
    return find_main(doc.tree, _KEEP, PRODUCT_TEXT)


def _clean_platform_body(
    doc: Document, node: LexborNode, adapter: Adapter, opts: ExtractOptions
) -> None:
    """Cut the platform's known noise (share bars, related widgets, comments) and the
    generic boilerplate out of a platform body."""
    selectors = [_GENERIC_CUT, *adapter.cut, *opts.extra_cut_selectors]
    doomed = css(node, ", ".join(selectors))
    drop_nodes(doomed)
    remove_boilerplate(node)


def _render(
    doc: Document,
    nodes: list[LexborNode],
    specials: dict[int, Special],
    quiet: set[int],
    opts: ExtractOptions,
) -> Rendered:
    out = Rendered()
    for node in nodes:
        part = render(node, doc.base_url, specials, None, opts.include_images, quiet)
        offset = len(out.blocks)
        for link in part.links:
            link.block += offset
        out.blocks.extend(part.blocks)
        out.links.extend(part.links)
        out.images.extend(i for i in part.images if i not in out.images)
    return out


# Blocks that are only a label of the page's furniture: an ad slot's caption, a "continue
# reading" divider, a share button, the label of a table of contents cut as links.
_FILLER = frozenset(
    ("advertisement", "advertisements", "advert", "advertising", "ad", "ads", "sponsored",
     "sponsored content", "anzeige", "werbung", "publicité", "publicidad", "pubblicità",
     "reklama", "story continues below advertisement", "article continues below advertisement",
     "article continues below", "continue reading below", "scroll to continue with content",
     # buttons and labels of the page's widgets, left as a line of their own
     "share", "share this", "share this post", "share this article", "share this story",
     "share on facebook", "share on twitter", "share on x", "share on pinterest",
     "share on linkedin", "click to share", "show caption", "hide caption",
     "press enter or click to view image in full size", "summarize this article with",
     "listen to this article", "jump to recipe", "jump to recipe jump to video",
     "print recipe", "table of contents", "in this article", "on this page",
     "inhaltsverzeichnis", "table des matières", "click to tweet", "iklan")
)  # fmt: skip
# A slideshow's counter ("Image 1 of 13").
_GALLERY_COUNTER = re.compile(
    r"^\s*(?:image|photo|picture|slide|bild|foto|imagen)\s+\d{1,3}\s+(?:of|von|de|sur)\s+\d{1,3}\s*$",
    re.I,
)
# A heading that opens the comment thread ("3 Comments", "Leave a Reply").
_COMMENTS_HEADING = re.compile(
    r"^(?:(?:\d+\s+)?(?:comments?|responses?|replies|reactions)(?:\s*\(\d+\))?"
    r"|(?:leave|post|add|write|submit) (?:a|your) (?:comment|reply|response)"
    r"|join the (?:discussion|conversation)|tell us what you think|what do you think)"
    r"[\s.!?:…]*$",
    re.I,
)
# A heading that opens the page's furniture after the post: teasers of other posts, the
# author's bio box, a newsletter form ("Related Articles", "You May Also Like", "More
# posts by Ann Lee", "About the Author", "Join our newsletter"; in German, French and
# Spanish "Ähnliche Beiträge", "À lire aussi", "Artículos relacionados" ...). ("Further
# reading" and "Resources" are often the author's own list, and stay.)
_END_MATTER_HEADING = re.compile(
    r"^(?:(?:related|similar|recommended|suggested|popular|recent|latest|trending)"
    r"(?: \w+)? (?:posts?|articles?|stories|reads?|reading|content|topics|videos|news)"
    r"|(?:more|other) (?:posts?|articles?|stories)\b.{0,40}"
    r"|(?:you|we think you) (?:may|might|will) (?:also )?(?:like|love|enjoy)\b.{0,20}"
    r"|you(?:'|’)ll (?:also )?(?:like|love|enjoy)\b.{0,20}"
    r"|recommended(?: for you)?|read (?:this )?next|keep reading"
    r"|about the (?:author|writer)s?|meet the (?:author|writer)"
    r"|(?:(?:sign up|subscribe) (?:for|to)|join|get) (?:our|the|my) \w*\s?newsletter\b.{0,30}"
    r"|newsletter"
    r"|(?:ähnliche|verwandte|weitere) (?:beiträge|artikel)"
    r"|das könnte (?:dich|sie) auch interessieren"
    r"|über (?:den|die) autor(?:in)?|articles (?:similaires|connexes|liés)|à lire aussi"
    r"|vous aimerez (?:aussi|également)|à propos de l'auteur|à propos de l’auteur"
    r"|(?:artículos|entradas|publicaciones) relacionad[oa]s|(?:también )?te puede interesar"
    r"|sobre el autor)"
    r"[\s.!?:…]*$",
    re.I,
)


_REPEATED = 80  # paragraphs this long, met again in the same order, are a copy


def _second_copies(blocks: list[Block]) -> set[int]:
    """Indexes of paragraphs that repeat earlier ones as part of a repeated run of two or
    more long paragraphs (a responsive layout's second copy of the post); a paragraph
    repeated on its own (a refrain, a pull quote) stays."""
    first: dict[str, int] = {}
    longs: list[int] = []  # indexes of the long paragraphs, in order
    twin: dict[int, int] = {}  # position in ``longs`` -> position of its first copy
    for i, block in enumerate(blocks):
        text = block.text.strip()
        if block.level or len(text) < _REPEATED:
            continue
        if text in first:
            twin[len(longs)] = first[text]
        else:
            first[text] = len(longs)
        longs.append(i)
    copies = set()
    for pos, origin in twin.items():
        if twin.get(pos - 1) == origin - 1 or twin.get(pos + 1) == origin + 1:
            copies.add(longs[pos])
    return copies


# The label of a table of contents ("Table of Contents", "In this article", "Sommaire"), a
# heading or a line of its own (with the plugins' "hide" or "Toggle" button).
_TOC_LABEL = re.compile(
    r"^(?:(?:table of )?contents|in this (?:article|post|guide)|on this page|jump to"
    r"|what(?:'|’)?s inside|inhaltsverzeichnis|inhalt|sommaire|table des matières"
    r"|índice|contenidos?|tabla de contenidos?)[\s:.]*(?:\[?(?:hide|show|toggle)\]?)?\s*$",
    re.I,
)
_NUMBERING = re.compile(r"^\s*(?:\d{1,3}|[a-z]|[ivx]{1,4})[.)]\s+", re.I)


def _contents_key(text: str) -> str:
    return _fold(_NUMBERING.sub("", text))


def _tables_of_contents(blocks: list[Block]) -> set[int]:
    """Indexes of the tables of contents and of their labels: a list right under a "Table
    of Contents" heading or line whose items, most of them and three at least, are the
    texts of headings further down."""
    headings = [(i, _contents_key(b.text)) for i, b in enumerate(blocks) if b.level]
    if len(headings) < 3:
        return set()
    out: set[int] = set()
    for i in range(1, len(blocks)):
        block, label = blocks[i], blocks[i - 1]
        md = block.markdown
        if block.level or not (md.startswith(("- ", "* ")) or md[:1].isdigit()):
            continue
        if len(label.text) > 60 or not _TOC_LABEL.match(label.text.strip()):
            continue  # (a list of the post's topics without that label is a summary)
        items = [line for line in block.text.split("\n") if line.strip()]
        if len(items) < 3:
            continue
        later = {key for at, key in headings if at > i}
        hits = sum(1 for item in items if _contents_key(item) in later)
        if hits >= 3 and hits >= 0.6 * len(items):
            out.update((i - 1, i))
    return out


_CLOSING_LINE = re.compile(
    r"^(?:latest posts by .{1,60}\(see all\)|(?:©|\(c\)|copyright)\s.{0,120}rights reserved\.?"
    r"|(?:enjoy(?:ed)? (?:the|this) (?:post|recipe)\W+)?pin (?:it|this|me)? ?(?:for later|here)\W*"
    r"|back to top\W*|filed under\W.{1,80}"
    # a news story's credit line: "Reporting by Ann Lee; editing by Bo Chen", "Ann Lee
    # contributed reporting from Hong Kong", "This article was edited by Ann Lee."
    r"|(?:additional )?reporting by\W.+"
    r"|.{3,140}\bcontributed(?: to)?(?: this)? report(?:ing)?\b.{0,60}"
    r"|this (?:article|story|post) was (?:edited|reported|written|updated) by .{1,120})$",
    re.I,
)


def _closing_furniture(text: str) -> bool:
    """Whether a block closing the body is the page's furniture, not the post's end."""
    text = text.strip()
    return len(text) <= 160 and (
        is_date_line(text) or byline_line(text) is not None or _CLOSING_LINE.match(text) is not None
    )


def _without_filler(rendered: Rendered) -> Rendered:
    """``rendered`` without ad labels, second copies of a paragraph, tables of contents,
    a comment thread's or the end matter's heading and what follows it when that is the
    end of the body (a quarter of its text at most), and headings left empty at its end."""
    blocks = rendered.blocks
    total = sum(len(b.text) for b in blocks)
    end = len(blocks)
    tail = 0
    for i in range(len(blocks) - 1, -1, -1):
        block = blocks[i]
        tail += len(block.text)
        if tail > total * 0.25:
            break
        text = block.text.strip()
        if len(text) > 60:
            continue
        # (Not a label line, "<p><strong>Related Topics:</strong></p>": on the dev pages
        # the post went on after it as often as not.)
        if block.level and (_COMMENTS_HEADING.match(text) or _END_MATTER_HEADING.match(text)):
            end = i
    # The header's lines repeated at the end ("Last updated on June 2, 2025", "by Ann
    # Lee", "Latest posts by Ann Lee (see all)", a copyright line), and then headings with
    # nothing after them: no post ends so; a widget's title ("Tags", "Learn more", "Was
    # this article useful?") whose content was cut as boilerplate does.
    for _ in range(3):
        if end > 1 and not blocks[end - 1].level and _closing_furniture(blocks[end - 1].text):
            end -= 1
    while end > 1 and blocks[end - 1].level and any(not b.level for b in blocks[: end - 1]):
        end -= 1
    copies = _second_copies(blocks[:end]) | _tables_of_contents(blocks[:end])
    keep: dict[int, int] = {}
    out: list[Block] = []
    for i in range(end):
        text = blocks[i].text
        if (
            i in copies
            or text.strip(" \t\n.:-–—*[]()").casefold() in _FILLER
            or (len(text) <= 24 and _GALLERY_COUNTER.match(text))
        ):
            continue
        keep[i] = len(out)
        out.append(blocks[i])
    if len(out) == len(blocks):
        return rendered
    links = []
    for link in rendered.links:
        if link.block in keep:
            link.block = keep[link.block]
            links.append(link)
    return Rendered(out, links, rendered.images)


def _byline_in_body(rendered: Rendered) -> list[Author]:
    """The last resort for the author: a "By Ann Lee" line among the body's first blocks
    (linked when the name is a link)."""
    for i, block in enumerate(rendered.blocks[:8]):
        name = byline_line(block.text)
        if name is not None:
            links = [link.url for link in rendered.links if link.block == i and link.text == name]
            return [Author(name, links[0] if links else None)]
    return []


def _fold(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _trim_blocks(rendered: Rendered, header: Header) -> int:
    """Index of the first body block: skip a repeated title, subtitle and byline lines.

    Within the first few short blocks, everything up to the last one that is the title,
    a skip link, an author name, an editor's or reviewer's credit, a "N min read" line, a
    date line or a row of tag links is dropped.
    """
    blocks = rendered.blocks
    title = _fold(header.title or "")
    names = [_fold(a.name) for a in header.authors if a.name]
    tag_links: dict[int, list[LinkRef]] = {}
    for link in rendered.links:
        if link.block < 8:
            tag_links.setdefault(link.block, []).append(link)
    last = -1
    for i, block in enumerate(blocks[:8]):
        text = block.text.strip()
        if len(text) > 400:
            break
        folded = _fold(text)
        if (
            _SKIP_LINK.match(text)
            or (title and folded == title)
            or _is_byline(folded, names)
            or (len(text) <= 80 and _READ_PHRASE.search(text))
            or is_date_line(text)
            or (len(text) <= 80 and _EDITOR_LINE.match(text))
            or _is_tag_row(folded, tag_links.get(i, []))
        ):
            last = i
        elif len(text) > 200:
            break
    return last + 1


# The other people a header credits ("Edited by", "Medically reviewed by Ann Lee, MD",
# "Fact checked by ...").
_EDITOR_LINE = re.compile(
    r"^(?:medically |expert |expertly |legally )?(?:reviewed|edited|fact[- ]?checked|checked"
    r"|verified|updated|illustrated|photographed|produced)(?: and \w+)? by\b",
    re.I,
)


_TAG_URL = re.compile(r"/(?:tags?|category|categories|topics?|label|labels)/", re.I)


def _is_tag_row(folded: str, links: list[LinkRef]) -> bool:
    """A block made only of links to tag/category pages."""
    if len(links) < 2 or not all(_TAG_URL.search(link.url) for link in links):
        return False
    return len(" ".join(_fold(link.text) for link in links)) >= len(folded) - 2


_BYLINE_WORDS = re.compile(r"^(?:(?:written|posted|published) by|by|von|par|por|writer|author)\s+")


def _is_byline(folded: str, names: list[str]) -> bool:
    """A short line that starts with (a byline word and) an author's name; a little longer
    when it also carries a date ("by Ann Lee in Events on Dec 17, 2025")."""
    rest = _BYLINE_WORDS.sub("", folded)
    for name in names:
        if not name or not rest.startswith(name):
            continue
        if len(rest) <= len(name) + 25:
            return True
        if len(rest) <= len(name) + 70 and (
            parse_visible_date(rest) is not None or names_a_job(rest[len(name) :])
        ):
            return True  # "... in Events on Dec 17, 2025", "..., Product Manager"
    return False


def _text_of(texts: list[str]) -> str:
    """Blocks' texts as one text, a blank line between blocks. (A block's text may open or
    close on a line break, a paragraph that starts with a ``<br>``: blank lines between
    blocks stay one; blocks of only white space go.)"""
    return "\n\n".join(t.strip("\n") for t in texts if t.strip())


def _sections(blocks: list[Block], start: int) -> tuple[list[Section], dict[int, int]]:
    sections: list[Section] = []
    index_of: dict[int, int] = {}
    heading: str | None = None
    level: int | None = None
    md_parts: list[str] = []
    tx_parts: list[str] = []
    opened = False

    def close() -> None:
        if opened and (heading is not None or md_parts):
            sections.append(Section(heading, level, "\n\n".join(md_parts), _text_of(tx_parts)))

    for i in range(start, len(blocks)):
        block = blocks[i]
        if block.level:
            close()
            heading, level, md_parts, tx_parts, opened = block.text, block.level, [], [], True
        else:
            opened = True
            md_parts.append(block.markdown)
            tx_parts.append(block.text)
        index_of[i] = len(sections) if (heading is not None or md_parts) else 0
    close()
    return sections, index_of


def _related(
    rendered: Rendered,
    index_of: dict[int, int],
    doc: Document,
    n_sections: int,
    aliases: frozenset[str],
) -> list[RelatedLink]:
    out: list[RelatedLink] = []
    seen: set[str] = set()
    is_post = PostUrls(doc.url, doc.canonical, aliases)
    normal: dict[str, str] = {}
    verdicts: dict[str, bool] = {}
    for link in rendered.links:
        if link.block not in index_of:
            continue
        url = normal.get(link.url)
        if url is None:  # pages repeat the same links; normalise and judge each URL once
            url = normal[link.url] = normalise_url(link.url)
        verdict = verdicts.get(url)
        if verdict is None:
            verdict = verdicts[url] = is_post(url)
        if not verdict or url in seen:
            continue
        seen.add(url)
        section = min(index_of[link.block], max(0, n_sections - 1))
        out.append(
            RelatedLink(link.text, url, section, "card" if link.kind == "card" else "inline")
        )
    return out


def extract(html: str | bytes, url: str, fetched_at: datetime | None, opts: ExtractOptions) -> Post:
    if not isinstance(url, str):
        raise ExtractionError("url must be a string", repr(url))
    if fetched_at is not None and fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=UTC)
    page = read_page(html, url)
    if page.utf8 is not None and not may_nest_deeper(page.utf8, opts.max_nesting):
        # The parser reads the bytes (the depth estimate runs faster on them too).
        if page.blank():
            raise ExtractionError("empty page", url)
        doc = Document.parse("", url, page.utf8)
    else:
        text = limit_nesting(page.text, opts.max_nesting)
        if not text or text.isspace():  # (strip() would copy the whole page)
            raise ExtractionError("empty page", url)
        page = Page(text, None)
        doc = Document.parse(text, url)
    if doc.tree.body is None and doc.tree.head is None:
        raise ExtractionError("not an HTML document", url)
    adapter = detect_platform(doc, page) if opts.detect_platform else GENERIC
    md = read_metadata(doc)
    medium = read_state(page.text) if adapter.name == "medium" else None
    if medium is not None and medium.first_published_ms is not None:
        first = parse_iso(medium.first_published_ms)
        if first is not None:
            md.published.append(DateCandidate(first[0], True, "state"))
    header = read_header(doc, adapter, md, fetched_at)
    if header.reading_time is None and medium is not None and medium.reading_time:
        header.reading_time = max(1, round(medium.reading_time))

    promote_noscript_images(doc.tree)
    nodes, quiet = _body_nodes(doc, adapter, opts)
    specials: dict[int, Special] = {}
    products: list[Product] = []
    for node in nodes:
        if opts.include_links:
            specials.update(find_cards(node, doc))
        if opts.include_products:
            found, replacements = find_products(node, doc, header.language)
            products.extend(p for p in found if p not in products)
            specials.update(replacements)
    if opts.include_products and not nodes:
        products.extend(find_products(None, doc, header.language)[0])
    rendered = _render(doc, nodes, specials, quiet, opts)
    if medium is not None and medium.blocks and sum(len(b.text) for b in rendered.blocks) < 200:
        # Obfuscated or client-rendered markup: the embedded state has the paragraphs.
        rendered = Rendered(medium.blocks, medium.links, medium.images)
    rendered = _without_filler(rendered)
    if not header.authors:
        header.authors = _byline_in_body(rendered)
    start = _trim_blocks(rendered, header)
    sections, index_of = _sections(rendered.blocks, start)
    kept = rendered.blocks[start:]
    body_markdown = "\n\n".join(b.markdown for b in kept)
    body_text = _text_of([b.text for b in kept])
    related: list[RelatedLink] = []
    if opts.include_links:
        aliases = adapter.aliases(doc, page.text) if adapter.aliases is not None else frozenset()
        related = _related(rendered, index_of, doc, len(sections), aliases)
    images: list[Image] = rendered.images if opts.include_images else []
    image = doc.absolute(md.image) or (images[0].src if images else None)
    return Post(
        url=url,
        site=_site(url),
        platform=adapter.name,
        canonical_url=doc.canonical,
        title=repair_mojibake(header.title) if header.title else None,
        description=repair_mojibake(md.description) if md.description else None,
        authors=tuple(Author(repair_mojibake(a.name), a.url) for a in header.authors),
        published_at=header.published,
        published_precision=header.precision,
        updated_at=header.updated,
        reading_time_minutes=header.reading_time,
        language=header.language,
        tags=tuple(header.tags),
        image=image,
        sections=tuple(sections),
        related_links=tuple(related),
        products=tuple(products),
        images=tuple(images),
        body_markdown=body_markdown,
        body_text=body_text,
        word_count=len(body_text.split()),
        fetched_at=fetched_at,
    )

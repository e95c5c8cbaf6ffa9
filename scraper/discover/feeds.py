"""RSS and Atom feeds: from ``<link rel=alternate>`` or the platform's known path, with paging.

Known paths: Wix ``/blog-feed.xml``, WordPress ``/feed/`` (pages ``?paged=N``),
Blogger ``/feeds/posts/default`` (``start-index``), Ghost ``/rss/`` (``/rss/N/``),
Substack ``/feed``, Hugo ``/index.xml``, Jekyll ``/feed.xml``. Any feed's
``<atom:link rel="next">`` (RFC 5005) is followed too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from xml.etree.ElementTree import Element

from ..errors import CrawlerError, DiscoveryError
from ..urls import looks_like_html, try_normalize
from ._context import Context, Found
from ._dates import optional_date
from ._entries import Entries
from ._xml import attribute, child_text, gunzip_capped, local, parse_xml, spans

__all__ = ["FeedPage", "FeedResult", "feed_candidates", "find_feeds", "parse_feed"]

PLATFORM_FEEDS: dict[str, tuple[str, ...]] = {
    "wix": ("/blog-feed.xml",),
    "wordpress": ("/feed/",),
    "blogger": ("/feeds/posts/default",),
    "ghost": ("/rss/",),
    "substack": ("/feed",),
    "hugo": ("/index.xml",),
    "jekyll": ("/feed.xml",),
}
GENERIC_FEEDS = (
    "/feed/",
    "/blog-feed.xml",
    "/rss/",
    "/feeds/posts/default",
    "/feed.xml",
    "/index.xml",
    "/atom.xml",
    "/rss.xml",
)
MAX_FEED_PAGES = 200
_GHOST_PAGE = re.compile(r"^(.*/rss/)(?:(\d+)/)?$")


@dataclass(slots=True)
class FeedPage:
    entries: list[tuple[str, str | None]]  # (link, updated text)
    next_url: str | None = None
    generator: str = ""


@dataclass(slots=True)
class FeedResult:
    feeds: list[str] = field(default_factory=list)  # feed pages read successfully
    entries: list[Found] = field(default_factory=list)


def _entry_link(entry: Element) -> str | None:
    fallback = None
    for child in entry:
        name = local(child.tag)
        if name == "link":
            href = child.get("href")
            if href is None:  # RSS <link>text</link>
                text = (child.text or "").strip()
                if text:
                    return text
                continue
            rel = child.get("rel", "alternate")
            if rel == "alternate" and (child.get("type") or "text/html").startswith("text/html"):
                return href
        elif name == "guid" and child.get("isPermaLink", "true") != "false":
            fallback = (child.text or "").strip() or fallback
    return fallback


def _block_link(block: bytes) -> str | None:
    """An item's link: RSS ``<link>text</link>``, else an Atom ``<link rel="alternate"
    href>``, else the first Atom link without another ``rel``."""
    for text in spans(block, (b"<link>",), (b"</link>",)):
        found = text.strip()
        if found.startswith(b"<![CDATA[") and found.endswith(b"]]>"):
            found = found[9:-3].strip()
        if found:
            return found.decode("utf-8", "replace")
    fallback = None
    for tag in spans(block, (b"<link",), (b">",)):
        href = attribute(tag, b"href")
        rel = attribute(tag, b"rel")
        if href and rel == b"alternate":
            return href.decode("utf-8", "replace")
        if href and rel is None and fallback is None:
            fallback = href.decode("utf-8", "replace")
    return fallback


def _scan_damaged(body: bytes, error: DiscoveryError) -> FeedPage:
    """Links of a feed that is not well-formed XML (a stray ``&`` is common)."""
    links: list[tuple[str, str | None]] = []
    for block in spans(body, (b"<item", b"<entry"), (b"</item>", b"</entry>")):
        found = _block_link(block)
        if found:
            links.append((found.replace("&amp;", "&"), None))
    if not links:
        raise error
    return FeedPage(entries=links)


def parse_feed(body: bytes, url: str) -> FeedPage:
    """Entries of one RSS 2.0, RSS 1.0 or Atom document, and its next page if it links one."""
    try:
        root = parse_xml(body, url)
    except DiscoveryError as exc:
        if b"<!ENTITY" in body.upper():
            raise
        return _scan_damaged(body, exc)
    channel = root
    for child in root:
        if local(child.tag) == "channel":
            channel = child
            break
    items = [e for e in root.iter() if local(e.tag) in ("item", "entry")]
    page = FeedPage(entries=[])
    page.generator = (child_text(channel, "generator") or "").lower()
    for node in channel:
        if local(node.tag) == "link" and node.get("rel") == "next" and node.get("href"):
            page.next_url = node.get("href")
        elif local(node.tag) == "generator" and not page.generator:
            page.generator = (node.get("uri") or "").lower()
    for item in items:
        link = _entry_link(item)
        if link:
            updated = child_text(item, "updated")
            page.entries.append((link, updated))
    return page


def _number(text: str | None, default: int) -> int:
    return int(text) if text and text.isdigit() else default


def _guess_next(url: str, page: FeedPage, platform: str | None) -> str | None:
    """Next page for feeds that page without saying so (WordPress, Blogger, Ghost)."""
    if not page.entries:
        return None
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    if parts.path.startswith("/feeds/posts/"):  # Blogger
        start = _number(query.get("start-index"), 1)
        query["start-index"] = str(start + len(page.entries))
        query.setdefault("max-results", str(len(page.entries)))
        return urlunsplit(parts._replace(query=urlencode(sorted(query.items()))))
    wordpress = platform == "wordpress" or "wordpress" in page.generator
    if wordpress and parts.path.rstrip("/").endswith("/feed"):
        query["paged"] = str(_number(query.get("paged"), 1) + 1)
        return urlunsplit(parts._replace(query=urlencode(sorted(query.items()))))
    ghost = _GHOST_PAGE.match(parts.path)
    if ghost and (platform == "ghost" or "ghost" in page.generator):
        number = int(ghost.group(2) or "1") + 1
        return urlunsplit(parts._replace(path=f"{ghost.group(1)}{number}/"))
    return None


def feed_candidates(
    site: str, advertised: list[str], platform: str | None
) -> tuple[list[str], bool]:
    """Feeds to try and whether they are guesses: the ones the page advertises, else the
    platform's known path, else common paths (guesses stop at the first that works)."""
    if advertised:
        return advertised, False
    paths = PLATFORM_FEEDS.get(platform or "", GENERIC_FEEDS)
    return [site + p for p in paths], True


async def find_feeds(
    ctx: Context,
    candidates: list[str],
    platform: str | None,
    *,
    guesses: bool = False,
    emit: Callable[[list[Found]], None] | None = None,
) -> FeedResult:
    """Read candidate feeds with their paging; with ``guesses``, stop at the first that works.
    With ``emit``, each feed page's posts go to it as they are read (``entries`` stays
    empty)."""
    result = FeedResult()
    found = Entries(emit, post_wins=False)
    for start in candidates:
        await _read_pages(ctx, start, platform, found, result, quiet=guesses)
        if guesses and found.count:
            break
    found.flush()
    result.entries = list(found.kept.values())
    return result


async def _read_pages(
    ctx: Context,
    start: str,
    platform: str | None,
    found: Entries,
    result: FeedResult,
    *,
    quiet: bool = False,
) -> None:
    url: str | None = start
    seen: set[str] = set()
    while url and url not in seen and len(seen) < MAX_FEED_PAGES:
        seen.add(url)
        try:
            fetched = await ctx.get(url)
            page = parse_feed(gunzip_capped(fetched.body, ctx.max_bytes, url), url)
        except CrawlerError as exc:
            if url == start and not quiet:
                ctx.note(exc)
            return
        result.feeds.append(url)
        new = 0
        for link, updated in page.entries:
            target = try_normalize(link, fetched.final_url)
            if target and ctx.scope.on_site(target) and looks_like_html(target):
                if found.put(Found(target, "post", "feed", optional_date(updated))):
                    new += 1
        found.flush()
        if not new:
            return
        following = page.next_url or _guess_next(fetched.final_url, page, platform)
        url = try_normalize(following, fetched.final_url) if following else None

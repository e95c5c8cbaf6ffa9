"""Sitemaps: robots ``Sitemap:`` lines or platform defaults, indexes followed recursively.

Platform layouts (../shared/platforms/MARKUP.md): Wix ``/sitemap.xml`` ->
``blog-posts-sitemap.xml``; WordPress core ``/wp-sitemap.xml``; Yoast
``/sitemap_index.xml`` -> ``post-sitemap.xml``; Ghost ``sitemap-posts.xml``;
Blogger ``/sitemap.xml?page=N``; Squarespace one ``/sitemap.xml``. Child
sitemaps of posts are read first and marked ``post``; tag, category, author and
product sitemaps are not read at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from ..errors import CrawlerError, DiscoveryError, HTTPStatusError
from ..records import ItemKind
from ..urls import classify_url, looks_like_html, try_normalize
from ._context import Context, Found
from ._dates import optional_date
from ._entries import Entries
from ._xml import child_text, gunzip_capped, local, parse_xml, spans

__all__ = ["DEFAULT_SITEMAP_PATHS", "SitemapResult", "find_sitemaps", "parse_sitemap"]

DEFAULT_SITEMAP_PATHS = ("/sitemap.xml", "/sitemap_index.xml", "/wp-sitemap.xml")
MAX_SITEMAPS = 500
_POSTS = re.compile(r"(?:^|[-_/])(?:blog-)?posts?(?:[-_.]|$)", re.I)
_SKIP = re.compile(
    r"(?:tag|categor|author|user|taxonom|product|store|event|booking|forum|member|image|video)",
    re.I,
)


@dataclass(slots=True)
class SitemapResult:
    sitemaps: list[str] = field(default_factory=list)  # read successfully
    entries: list[Found] = field(default_factory=list)


def _sitemap_kind(url: str) -> str:
    """``post``, ``skip`` or ``any`` for a child sitemap, from its file name."""
    name = url.rsplit("/", 1)[-1]
    if name.startswith("wp-sitemap-posts-"):  # WordPress core: one per post type
        return "post" if name.startswith("wp-sitemap-posts-post-") else "any"
    if _POSTS.search(name):
        return "post"
    if _SKIP.search(name):
        return "skip"
    return "any"


def _loc_text(raw: bytes) -> str:
    text = raw.strip()
    if text.startswith(b"<![CDATA[") and text.endswith(b"]]>"):
        text = text[9:-3].strip()
    return text.decode("utf-8", "replace").replace("&amp;", "&")


def parse_sitemap(body: bytes, url: str) -> tuple[list[str], list[tuple[str, str | None]]]:
    """(child sitemaps, [(page url, lastmod text)]) of one sitemap or sitemap index."""
    try:
        root: Element | None = parse_xml(body, url)
    except DiscoveryError as exc:
        if b"<!ENTITY" in body or b"<!entity" in body:
            raise
        # Forgiving fallback for sitemaps with stray '&' and similar damage.
        locs = [_loc_text(m) for m in spans(body, (b"<loc>",), (b"</loc>",))]
        locs = [loc for loc in locs if loc]
        if not locs:
            raise exc from None
        if b"<sitemapindex" in body:
            return locs, []
        return [], [(loc, None) for loc in locs]
    assert root is not None
    children: list[str] = []
    pages: list[tuple[str, str | None]] = []
    is_index = local(root.tag) == "sitemapindex"
    for node in root:
        name = local(node.tag)
        if name not in ("sitemap", "url"):
            continue
        loc = child_text(node, "loc")
        if not loc:
            continue
        if is_index or name == "sitemap":
            children.append(loc)
        else:
            pages.append((loc, child_text(node, "lastmod")))
    return children, pages


async def find_sitemaps(
    ctx: Context, declared: list[str], emit: Callable[[list[Found]], None] | None = None
) -> SitemapResult:
    """Read the sitemaps robots.txt declared, else the platform default paths. With
    ``emit``, each sitemap's pages go to it as they are read (``entries`` stays empty)."""
    result = SitemapResult()
    seen: set[str] = set()
    found = Entries(emit, post_wins=True)
    candidates = [u for u in (try_normalize(s) for s in declared) if u]
    tried_defaults = False
    if not candidates:
        candidates = [ctx.site + p for p in DEFAULT_SITEMAP_PATHS]
        tried_defaults = True
    for url in candidates:
        if url in seen:
            continue
        await _read(ctx, url, "any", 0, seen, found, result, quiet=tried_defaults)
        if tried_defaults and found.count:
            break  # the first default that answers is the site's sitemap
    found.flush()
    result.entries = list(found.kept.values())
    return result


async def _read(
    ctx: Context,
    url: str,
    kind: str,
    depth: int,
    seen: set[str],
    found: Entries,
    result: SitemapResult,
    *,
    quiet: bool = False,
) -> None:
    if url in seen or len(seen) >= MAX_SITEMAPS or depth > 4:
        return
    seen.add(url)
    try:
        page = await ctx.get(url)
        body = gunzip_capped(page.body, ctx.max_bytes, url)
        children, pages = parse_sitemap(body, url)
    except HTTPStatusError as exc:
        if not (quiet and exc.status_code in (404, 410)):
            ctx.note(exc)  # a guessed path that does not exist is not worth reporting
        return
    except CrawlerError as exc:
        ctx.note(exc)
        return
    result.sitemaps.append(url)
    for loc, lastmod in pages:
        target = try_normalize(loc, page.final_url)
        if not target or not ctx.scope.on_site(target) or not looks_like_html(target):
            continue
        item_kind: ItemKind = "post" if kind == "post" else classify_url(target)
        found.put(Found(target, item_kind, "sitemap", optional_date(lastmod)))
    found.flush()
    ordered = sorted(children, key=lambda c: {"post": 0, "any": 1, "skip": 2}[_sitemap_kind(c)])
    for child in ordered:
        child_kind = _sitemap_kind(child)
        if child_kind == "skip":
            continue
        target = try_normalize(child, page.final_url)
        if target and ctx.scope.on_site(target):
            await _read(ctx, target, child_kind, depth + 1, seen, found, result)

"""List pages: a blog's front page or ``/blog`` and the pages that follow it.

Pagination is followed through ``rel=next``, Wix ``pagination__*`` data-hooks,
WordPress ``/page/N/``, ``/blog/page/N`` and ``?page=N`` links. From each list
page the post links are kept; other links are not followed (that is the
``links`` strategy). The crawl loop calls :func:`harvest_list` on list pages it
fetches; :func:`walk_listing` does the same walk for ``discover`` alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..errors import CrawlerError
from ..records import ItemKind
from ..urls import Scope
from ._context import Context, Found
from .page import HtmlPage

__all__ = ["ListHarvest", "ListingResult", "harvest_list", "list_seeds", "walk_listing"]

MAX_LIST_PAGES = 1000


@dataclass(slots=True)
class ListHarvest:
    posts: list[tuple[str, ItemKind]]
    next_pages: list[str]


@dataclass(slots=True)
class ListingResult:
    list_pages: list[str] = field(default_factory=list)
    entries: list[Found] = field(default_factory=list)


def list_seeds(start_url: str, site: str, platform: str | None) -> list[str]:
    """The start URL, plus ``/blog`` when a Wix site was started from its home page."""
    seeds = [start_url]
    if platform == "wix" and urlsplit(start_url).path in ("", "/"):
        seeds.append(site + "/blog")
    return seeds


def harvest_list(page: HtmlPage, scope: Scope) -> ListHarvest:
    """Post links and pagination links of one list page."""
    next_pages = page.next_pages(scope)
    skip = set(next_pages)
    posts = [(url, kind) for url, kind in page.post_links(scope) if url not in skip]
    return ListHarvest(posts=posts, next_pages=next_pages)


async def walk_listing(
    ctx: Context, seeds: list[str], first: HtmlPage | None, max_pages: int = MAX_LIST_PAGES
) -> ListingResult:
    """Fetch list pages breadth-first along pagination and collect their post links."""
    result = ListingResult()
    found: dict[str, Found] = {}
    queue = list(seeds)
    seen: set[str] = set()
    while queue and len(result.list_pages) < max_pages:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        if first is not None and url == first.url:
            page = first
        else:
            try:
                fetched = await ctx.get(url)
            except CrawlerError as exc:
                ctx.note(exc)
                continue
            page = HtmlPage(fetched.body, fetched.final_url)
        result.list_pages.append(url)
        harvest = harvest_list(page, ctx.scope)
        for post_url, kind in harvest.posts:
            if post_url not in found and post_url not in seen:
                found[post_url] = Found(post_url, kind, "list")
        queue.extend(u for u in harvest.next_pages if u not in seen)
    result.entries = [f for f in found.values() if f.url not in seen]
    return result

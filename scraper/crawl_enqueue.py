"""What goes into a run's frontier: scope, robots, crawler traps and discovery failures.

:class:`Enqueuer` is the write side of the persisted frontier (``crawl_frontier`` is the
read side). Every URL the crawl finds passes through it once: out-of-scope links are not
queued, robots-disallowed ones are counted, non-post pages beyond ``max_per_pattern`` of
one URL pattern are dropped as a probable trap, and what discovery could not read is
stored as a failed item with its reason.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from .discover import DiscoveryResult, HtmlPage, harvest_links, harvest_list
from .errors import RobotsDisallowed
from .options import CrawlOptions
from .records import TRAP_WARNING, CrawlStore, FrontierItem, ItemKind
from .robots import RobotsRules
from .urls import Scope, url_pattern
from .urlset import UrlSet

__all__ = ["Enqueuer", "page_children"]

log = logging.getLogger("blogbinder.crawl")


class Enqueuer:
    """Adds items to one run's frontier; ``discovered`` counts what the store holds."""

    def __init__(self, store: CrawlStore, options: CrawlOptions) -> None:
        self.store = store
        self.options = options
        self.run_id = 0
        self.scope: Scope = Scope(frozenset())
        self.robots: RobotsRules = RobotsRules.allow_all("")
        self.known = UrlSet()  # URLs this process has enqueued (saves store calls)
        self.disallowed = UrlSet()
        self.patterns: dict[str, int] = {}  # non-post pages queued from links, per url_pattern
        self.discovered = 0

    def begin(self, run_id: int, start: str, robots: RobotsRules, discovered: int) -> None:
        """Point at run ``run_id`` of the site discovery found from ``start`` (called as
        discovery starts handing URLs on: what it finds disallowed comes after)."""
        options = self.options
        self.run_id = run_id
        self.scope = Scope.for_site(start, options.include, options.exclude, options.extra_hosts)
        self.robots = robots
        self.discovered = discovered

    def guard(self, url: str) -> None:
        """Raise unless ``url`` may be fetched (scope, robots): checked on every hop."""
        self.scope.check(url)
        if not self.robots.allowed(url):
            raise RobotsDisallowed("robots.txt disallows this URL", url)

    def enqueue(self, items: Sequence[FrontierItem]) -> None:
        fresh: list[FrontierItem] = []
        for item in items:
            if item.url in self.known:
                continue
            self.known.add(item.url)
            if self._trapped(item):
                continue
            if not self.robots.allowed(item.url):
                self.disallowed.add(item.url)
                continue
            fresh.append(item)
        if fresh:
            self.discovered += self.store.enqueue(self.run_id, fresh)

    def record_failures(self, found: DiscoveryResult, start: str) -> None:
        """Store what discovery could not read (a sitemap that failed, a feed refused as
        an entity bomb) as failed items of the run, with their reasons."""
        queued = {f.url for f in found.found} | {start}
        for error in found.failures:
            url = error.target if error.target and error.target.startswith("http") else start
            if url in queued or url in self.known:  # pages to crawl get their own try
                continue
            self.known.add(url)
            self.store.save_failure(self.run_id, FrontierItem(url, "unknown", "discovery"), error)

    def _trapped(self, item: FrontierItem) -> bool:
        """True when ``item`` is one page too many of a pattern that links lead to over and
        over (a calendar, endless filters): a crawler trap. Logged once per pattern."""
        cap = self.options.max_per_pattern
        if cap is None or not item.trap_candidate:
            return False
        pattern = url_pattern(item.url)
        seen = self.patterns.get(pattern, 0) + 1
        self.patterns[pattern] = seen
        if seen == cap + 1:
            log.warning(TRAP_WARNING, cap, pattern)
        return seen > cap

    def children(
        self, item: FrontierItem, page: HtmlPage, is_post: bool, url_kind: ItemKind
    ) -> list[FrontierItem]:
        return page_children(item, page, is_post, url_kind, self.scope, self.options)


def page_children(
    item: FrontierItem,
    page: HtmlPage,
    is_post: bool,
    url_kind: ItemKind,
    scope: Scope,
    options: CrawlOptions,
) -> list[FrontierItem]:
    """The items a fetched page leads to: pagination and posts of a list page (list
    strategy), in-site links (links strategy), within ``max_depth``. Shared by the crawl
    and the queue workers."""
    sources = options.sources
    depth = item.depth + 1
    max_depth = options.max_depth
    deep_ok = max_depth is None or depth <= max_depth
    out: list[FrontierItem] = []
    is_list = item.kind == "list" or (not is_post and url_kind == "list")
    if "list" in sources and is_list:
        harvest = harvest_list(page, scope)
        for url in harvest.next_pages:  # pagination keeps its parent's depth
            if not scope.excluded(url):
                out.append(FrontierItem(url, "list", "list", item.depth))
        if deep_ok:
            for url, kind in harvest.posts:
                if scope.allows(url):
                    out.append(FrontierItem(url, kind, "list", depth))
    if "links" in sources and deep_ok:
        for url, kind in harvest_links(page, scope):
            if scope.allows(url):
                out.append(FrontierItem(url, kind, "link", depth))
    return out

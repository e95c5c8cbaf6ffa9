"""What every discovery strategy is handed: a fetcher, the site, its scope and robots rules."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from ..errors import CrawlerError, RobotsDisallowed
from ..fetch import Fetcher
from ..records import FetchedPage, ItemKind
from ..robots import RobotsRules
from ..urls import Scope

__all__ = ["Context", "Found"]

_E = TypeVar("_E", bound=BaseException)

log = logging.getLogger("blogbinder.discover")


@dataclass(frozen=True, slots=True)
class Found:
    """A URL discovery turned up, with where it came from."""

    url: str
    kind: ItemKind
    source: str  # sitemap | feed | list | link | seed
    lastmod: datetime | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "url": self.url,
            "kind": self.kind,
            "source": self.source,
            "lastmod": self.lastmod.isoformat() if self.lastmod else None,
        }


@dataclass(slots=True)
class Context:
    fetcher: Fetcher
    site: str
    start_url: str
    scope: Scope
    robots: RobotsRules
    max_bytes: int
    errors: list[str] = field(default_factory=list)
    failures: list[CrawlerError] = field(default_factory=list)  # the errors, as raised
    responses: int = 0  # how many requests got any HTTP answer

    def guard(self, url: str) -> None:
        self.scope.check(url)
        if not self.robots.allowed(url):
            raise RobotsDisallowed("robots.txt disallows this URL", url)

    async def get(self, url: str) -> FetchedPage:
        """Fetch a discovery resource (sitemap, feed, list page) under scope and robots."""
        try:
            page = await self.fetcher.fetch(url, guard=self.guard)
        except CrawlerError as exc:
            if getattr(exc, "status_code", None) is not None:
                self.responses += 1
            raise
        self.responses += 1
        return page

    def note(self, exc: CrawlerError) -> None:
        """Keep ``exc`` for the run's record, without its traceback: the traceback holds
        the discovery frames, whose locals hold every URL found, in a cycle that only a
        full garbage collection (rare in a crawl, see ``crawl_pool.tune_gc``) would free."""
        log.info("discovery: %s", exc)
        self.errors.append(str(exc))
        self.failures.append(_detached(exc))


def _detached(exc: _E) -> _E:
    """``exc`` with the tracebacks of it and of its causes and contexts dropped."""
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        link.__traceback__ = None
        link = link.__cause__ or link.__context__
    return exc

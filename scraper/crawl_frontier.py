"""Reading the persisted frontier ahead of the crawl loop.

The loop dispatches one item each time a page finishes; asking the store for pending
items and their validators every time costs a query or two per page. :class:`ReadAhead`
reads a few hundred pending items at once, with the validators of those that may be
posts (one ``validators_many`` call when the store has it), and hands them out in
frontier order. Items stay pending in the store until the crawl records them, so
nothing read ahead is lost when a crawl stops.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Sequence

from .records import CrawlStore, FrontierItem, Validators
from .urls import classify_url

__all__ = ["REFILL", "ReadAhead"]

REFILL = 512  # frontier items read per store.pending() call beyond those in flight
_ValidatorsMany = Callable[[Sequence[str]], dict[str, Validators]]


def _expects_post(item: FrontierItem) -> bool:
    """Whether conditional-GET validators matter: list and other pages are always
    fetched in full (their links lead to the posts)."""
    return item.kind == "post" or classify_url(item.url) == "post"


class ReadAhead:
    """Pending items of one run, read from ``store`` in chunks."""

    def __init__(self, store: CrawlStore, run_id: int, new_first: bool = False) -> None:
        self.store = store
        self.run_id = run_id
        self.new_first = new_first  # URLs never fetched before first (a capped run)
        self.many: _ValidatorsMany | None = getattr(store, "validators_many", None)
        self.queue: deque[FrontierItem] = deque()
        self.queued: set[str] = set()
        self.validators: dict[str, Validators | None] = {}

    def _lookup(self, items: Sequence[FrontierItem]) -> dict[str, Validators | None]:
        urls = [item.url for item in items if _expects_post(item)]
        if not urls:
            return {}
        if self.many is not None:
            found = self.many(urls)
            return {url: found.get(url) for url in urls}
        return {url: self.store.validators(url) for url in urls}

    def take(
        self, room: int, in_flight: Collection[str]
    ) -> list[tuple[FrontierItem, Validators | None]]:
        """Up to ``room`` pending items not in ``in_flight``, oldest first, each with
        the validators of its last good fetch (None when it is not a post or new)."""
        if len(self.queue) < room:
            limit = len(in_flight) + len(self.queue) + max(REFILL, room * 2)
            added: list[FrontierItem] = []
            for item in self.store.pending(self.run_id, limit, self.new_first):
                if item.url not in in_flight and item.url not in self.queued:
                    added.append(item)
                    self.queued.add(item.url)
            self.queue.extend(added)
            self.validators.update(self._lookup(added))
        out: list[tuple[FrontierItem, Validators | None]] = []
        while self.queue and len(out) < room:
            item = self.queue.popleft()
            self.queued.discard(item.url)
            out.append((item, self.validators.pop(item.url, None)))
        return out

    def clear(self) -> None:
        """Forget the items read ahead (a stop or the budget left them pending)."""
        self.queue.clear()
        self.queued.clear()
        self.validators.clear()

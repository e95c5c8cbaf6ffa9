"""The batch writer: batches in order, capped in size, nothing left behind."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from datetime import UTC, datetime

from scraper.crawl_pool import Prepared
from scraper.crawl_writer import BACKLOG, MAX_FLUSH, Batch, BatchWriter
from scraper.records import FetchedPage, FrontierItem, Outcome

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


class SlowStore:
    """Records each transaction; the first one waits until the test lets it go."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.release = threading.Event()

    def save_pages(
        self, run_id: int, pages: Batch, snapshots: Sequence[Prepared | None] | None = None
    ) -> list[Outcome]:
        if not self.batches:
            assert self.release.wait(10)
        self.batches.append([item.url for item, _page, _post in pages])
        return []


def _page(n: int) -> tuple[FrontierItem, FetchedPage]:
    url = f"https://blog.test/post/{n}"
    return FrontierItem(url, "post"), FetchedPage(url, url, 200, b"<p>x</p>", NOW)


def test_a_stalled_writer_caps_what_waits_and_what_one_transaction_takes() -> None:
    async def run() -> None:
        store = SlowStore()
        in_flight: set[str] = set()
        writer = BatchWriter(store, 1, 4, in_flight)  # type: ignore[arg-type]
        writer.start_thread()
        size = writer.size
        assert size == 4
        urls = []
        for n in range(size):
            item, page = _page(n)
            in_flight.add(item.url)
            urls.append(item.url)
            writer.add(item, page, None, None)
        assert writer.due(running=8)
        writer.flush()  # the first transaction stalls
        n = size
        while not writer.backlogged:
            item, page = _page(n)
            in_flight.add(item.url)
            urls.append(item.url)
            writer.add(item, page, None, None)
            n += 1
        assert len(writer.unsaved) == BACKLOG * size
        for _ in range(size):  # pages already fetched still arrive
            item, page = _page(n)
            in_flight.add(item.url)
            urls.append(item.url)
            writer.add(item, page, None, None)
            n += 1
        store.release.set()
        while writer.unsaved:
            writer.flush()
        writer.finish()
        writer.close()
        assert [len(b) for b in store.batches] == [size, MAX_FLUSH * size, size]
        assert [u for b in store.batches for u in b] == urls  # in order, each once
        assert not in_flight

    asyncio.run(run())

"""Saving crawled pages in batches, optionally from a writer thread.

Stores that can save many pages in one transaction (``storage.Database.save_pages``)
get them in batches; a batch's items stay "in flight" (the crawl will not dispatch
them again) until their batch is written. For fast crawls a single writer thread
saves one batch at a time, in order, while the event loop goes on fetching: SQLite
does its I/O without the GIL. Items are let go only from the loop (:meth:`poll`,
:meth:`finish`), so a frontier read never sees an item neither pending nor in flight.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from collections.abc import MutableSet, Sequence
from typing import Protocol

from .crawl_pool import Prepared
from .model import Post
from .records import CrawlStore, FetchedPage, FrontierItem, Outcome

__all__ = ["Batch", "BatchWriter"]

Batch = Sequence[tuple[FrontierItem, FetchedPage, Post | None]]
MAX_BATCH = 64
MAX_WAIT = 1.0  # seconds a batched page may wait for its batch
# Pages waiting for the writer hold their compressed snapshots (~100 KB each on Wix-like
# pages). Before these caps a batch took every waiting page, so a stall of the database
# (a WAL checkpoint, ~0.3 s) let up to ~600 pages pile up: the compressed snapshots alone
# peaked at 25 MB over 5,000 posts and 41 MB over 20,000 (heaptrack). With two batches'
# worth each, the longer crawl still reached a higher peak (snapshots waiting at the heap's
# peak: 23.8 MB over 5,000 posts, 28.5 MB over 20,000); one each costs no speed.
BACKLOG = 1  # batches' worth of pages that may wait while one is written
MAX_FLUSH = 1  # batches' worth of pages written in one transaction at most


class _SaveMany(Protocol):
    """``storage.Database.save_pages``: many pages in one transaction."""

    def __call__(
        self, run_id: int, pages: Batch, snapshots: Sequence[Prepared | None] | None = None
    ) -> list[Outcome]: ...


class _Flush:
    """A batch the writer thread is saving."""

    def __init__(self, future: concurrent.futures.Future[None], batch: Batch) -> None:
        self.future = future
        self.waiter = asyncio.wrap_future(future)
        self.batch = batch


class BatchWriter:
    """Batches of one run's pages for ``store``; ``in_flight`` is the crawl's set."""

    def __init__(
        self, store: CrawlStore, run_id: int, concurrency: int, in_flight: MutableSet[str]
    ) -> None:
        self.run_id = run_id
        self.in_flight = in_flight
        self.save_many: _SaveMany | None = getattr(store, "save_pages", None)
        self.batched = self.save_many is not None and concurrency > 1
        self.size = min(MAX_BATCH, concurrency)
        self.unsaved: list[tuple[FrontierItem, FetchedPage, Post | None]] = []
        self.prepared: list[Prepared | None] = []  # per unsaved page, made by a worker
        self.last = time.monotonic()
        self.thread: concurrent.futures.ThreadPoolExecutor | None = None
        self.flushing: _Flush | None = None

    def start_thread(self) -> None:
        if self.batched and self.thread is None:
            self.thread = concurrent.futures.ThreadPoolExecutor(1, "blogbinder-writer")

    def add(
        self, item: FrontierItem, page: FetchedPage, post: Post | None, prepared: Prepared | None
    ) -> None:
        self.unsaved.append((item, page, post))
        self.prepared.append(prepared)

    @property
    def waiter(self) -> asyncio.Future[None] | None:
        """Resolves when the batch being written is done (None when there is none)."""
        return self.flushing.waiter if self.flushing is not None else None

    @property
    def backlogged(self) -> bool:
        """Batches pile up while one is being written (the cap keeps memory bounded)."""
        return self.flushing is not None and len(self.unsaved) >= BACKLOG * self.size

    def due(self, running: int) -> bool:
        if not self.unsaved or self.flushing is not None:
            return False
        return (
            len(self.unsaved) >= self.size
            or running == 0
            or time.monotonic() - self.last > MAX_WAIT
        )

    def flush(self) -> None:
        """Write the oldest batched pages (at most ``MAX_FLUSH`` batches' worth) in one
        transaction, in the thread when there is one, and let their items go once
        written."""
        cap = MAX_FLUSH * self.size
        batch, self.unsaved = self.unsaved[:cap], self.unsaved[cap:]
        prepared, self.prepared = self.prepared[:cap], self.prepared[cap:]
        self.last = time.monotonic()
        if self.thread is None:
            self._write(batch, prepared)
            self._release(batch)
            return
        self.finish()  # one batch at a time, in order
        self.flushing = _Flush(self.thread.submit(self._write, batch, prepared), batch)

    def poll(self) -> None:
        """Let the items of a finished batch go (raises what the store raised)."""
        if self.flushing is not None and self.flushing.waiter.done():
            self.finish()

    def finish(self) -> None:
        """Wait for the batch being written and let its items go; raises what the
        store raised."""
        flushing, self.flushing = self.flushing, None
        if flushing is not None:
            flushing.future.result()
            self._release(flushing.batch)

    def close(self) -> None:
        if self.thread is not None:
            self.thread.shutdown(wait=True)
            self.thread = None

    def _write(self, batch: Batch, prepared: list[Prepared | None]) -> None:
        if batch and self.save_many is not None:
            if any(p is not None for p in prepared):  # only stores with a compressor
                self.save_many(self.run_id, batch, snapshots=prepared)
            else:
                self.save_many(self.run_id, batch)

    def _release(self, batch: Batch) -> None:
        for item, _page, _post in batch:
            self.in_flight.discard(item.url)

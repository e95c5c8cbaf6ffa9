"""The crawl loop: discovery, a persisted frontier and bounded-concurrency fetching.

Flow of :func:`crawl_site`:

1. discovery (robots, sitemaps, feeds; list and link seeds), which also proves the
   site answers: when nothing is listening it raises ConnectError naming the URL;
2. ``store.begin_run(site)`` (resuming an unfinished run) and ``store.enqueue``;
3. loop over ``store.pending()``: skip URLs whose sitemap ``lastmod`` is unchanged,
   fetch with a conditional GET (304 -> saved, not extracted), decide post or not,
   enqueue the page's links (before marking it done, so a kill loses nothing), extract
   posts, save; failures are saved with their reason and the crawl goes on;
4. SIGINT/SIGTERM stop taking new work, let in-flight pages finish and close the run
   as ``interrupted``; the next crawl of the site resumes it. A second signal abandons
   the in-flight pages (they stay pending). During discovery, before the run exists,
   Ctrl-C is an ordinary KeyboardInterrupt.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Literal

from .crawl_enqueue import Enqueuer
from .crawl_frontier import ReadAhead
from .crawl_pool import Compressor, ExtractPool, Prepared, extract_page, pool_size
from .crawl_report import CrawlProgress, CrawlSummary, ProgressCallback
from .crawl_writer import BatchWriter
from .discover import (
    DiscoveryResult,
    Found,
    HtmlPage,
    discover,
    frontier_items,
    is_post_page,
    run_discovery,
)
from .errors import (
    BlogbinderError,
    CrawlerError,
    ExtractionError,
    FetchError,
)
from .fetch import Fetcher, HttpClient, make_client
from .model import Post
from .options import SOURCES, CrawlOptions
from .records import CrawlStore, FetchedPage, FrontierItem, Validators
from .urls import (
    UrlKind,
    classify_url,
    normalize_url,
    site_root,
    try_normalize,
)
from .urlset import UrlSet

__all__ = [
    "SOURCES",
    "CrawlOptions",
    "CrawlProgress",
    "CrawlSummary",
    "DiscoveryResult",
    "ProgressCallback",
    "crawl",
    "crawl_site",
    "discover",
]

log = logging.getLogger("blogbinder.crawl")

DISCOVERY_CHUNK = 1000  # found URLs handed to the frontier at a time


def _aware(moment: datetime) -> datetime:
    """Naive datetimes (some databases drop the offset) are UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _key(canonical: str | None, final: str) -> str:
    """What a post is de-duplicated by: its canonical URL unless that is a list page."""
    if canonical is not None and classify_url(canonical) != "list":
        return canonical
    return final


def _is_html(page: FetchedPage) -> bool:
    kind = (page.content_type or "").lower()
    if kind:
        return "html" in kind
    return page.body[:512].lstrip()[:1] == b"<"


class _Crawl:
    def __init__(
        self,
        store: CrawlStore,
        options: CrawlOptions,
        fetcher: Fetcher,
        progress: ProgressCallback | None,
    ) -> None:
        self.store = store
        self.options = options
        self.fetcher = fetcher
        self.progress = progress
        self.stopping = asyncio.Event()
        self.frontier = Enqueuer(store, options)
        self.site = ""
        self.run_id = 0
        self.cache: dict[str, FetchedPage] = {}
        self.post_keys = UrlSet()  # canonical URLs of posts saved by this process
        self.fetched = 0
        self.failed = 0
        self.skipped = 0
        self.in_flight: set[str] = set()  # dispatched and not yet recorded in the store
        self.writer = BatchWriter(store, 0, options.concurrency, self.in_flight)
        self.compressor: Compressor | None = getattr(store, "snapshot_compressor", None)
        self.pool: ExtractPool | None = None
        self.ahead = ReadAhead(store, 0)  # the run's pending items, read in chunks

    # -- progress -------------------------------------------------------------------------
    def _report(self, phase: Literal["discovery", "crawl", "done"], url: str | None) -> None:
        if self.progress is None:
            return
        self.progress(
            CrawlProgress(
                self.site,
                self.frontier.discovered,
                self.fetched,
                self.failed,
                self.skipped,
                len(self.in_flight),
                phase,
                url,
            )
        )

    # -- one item -------------------------------------------------------------------------
    async def _process(self, item: FrontierItem, validators: Validators | None) -> None:
        buffered = False
        try:
            buffered = await self._visit(item, validators)
        except (FetchError, ExtractionError) as exc:
            log.info("failed: %s", exc)
            self.failed += 1
            self.store.save_failure(self.run_id, item, exc)
        except BlogbinderError:  # storage trouble ends the crawl
            raise
        except Exception as exc:  # a bug on one page must not end the crawl
            log.exception("internal error on %s", item.url)
            self.failed += 1
            error = CrawlerError(f"internal error ({type(exc).__name__}: {exc})", item.url)
            self.store.save_failure(self.run_id, item, error)
        finally:
            if not buffered:  # a batched page stays in flight until its batch is saved
                self.in_flight.discard(item.url)
            self._report("crawl", item.url)

    def _needs_page(self, item: FrontierItem, url_kind: UrlKind) -> bool:
        """Whether discovery needs the parsed page: its evidence (a URL not shaped like
        a post) or its links (list harvesting, the links strategy)."""
        if url_kind != "post":
            return True
        sources = self.options.sources
        if "list" in sources and item.kind == "list":
            return True
        max_depth = self.options.max_depth
        return "links" in sources and (max_depth is None or item.depth + 1 <= max_depth)

    def _claim(self, item: FrontierItem, key: str, final: str) -> bool:
        """Take ``key`` for this page; False when a post with that key was seen already."""
        if key in self.post_keys or (final != item.url and final in self.post_keys):
            return False
        self.post_keys.update((key, final))
        return True

    async def _visit(self, item: FrontierItem, validators: Validators | None) -> bool:
        """Fetch, classify, enqueue links, extract and save one item; True when its save
        was batched (and is still to be written)."""
        options = self.options
        if (
            options.skip_unchanged
            and item.lastmod is not None
            and validators is not None
            and validators.lastmod is not None
            and _aware(item.lastmod) <= _aware(validators.lastmod)
        ):
            self.skipped += 1
            self.store.save_skip(self.run_id, item, "unchanged since its sitemap lastmod")
            return False
        page = self.cache.pop(item.url, None)
        if page is None:
            conditional = validators if options.conditional else None
            page = await self.fetcher.fetch(
                item.url, validators=conditional, guard=self.frontier.guard
            )
        self.fetched += 1
        post: Post | None = None
        prepared: Prepared | None = None
        if page.status != 304 and _is_html(page):
            final = normalize_url(page.final_url)
            url_kind = classify_url(final)
            # A post-shaped URL is a post whatever the page says (is_post_page); when its
            # links are not wanted either, the page is parsed once, by the extractor.
            html = HtmlPage(page.body, final) if self._needs_page(item, url_kind) else None
            is_post = True
            if html is not None:
                is_post = is_post_page(item.kind, url_kind, html.evidence)
                self.frontier.enqueue(self.frontier.children(item, html, is_post, url_kind))
            if is_post:
                canonical = html.canonical() if html is not None else None
                key = _key(canonical, final)
                if html is not None and not self._claim(item, key, final):
                    return self._duplicate(item, key)
                try:
                    post, prepared = await self._extract(page, final)
                except ExtractionError:
                    if html is not None:  # a later copy of the page may do better
                        self.post_keys.difference_update((key, final))
                    raise
                if html is None:
                    key = _key(try_normalize(post.canonical_url or "", final), final)
                    if not self._claim(item, key, final):
                        return self._duplicate(item, key)
        if self.writer.batched:
            if prepared is not None:  # the store needs no more of the body: let it go
                page = replace(page, body=b"")
            self.writer.add(item, page, post, prepared)
            return True
        self.store.save_page(self.run_id, item, page, post)
        return False

    def _duplicate(self, item: FrontierItem, key: str) -> bool:
        self.skipped += 1
        self.store.save_skip(self.run_id, item, f"duplicate of {key}")
        return False

    async def _extract(self, page: FetchedPage, url: str) -> tuple[Post, Prepared | None]:
        if self.pool is not None:
            return await self.pool.extract(page.body, url, page.fetched_at)
        return extract_page(page.body, url, page.fetched_at), None

    # -- the loop -------------------------------------------------------------------------
    async def _loop(self, budget: int | None) -> None:
        workers = self.options.concurrency
        writer = self.writer
        tasks: dict[asyncio.Task[None], str] = {}
        dispatched = 0
        graceful = False
        try:
            while not self.stopping.is_set():
                writer.poll()
                room = workers - len(tasks)
                if budget is not None:
                    room = min(room, budget - dispatched)
                if writer.backlogged:  # the database is behind: fetch no more for now
                    room = 0
                fresh = self.ahead.take(room, self.in_flight) if room > 0 else []
                for item, validators in fresh:
                    self.in_flight.add(item.url)
                    task = asyncio.create_task(self._process(item, validators), name=item.url)
                    tasks[task] = item.url
                    dispatched += 1
                if not tasks:
                    if writer.waiter is not None:  # its items may still be pending
                        await asyncio.wait({writer.waiter})
                        continue
                    if writer.unsaved:  # their links may have filled the frontier
                        writer.flush()
                        continue
                    self.ahead.clear()
                    break
                waiting: set[asyncio.Future[None]] = set(tasks)
                if writer.waiter is not None:
                    waiting.add(writer.waiter)
                done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
                for finished in done:
                    if finished in tasks:
                        del tasks[finished]
                        finished.result()  # storage errors and bugs end the crawl
                if writer.due(len(tasks)):
                    writer.flush()
            graceful = True
        finally:
            if tasks:
                if graceful:
                    await asyncio.gather(*tasks)
                else:
                    for task in tasks:
                        task.cancel()
                    await asyncio.gather(*tasks, return_exceptions=True)
            self.ahead.clear()
            while writer.unsaved:
                writer.flush()  # pages fetched before a stop or a cancel are kept
            writer.finish()

    async def _start_workers(self) -> None:
        """Extraction processes and a writer thread for a fast crawl (see crawl_pool)."""
        workers = pool_size(self.options.delay, self.options.concurrency, self.frontier.discovered)
        if workers == 0:
            return
        compress = self.compressor if self.writer.batched else None
        try:
            self.pool = await ExtractPool.start(workers, compress)
        except OSError as exc:
            log.warning("no extraction workers (%s); extracting in-process", exc)
            return
        if getattr(self.store, "background_writes", False):
            self.writer.start_thread()

    def _on_signal(self, signum: int, main: asyncio.Task[object] | None) -> None:
        if self.stopping.is_set():
            log.warning("second %s: abandoning in-flight pages", signal.Signals(signum).name)
            if main is not None:
                main.cancel()
            return
        log.warning(
            "%s: finishing %d in-flight pages, then stopping",
            signal.Signals(signum).name,
            len(self.in_flight),
        )
        self.stopping.set()

    async def run(self, start_url: str) -> CrawlSummary:
        started = time.monotonic()
        start = normalize_url(start_url)
        self.site = site_root(start)
        self._report("discovery", None)
        # Discovery hands what it finds to the run's frontier as it goes (sitemap by
        # sitemap): holding a whole blog's URLs first would grow the crawl's memory with
        # the blog's size. The run begins once discovery knows the site (it may have moved
        # hosts), before the first URL.
        opened = _OpenRun(self)
        found = await run_discovery(self.fetcher, start, self.options, walk=False, sink=opened)
        start = found.start_url
        self.frontier.disallowed.update(found.disallowed)
        self.frontier.record_failures(found, start)
        discovery_errors = tuple(found.errors)
        resumed = opened.resumed
        del found
        budget = None
        if self.options.max_pages is not None:
            budget = max(0, self.options.max_pages - opened.done_before)
        self._report("crawl", None)

        loop = asyncio.get_running_loop()
        main = asyncio.current_task()
        installed: list[signal.Signals] = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, self._on_signal, sig, main)
                installed.append(sig)
            except (NotImplementedError, RuntimeError, ValueError):
                pass  # not the main thread, or no signal support here
        try:
            await self._start_workers()
            await self._loop(budget)
        except asyncio.CancelledError:
            self.store.finish_run(self.run_id, "interrupted")
            raise
        except Exception:
            log.exception("crawl of %s failed", self.site)
            try:
                self.store.finish_run(self.run_id, "failed")
            except BlogbinderError:
                pass  # the store itself is what failed; the original error says why
            raise
        finally:
            for sig in installed:
                loop.remove_signal_handler(sig)
            self.writer.close()
            if self.pool is not None:
                await self.pool.close()
        status = "interrupted" if self.stopping.is_set() else "completed"
        stats = self.store.finish_run(self.run_id, status)
        self._report("done", None)
        return CrawlSummary(
            start_url=start,
            site=self.site,
            run_id=self.run_id,
            status=status,
            stats=stats,
            elapsed=time.monotonic() - started,
            requests=self.fetcher.requests,
            resumed=resumed,
            disallowed=len(self.frontier.disallowed),
            discovery_errors=discovery_errors,
        )


class _OpenRun:
    """The crawl's discovery sink: begins the run when discovery knows the site, then
    puts found URLs in its frontier as they come."""

    def __init__(self, crawl: _Crawl) -> None:
        self.crawl = crawl
        self.resumed = False
        self.done_before = 0  # pages fetched or failed by earlier tries of the run

    def begin(self, result: DiscoveryResult) -> None:
        crawl = self.crawl
        crawl.site = result.site  # changed if the blog moved hosts
        crawl.run_id = crawl.store.begin_run(crawl.site)
        store, run_id, options = crawl.store, crawl.run_id, crawl.options
        # A run capped by max_pages takes what earlier runs never fetched first, so that
        # capped runs one after another get through the whole blog.
        crawl.ahead = ReadAhead(store, run_id, options.max_pages is not None)
        crawl.writer = BatchWriter(store, run_id, options.concurrency, crawl.in_flight)
        before = store.run_stats(run_id)
        self.resumed = before.fetched + before.failed + before.skipped > 0
        self.done_before = before.fetched + before.failed
        crawl.frontier.begin(run_id, result.start_url, result.robots, before.discovered)
        crawl.fetched, crawl.failed, crawl.skipped = before.fetched, before.failed, before.skipped
        if result.start_page is not None:
            crawl.cache[result.start_url] = result.start_page

    def add(self, found: list[Found]) -> None:
        for at in range(0, len(found), DISCOVERY_CHUNK):
            self.crawl.frontier.enqueue(frontier_items(found[at : at + DISCOVERY_CHUNK]))


async def crawl_site(
    start_url: str,
    store: CrawlStore,
    options: CrawlOptions | None = None,
    *,
    client: HttpClient | None = None,
    progress: ProgressCallback | None = None,
) -> CrawlSummary:
    """Crawl one blog into ``store``. Raises ConnectError/FetchTimeout when the site does
    not answer at all and UsageError for a bad start URL; page failures are recorded."""
    options = options or CrawlOptions()
    config = options.fetch_config()
    http = client if client is not None else make_client(config)
    try:
        return await _Crawl(store, options, Fetcher(http, config), progress).run(start_url)
    finally:
        if client is None:
            await http.aclose()


def crawl(
    start_urls: Sequence[str],
    store: CrawlStore,
    options: CrawlOptions | None = None,
    progress: ProgressCallback | None = None,
) -> list[CrawlSummary]:
    """Crawl each site in turn (one event loop, one connection pool); stops early when a
    crawl is interrupted."""

    async def run_all() -> list[CrawlSummary]:
        opts = options or CrawlOptions()
        summaries: list[CrawlSummary] = []
        async with make_client(opts.fetch_config()) as client:
            for url in start_urls:
                summary = await crawl_site(url, store, opts, client=client, progress=progress)
                summaries.append(summary)
                if summary.status != "completed":
                    break
        return summaries

    try:
        with asyncio.Runner(loop_factory=_loop_factory()) as runner:
            return runner.run(run_all())
    except asyncio.CancelledError:  # a second Ctrl-C abandoned the in-flight pages
        raise KeyboardInterrupt from None


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's event loop when it is installed (less CPU per request than asyncio's own,
    which matters when the crawl process is the bottleneck); None: asyncio's default."""
    try:
        import uvloop
    except ImportError:
        return None
    factory: Callable[[], asyncio.AbstractEventLoop] = uvloop.new_event_loop
    return factory

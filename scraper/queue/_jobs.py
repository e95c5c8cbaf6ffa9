"""The two job kinds and the per-process state they share.

``discover_site`` (one per site): discovery (robots, sitemaps, feeds, list seeds) under
one shared slot of the site's host, ``begin_run``, then the discovered URLs go into the
run's frontier and every URL that was new there gets a ``crawl_page`` job.

``crawl_page`` (one per URL and run): fetch through the shared per-host gate, classify,
add the page's in-scope links to the frontier (new ones get their own jobs; non-post
pages beyond ``max_per_pattern`` per URL pattern are dropped, across workers), extract a
post, save, and close the run when its frontier is drained. With ``max_pages`` a job
first claims one page of the run's budget (``Frontier.claim``, atomic in the database);
when the budget is spent its item stays pending and the run closes once the claimed
pages are recorded, as a crawl stopped by ``--max-pages``. A job retried after its
worker died finds its item already done and returns, or redoes it under its own claim
(storage's writes are upserts, so a post is never stored twice).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from ..crawl import CrawlOptions
from ..crawl_enqueue import page_children
from ..crawl_pool import extract_page
from ..discover import (
    DiscoveryResult,
    HtmlPage,
    is_post_page,
    load_robots,
    run_discovery,
)
from ..errors import ExtractionError, FetchError, RobotsDisallowed
from ..fetch import FetchConfig, Fetcher, HttpClient, make_client
from ..model import Post
from ..politeness import HostGate
from ..records import CrawlStore, FetchedPage, FrontierItem, ItemKind
from ..robots import RobotsRules
from ..urls import Scope, classify_url, normalize_url, site_root, url_pattern
from ._ports import Claim, Frontier, SharedGate

T = TypeVar("T")

__all__ = ["Deferrer", "Runtime", "item_args", "options_args", "options_from"]

log = logging.getLogger("blogbinder.queue")

Deferrer = Callable[[Sequence[dict[str, Any]]], Awaitable[None]]
"""Puts page jobs (their keyword arguments) on the queue."""

_KINDS: tuple[ItemKind, ...] = ("post", "list", "unknown")
_NOT_FETCHED: dict[Claim, str] = {
    "done": "already done",
    "taken": "claimed by another job",
    "spent": "page budget spent",
    "closed": "run closed",
}


def gate_host(url: str) -> str:
    """The politeness key: host[:port], ``www.`` dropped (as scraper.fetch does)."""
    return urlsplit(url).netloc.lower().removeprefix("www.")


def lease_seconds(options: CrawlOptions) -> float:
    """How long a request (its retries and backoff included) may hold a host slot; a
    slot of a worker that died comes back after this."""
    return options.retries * options.timeout + 2.0**options.retries + 1.0


def options_args(options: CrawlOptions) -> dict[str, Any]:
    """CrawlOptions as JSON-able job arguments."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(options).items()}


def options_from(args: dict[str, Any]) -> CrawlOptions:
    values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in args.items()}
    return CrawlOptions(**values)


def item_args(
    run_id: int, start: str, item: FrontierItem, options: dict[str, Any], rank: int = 0
) -> dict[str, Any]:
    """A page job's arguments. ``rank`` orders a site's jobs (the queue runs low ranks
    first), so the jobs of many sites interleave instead of running site after site."""
    return {
        "rank": rank,
        "run_id": run_id,
        "site": site_root(start),
        "start": start,
        "url": item.url,
        "kind": item.kind,
        "source": item.source,
        "depth": item.depth,
        "lastmod": item.lastmod.isoformat() if item.lastmod else None,
        "options": options,
    }


class _SentGate(HostGate):
    """An open local gate (the shared gate rules) that reports each real send."""

    def __init__(self, notify: Callable[[], None]) -> None:
        super().__init__(256, 1e-6, adaptive=False)  # a delay > 0 turns on send tracing
        self._notify = notify

    def sent(self, at: float) -> None:
        super().sent(at)
        self._notify()


class _SignallingFetcher(Fetcher):
    """A Fetcher that calls ``on_sent(host)`` when a request's headers start going out.

    It replaces the fetcher's per-host gates (``Fetcher._gate``); a ``gate_factory``
    parameter on Fetcher would make this override unnecessary."""

    def __init__(
        self, client: HttpClient, config: FetchConfig, on_sent: Callable[[str], None]
    ) -> None:
        super().__init__(client, config)
        self._on_sent = on_sent

    def _gate(self, url: str) -> HostGate:
        host = gate_host(url)
        gate = self._gates.get(host)
        if gate is None:
            gate = self._gates[host] = _SentGate(lambda: self._on_sent(host))
        return gate


@dataclass
class Runtime:
    """Everything a worker process's jobs share: the stores, the gate, HTTP clients and
    robots rules per site. Built by the CLI (the composition root)."""

    store: CrawlStore
    frontier: Frontier
    gate: SharedGate
    defer_pages: Deferrer | None = None
    _clients: dict[tuple[str, FetchConfig], Fetcher] = field(default_factory=dict)
    _robots: dict[str, RobotsRules] = field(default_factory=dict)
    _sending: dict[str, asyncio.Event] = field(default_factory=dict)
    _known: dict[int, set[str]] = field(default_factory=dict)  # URLs already in a run

    def fetcher(self, options: CrawlOptions, site: str) -> Fetcher:
        """A pooled fetcher for ``site`` whose own per-host gate is open (the shared gate
        rules). One per site and settings: a fetcher's home (credentials, the private-
        address rule) is its site's, never that of the first site the worker crawled."""
        # httpx's own transport: its trace hook tells when a request is really sent
        config = replace(
            options.fetch_config(), delay=0.0, concurrency=256, adaptive=False, engine="httpx"
        )
        home = site_root(site)
        found = self._clients.get((home, config))
        if found is None:
            client: HttpClient = make_client(config)
            found = self._clients[home, config] = _SignallingFetcher(client, config, self._on_sent)
            found.set_home(home)
        return found

    async def aclose(self) -> None:
        for fetcher in self._clients.values():
            await fetcher.client.aclose()
        self._clients.clear()

    async def polite(self, url: str, options: CrawlOptions, call: Callable[[], Awaitable[T]]) -> T:
        """Run ``call`` (one fetch) holding a shared slot of the URL's host; the host's
        next start is allowed ``delay`` after this request has really been sent."""
        host = gate_host(url)
        lease = await asyncio.to_thread(
            self.gate.acquire, host, options.concurrency, options.delay, lease_seconds(options)
        )
        try:
            out = self._sending[host] = asyncio.Event()
            task = asyncio.ensure_future(call())
            waiter = asyncio.ensure_future(out.wait())
            try:
                await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                waiter.cancel()
                self._sending.pop(host, None)
                await asyncio.to_thread(self.gate.sent, lease, options.delay)
            return await task
        finally:
            await asyncio.to_thread(self.gate.release, lease, options.delay)

    def _on_sent(self, host: str) -> None:
        event = self._sending.get(host)
        if event is not None:
            event.set()

    async def robots(self, site: str, options: CrawlOptions) -> RobotsRules:
        rules = self._robots.get(site)
        if rules is None:
            fetcher = self.fetcher(options, site)
            rules = await self.polite(
                site, options, lambda: load_robots(fetcher, site, options.ignore_robots)
            )
            self._robots[site] = rules
        return rules

    # -- discover_site --------------------------------------------------------------

    async def discover_site(self, start_url: str, options_json: dict[str, Any]) -> int:
        """Discovery for one site, then its page jobs; returns the run id."""
        options = options_from(options_json)
        start = normalize_url(start_url)
        # Discovery requests go out one at a time, spaced by the site's delay (plus a
        # margin) by this fetcher's own gate, while this job holds one of the host's
        # shared slots and its turn to start: the host's next start comes ``delay`` after
        # discovery has ended (page jobs only exist from then on).
        config = replace(  # httpx: its trace spaces requests from when they are really sent
            options.fetch_config(),
            concurrency=1,
            delay=options.delay + 0.02,
            adaptive=False,
            engine="httpx",
        )

        async def discover() -> DiscoveryResult:
            local = Fetcher(make_client(config), config)
            try:
                return await run_discovery(local, start, options, walk=False)
            finally:
                await local.client.aclose()

        found = await self.polite(start, options, discover)
        self._robots[found.site] = found.robots
        if found.robots.crawl_delay is not None:
            await asyncio.to_thread(
                self.gate.set_crawl_delay, gate_host(found.site), found.robots.crawl_delay
            )
        run_id = await asyncio.to_thread(self.store.begin_run, found.site)
        items = [i for i in found.frontier() if found.robots.allowed(i.url)]
        new = await asyncio.to_thread(self.frontier.add_new, run_id, items)
        # a resumed run: its pending items from before get jobs again (duplicates return early)
        old = await asyncio.to_thread(self.store.pending, run_id, 1_000_000)
        fresh = {i.url for i in new}
        todo = new + [i for i in old if i.url not in fresh]
        await self._defer(run_id, found.start_url, todo, options_json)
        if not todo:
            await asyncio.to_thread(self.frontier.finish_if_drained, run_id, options.max_pages)
        log.info("%s: run %d, %d URLs queued", found.site, run_id, len(todo))
        return run_id

    async def _defer(
        self,
        run_id: int,
        start: str,
        items: Sequence[FrontierItem],
        options: dict[str, Any],
        rank: int = 0,
    ) -> None:
        if items and self.defer_pages is not None:
            await self.defer_pages(
                [item_args(run_id, start, item, options, rank + n) for n, item in enumerate(items)]
            )

    # -- crawl_page -----------------------------------------------------------------

    async def crawl_page(self, args: dict[str, Any], holder: str | None = None) -> str:
        """One frontier item; returns its outcome. ``holder`` names the job (the same
        across its retries) for the item's claim on the run's page budget."""
        run_id: int = args["run_id"]
        kind = cast(ItemKind, args["kind"] if args["kind"] in _KINDS else "unknown")
        lastmod = datetime.fromisoformat(args["lastmod"]) if args.get("lastmod") else None
        item = FrontierItem(args["url"], kind, args["source"], args["depth"], lastmod)
        options = options_from(args["options"])
        budget = options.max_pages
        holder = holder or f"call:{uuid.uuid4().hex}"
        claim = await asyncio.to_thread(self.frontier.claim, run_id, item.url, budget, holder)
        if claim == "spent":  # the item stays pending; the last claimed page closes the run
            await asyncio.to_thread(self.frontier.finish_if_drained, run_id, budget)
        if claim != "go":
            return _NOT_FETCHED[claim]
        start = args["start"]
        scope = Scope.for_site(start, options.include, options.exclude, options.extra_hosts)
        robots = await self.robots(args["site"], options)

        def guard(url: str) -> None:
            scope.check(url)
            if not robots.allowed(url):
                raise RobotsDisallowed("robots.txt disallows this URL", url)

        outcome = "failed"
        try:
            page = await self._fetch(item, options, guard, start)
            post, children = await asyncio.to_thread(self._digest, item, page, scope, options)
            known = self._known.setdefault(run_id, set())
            children = [c for c in children if c.url not in known and robots.allowed(c.url)]
            known.update(c.url for c in children)
            if children:
                new = await asyncio.to_thread(
                    self.frontier.add_new, run_id, children, options.max_per_pattern, url_pattern
                )
                rank = int(args.get("rank", 0)) + 1
                await self._defer(run_id, start, new, args["options"], rank)
            outcome = await asyncio.to_thread(self.store.save_page, run_id, item, page, post)
        except (FetchError, ExtractionError) as exc:
            log.info("failed: %s", exc)
            await asyncio.to_thread(self.store.save_failure, run_id, item, exc)
        await asyncio.to_thread(self.frontier.finish_if_drained, run_id, budget)
        return outcome

    async def _fetch(
        self, item: FrontierItem, options: CrawlOptions, guard: Callable[[str], None], site: str
    ) -> FetchedPage:
        expect_post = item.kind == "post" or classify_url(item.url) == "post"
        validators = (
            await asyncio.to_thread(self.store.validators, item.url) if expect_post else None
        )
        fetcher = self.fetcher(options, site)
        conditional = validators if options.conditional else None
        return await self.polite(
            item.url,
            options,
            lambda: fetcher.fetch(item.url, validators=conditional, guard=guard),
        )

    def _digest(
        self, item: FrontierItem, page: FetchedPage, scope: Scope, options: CrawlOptions
    ) -> tuple[Post | None, list[FrontierItem]]:
        """Classify, harvest links and extract (CPU work, run in a thread)."""
        kind = (page.content_type or "").lower()
        if page.status == 304 or (kind and "html" not in kind):
            return None, []
        final = normalize_url(page.final_url)
        html = HtmlPage(page.body, final)
        url_kind = classify_url(final)
        is_post = is_post_page(item.kind, url_kind, html.evidence)
        children = page_children(item, html, is_post, url_kind, scope, options)
        if not is_post:
            return None, children
        return extract_page(page.body, final, page.fetched_at), children

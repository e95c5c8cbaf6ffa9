"""``--max-pages`` and ``--max-per-pattern`` in queue mode: the budget and the trap cap are
counted in PostgreSQL, so several workers together never go beyond them.

Like the crawl stopped by ``--max-pages``, a queue run closes as completed with the pages
it did not fetch left pending in its frontier; the next run is a new run that starts
from discovery again (it does not continue with the pages left over)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest

import storage
from scraper.errors import FetchTimeout
from scraper.records import FetchedPage, FrontierItem
from scraper.sample.route import Route
from scraper.sample.server import LocalSiteServer
from scraper.urls import url_pattern
from tests.generated_blog import generated_blog
from tests.pg import fresh_database, query
from tests.scale.test_workers import _cli, _count

POSTS = 30
BUDGET = 10
RESPONSE_TIME = 0.05
pytestmark = pytest.mark.postgres


@pytest.fixture
def pg() -> Iterator[str]:
    with fresh_database("blogbinder_budget") as url:
        yield url


@pytest.fixture
def blog() -> Iterator[LocalSiteServer]:
    server = LocalSiteServer(host="127.0.0.7").start()
    try:
        routes = generated_blog(server.base_url, POSTS, "q")
        server.replace_routes(
            {
                p: Route(
                    r.body, r.status, r.content_type, r.headers, r.last_modified, RESPONSE_TIME
                )
                for p, r in routes.items()
            }
        )
        yield server
    finally:
        server.stop()


def _enqueue(pg: str, start: str, *flags: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "scraper", "crawl", "--enqueue", "--db", pg, *flags, start],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode()


def _work(pg: str, tmp_path: Path, workers: int, tag: str) -> None:
    """``workers`` worker processes in burst mode, until the queue is empty."""
    env = {**os.environ, "BLOGBINDER_TIMEOUT": "5", "BLOGBINDER_RETRIES": "1"}
    args = ("worker", "--db", pg, "--burst", "--concurrency", "8", "--heartbeat", "0.5")
    logs = [tmp_path / f"{tag}-worker{i}.log" for i in range(workers)]
    procs = [_cli(*args, env=env, log=log) for log in logs]
    try:
        for proc in procs:
            proc.wait(90)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert [p.returncode for p in procs] == [0] * workers, [log.read_text()[-2000:] for log in logs]


def _page_requests(server: LocalSiteServer) -> list[str]:
    """Requests for pages of the frontier (the posts and the start page), leaving out
    discovery's one request for the start page (robots, sitemap and feeds are not pages)."""
    paths = [r.path for r in server.requests() if r.path == "/" or r.path.startswith("/post/")]
    paths.remove("/")
    return paths


def _run(pg: str, run_id: int) -> tuple[str, dict[str, object]]:
    [(status, stats)] = query(pg, f"SELECT status, stats FROM crawl_runs WHERE id = {run_id}")
    loaded = stats if isinstance(stats, dict) else json.loads(str(stats))
    return str(status), loaded


def _frontier(pg: str, run_id: int) -> dict[str, int]:
    rows = query(pg, f"SELECT state, count(*) FROM frontier WHERE run_id = {run_id} GROUP BY 1")
    return {str(state): int(n) for state, n in rows}  # type: ignore[call-overload]


def test_max_pages_holds_across_three_workers(
    pg: str, blog: LocalSiteServer, tmp_path: Path
) -> None:
    start = blog.base_url + "/"
    flags = ("--max-pages", str(BUDGET), "--concurrency", "4", "--delay", "0")
    _enqueue(pg, start, *flags)
    _work(pg, tmp_path, 3, "first")

    pages = _page_requests(blog)
    assert len(pages) == BUDGET, pages
    assert len(set(pages)) == BUDGET  # no page fetched twice
    assert blog.max_in_flight() >= 2  # workers did fetch (and claim) at the same time
    assert _count(pg, "SELECT count(*) FROM crawl_runs") == 1
    status, stats = _run(pg, 1)
    assert status == "completed"
    assert stats["fetched"] == BUDGET and stats["failed"] == 0
    assert _count(pg, "SELECT count(*) FROM fetches WHERE run_id = 1") == BUDGET
    frontier = _frontier(pg, 1)
    assert frontier["done"] == BUDGET
    assert frontier["pending"] == stats["discovered"] - BUDGET == POSTS + 1 - BUDGET
    assert _count(pg, "SELECT count(*) FROM frontier WHERE outcome = 'claimed'") == 0
    posts = [p for p in pages if p.startswith("/post/")]
    assert _count(pg, "SELECT count(*) FROM posts") == len(posts)
    # succeeded jobs are deleted: none failed, none left over
    assert _count(pg, "SELECT count(*) FROM procrastinate.procrastinate_jobs") == 0

    # As after a crawl stopped by --max-pages: the next run is a new run with its own
    # budget (discovery again; its first pages are conditional requests).
    blog.clear_log()
    _enqueue(pg, start, *flags)
    _work(pg, tmp_path, 2, "second")
    pages = _page_requests(blog)
    assert len(pages) == BUDGET, pages
    assert _count(pg, "SELECT count(*) FROM crawl_runs WHERE status = 'completed'") == 2
    status, stats = _run(pg, 2)
    assert status == "completed"
    assert stats["fetched"] == BUDGET and stats["failed"] == 0
    assert _frontier(pg, 2) == {"done": BUDGET, "pending": POSTS + 1 - BUDGET}
    assert _frontier(pg, 1)["pending"] == POSTS + 1 - BUDGET  # the first run is left as it was


def test_max_per_pattern_holds_across_workers(
    pg: str, blog: LocalSiteServer, tmp_path: Path
) -> None:
    """An endless calendar linked from the home page: at most --max-per-pattern of its
    pages are queued and fetched, by all workers together."""
    cap = 6
    home = blog.route("/")
    assert home is not None
    trap_link = '<a href="/calendar?m=0">events</a></main>'
    blog.set_route("/", Route.html(home.body.decode().replace("</main>", trap_link)))
    for month in range(-200, 201):
        links = "".join(f'<a href="/calendar?m={m}">month {m}</a>' for m in (month - 1, month + 1))
        page = f"<html><body><h1>Events, month {month}</h1>{links}</body></html>"
        blog.set_route(f"/calendar?m={month}", Route(page.encode(), delay=RESPONSE_TIME))
    flags = ("--max-per-pattern", str(cap), "--concurrency", "4", "--delay", "0")
    _enqueue(pg, blog.base_url + "/", *flags)
    _work(pg, tmp_path, 2, "trap")

    calendar = [r.path for r in blog.requests() if r.path.startswith("/calendar")]
    assert len(calendar) == len(set(calendar)) == cap, calendar
    rows = query(pg, "SELECT url FROM frontier WHERE url LIKE '%/calendar%'")
    assert len(rows) == cap
    assert _count(pg, "SELECT count(*) FROM crawl_runs WHERE status = 'completed'") == 1
    # the posts are never capped
    assert _count(pg, "SELECT count(*) FROM posts") == POSTS


# -- the storage operations under contention, without HTTP ---------------------------------

SITE = "http://budget.example"
T0 = datetime(2024, 5, 1, tzinfo=UTC)


def _items(n: int) -> list[FrontierItem]:
    return [FrontierItem(f"{SITE}/post/p{i:03d}", "post", "sitemap") for i in range(n)]


def test_concurrent_claims_take_exactly_the_budget(pg: str) -> None:
    """16 threads race to claim and record 40 items under a budget of 10: exactly 10 are
    fetched, while other threads' claims turn into fetches and failures meanwhile."""
    with storage.open(pg) as db:
        frontier = storage.QueueStore(db)
        run = db.begin_run(SITE)
        items = _items(40)
        assert len(frontier.add_new(run, items)) == 40
        gate = threading.Barrier(16)
        granted: list[tuple[str, str]] = []
        lock = threading.Lock()

        def worker(n: int) -> None:
            holder = f"job:{n}"
            order = list(items)
            random.Random(n).shuffle(order)
            gate.wait()
            for item in order:
                if frontier.claim(run, item.url, BUDGET, holder) != "go":
                    continue
                with lock:
                    granted.append((item.url, holder))
                if n % 3 == 0:
                    db.save_failure(run, item, FetchTimeout("timed out", item.url))
                else:
                    page = FetchedPage(item.url, item.url, 200, b"<html>x</html>", T0)
                    db.save_page(run, item, page, None)
                frontier.finish_if_drained(run, BUDGET)

        with ThreadPoolExecutor(16) as pool:
            list(pool.map(worker, range(16)))

        assert len(granted) == BUDGET
        assert len({url for url, _ in granted}) == BUDGET
        stats = db.run_stats(run)
        assert stats.fetched + stats.failed == BUDGET
        assert [r.status for r in db.runs(limit=None) if r.id == run] == ["completed"]
        left = {i.url for i in db.pending(run, 100)}
        assert len(left) == 40 - BUDGET
        assert frontier.claim(run, next(iter(left)), BUDGET, "job:late") == "closed"


def test_a_claim_is_kept_by_its_job_and_refused_to_others(pg: str) -> None:
    with storage.open(pg) as db:
        frontier = storage.QueueStore(db)
        run = db.begin_run(SITE)
        first, second, third = _items(3)
        frontier.add_new(run, [first, second, third])
        assert frontier.claim(run, first.url, 2, "job:1") == "go"
        assert frontier.claim(run, first.url, 2, "job:1") == "go"  # the job, retried
        assert frontier.claim(run, first.url, 2, "job:2") == "taken"  # a duplicate job
        assert frontier.claim(run, second.url, 2, "job:3") == "go"
        assert frontier.claim(run, third.url, 2, "job:4") == "spent"
        assert frontier.finish_if_drained(run, 2) is None  # two claims are still out
        page = FetchedPage(first.url, first.url, 200, b"<html>1</html>", T0)
        db.save_page(run, first, page, None)
        assert frontier.claim(run, first.url, 2, "job:1") == "done"
        assert frontier.finish_if_drained(run, 2) is None
        db.save_failure(run, second, FetchTimeout("timed out", second.url))
        stats = frontier.finish_if_drained(run, 2)
        assert stats is not None and (stats.fetched, stats.failed) == (1, 1)
        assert [i.url for i in db.pending(run, 10)] == [third.url]  # left pending
        # without a budget nothing is marked and the run is not checked
        assert frontier.claim(run, third.url, None, "job:5") == "go"


def test_concurrent_inserts_keep_the_pattern_cap(pg: str) -> None:
    """Eight threads each add ten new calendar pages under a cap of five: five in all."""
    with storage.open(pg) as db:
        frontier = storage.QueueStore(db)
        run = db.begin_run(SITE)
        gate = threading.Barrier(8)

        def worker(n: int) -> int:
            links = [
                FrontierItem(f"{SITE}/calendar?m={n * 10 + i}", "unknown", "link", 3)
                for i in range(10)
            ]
            posts = [FrontierItem(f"{SITE}/post/from-{n}-{i}", "post", "link", 3) for i in range(3)]
            gate.wait()
            return len(frontier.add_new(run, links + posts, 5, url_pattern))

        with ThreadPoolExecutor(8) as pool:
            added = sum(pool.map(worker, range(8)))
        assert added == 5 + 8 * 3  # posts are never capped
        assert len(db.pending(run, 1000)) == 5 + 8 * 3
        # sitemap URLs are not capped; list-page links are; a URL already there is not new
        present = next(i.url for i in db.pending(run, 1000) if "/calendar" in i.url)
        again = [
            FrontierItem(f"{SITE}/calendar?m=999", "unknown", "sitemap"),
            FrontierItem(f"{SITE}/calendar?m=998", "unknown", "list"),
            FrontierItem(present, "unknown", "link"),
        ]
        assert [i.url for i in frontier.add_new(run, again, 5, url_pattern)] == [again[0].url]


def test_a_worker_keeps_one_http_client_per_site() -> None:
    # A client's home decides where credentials go and whether private addresses are
    # acceptable: it must be the site's own, not the first site the worker crawled.
    import asyncio
    from typing import Any, cast

    from scraper.crawl import CrawlOptions
    from scraper.queue._jobs import Runtime

    runtime = Runtime(store=cast(Any, None), frontier=cast(Any, None), gate=cast(Any, None))
    options = CrawlOptions()
    first = runtime.fetcher(options, "https://a.example/blog")
    assert runtime.fetcher(options, "https://a.example/post/x") is first
    other = runtime.fetcher(options, "https://b.example/")
    assert other is not first
    assert (first.home, other.home) == ("a.example", "b.example")
    assert runtime.fetcher(CrawlOptions(allow_private=True), "https://a.example/") is not first
    asyncio.run(runtime.aclose())

"""Crawls of a real local server (127.0.0.1): discovery paths, robots, politeness, re-crawls."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

import storage
from scraper.crawl import CrawlOptions, CrawlSummary, crawl, crawl_site
from scraper.errors import ConnectError

from .blog import post_urls
from .server import TestServer
from .store import SqliteStore

FAST = CrawlOptions(delay=0, concurrency=4, retries=1)


def run(start: str, store: SqliteStore, options: CrawlOptions = FAST) -> CrawlSummary:
    return asyncio.run(crawl_site(start, store, options))


@pytest.mark.parametrize("batch", [True, False])
@pytest.mark.parametrize("sources", [("sitemap",), ("feed",), ("list",), ("links",)])
def test_each_discovery_path_alone_finds_every_post(
    blog: TestServer, sources: tuple[str, ...], batch: bool
) -> None:
    store = SqliteStore(batch=batch)
    options = CrawlOptions(delay=0, concurrency=4, retries=1, sources=sources)
    summary = run(blog.url("/blog"), store, options)
    assert bool(store.batches) is batch
    assert summary.status == "completed"
    assert store.post_urls() == post_urls(blog.base_url)
    assert set(store.post_save_counts().values()) == {1}
    assert summary.stats.failed == 0
    assert summary.stats.new == 12


def test_pages_that_are_not_posts_are_saved_without_a_post(
    blog: TestServer, store: SqliteStore
) -> None:
    summary = run(blog.url("/blog"), store)
    outcomes = store.outcomes(summary.run_id)
    assert outcomes[blog.url("/about")] == "not_post"
    assert outcomes[blog.url("/blog")] == "not_post"
    assert outcomes[blog.url("/blog/page/3")] == "not_post"
    assert blog.url("/about") not in store.post_urls()


def test_robots_disallow_is_obeyed(blog: TestServer, store: SqliteStore) -> None:
    summary = run(blog.url("/blog"), store)
    assert not [r for r in blog.requests() if r.path.startswith("/private/")]
    assert summary.disallowed == 1
    assert blog.url("/private/secret-note") not in store.post_urls()


def test_ignore_robots_fetches_disallowed_pages(blog: TestServer, store: SqliteStore) -> None:
    run(blog.url("/blog"), store, CrawlOptions(delay=0, concurrency=4, ignore_robots=True))
    assert blog.request_count("/private/secret-note") == 1
    assert blog.request_count("/robots.txt") == 0


def test_politeness_concurrency_and_spacing(blog: TestServer, store: SqliteStore) -> None:
    blog.delay = 0.02
    options = CrawlOptions(
        delay=0.05, concurrency=2, sources=("sitemap",), adaptive=False, engine="httpx"
    )
    run(blog.url("/blog"), store, options)
    assert blog.request_count() > 15
    assert blog.max_in_flight() <= 2
    # The server shares our GIL, so it may notice a request a few ms late.
    hits = blog.requests()
    gaps = sorted(b.started - a.started for a, b in zip(hits, hits[1:], strict=False))
    assert gaps[len(gaps) // 2] >= 0.05
    assert gaps[0] >= 0.05 * 0.75


def test_concurrency_is_used_when_allowed(blog: TestServer, store: SqliteStore) -> None:
    blog.delay = 0.05
    run(blog.url("/blog"), store, CrawlOptions(delay=0, concurrency=4, sources=("sitemap",)))
    assert 2 <= blog.max_in_flight() <= 4


def test_second_crawl_is_conditional_and_stores_nothing_new(
    blog: TestServer, store: SqliteStore
) -> None:
    run(blog.url("/blog"), store, CrawlOptions(delay=0, concurrency=4, skip_unchanged=False))
    blog.clear_log()
    second = run(
        blog.url("/blog"), store, CrawlOptions(delay=0, concurrency=4, skip_unchanged=False)
    )
    assert second.stats.new == 0 and second.stats.changed == 0
    assert second.stats.not_modified >= 12
    posts = [r for r in blog.requests() if r.path.startswith("/post/")]
    assert len(posts) == 12
    assert all("if-none-match" in {k.lower() for k in r.headers} for r in posts)
    assert all(r.status == 304 for r in posts)


def test_unchanged_sitemap_lastmod_skips_the_fetch(blog: TestServer, store: SqliteStore) -> None:
    run(blog.url("/blog"), store)
    blog.clear_log()
    second = run(blog.url("/blog"), store)
    assert not [r for r in blog.requests() if r.path.startswith("/post/")]
    assert second.stats.skipped == 12
    assert second.stats.new == 0


def test_max_pages_stops_the_run(blog: TestServer, store: SqliteStore) -> None:
    summary = run(blog.url("/blog"), store, CrawlOptions(delay=0, max_pages=5, concurrency=3))
    assert summary.stats.fetched + summary.stats.failed == 5


def test_capped_runs_one_after_another_get_through_the_blog(
    blog: TestServer, tmp_path: Path
) -> None:
    # Each capped run takes the URLs no earlier run fetched first, so a daily
    # `--max-pages 8` gets through the whole blog instead of refetching its start.
    with storage.open(f"sqlite:///{tmp_path}/capped.db") as db:
        options = CrawlOptions(delay=0, max_pages=8, concurrency=2)
        seen: list[int] = []
        for _ in range(4):
            asyncio.run(crawl_site(blog.url("/blog"), db, options))
            seen.append(len(db.posts()))
        assert seen == sorted(seen) and seen[0] < seen[-1]
        assert {p.url for p in db.posts()} == post_urls(blog.base_url)


def test_cancelled_crawl_resumes_without_loss_or_duplicates(
    blog: TestServer, store: SqliteStore
) -> None:
    blog.delay = 0.01
    options = CrawlOptions(delay=0, concurrency=3, retries=1)

    async def interrupted() -> None:
        task: asyncio.Task[CrawlSummary] | None = None

        def progress(p: object) -> None:
            if getattr(p, "fetched", 0) >= 6 and task is not None:
                task.cancel()

        task = asyncio.create_task(crawl_site(blog.url("/blog"), store, options, progress=progress))
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(interrupted())
    assert 0 < len(store.post_urls()) < 12
    resumed = run(blog.url("/blog"), store, options)
    assert resumed.resumed
    assert resumed.status == "completed"
    assert store.post_urls() == post_urls(blog.base_url)
    assert set(store.post_save_counts().values()) == {1}


def test_sync_crawl_of_several_sites(blog: TestServer, store: SqliteStore) -> None:
    summaries = crawl([blog.url("/blog")], store, FAST)
    assert [s.status for s in summaries] == ["completed"]
    assert summaries[0].site == blog.base_url


@pytest.mark.parametrize("engine", ["httpx", "auto"])
def test_nothing_listening_raises_connect_error(store: SqliteStore, engine: str) -> None:
    with TestServer() as server:
        url = server.base_url
    with pytest.raises(ConnectError) as info:
        run(url + "/blog", store, CrawlOptions(delay=0, retries=1, timeout=2, engine=engine))
    assert url in str(info.value)

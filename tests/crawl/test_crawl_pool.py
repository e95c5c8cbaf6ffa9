"""Crawls that extract in worker processes (fast crawls) store what in-process ones do."""

from __future__ import annotations

import asyncio
import fcntl
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

import storage
from scraper.crawl import CrawlOptions, crawl_site
from scraper.crawl_pool import ENV_WORKERS, ExtractPool, pool_size
from scraper.records import body_hash
from storage._crawl import compress

from .blog import post_urls
from .server import TestServer

OPTIONS = CrawlOptions(delay=0, concurrency=8, retries=1)
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _crawl(blog: TestServer, db_path: Path) -> dict[str, dict[str, object]]:
    with storage.open(f"sqlite:///{db_path}") as db:
        summary = asyncio.run(crawl_site(blog.url("/blog"), db, OPTIONS))
        assert summary.status == "completed"
        assert summary.stats.failed == 0
        assert summary.stats.new == 12
        posts = {}
        for stored in db.iter_posts():
            data = stored.post.to_dict()
            data.pop("fetched_at")
            posts[stored.post.url] = data
        snapshots = list(db.iter_snapshots())
        assert len(snapshots) == 12  # bodies hashed and compressed by the workers read back
        assert all(s.snapshot_hash == body_hash(s.body) for s in snapshots)
        return posts


def test_worker_processes_extract_the_same_posts(
    blog: TestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_WORKERS, "0")
    inline = _crawl(blog, tmp_path / "inline.db")
    monkeypatch.setenv(ENV_WORKERS, "2")
    pooled = _crawl(blog, tmp_path / "pooled.db")
    assert set(pooled) == post_urls(blog.base_url)
    assert pooled == inline


def test_only_fast_large_crawls_use_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_WORKERS, raising=False)
    assert pool_size(1.0, 64, 5000) == 0  # polite: the network is the limit
    assert pool_size(0.0, 2, 5000) == 0
    assert pool_size(0.0, 64, 50) == 0  # too small to pay for the start-up
    assert pool_size(0.0, 64, 5000) >= 1
    monkeypatch.setenv(ENV_WORKERS, "3")
    assert pool_size(1.0, 2, 1) == 3


_BIG_PAGE = (
    "<html><head><title>Big page</title></head><body><article><h1>Big page</h1>"
    + "<p>Some words of the post.</p>" * 20_000  # ~560 KB: many 64 KiB pipe slices
    + "</article></body></html>"
).encode()


def _loops() -> list[object]:
    loops: list[object] = [pytest.param(asyncio.new_event_loop, id="asyncio")]
    uvloop = pytest.importorskip("uvloop")
    loops.append(pytest.param(uvloop.new_event_loop, id="uvloop"))
    return loops


@pytest.mark.skipif(not hasattr(fcntl, "F_GETPIPE_SZ"), reason="Linux pipe sizes")
@pytest.mark.parametrize("new_loop", _loops())
def test_workers_talk_over_wide_pipes(new_loop: Callable[[], asyncio.AbstractEventLoop]) -> None:
    """Under uvloop too: its subprocess PIPE is a socket pair that cannot be widened, so a
    page went through in small slices with the crawl's loop woken for each."""

    async def run() -> None:
        pool = await ExtractPool.start(1, compress)
        try:
            worker = pool.workers[0]
            stdin = os.readlink(f"/proc/{worker.proc.pid}/fd/0")
            stdout = os.readlink(f"/proc/{worker.proc.pid}/fd/1")
            assert stdin.startswith("pipe:") and stdout.startswith("pipe:")
            assert not worker.channel.jobs.is_closing()
            pipe = worker.channel.jobs.transport.get_extra_info("pipe")
            assert fcntl.fcntl(pipe.fileno(), fcntl.F_GETPIPE_SZ) >= 1 << 20
            post, prepared = await pool.extract(_BIG_PAGE, "https://example.com/big", NOW)
            assert post.title == "Big page"
            assert post.word_count >= 100_000
            assert prepared is not None and prepared.size == len(_BIG_PAGE)
            assert prepared.digest == body_hash(_BIG_PAGE)
        finally:
            await pool.close()
        assert worker.proc.returncode == 0  # closing stdin ends the worker

    loop = new_loop()
    try:
        loop.run_until_complete(run())
    finally:
        loop.close()


def test_a_dead_worker_leaves_extraction_to_the_crawl() -> None:
    async def run() -> None:
        pool = await ExtractPool.start(1, compress)
        try:
            worker = pool.workers[0]
            worker.proc.kill()
            await worker.proc.wait()
            post, prepared = await pool.extract(_BIG_PAGE, "https://example.com/big", NOW)
            assert post.title == "Big page"
            assert prepared is None  # extracted in-process: the store hashes the body itself
            assert not worker.alive
        finally:
            await pool.close()

    asyncio.run(run())

"""Crawls that extract in worker processes (fast crawls) store what in-process ones do."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

import storage
from scraper.crawl import CrawlOptions, crawl_site
from scraper.crawl_pool import ENV_WORKERS, pool_size
from scraper.records import body_hash

from .blog import post_urls
from .server import TestServer

OPTIONS = CrawlOptions(delay=0, concurrency=8, retries=1)


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

"""Interrupted crawls: SIGINT finishes in-flight pages; SIGKILL loses nothing on resume."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from scraper.crawl import CrawlOptions, CrawlProgress, crawl_site

from .blog import post_urls
from .server import TestServer
from .store import SqliteStore

ROOT = Path(__file__).resolve().parents[2]
OPTIONS = CrawlOptions(delay=0, concurrency=2, retries=1)

CHILD = """
import asyncio, sys
from scraper.crawl import CrawlOptions, crawl_site
from tests.crawl.store import SqliteStore
store = SqliteStore(sys.argv[1])
asyncio.run(crawl_site(sys.argv[2], store, CrawlOptions(delay=0, concurrency=2, retries=1)))
"""


def test_sigint_finishes_in_flight_pages_then_resumes(blog: TestServer, store: SqliteStore) -> None:
    blog.delay = 0.01
    sent: list[int] = []

    def progress(p: CrawlProgress) -> None:
        if p.fetched >= 5 and not sent:
            sent.append(p.in_flight)
            os.kill(os.getpid(), signal.SIGINT)

    first = asyncio.run(crawl_site(blog.url("/blog"), store, OPTIONS, progress=progress))
    assert first.status == "interrupted"
    assert store.run_status(first.run_id) == "interrupted"
    done = first.stats.fetched + first.stats.failed + first.stats.skipped
    assert 5 <= done <= 5 + OPTIONS.concurrency  # in-flight pages were finished, nothing new
    assert 0 < len(store.post_urls()) < 12

    second = asyncio.run(crawl_site(blog.url("/blog"), store, OPTIONS))
    assert second.resumed and second.run_id == first.run_id
    assert second.status == "completed"
    assert store.post_urls() == post_urls(blog.base_url)
    assert set(store.post_save_counts().values()) == {1}


def _saved(path: Path) -> int:
    """Posts the child has saved so far (0 while its database is missing or busy)."""
    if not path.exists():
        return 0
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.05)
    except sqlite3.OperationalError:
        return 0
    try:
        return int(db.execute("select count(*) from post_saves").fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        db.close()


def test_sigkilled_crawl_resumes_without_loss_or_duplicates(
    blog: TestServer, tmp_path: Path
) -> None:
    blog.delay = 0.1  # slow enough to be caught midway
    path = tmp_path / "crawl.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), blog.url("/blog")], cwd=ROOT, env=env
    )
    try:
        deadline = time.monotonic() + 20
        while _saved(path) < 3 and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.01)
        assert child.poll() is None, "the crawl finished before it could be killed"
        child.send_signal(signal.SIGKILL)
        child.wait(5)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(5)
    store = SqliteStore(str(path))
    try:
        before = len(store.post_urls())
        assert 3 <= before < 12
        blog.delay = 0
        summary = asyncio.run(crawl_site(blog.url("/blog"), store, OPTIONS))
        assert summary.resumed and summary.status == "completed"
        assert store.post_urls() == post_urls(blog.base_url)
        assert set(store.post_save_counts().values()) == {1}
    finally:
        store.close()

"""Database as the crawler's CrawlStore: runs, frontier, fetches, outcomes, stats."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import zstandard
from sqlalchemy import create_engine, event, text

from scraper.errors import FetchTimeout, HTTPStatusError, StorageError, UsageError
from scraper.records import CrawlStore, FetchedPage, FrontierItem
from storage import Database

from .helpers import SITE, T0, T1, make_post, page_for, url


def _raw(db_url: str, query: str) -> list[tuple[Any, ...]]:
    """Read rows straight from the database, to check what was really written."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(query))]
    finally:
        engine.dispose()


def test_database_satisfies_the_crawlstore_protocol(db: Database) -> None:
    store: CrawlStore = db
    assert store.begin_run(SITE) > 0


def test_enqueue_dedups_within_a_run_and_pending_is_oldest_first(db: Database) -> None:
    run = db.begin_run(SITE)
    lastmod = datetime(2024, 1, 2, 3, 4, tzinfo=UTC)
    items = [
        FrontierItem(url("b"), kind="post", source="sitemap", depth=0, lastmod=lastmod),
        FrontierItem(url("a"), kind="list", source="feed", depth=1),
        FrontierItem(url("b"), kind="unknown", source="link", depth=2),
    ]
    assert db.enqueue(run, items) == 2
    assert db.enqueue(run, [FrontierItem(url("a")), FrontierItem(url("c"))]) == 1
    assert db.enqueue(run, []) == 0
    pending = db.pending(run, 10)
    assert [p.url for p in pending] == [url("b"), url("a"), url("c")]
    assert pending[0] == items[0]  # kind, source, depth and lastmod survive the round trip
    assert pending[1].kind == "list" and pending[1].depth == 1
    assert [p.url for p in db.pending(run, 2)] == [url("b"), url("a")]
    # another run has its own frontier
    db.finish_run(run, "completed")
    other = db.begin_run(SITE)
    assert other != run
    assert db.enqueue(other, items) == 2


def test_enqueue_goes_in_slices_and_still_counts_what_is_new(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storage import _crawl

    monkeypatch.setattr(_crawl, "ENQUEUE_SLICE", 3)
    sizes: list[int] = []

    def spy(conn: object, clause: object, multiparams: Any, params: Any, options: object) -> None:
        rows = list(multiparams) or ([params] if params else [])
        if len(rows) == 1 and isinstance(rows[0], list):
            rows = rows[0]
        if rows and isinstance(rows[0], dict) and "state" in rows[0]:
            sizes.append(len(rows))  # the frontier rows of one INSERT

    run = db.begin_run(SITE)
    items = [FrontierItem(url(f"p{i}"), kind="post") for i in range(10)]
    event.listen(db._engine, "before_execute", spy)
    try:
        assert db.enqueue(run, items + items[:4]) == 10  # repeats counted once
    finally:
        event.remove(db._engine, "before_execute", spy)
    assert sizes == [3, 3, 3, 1]
    assert db.enqueue(run, items[8:] + [FrontierItem(url("p10"))]) == 1
    assert [p.url for p in db.pending(run, 20)] == [i.url for i in items] + [url("p10")]


def test_save_page_outcomes(db: Database) -> None:
    run = db.begin_run(SITE)
    post = make_post("rye-loaf")
    item = FrontierItem(post.url, kind="post")
    db.enqueue(run, [item, FrontierItem(url("archive"), kind="list")])

    assert db.save_page(run, item, page_for(post), post) == "new"
    assert db.save_page(run, item, page_for(post, T1), post) == "unchanged"
    edited = make_post("rye-loaf", title="Rye Loaf, Revisited")
    assert db.save_page(run, item, page_for(edited, T1, b"<html>v2</html>"), edited) == "changed"
    not_modified = FetchedPage(post.url, post.url, 304, b"", T1)
    assert db.save_page(run, item, not_modified, None) == "not_modified"
    listing = FetchedPage(url("archive"), url("archive"), 200, b"<html>list</html>", T0)
    assert db.save_page(run, FrontierItem(url("archive"), kind="list"), listing, None) == (
        "not_post"
    )
    assert db.pending(run, 10) == []


def test_snapshots_are_stored_once_per_body_hash(db: Database, db_url: str) -> None:
    run = db.begin_run(SITE)
    body = b"<html><p>same bytes</p></html>" * 50
    for slug in ("one", "two"):
        post = make_post(slug)
        db.save_page(run, FrontierItem(post.url), page_for(post, body=body), post)
    rows = _raw(db_url, "SELECT hash, body, size, encoding FROM snapshots")
    assert len(rows) == 1
    digest, blob, size, encoding = rows[0]
    assert encoding == "zstd" and size == len(body)
    assert zstandard.ZstdDecompressor().decompress(bytes(blob)) == body
    assert len(bytes(blob)) < len(body)
    snapshots = list(db.iter_snapshots())
    assert [s.body for s in snapshots] == [body, body]
    assert {s.snapshot_hash for s in snapshots} == {digest}


def test_validators_come_from_the_last_good_fetch(db: Database) -> None:
    run = db.begin_run(SITE)
    post = make_post("crumb")
    item = FrontierItem(post.url, lastmod=datetime(2024, 4, 1, tzinfo=UTC))
    assert db.validators(post.url) is None
    first = page_for(post, T0, b"v1", etag='"abc"', last_modified="Wed, 01 May 2024 08:00:00 GMT")
    db.save_page(run, item, first, post)
    db.save_failure(run, item, HTTPStatusError("server error", post.url, 503))
    found = db.validators(post.url)
    assert found is not None
    assert found.etag == '"abc"'
    assert found.last_modified == "Wed, 01 May 2024 08:00:00 GMT"
    assert found.body_hash == first.body_hash
    assert found.lastmod == datetime(2024, 4, 1, tzinfo=UTC)


def test_not_modified_touches_the_post(db: Database) -> None:
    run = db.begin_run(SITE)
    post = make_post("crust")
    db.save_page(run, FrontierItem(post.url), page_for(post, T0), post)
    db.save_page(run, FrontierItem(post.url), FetchedPage(post.url, post.url, 304, b"", T1), None)
    stored = db.get_post(post.url)
    assert stored.first_seen == T0
    assert stored.last_seen == T1
    assert stored.versions == 1


def test_skip_failure_and_run_stats(db: Database, db_url: str) -> None:
    run = db.begin_run(SITE)
    posts = [make_post(s) for s in ("a", "b", "c")]
    items = [FrontierItem(p.url, kind="post") for p in posts]
    extra = [FrontierItem(url("d")), FrontierItem(url("e")), FrontierItem(url("f"))]
    db.enqueue(run, items + extra)
    db.save_page(run, items[0], page_for(posts[0]), posts[0])
    db.save_page(run, items[1], page_for(posts[1]), posts[1])
    db.save_page(run, items[1], page_for(posts[1], T1), posts[1])  # fetched again, unchanged
    db.save_page(run, items[2], FetchedPage(posts[2].url, posts[2].url, 304, b"", T1), None)
    db.save_skip(run, extra[0], "sitemap lastmod unchanged")
    db.save_failure(run, extra[1], HTTPStatusError("not found", extra[1].url, 404))
    db.save_failure(run, extra[2], FetchTimeout("timed out", extra[2].url))

    stats = db.run_stats(run)
    assert stats.to_dict() == {
        "discovered": 6,
        "fetched": 4,
        "new": 0 + 1,
        "changed": 0,
        "unchanged": 1,
        "not_modified": 1,
        "failed": 2,
        "skipped": 1,
        "errors": {"http_status": 1, "timeout": 1},
    }
    assert db.pending(run, 10) == []
    rows = _raw(db_url, "SELECT status, error_kind FROM fetches WHERE error_kind IS NOT NULL")
    assert sorted(rows, key=str) == sorted([(404, "http_status"), (None, "timeout")], key=str)

    finished = db.finish_run(run, "completed")
    assert finished == stats
    [info] = db.runs()
    assert info.status == "completed" and info.finished_at is not None
    assert info.stats == stats.to_dict()


def test_unfinished_run_is_resumed(db_url: str) -> None:
    import storage

    posts = [make_post(s) for s in ("one", "two", "three")]
    with storage.open(db_url) as first:
        run = first.begin_run(SITE)
        first.enqueue(run, [FrontierItem(p.url, kind="post") for p in posts])
        first.save_page(run, FrontierItem(posts[0].url), page_for(posts[0]), posts[0])
        # the process dies here: the run stays "running"
    with storage.open(db_url) as second:
        resumed = second.begin_run(SITE + "/")
        assert resumed == run
        assert [p.url for p in second.pending(resumed, 10)] == [posts[1].url, posts[2].url]
        assert second.run_stats(resumed).new == 1
        second.finish_run(resumed, "interrupted")
        # an interrupted run is resumed too, and becomes running again
        assert second.begin_run(SITE) == run
        assert second.runs(1)[0].status == "running"
        second.finish_run(run, "completed")
        assert second.begin_run(SITE) != run


def test_run_errors(db: Database) -> None:
    run = db.begin_run(SITE)
    with pytest.raises(UsageError):
        db.finish_run(run, "done")
    with pytest.raises(StorageError, match="no such crawl run"):
        db.run_stats(run + 100)
    with pytest.raises(StorageError):
        db.enqueue(run + 100, [FrontierItem(url("x"))])
    with pytest.raises(UsageError):
        db.begin_run("not a url at all")


def test_sqlite_connections_keep_a_small_page_cache(tmp_path: Any) -> None:
    """The page cache fills as a crawl's database grows; kept at 2 MB a connection, a
    crawl's peak memory does not grow with the blog (docs/BENCHMARKS.md, session 6)."""
    from storage._engine import make_engine, parse_url

    engine = make_engine(parse_url(f"sqlite:///{tmp_path / 'cache.db'}"))
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA cache_size")).scalar() == -2048
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        engine.dispose()

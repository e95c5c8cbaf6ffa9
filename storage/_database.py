""":class:`Database`: the public face of storage, one object per database URL.

It implements :class:`scraper.records.CrawlStore` for the crawler and the query
methods the CLI and the archive use. Every method runs in its own transaction and
raises :class:`~scraper.errors.StorageError` (never a SQLAlchemy exception).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from functools import partial
from types import TracebackType
from typing import TypeVar, get_args

from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.exc import DBAPIError

from scraper.errors import BlogbinderError, StorageError, UsageError
from scraper.model import Post
from scraper.records import FetchedPage, FrontierItem, Outcome, RunStats, Validators

from . import _catalog, _crawl, _ingest, _queries
from . import _models as m
from ._details import VersionWrite, write_versions
from ._engine import WRITE, guard
from ._keys import content_hash, site_key, url_key
from ._queries import PostFilter
from ._results import (
    AuthorInfo,
    LinkInfo,
    Order,
    PostSummary,
    PostVersionInfo,
    ProductInfo,
    RunInfo,
    SiteInfo,
    SnapshotInfo,
    StoredPost,
)

__all__ = ["Database"]

T = TypeVar("T")
_BATCH = 200
_ORDERS = get_args(Order)
_RETRIES = 4
# PostgreSQL deadlock / serialization failure, SQLite lock timeouts: safe to retry.
_RETRY_SQLSTATES = frozenset({"40P01", "40001"})


def _now() -> datetime:
    return datetime.now(UTC)


def _retryable(exc: DBAPIError) -> bool:
    state = getattr(exc.orig, "sqlstate", None)
    return state in _RETRY_SQLSTATES or "database is locked" in str(exc.orig)


class Database:
    """A blogbinder database (SQLite or PostgreSQL). Create it with :func:`storage.open`.

    Thread-safe: each call checks a connection out of the engine's pool. Use it as a
    context manager, or call :meth:`close`.
    """

    def __init__(self, engine: Engine, url: str) -> None:
        self._engine = engine
        self._writer = engine.execution_options(**{WRITE: True})
        self._url = url
        self._sites: dict[str, int] = {}
        self._lock = threading.Lock()

    # -- plumbing -------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The database URL with any password masked."""
        return self._url

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._engine.dialect.name

    def close(self) -> None:
        """Release all pooled connections."""
        self._engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Database({self._url!r})"

    def _write(self, action: str, body: Callable[[Connection], T]) -> T:
        """Run ``body`` in one write transaction, retrying deadlocks and lock timeouts."""
        with guard(action, self._url):
            for attempt in range(_RETRIES):
                try:
                    with self._writer.begin() as conn:
                        return body(conn)
                except DBAPIError as exc:
                    if attempt + 1 == _RETRIES or not _retryable(exc):
                        raise
                    time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")  # pragma: no cover

    def _read(self, action: str, body: Callable[[Connection], T]) -> T:
        with guard(action, self._url), self._engine.connect() as conn:
            return body(conn)

    def _site_id(self, site: str) -> int:
        key = site_key(site)
        with self._lock:
            cached = self._sites.get(key)
        if cached is not None:
            return cached
        site_id = self._write("adding a site", lambda c: _ingest.ensure_site(c, key, _now()))
        with self._lock:
            self._sites[key] = site_id
        return site_id

    def _check_run(self, conn: Connection, run_id: int) -> None:
        found = conn.execute(select(m.CrawlRun.id).where(m.CrawlRun.id == run_id)).scalar()
        if found is None:
            raise StorageError("no such crawl run", str(run_id))

    # -- CrawlStore -----------------------------------------------------------------

    def begin_run(self, site: str) -> int:
        """Start a run for ``site`` or resume its newest unfinished (running or
        interrupted) run; return the run id."""
        site_id = self._site_id(site)
        return self._write("starting a run", lambda c: _crawl.start_run(c, site_id, _now()))

    def enqueue(self, run_id: int, items: Sequence[FrontierItem]) -> int:
        """Add items to the run's frontier, ignoring URLs already there; return how many
        were new."""
        if not items:
            return 0
        return self._write("adding to the frontier", lambda c: _crawl.enqueue(c, run_id, items))

    def pending(self, run_id: int, limit: int, new_first: bool = False) -> list[FrontierItem]:
        """Up to ``limit`` items of the run not yet done, oldest first; with ``new_first``,
        URLs never fetched before (in any run) ahead of the others."""
        return self._read(
            "reading the frontier", lambda c: _crawl.pending(c, run_id, limit, new_first)
        )

    def validators(self, url: str) -> Validators | None:
        """ETag, Last-Modified, body hash and sitemap lastmod of the last good fetch of
        ``url`` (None if it was never fetched successfully)."""
        return self._read("reading validators", lambda c: _crawl.validators(c, url))

    def validators_many(self, urls: Sequence[str]) -> dict[str, Validators]:
        """:meth:`validators` for many URLs at once (one query per few hundred URLs);
        URLs never fetched successfully are not in the result."""
        if not urls:
            return {}
        return self._read("reading validators", lambda c: _crawl.validators_many(c, urls))

    @property
    def background_writes(self) -> bool:
        """Whether a writer thread may save pages while other threads read and write
        (not for in-memory SQLite, whose one shared connection cannot interleave
        transactions)."""
        return self.dialect != "sqlite" or self._engine.url.database not in (None, "", ":memory:")

    @property
    def snapshot_compressor(self) -> Callable[[bytes], bytes]:
        """The module-level (so picklable) function :meth:`save_pages` compresses page
        bodies with; a crawler may run it elsewhere and pass ``snapshots``."""
        return _crawl.compress

    def save_page(
        self, run_id: int, item: FrontierItem, page: FetchedPage, post: Post | None
    ) -> Outcome:
        """Record a fetch, its body (once per hash) and, if ``post`` is given, the post
        with a new version when its content changed; mark the item done. One
        transaction. Returns new | changed | unchanged | not_modified | not_post."""
        return self.save_pages(run_id, [(item, page, post)])[0]

    def save_pages(
        self,
        run_id: int,
        pages: Sequence[tuple[FrontierItem, FetchedPage, Post | None]],
        snapshots: Sequence[tuple[str, bytes, int] | None] | None = None,
    ) -> list[Outcome]:
        """:meth:`save_page` for many pages in one transaction (bulk ingest, much
        faster); same effects as saving them one by one in order. Outcomes in order.

        ``snapshots`` may give, per page, the sha256 hex of its body, the body
        compressed by :attr:`snapshot_compressor` and its size in bytes (``None`` where
        not done), so that work can happen outside this call; the page's ``body`` may
        then be empty."""
        if not pages:
            return []
        if snapshots is not None and len(snapshots) != len(pages):
            raise UsageError("one snapshot entry per page is needed", str(len(snapshots)))
        site_ids = [self._site_id(post.site) if post is not None else None for _, _, post in pages]

        def body(conn: Connection) -> list[Outcome]:
            outcomes: list[Outcome | None] = [None] * len(pages)
            fresh = [i for i, (_, page, _) in enumerate(pages) if page.status != 304]
            ready = [snapshots[i] for i in fresh] if snapshots is not None else None
            digests = _crawl.store_snapshots(conn, [pages[i][1] for i in fresh], _now(), ready)
            digest_of = dict(zip(fresh, digests, strict=True))
            fetches = []
            writes: list[tuple[int, _ingest.PostWrite]] = []
            for index, (item, page, post) in enumerate(pages):
                digest = digest_of.get(index)
                given = snapshots[index] if snapshots is not None else None
                size = given[2] if given is not None else None
                fetches.append(_crawl.fetch_row(run_id, item, page, digest, size))
                site_id = site_ids[index]
                if page.status == 304:
                    outcomes[index] = "not_modified"
                elif post is None or site_id is None:
                    outcomes[index] = "not_post"
                else:
                    write = _ingest.PostWrite(
                        site_id, post, page.fetched_at, digest, page.final_url
                    )
                    writes.append((index, write))
            _crawl.record_fetches(conn, fetches)
            for _, page, _ in pages:
                if page.status == 304:
                    _ingest.touch_post(conn, page.url, page.fetched_at)
            saved = _ingest.save_posts(conn, [write for _, write in writes])
            for (index, _), (_, outcome) in zip(writes, saved, strict=True):
                outcomes[index] = outcome
            done = [o for o in outcomes if o is not None]
            _crawl.mark_items(
                conn,
                [
                    _crawl.closed_row(run_id, item, outcome)
                    for (item, _, _), outcome in zip(pages, done, strict=True)
                ],
            )
            return done

        return self._write(f"saving {pages[0][1].url}", body)

    def save_skip(self, run_id: int, item: FrontierItem, reason: str) -> None:
        """Mark an item done without fetching it; ``reason`` is kept as its detail."""
        self._write(
            f"skipping {item.url}",
            lambda c: _crawl.mark_item(
                c, run_id, item, state="done", outcome="skipped", detail=reason
            ),
        )

    def save_failure(self, run_id: int, item: FrontierItem, error: BlogbinderError) -> None:
        """Record a failed item (error kind, message, HTTP status if any); mark it failed."""
        status = getattr(error, "status_code", None)

        def body(conn: Connection) -> None:
            _crawl.record_failure(
                conn,
                run_id,
                item,
                status=status if isinstance(status, int) else None,
                kind=error.kind,
                message=str(error),
                now=_now(),
            )
            _crawl.mark_item(
                conn,
                run_id,
                item,
                state="failed",
                outcome="failed",
                error_kind=error.kind,
                detail=str(error),
            )

        self._write(f"recording a failure of {item.url}", body)

    def run_stats(self, run_id: int) -> RunStats:
        """Counts computed from what the run has recorded so far (resume-safe)."""

        def body(conn: Connection) -> RunStats:
            self._check_run(conn, run_id)
            return _crawl.run_stats(conn, run_id)

        return self._read("counting a run", body)

    def finish_run(self, run_id: int, status: str) -> RunStats:
        """Close the run with ``status`` (completed | interrupted | failed); return its
        stats, which are also stored on the run."""
        if status not in _crawl.FINAL_STATUSES:
            raise UsageError(
                f"run status must be one of {', '.join(_crawl.FINAL_STATUSES)}", status
            )

        def body(conn: Connection) -> RunStats:
            self._check_run(conn, run_id)
            stats = _crawl.run_stats(conn, run_id)
            conn.execute(
                update(m.CrawlRun)
                .where(m.CrawlRun.id == run_id)
                .values(status=status, finished_at=_now(), stats=stats.to_dict())
            )
            return stats

        return self._write("finishing a run", body)

    # -- queries --------------------------------------------------------------------

    def posts(
        self,
        *,
        site: str | None = None,
        author: str | None = None,
        tag: str | None = None,
        since: date | datetime | None = None,
        until: date | datetime | None = None,
        search: str | None = None,
        limit: int | None = None,
        order: Order = "newest",
    ) -> list[PostSummary]:
        """Stored posts (current versions), filtered and ordered.

        ``site`` is ``scheme://host`` or a bare host; ``author`` a name (any case) or
        profile URL; ``tag`` a tag name (any case); ``since``/``until`` bound
        ``published_at`` (a date covers its whole UTC day; posts without a date are
        left out when either is given); ``search`` is full-text over title and body.
        ``order``: newest | oldest | title | relevance (with ``search``).
        """
        if order not in _ORDERS:
            raise UsageError(f"order must be one of {', '.join(_ORDERS)}", str(order))
        if limit is not None and limit < 0:
            raise UsageError("limit must not be negative", str(limit))
        flt = PostFilter(site=site, author=author, tag=tag, since=since, until=until)
        return self._read(
            "listing posts",
            lambda c: _queries.posts(c, flt, search=search, limit=limit, order=order),
        )

    def get_post(self, ref: str | int) -> StoredPost:
        """The post with this id, URL or canonical URL (current version);
        :class:`storage.PostNotFound` if there is none."""
        return self._read("reading a post", lambda c: _queries.post_by_ref(c, ref))

    def iter_posts(
        self, *, site: str | None = None, since: date | datetime | None = None
    ) -> Iterator[StoredPost]:
        """Every stored post in id order, read in batches (for export). ``since`` bounds
        ``published_at`` as in :meth:`posts`."""
        flt = PostFilter(site=site, since=since)
        after = 0
        while True:
            page = self._read(
                "reading posts",
                partial(_queries.stored_posts_after, flt=flt, after=after, batch=_BATCH),
            )
            yield from page
            if len(page) < _BATCH:
                return
            after = page[-1].id

    def history(self, ref: str | int) -> list[PostVersionInfo]:
        """All versions of a post, oldest first."""
        return self._read("reading a post's history", lambda c: _queries.history(c, ref))

    def products(self, *, site: str | None = None) -> list[ProductInfo]:
        """Products with their price history and the posts currently mentioning them."""
        return self._read("listing products", lambda c: _catalog.products(c, site))

    def links(self, *, site: str | None = None) -> list[LinkInfo]:
        """The related-link graph: every link with its target post, if stored."""
        return self._read("listing links", lambda c: _catalog.links(c, site))

    def authors(self, *, site: str | None = None) -> list[AuthorInfo]:
        """De-duplicated authors per site with their post counts."""
        return self._read("listing authors", lambda c: _catalog.authors(c, site))

    def runs(self, limit: int | None = 20, *, site: str | None = None) -> list[RunInfo]:
        """Crawl runs, newest first."""
        return self._read("listing runs", lambda c: _catalog.runs(c, limit, site))

    def sites(self) -> list[SiteInfo]:
        """Known sites with post counts."""
        return self._read("listing sites", _catalog.sites)

    # -- re-extraction and housekeeping ---------------------------------------------

    def iter_snapshots(self, *, site: str | None = None) -> Iterator[SnapshotInfo]:
        """For each post, the newest stored page body, in post id order (batched, so
        :meth:`save_reextracted` may be called while iterating)."""
        after = 0
        while True:
            page = self._read(
                "reading snapshots",
                partial(_queries.snapshots_after, site=site, after=after, batch=_BATCH // 4),
            )
            yield from page
            if len(page) < _BATCH // 4:
                return
            after = page[-1].post_id

    def save_reextracted(self, post_id: int, post: Post, snapshot_hash: str | None) -> bool:
        """Store ``post`` as the next version of post ``post_id`` if its content differs
        from the current version; return whether a version was added."""

        def body(conn: Connection) -> bool:
            found = _ingest.current_of(conn, post_id)
            if found is None:
                raise StorageError("no stored post with this id", str(post_id))
            site_id, number, current_hash = found
            digest = content_hash(post)
            if digest == current_hash:
                return False
            version = VersionWrite(
                post_id=post_id,
                site_id=site_id,
                post=post,
                number=number,
                replaces=number > 1,
                digest=digest,
                snapshot_hash=snapshot_hash,
                created_at=_now(),
            )
            write_versions(conn, [version])
            return True

        return self._write(f"saving re-extracted post {post_id}", body)

    def mark_gone(self, site: str, present_urls: Iterable[str]) -> int:
        """Flag the site's posts whose URLs are not in ``present_urls`` as gone (and the
        present ones as not gone); return how many are gone now."""
        present_keys = {url_key(url) for url in present_urls}
        key = site_key(site)

        return self._write("marking gone posts", lambda c: _ingest.mark_gone(c, key, present_keys))

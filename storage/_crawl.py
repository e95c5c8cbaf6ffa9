"""The crawler's bookkeeping: runs, the frontier, fetches and stored page bodies.

Functions take a connection inside a transaction; :class:`storage.Database` owns the
transactions and implements :class:`scraper.records.CrawlStore` on top of these.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import zstandard
from sqlalchemy import (
    Connection,
    Executable,
    bindparam,
    case,
    exists,
    func,
    insert,
    select,
    update,
)

from scraper.errors import StorageError
from scraper.records import FetchedPage, FrontierItem, ItemKind, RunStats, Validators

from . import _models as m
from ._sql import bulk_insert, chunks, statement, table, upsert

__all__ = [
    "FINAL_STATUSES",
    "closed_row",
    "compress",
    "decompress",
    "enqueue",
    "fetch_row",
    "mark_item",
    "mark_items",
    "pending",
    "record_failure",
    "record_fetches",
    "run_stats",
    "start_run",
    "store_snapshots",
    "validators",
    "validators_many",
]

FINAL_STATUSES = ("completed", "interrupted", "failed")
SNAPSHOTS = table(m.Snapshot)
RESUMABLE = ("running", "interrupted")
KEPT_HEADERS = frozenset(
    {
        "cache-control",
        "content-language",
        "content-length",
        "content-type",
        "date",
        "etag",
        "last-modified",
        "link",
        "location",
        "server",
        "x-generator",
        "x-powered-by",
    }
)


SNAPSHOT_ENCODING = "zstd"
_ZSTD_LEVEL = 1  # ~0.7 ms per 300 KB page here, a smaller result than zlib level 6 at ~7 ms


_LOCAL = threading.local()  # a compressor per thread: making one costs more than a small page


def compress(body: bytes) -> bytes:
    """Compress a raw page body for the snapshots table (encoding ``SNAPSHOT_ENCODING``)."""
    compressor: zstandard.ZstdCompressor | None = getattr(_LOCAL, "zstd", None)
    if compressor is None:
        compressor = _LOCAL.zstd = zstandard.ZstdCompressor(level=_ZSTD_LEVEL)
    return compressor.compress(body)


def decompress(blob: bytes, encoding: str) -> bytes:
    if encoding == "zstd":
        try:
            return zstandard.ZstdDecompressor().decompress(blob)
        except zstandard.ZstdError as exc:
            raise StorageError(f"stored page body is corrupt ({exc})") from exc
    if encoding == "zlib":
        try:
            return zlib.decompress(blob)
        except zlib.error as exc:
            raise StorageError(f"stored page body is corrupt ({exc})") from exc
    if encoding == "identity":
        return blob
    raise StorageError(f"unknown snapshot encoding {encoding!r}")


def start_run(conn: Connection, site_id: int, now: datetime) -> int:
    """Resume the newest unfinished run of the site, or start a new one."""
    resumable = conn.execute(
        select(m.CrawlRun.id)
        .where(m.CrawlRun.site_id == site_id, m.CrawlRun.status.in_(RESUMABLE))
        .order_by(m.CrawlRun.id.desc())
        .limit(1)
        .with_for_update()
    ).scalar_one_or_none()
    if resumable is not None:
        conn.execute(
            update(m.CrawlRun)
            .where(m.CrawlRun.id == resumable)
            .values(status="running", finished_at=None)
        )
        return resumable
    run_id: int = conn.execute(
        insert(m.CrawlRun)
        .values(site_id=site_id, started_at=now, status="running")
        .returning(m.CrawlRun.id)
    ).scalar_one()
    return run_id


ENQUEUE_SLICE = 500  # frontier rows per INSERT statement


def enqueue(conn: Connection, run_id: int, items: Sequence[FrontierItem]) -> int:
    """Insert items whose URL is not yet in the run's frontier; return how many."""
    unique: dict[str, FrontierItem] = {}
    for item in items:
        unique.setdefault(item.url, item)
    if not unique:
        return 0
    # One cached statement run with many parameter sets (SQLAlchemy batches it into
    # multi-row INSERTs): building a fresh multi-VALUES statement per call cost ~0.25 ms
    # per URL in compilation alone.
    # In slices: the parameter rows and returned ids of a whole blog's sitemap at once
    # (~1 KB per URL) would set the crawl's peak memory by the blog's size.
    stmt = statement(conn, "enqueue", _enqueue)
    fresh = list(unique.values())
    added = 0
    for at in range(0, len(fresh), ENQUEUE_SLICE):
        rows = [_frontier_row(run_id, item, "pending") for item in fresh[at : at + ENQUEUE_SLICE]]
        added += len(conn.execute(stmt, rows).all())
    return added


def _enqueue(dialect: str) -> Executable:
    return (
        upsert(dialect, m.FrontierEntry)
        .on_conflict_do_nothing(index_elements=["run_id", "url"])
        .returning(table(m.FrontierEntry).c.id)
    )


def _frontier_row(run_id: int, item: FrontierItem, state: str) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "url": item.url,
        "kind": item.kind,
        "source": item.source,
        "depth": item.depth,
        "lastmod": item.lastmod,
        "state": state,
        "outcome": None,
        "error_kind": None,
        "detail": None,
    }


def _kind(value: str) -> ItemKind:
    if value == "post":
        return "post"
    if value == "list":
        return "list"
    return "unknown"


def pending(
    conn: Connection, run_id: int, limit: int, new_first: bool = False
) -> list[FrontierItem]:
    query = select(
        m.FrontierEntry.url,
        m.FrontierEntry.kind,
        m.FrontierEntry.source,
        m.FrontierEntry.depth,
        m.FrontierEntry.lastmod,
    ).where(m.FrontierEntry.run_id == run_id, m.FrontierEntry.state == "pending")
    if new_first:  # (a capped run: what earlier runs never reached comes first)
        fetched = exists().where(m.Fetch.url == m.FrontierEntry.url)
        query = query.order_by(case((fetched, 1), else_=0))
    rows = conn.execute(query.order_by(m.FrontierEntry.id).limit(limit))
    return [
        FrontierItem(url=url, kind=_kind(kind), source=source, depth=depth, lastmod=lastmod)
        for url, kind, source, depth, lastmod in rows
    ]


def mark_item(
    conn: Connection,
    run_id: int,
    item: FrontierItem,
    *,
    state: str,
    outcome: str,
    error_kind: str | None = None,
    detail: str | None = None,
) -> None:
    """Close a frontier item (adding it first if the crawler never enqueued it)."""
    row = _frontier_row(run_id, item, state)
    row.update(outcome=outcome, error_kind=error_kind, detail=detail)
    mark_items(conn, [row])


def mark_items(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Upsert closed frontier rows (see :func:`closed_row`); the last row per URL wins."""
    unique = {(row["run_id"], row["url"]): row for row in rows}
    if unique:
        ordered = [unique[key] for key in sorted(unique)]  # one lock order for all writers
        conn.execute(statement(conn, "mark_item", _mark_item), ordered)


def closed_row(run_id: int, item: FrontierItem, outcome: str) -> dict[str, Any]:
    row = _frontier_row(run_id, item, "done")
    row["outcome"] = outcome
    return row


def _mark_item(dialect: str) -> Executable:
    stmt = upsert(dialect, m.FrontierEntry)
    excluded = stmt.excluded
    return stmt.on_conflict_do_update(
        index_elements=["run_id", "url"],
        set_={
            "state": excluded.state,
            "outcome": excluded.outcome,
            "error_kind": excluded.error_kind,
            "detail": excluded.detail,
        },
    )


_SNAPSHOTS_KNOWN = select(SNAPSHOTS.c.hash).where(
    SNAPSHOTS.c.hash.in_(bindparam("keys", expanding=True))
)


def store_snapshots(
    conn: Connection,
    pages: Sequence[FetchedPage],
    now: datetime,
    prepared: Sequence[tuple[str, bytes, int] | None] | None = None,
) -> list[str]:
    """Store each body once per hash; return the hashes in order. ``prepared`` may give,
    per page, its hash, its body compressed with :func:`compress` and its size (the
    page's own body may then be empty)."""
    ready = list(prepared) if prepared is not None else [None] * len(pages)
    digests = [
        done[0] if done is not None else page.body_hash
        for page, done in zip(pages, ready, strict=True)
    ]
    known: set[str] = set()
    for part in chunks(sorted(set(digests))):
        known.update(conn.execute(_SNAPSHOTS_KNOWN, {"keys": list(part)}).scalars())
    rows: dict[str, dict[str, Any]] = {}
    for digest, page, done in zip(digests, pages, ready, strict=True):
        if digest in known or digest in rows:
            continue
        rows[digest] = {
            "hash": digest,
            "body": done[1] if done is not None else compress(page.body),
            "encoding": SNAPSHOT_ENCODING,
            "content_type": page.content_type,
            "size": done[2] if done is not None else len(page.body),
            "created": now,
        }
    bulk_insert(conn, SNAPSHOTS, [rows[k] for k in sorted(rows)], ignore=True)
    return digests


def _headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items() if k.lower() in KEPT_HEADERS}


def fetch_row(
    run_id: int,
    item: FrontierItem,
    page: FetchedPage,
    snapshot_hash: str | None,
    size: int | None = None,
) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "url": page.url,
        "final_url": page.final_url,
        "status": page.status,
        "headers": _headers(page.headers),
        "etag": page.etag,
        "last_modified": page.last_modified,
        "lastmod": item.lastmod,
        "body_hash": snapshot_hash,
        "size": len(page.body) if size is None else size,
        "elapsed": page.elapsed,
        "fetched_at": page.fetched_at,
        "error_kind": None,
        "error_message": None,
    }


def record_fetches(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Insert fetch rows made by :func:`fetch_row`."""
    bulk_insert(conn, table(m.Fetch), rows)


def record_failure(
    conn: Connection,
    run_id: int,
    item: FrontierItem,
    *,
    status: int | None,
    kind: str,
    message: str,
    now: datetime,
) -> None:
    conn.execute(
        insert(m.Fetch).values(
            run_id=run_id,
            url=item.url,
            status=status,
            lastmod=item.lastmod,
            fetched_at=now,
            error_kind=kind,
            error_message=message,
        )
    )


def validators(conn: Connection, url: str) -> Validators | None:
    """Validators of the newest good (2xx) fetch of ``url``; lastmod also from 304s."""
    good = conn.execute(
        select(m.Fetch.etag, m.Fetch.last_modified, m.Fetch.body_hash, m.Fetch.lastmod)
        .where(
            m.Fetch.url == url,
            m.Fetch.status >= 200,
            m.Fetch.status < 300,
            m.Fetch.error_kind.is_(None),
        )
        .order_by(m.Fetch.id.desc())
        .limit(1)
    ).one_or_none()
    if good is None:
        return None
    etag, last_modified, digest, lastmod = good
    newest_lastmod = conn.execute(
        select(func.max(m.Fetch.lastmod)).where(
            m.Fetch.url == url, m.Fetch.status.in_([200, 304]), m.Fetch.error_kind.is_(None)
        )
    ).scalar_one_or_none()
    return Validators(
        etag=etag,
        last_modified=last_modified,
        body_hash=digest,
        lastmod=newest_lastmod or lastmod,
    )


_GOOD_FETCHES = select(
    m.Fetch.url, m.Fetch.status, m.Fetch.etag, m.Fetch.last_modified, m.Fetch.body_hash,
    m.Fetch.lastmod,
).where(
    m.Fetch.url.in_(bindparam("keys", expanding=True)),
    m.Fetch.status >= 200,
    m.Fetch.status <= 304,
    m.Fetch.error_kind.is_(None),
).order_by(m.Fetch.id)  # fmt: skip


def validators_many(conn: Connection, urls: Sequence[str]) -> dict[str, Validators]:
    """:func:`validators` for many URLs in one query per chunk; URLs never fetched
    successfully are left out."""
    good: dict[str, tuple[str | None, str | None, str | None, datetime | None]] = {}
    newest: dict[str, datetime] = {}
    for part in chunks(sorted(set(urls))):
        for url, status, etag, last_modified, digest, lastmod in conn.execute(
            _GOOD_FETCHES, {"keys": list(part)}
        ):
            if status is None:
                continue
            if 200 <= status < 300:
                good[url] = (etag, last_modified, digest, lastmod)  # rows come oldest first
            if lastmod is not None and status in (200, 304):
                if url not in newest or lastmod > newest[url]:
                    newest[url] = lastmod
    return {
        url: Validators(
            etag=etag,
            last_modified=last_modified,
            body_hash=digest,
            lastmod=newest.get(url) or lastmod,
        )
        for url, (etag, last_modified, digest, lastmod) in good.items()
    }


def run_stats(conn: Connection, run_id: int) -> RunStats:
    """Counts from the run's frontier and fetches (so a resumed run keeps its numbers)."""
    stats = RunStats()
    entry = m.FrontierEntry
    counts = conn.execute(
        select(entry.state, entry.outcome, entry.error_kind, func.count())
        .where(entry.run_id == run_id)
        .group_by(entry.state, entry.outcome, entry.error_kind)
    )
    for state, outcome, error_kind, count in counts:
        stats.discovered += count
        if state == "failed":
            stats.failed += count
            kind = error_kind or "error"
            stats.errors[kind] = stats.errors.get(kind, 0) + count
        elif outcome in ("new", "changed", "unchanged", "not_modified", "skipped"):
            setattr(stats, outcome, getattr(stats, outcome) + count)
    stats.fetched = conn.execute(
        select(func.count())
        .select_from(m.Fetch)
        .where(m.Fetch.run_id == run_id, m.Fetch.error_kind.is_(None))
    ).scalar_one()
    return stats

"""Read queries. Each takes a connection and returns the dataclasses of ``_results``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, func, or_, select
from sqlalchemy.orm import aliased

from scraper.errors import StorageError
from scraper.model import Post

from . import _models as m
from ._crawl import decompress
from ._keys import name_key, period_end, period_start, site_key, url_key
from ._results import (
    Order,
    PostSummary,
    PostVersionInfo,
    SnapshotInfo,
    StoredPost,
)
from ._search import search_clause
from ._sql import chunks

__all__ = [
    "PostFilter",
    "PostNotFound",
    "history",
    "post_by_ref",
    "posts",
    "resolve_post",
    "site_condition",
    "snapshots_after",
    "stored_posts_after",
]

PV = m.PostVersion


class PostNotFound(StorageError):
    """No stored post has the id or URL asked for."""


@dataclass(frozen=True, slots=True)
class PostFilter:
    site: str | None = None
    author: str | None = None
    tag: str | None = None
    since: date | datetime | None = None
    until: date | datetime | None = None


def site_condition(value: str) -> ColumnElement[bool]:
    if "://" in value:
        return m.Site.url == site_key(value)
    host = site_key(value).split("://", 1)[1]
    return m.Site.url.in_([f"https://{host}", f"http://{host}"])


def _filtered(query: Select[*tuple[Any, ...]], flt: PostFilter) -> Select[*tuple[Any, ...]]:
    if flt.site:
        query = query.where(site_condition(flt.site))
    if flt.author:
        who = flt.author.strip()
        authors = (
            select(m.PostAuthor.post_id)
            .join(m.Author, m.Author.id == m.PostAuthor.author_id)
            .where(
                or_(
                    m.Author.name_key == name_key(who),
                    m.Author.key == "url:" + url_key(who),
                )
            )
        )
        query = query.where(m.Post.id.in_(authors))
    if flt.tag:
        tagged = (
            select(m.PostTag.post_id)
            .join(m.Tag, m.Tag.id == m.PostTag.tag_id)
            .where(m.Tag.key == name_key(flt.tag))
        )
        query = query.where(m.Post.id.in_(tagged))
    if flt.since is not None:
        query = query.where(PV.published_at >= period_start(flt.since))
    if flt.until is not None:
        end, inclusive = period_end(flt.until)
        query = query.where(PV.published_at <= end if inclusive else PV.published_at < end)
    return query


def posts(
    conn: Connection,
    flt: PostFilter,
    *,
    search: str | None,
    limit: int | None,
    order: Order,
) -> list[PostSummary]:
    query: Select[*tuple[Any, ...]] = (
        select(
            m.Post.id,
            m.Post.url,
            m.Post.canonical_url,
            m.Site.url,
            PV.title,
            PV.published_at,
            PV.updated_at,
            PV.reading_time,
            PV.word_count,
            PV.platform,
            m.Post.gone,
        )
        .join(PV, PV.id == m.Post.current_version_id)
        .join(m.Site, m.Site.id == m.Post.site_id)
    )
    query = _filtered(query, flt)
    rank = None
    if search is not None and search.strip():
        clause = search_clause(conn.dialect.name, search)
        if clause is None:
            return []
        if clause.join is not None:
            query = query.join(clause.join, clause.join.c.post_id == m.Post.id)
        if clause.where is not None:
            query = query.where(clause.where)
        rank = clause.rank
    if order == "relevance" and rank is not None:
        query = query.order_by(rank, m.Post.id.desc())
    elif order == "oldest":
        query = query.order_by(PV.published_at.asc().nulls_last(), m.Post.id)
    elif order == "title":
        query = query.order_by(func.lower(PV.title).asc().nulls_last(), m.Post.id)
    else:
        query = query.order_by(PV.published_at.desc().nulls_last(), m.Post.id.desc())
    if limit is not None:
        query = query.limit(limit)
    rows = conn.execute(query).all()
    ids = [row[0] for row in rows]
    names = _authors_of(conn, ids)
    tags = _tags_of(conn, ids)
    return [
        PostSummary(
            id=row[0],
            url=row[1],
            canonical_url=row[2],
            site=row[3],
            title=row[4],
            authors=tuple(names.get(row[0], ())),
            published_at=row[5],
            updated_at=row[6],
            reading_time_minutes=row[7],
            word_count=row[8],
            tags=tuple(tags.get(row[0], ())),
            platform=row[9],
            gone=row[10],
        )
        for row in rows
    ]


def _authors_of(conn: Connection, ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for part in chunks(ids):
        query = (
            select(m.PostAuthor.post_id, m.Author.name)
            .join(m.Author, m.Author.id == m.PostAuthor.author_id)
            .where(m.PostAuthor.post_id.in_(part))
            .order_by(m.PostAuthor.post_id, m.PostAuthor.position)
        )
        for pid, name in conn.execute(query):
            found[pid].append(name)
    return found


def _tags_of(conn: Connection, ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for part in chunks(ids):
        query = (
            select(m.PostTag.post_id, m.Tag.name)
            .join(m.Tag, m.Tag.id == m.PostTag.tag_id)
            .where(m.PostTag.post_id.in_(part))
            .order_by(m.PostTag.post_id, m.PostTag.position)
        )
        for pid, name in conn.execute(query):
            found[pid].append(name)
    return found


def resolve_post(conn: Connection, ref: str | int) -> int:
    """Post id for an id, a URL or a canonical URL; :class:`PostNotFound` otherwise."""
    text = str(ref).strip()
    if isinstance(ref, int) or text.isdigit():
        found = conn.execute(select(m.Post.id).where(m.Post.id == int(text))).scalar()
    else:
        found = conn.execute(
            select(m.PostUrl.post_id).where(m.PostUrl.url_key == url_key(text))
        ).scalar()
        if found is None:
            found = conn.execute(
                select(m.Post.id)
                .where(or_(m.Post.url == text, m.Post.canonical_url == text))
                .limit(1)
            ).scalar()
    if found is None:
        raise PostNotFound("no stored post with this id or URL", text)
    return int(found)


def _stored_query() -> Select[*tuple[Any, ...]]:
    every = aliased(m.PostVersion)
    versions = (
        select(func.count())
        .select_from(every)
        .where(every.post_id == m.Post.id)
        .correlate(m.Post)
        .scalar_subquery()
    )
    return select(
        m.Post.id,
        PV.extracted,
        PV.body_text,
        m.Post.first_seen,
        m.Post.last_seen,
        m.Post.gone,
        versions,
    ).join(PV, PV.id == m.Post.current_version_id)


def _post(extracted: dict[str, Any], body_text: str) -> Post:
    """The Post of a version row: ``extracted`` holds everything but the body text, which
    is the row's own ``body_text`` column (older rows hold it in both)."""
    if "body_text" not in extracted:
        extracted = {**extracted, "body_text": body_text}
    return Post.from_dict(extracted)


def _stored(row: Any) -> StoredPost:
    pid, extracted, body_text, first_seen, last_seen, gone, versions = row
    return StoredPost(
        id=pid,
        post=_post(extracted, body_text),
        first_seen=first_seen,
        last_seen=last_seen,
        gone=gone,
        versions=versions,
    )


def post_by_ref(conn: Connection, ref: str | int) -> StoredPost:
    pid = resolve_post(conn, ref)
    row = conn.execute(_stored_query().where(m.Post.id == pid)).one_or_none()
    if row is None:
        raise PostNotFound("the post has no stored version", str(ref))
    return _stored(row)


def stored_posts_after(
    conn: Connection, flt: PostFilter, after: int, batch: int
) -> list[StoredPost]:
    """One page of posts with id > ``after``, by id (keyset pagination)."""
    query = _stored_query().join(m.Site, m.Site.id == m.Post.site_id)
    query = _filtered(query, flt).where(m.Post.id > after).order_by(m.Post.id).limit(batch)
    return [_stored(row) for row in conn.execute(query)]


def history(conn: Connection, ref: str | int) -> list[PostVersionInfo]:
    pid = resolve_post(conn, ref)
    rows = conn.execute(
        select(
            PV.number, PV.created_at, PV.content_hash, PV.snapshot_hash, PV.extracted, PV.body_text
        )
        .where(PV.post_id == pid)
        .order_by(PV.number)
    )
    return [
        PostVersionInfo(number, created, digest, snapshot, _post(extracted, body_text))
        for number, created, digest, snapshot, extracted, body_text in rows
    ]


def snapshots_after(
    conn: Connection, site: str | None, after: int, batch: int
) -> list[SnapshotInfo]:
    """One page of (post, newest stored body) with post id > ``after``."""
    query = (
        select(
            m.Post.id,
            m.Post.url,
            m.Snapshot.hash,
            m.Snapshot.body,
            m.Snapshot.encoding,
            m.Snapshot.content_type,
            m.Post.last_seen,
        )
        .join(m.Snapshot, m.Snapshot.hash == m.Post.last_snapshot_hash)
        .where(m.Post.id > after)
    )
    if site:
        query = query.join(m.Site, m.Site.id == m.Post.site_id).where(site_condition(site))
    rows = conn.execute(query.order_by(m.Post.id).limit(batch))
    return [
        SnapshotInfo(pid, url, digest, decompress(body, encoding), ctype, seen)
        for pid, url, digest, body, encoding, ctype, seen in rows
    ]

"""Writing versions and the rows under them, for a batch of posts at once.

A version row keeps the whole extracted Post as JSON plus queryable columns; the
detail tables (authors, sections, images, links, tags) describe each post's *current*
version and are rewritten with it; product mentions are kept per version, which makes
them the price history. On SQLite the FTS5 row of the post is replaced too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BindParameter,
    Connection,
    bindparam,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy import update as sql_update

from scraper.model import Post

from . import _models as m
from ._keys import name_key, url_key
from ._sql import bulk_insert, chunks, get_or_create, table

__all__ = ["VersionWrite", "write_versions"]

_KEYS: BindParameter[Any] = bindparam("keys", expanding=True)
POSTS = table(m.Post)
VERSIONS = table(m.PostVersion)
URLS = table(m.PostUrl)
AUTHORS = table(m.Author)

_INSERT_VERSION = insert(VERSIONS).returning(VERSIONS.c.id, VERSIONS.c.post_id)
_NEXT_VERSION_ID = select(func.coalesce(func.max(VERSIONS.c.id), 0) + 1)
_SET_CURRENT = (
    sql_update(POSTS)
    .where(VERSIONS.c.post_id == POSTS.c.id, VERSIONS.c.id.in_(_KEYS))
    .values(current_version_id=VERSIONS.c.id)
)
_CLEAR = [
    delete(table(model)).where(table(model).c.post_id.in_(_KEYS))
    for model in (m.PostAuthor, m.Section, m.RelatedLink, m.Image, m.PostTag)
]
_NAMELESS = (
    select(AUTHORS.c.name_key, func.min(AUTHORS.c.id))
    .where(AUTHORS.c.site_id == bindparam("site_id"), AUTHORS.c.name_key.in_(_KEYS))
    .group_by(AUTHORS.c.name_key)
)
_URL_OWNERS = select(URLS.c.url_key, URLS.c.post_id).where(URLS.c.url_key.in_(_KEYS))
# posts_fts indexes the current versions' title and body_text (external content, rowid =
# version id; migration 0003).
_FTS_DELETE = "DELETE FROM posts_fts WHERE rowid = ?"
_FTS_INSERT = "INSERT INTO posts_fts (rowid, title, body_text) VALUES (?, ?, ?)"
_CURRENT_IDS = select(POSTS.c.current_version_id).where(POSTS.c.id.in_(_KEYS))


@dataclass(frozen=True, slots=True)
class VersionWrite:
    """Version ``number`` of post ``post_id``; ``replaces`` when an older one exists."""

    post_id: int
    site_id: int
    post: Post
    number: int
    replaces: bool
    digest: str
    snapshot_hash: str | None
    created_at: datetime
    extracted: dict[str, Any] | None = None  # post.to_dict(), when the caller made it already


def _version_row(v: VersionWrite) -> dict[str, Any]:
    post = v.post
    extracted = dict(v.extracted if v.extracted is not None else post.to_dict())
    del extracted["body_text"]  # kept once, in the body_text column (see _queries._post)
    return {
        "post_id": v.post_id,
        "number": v.number,
        "content_hash": v.digest,
        "extracted": extracted,
        "snapshot_hash": v.snapshot_hash,
        "created_at": v.created_at,
        "title": post.title,
        "published_at": post.published_at,
        "updated_at": post.updated_at,
        "reading_time": post.reading_time_minutes,
        "word_count": post.word_count,
        "body_text": post.body_text,
        "language": post.language,
        "platform": post.platform,
    }


def write_versions(conn: Connection, versions: Sequence[VersionWrite]) -> None:
    """Insert the versions (one per post), make them current and rewrite detail rows."""
    if not versions:
        return
    sqlite = conn.dialect.name == "sqlite"
    replaced = [v.post_id for v in versions if v.replaces]
    if sqlite and replaced:  # unindex the versions being replaced (FTS5 reads their text)
        for part in chunks(replaced):
            old = conn.execute(_CURRENT_IDS, {"keys": list(part)}).scalars().all()
            conn.exec_driver_sql(_FTS_DELETE, [(vid,) for vid in old if vid is not None])
    rows = [_version_row(v) for v in versions]
    if sqlite:  # ids given here (the write lock is ours): the inserts need no RETURNING
        first = conn.execute(_NEXT_VERSION_ID).scalar_one()
        for offset, row in enumerate(rows):
            row["id"] = first + offset
        bulk_insert(conn, VERSIONS, rows)
        version_of = {row["post_id"]: row["id"] for row in rows}
    else:
        returned = conn.execute(_INSERT_VERSION, rows).all()
        version_of = {post_id: vid for vid, post_id in returned}
    for part in chunks(list(version_of.values())):
        conn.execute(_SET_CURRENT, {"keys": list(part)})
    for part in chunks(replaced):
        for clear in _CLEAR:
            conn.execute(clear, {"keys": list(part)})
    _write_authors(conn, versions)
    _write_rows(conn, versions)
    _write_links(conn, versions)
    _write_products(conn, versions, version_of)
    _write_tags(conn, versions)
    if sqlite:  # the same values as the version row: FTS5 reads them back to unindex
        conn.exec_driver_sql(
            _FTS_INSERT,
            [(version_of[v.post_id], v.post.title, v.post.body_text) for v in versions],
        )


def _execute(conn: Connection, model: type[m.Base], rows: list[dict[str, Any]]) -> None:
    bulk_insert(conn, table(model), rows)


def _author_keys(post: Post, by_name: dict[str, int]) -> list[tuple[str, dict[str, Any] | None]]:
    """Per author of the post: its dedup key and, if it may need creating, its row."""
    keys: list[tuple[str, dict[str, Any] | None]] = []
    for author in post.authors:
        nkey = name_key(author.name)
        row: dict[str, Any] | None = None
        if author.url:
            key = "url:" + url_key(author.url)
        elif nkey in by_name:
            key = f"id:{by_name[nkey]}"  # joins the site's author of that name
        else:
            key = "name:" + nkey
        if not key.startswith("id:"):
            row = {"key": key, "name": author.name, "name_key": nkey, "url": author.url}
        if all(key != seen for seen, _ in keys):
            keys.append((key, row))
    return keys


def _write_authors(conn: Connection, versions: Sequence[VersionWrite]) -> None:
    by_site: dict[int, list[VersionWrite]] = defaultdict(list)
    for v in versions:
        if v.post.authors:
            by_site[v.site_id].append(v)
    rows: list[dict[str, Any]] = []
    for site_id, group in by_site.items():
        nameless = sorted({name_key(a.name) for v in group for a in v.post.authors if not a.url})
        by_name: dict[str, int] = {}
        for part in chunks(nameless):
            found = conn.execute(_NAMELESS, {"site_id": site_id, "keys": list(part)})
            by_name.update(dict(found.all()))
        per_post = [(v.post_id, _author_keys(v.post, by_name)) for v in group]
        wanted = {key: row for _, keys in per_post for key, row in keys if row is not None}
        ids = get_or_create(conn, m.Author, "key", wanted, {"site_id": site_id})
        for post_id, keys in per_post:
            for position, (key, _) in enumerate(keys):
                author_id = int(key[3:]) if key.startswith("id:") else ids[key]
                rows.append({"post_id": post_id, "position": position, "author_id": author_id})
    _execute(conn, m.PostAuthor, rows)


def _write_rows(conn: Connection, versions: Sequence[VersionWrite]) -> None:
    sections = [
        {"post_id": v.post_id, "position": pos, **section.to_dict()}
        for v in versions
        for pos, section in enumerate(v.post.sections)
    ]
    images = [
        {"post_id": v.post_id, "position": pos, **image.to_dict()}
        for v in versions
        for pos, image in enumerate(v.post.images)
    ]
    _execute(conn, m.Section, sections)
    _execute(conn, m.Image, images)


def _write_links(conn: Connection, versions: Sequence[VersionWrite]) -> None:
    keyed = [
        (v.post_id, pos, link, url_key(link.url))
        for v in versions
        for pos, link in enumerate(v.post.related_links)
    ]
    if not keyed:
        return
    targets: dict[str, int] = {}
    for part in chunks(sorted({key for *_, key in keyed})):
        targets.update(dict(conn.execute(_URL_OWNERS, {"keys": list(part)}).all()))
    rows = [
        {
            "post_id": post_id,
            "position": pos,
            "text": link.text,
            "url": link.url,
            "url_key": key,
            "section": link.section,
            "kind": link.kind,
            "target_post_id": targets.get(key),
        }
        for post_id, pos, link, key in keyed
    ]
    _execute(conn, m.RelatedLink, rows)


def _write_products(
    conn: Connection, versions: Sequence[VersionWrite], version_of: dict[int, int]
) -> None:
    by_site: dict[int, list[VersionWrite]] = defaultdict(list)
    for v in versions:
        if v.post.products:
            by_site[v.site_id].append(v)
    rows: list[dict[str, Any]] = []
    for site_id, group in by_site.items():
        keyed = [
            (v, pos, p, "url:" + url_key(p.url) if p.url else "name:" + name_key(p.name))
            for v in group
            for pos, p in enumerate(v.post.products)
        ]
        wanted = {
            key: {
                "key": key,
                "name": p.name,
                "url": p.url,
                "image": p.image,
                "description": p.description,
            }
            for _, _, p, key in keyed
        }
        ids = get_or_create(conn, m.Product, "key", wanted, {"site_id": site_id})
        rows.extend(
            {
                "version_id": version_of[v.post_id],
                "position": pos,
                "post_id": v.post_id,
                "product_id": ids[key],
                "price": p.price,
                "currency": p.currency,
                "cta": p.cta,
                "seen_at": v.created_at,
            }
            for v, pos, p, key in keyed
        )
    _execute(conn, m.ProductMention, rows)


def _write_tags(conn: Connection, versions: Sequence[VersionWrite]) -> None:
    per_post: list[tuple[int, list[str]]] = []
    wanted: dict[str, dict[str, Any]] = {}
    for v in versions:
        keys: list[str] = []
        for tag in v.post.tags:
            key = name_key(tag)
            if key and key not in keys:
                keys.append(key)
                wanted.setdefault(key, {"key": key, "name": tag.strip()})
        per_post.append((v.post_id, keys))
    if not wanted:
        return
    ids = get_or_create(conn, m.Tag, "key", wanted, {})
    rows = [
        {"post_id": post_id, "tag_id": ids[key], "position": pos}
        for post_id, keys in per_post
        for pos, key in enumerate(keys)
    ]
    _execute(conn, m.PostTag, rows)

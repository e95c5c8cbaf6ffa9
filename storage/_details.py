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
    Insert,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
)
from sqlalchemy import update as sql_update

from scraper.model import Post

from . import _models as m
from ._keys import name_key, url_key
from ._sql import chunks, get_or_create, table

__all__ = ["VersionWrite", "write_versions"]

_KEYS: BindParameter[Any] = bindparam("keys", expanding=True)
POSTS = table(m.Post)
VERSIONS = table(m.PostVersion)
URLS = table(m.PostUrl)
AUTHORS = table(m.Author)

_INSERT_VERSION = insert(VERSIONS).returning(VERSIONS.c.id, VERSIONS.c.post_id)
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
_INSERT: dict[type[m.Base], Insert] = {
    model: insert(table(model))
    for model in (m.PostAuthor, m.Section, m.Image, m.RelatedLink, m.ProductMention, m.PostTag)
}
_FTS_DELETE = text("DELETE FROM posts_fts WHERE rowid = :id")
_FTS_INSERT = text("INSERT INTO posts_fts (rowid, title, body_text) VALUES (:id, :title, :body)")


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


def _version_row(v: VersionWrite) -> dict[str, Any]:
    post = v.post
    return {
        "post_id": v.post_id,
        "number": v.number,
        "content_hash": v.digest,
        "extracted": post.to_dict(),
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
    returned = conn.execute(_INSERT_VERSION, [_version_row(v) for v in versions]).all()
    version_of = {post_id: vid for vid, post_id in returned}
    for part in chunks(list(version_of.values())):
        conn.execute(_SET_CURRENT, {"keys": list(part)})
    replaced = [v.post_id for v in versions if v.replaces]
    for part in chunks(replaced):
        for clear in _CLEAR:
            conn.execute(clear, {"keys": list(part)})
    _write_authors(conn, versions)
    _write_rows(conn, versions)
    _write_links(conn, versions)
    _write_products(conn, versions, version_of)
    _write_tags(conn, versions)
    if conn.dialect.name == "sqlite":
        if replaced:
            conn.execute(_FTS_DELETE, [{"id": pid} for pid in replaced])
        conn.execute(
            _FTS_INSERT,
            [
                {"id": v.post_id, "title": v.post.title or "", "body": v.post.body_text}
                for v in versions
            ],
        )


def _execute(conn: Connection, model: type[m.Base], rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(_INSERT[model], rows)


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

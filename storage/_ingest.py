"""Writing extracted posts: post rows, URL aliases and versions, many posts at a time.

All functions take an open :class:`~sqlalchemy.Connection` inside a transaction; the
caller commits. A new version is written only when the content hash (the Post dict
without ``fetched_at``) differs from the current version's. Work is set-based (one
statement per table for a whole batch) and statements are built once per backend,
because this is the crawler's hot path; ``_details`` writes the rows under a version.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import BindParameter, Connection, Executable, bindparam, case, func, select, update

from scraper.model import Post

from . import _details
from . import _models as m
from ._details import VersionWrite
from ._keys import content_hash, url_key
from ._sql import bulk_insert, chunks, get_or_create, statement, table, upsert

__all__ = [
    "PostWrite",
    "current_of",
    "ensure_site",
    "mark_gone",
    "save_posts",
    "touch_post",
    "url_aliases",
]

PostOutcome = Literal["new", "changed", "unchanged"]
_KEYS: BindParameter[Any] = bindparam("keys", expanding=True)
POSTS = table(m.Post)
VERSIONS = table(m.PostVersion)
URLS = table(m.PostUrl)
LINKS = table(m.RelatedLink)
SITES = table(m.Site)


@dataclass(frozen=True, slots=True)
class PostWrite:
    """One post to save, as seen at ``seen_at`` in the page stored as ``snapshot_hash``."""

    site_id: int
    post: Post
    seen_at: datetime
    snapshot_hash: str | None
    final_url: str | None = None

    @property
    def canonical(self) -> str:
        return self.post.canonical_url or self.post.url


def _post_upsert(dialect: str) -> Executable:
    stmt = upsert(dialect, m.Post)
    # DO UPDATE (not NOTHING) so a concurrent writer of the same post waits on the row lock.
    return stmt.on_conflict_do_update(
        index_elements=[POSTS.c.canonical_url],
        set_={
            "url": stmt.excluded.url,
            "gone": False,
            "last_seen": case(
                (stmt.excluded.last_seen > POSTS.c.last_seen, stmt.excluded.last_seen),
                else_=POSTS.c.last_seen,
            ),
            "last_snapshot_hash": func.coalesce(
                stmt.excluded.last_snapshot_hash, POSTS.c.last_snapshot_hash
            ),
        },
    ).returning(POSTS.c.id, POSTS.c.canonical_url, POSTS.c.current_version_id)


_CURRENTS = select(VERSIONS.c.id, VERSIONS.c.number, VERSIONS.c.content_hash).where(
    VERSIONS.c.id.in_(_KEYS)
)
_POST_OF = select(POSTS.c.site_id, POSTS.c.current_version_id).where(POSTS.c.id == bindparam("id"))
_KNOWN_URLS = select(URLS.c.url_key).where(URLS.c.url_key.in_(_KEYS))
_POST_BY_KEY = select(URLS.c.post_id).where(URLS.c.url_key == bindparam("key"))
_TOUCH = (
    update(POSTS)
    .where(POSTS.c.id == bindparam("pid"), POSTS.c.last_seen < bindparam("seen"))
    .values(last_seen=bindparam("seen"), gone=False)
)
_RESOLVE = (
    update(LINKS)
    .where(LINKS.c.url_key.in_(_KEYS), LINKS.c.target_post_id.is_(None))
    .values(
        target_post_id=select(URLS.c.post_id)
        .where(URLS.c.url_key == LINKS.c.url_key)
        .scalar_subquery()
    )
)


def ensure_site(conn: Connection, site: str, now: datetime) -> int:
    """Id of the site row for ``site`` (already normalised), created if missing."""
    ids = get_or_create(conn, m.Site, "url", {site: {"url": site, "created": now}}, {})
    return ids[site]


def url_aliases(post: Post, *extra: str) -> list[str]:
    """Distinct URL keys a post is known by, canonical first."""
    keys: list[str] = []
    for url in (post.canonical_url or post.url, post.url, *extra):
        key = url_key(url)
        if key and key not in keys:
            keys.append(key)
    return keys


def save_posts(conn: Connection, writes: Sequence[PostWrite]) -> list[tuple[int, PostOutcome]]:
    """Upsert each post and, where its content changed, add a version; results in order.

    A post given twice is handled as two saves in sequence (the second sees the first).
    """
    results: list[tuple[int, PostOutcome] | None] = [None] * len(writes)
    seen: dict[str, int] = defaultdict(int)
    rounds: list[list[int]] = []
    for index, write in enumerate(writes):
        occurrence = seen[write.canonical]
        seen[write.canonical] += 1
        if occurrence == len(rounds):
            rounds.append([])
        rounds[occurrence].append(index)
    for indices in rounds:
        saved = _save_round(conn, [writes[i] for i in indices])
        for index, result in zip(indices, saved, strict=True):
            results[index] = result
    return [r for r in results if r is not None]


def _save_round(conn: Connection, writes: list[PostWrite]) -> list[tuple[int, PostOutcome]]:
    """Save posts with distinct canonical URLs."""
    params = [
        {
            "site_id": w.site_id,
            "url": w.post.url,
            "canonical_url": w.canonical,
            "first_seen": w.seen_at,
            "last_seen": w.seen_at,
            "gone": False,
            "last_snapshot_hash": w.snapshot_hash,
        }
        for w in writes
    ]
    params.sort(key=lambda row: str(row["canonical_url"]))  # one lock order for all writers
    upserted = conn.execute(statement(conn, "post_upsert", _post_upsert), params).all()
    rows = {canonical: (post_id, current) for post_id, canonical, current in upserted}
    post_ids = [rows[w.canonical][0] for w in writes]
    _add_aliases(
        conn,
        [
            (pid, url_aliases(w.post, *([w.final_url] if w.final_url else [])))
            for pid, w in zip(post_ids, writes, strict=True)
        ],
    )
    current_ids = [rows[w.canonical][1] for w in writes]
    currents = _currents(conn, [c for c in current_ids if c is not None])
    results: list[tuple[int, PostOutcome]] = []
    versions: list[VersionWrite] = []
    for pid, cid, write in zip(post_ids, current_ids, writes, strict=True):
        previous = currents.get(cid) if cid is not None else None
        extracted = write.post.to_dict()
        digest = content_hash(write.post, extracted)
        if previous is not None and previous[2] == digest:
            results.append((pid, "unchanged"))
            continue
        results.append((pid, "new" if previous is None else "changed"))
        versions.append(
            VersionWrite(
                post_id=pid,
                site_id=write.site_id,
                post=write.post,
                number=(previous[1] if previous else 0) + 1,
                replaces=previous is not None,
                digest=digest,
                snapshot_hash=write.snapshot_hash,
                created_at=write.seen_at,
                extracted=extracted,
            )
        )
    _details.write_versions(conn, versions)
    return results


def _currents(conn: Connection, ids: list[int]) -> dict[int, tuple[int, int, str]]:
    found: dict[int, tuple[int, int, str]] = {}
    for part in chunks(ids):
        for vid, number, digest in conn.execute(_CURRENTS, {"keys": list(part)}):
            found[vid] = (vid, number, digest)
    return found


def current_of(conn: Connection, post_id: int) -> tuple[int, int, str] | None:
    """``(site_id, next version number, current content hash or "")`` of a stored post,
    or None when there is no such post."""
    row = conn.execute(_POST_OF, {"id": post_id}).one_or_none()
    if row is None:
        return None
    site_id, current_id = row
    if current_id is None:
        return site_id, 1, ""
    _, number, digest = _currents(conn, [current_id])[current_id]
    return site_id, number + 1, digest


def touch_post(conn: Connection, url: str, seen_at: datetime) -> int | None:
    """Mark the post known by ``url`` as seen (a 304); its id, or None if unknown."""
    post_id: int | None = conn.execute(_POST_BY_KEY, {"key": url_key(url)}).scalar()
    if post_id is not None:
        conn.execute(_TOUCH, {"pid": post_id, "seen": seen_at})
    return post_id


def _add_aliases(conn: Connection, aliases: list[tuple[int, list[str]]]) -> None:
    """Record URL keys of posts and point waiting related links at them."""
    owner: dict[str, int] = {}
    for post_id, keys in aliases:
        for key in keys:
            owner.setdefault(key, post_id)
    known: set[str] = set()
    for part in chunks(sorted(owner)):
        known.update(conn.execute(_KNOWN_URLS, {"keys": list(part)}).scalars())
    fresh = [
        {"url_key": key, "post_id": pid} for key, pid in sorted(owner.items()) if key not in known
    ]
    if not fresh:
        return
    bulk_insert(conn, table(m.PostUrl), fresh, ignore=True)
    for part in chunks([row["url_key"] for row in fresh]):
        conn.execute(_RESOLVE, {"keys": list(part)})


def mark_gone(conn: Connection, site: str, present_keys: set[str]) -> int:
    """Flag the posts of ``site`` none of whose URL keys is in ``present_keys`` as gone,
    the others as not gone; return how many are gone now."""
    rows = conn.execute(
        select(URLS.c.post_id, URLS.c.url_key)
        .join(POSTS, POSTS.c.id == URLS.c.post_id)
        .join(SITES, SITES.c.id == POSTS.c.site_id)
        .where(SITES.c.url == site)
    )
    everyone: set[int] = set()
    present: set[int] = set()
    for post_id, alias in rows:
        everyone.add(post_id)
        if alias in present_keys:
            present.add(post_id)
    gone = sorted(everyone - present)
    for flag, ids in ((True, gone), (False, sorted(present))):
        for part in chunks(ids):
            conn.execute(update(POSTS).where(POSTS.c.id.in_(part)).values(gone=flag))
    return len(gone)

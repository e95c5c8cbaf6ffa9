"""What the query methods return: plain frozen dataclasses, never ORM rows.

Each has ``to_dict()`` giving JSON-ready values (ISO 8601 strings, lists), which is
what ``blogbinder posts --json`` and friends print.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from scraper.model import Post

__all__ = [
    "AuthorInfo",
    "LinkInfo",
    "Order",
    "PostSummary",
    "PostVersionInfo",
    "PricePoint",
    "ProductInfo",
    "RunInfo",
    "SiteInfo",
    "SnapshotInfo",
    "StoredPost",
]

Order = Literal["newest", "oldest", "title", "relevance"]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True, slots=True)
class PostSummary:
    """One row of :meth:`Database.posts` (current version of a post)."""

    id: int
    url: str
    canonical_url: str
    site: str
    title: str | None
    authors: tuple[str, ...]
    published_at: datetime | None
    updated_at: datetime | None
    reading_time_minutes: int | None
    word_count: int
    tags: tuple[str, ...]
    platform: str
    gone: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "canonical_url": self.canonical_url,
            "site": self.site,
            "title": self.title,
            "authors": list(self.authors),
            "published_at": _iso(self.published_at),
            "updated_at": _iso(self.updated_at),
            "reading_time_minutes": self.reading_time_minutes,
            "word_count": self.word_count,
            "tags": list(self.tags),
            "platform": self.platform,
            "gone": self.gone,
        }


@dataclass(frozen=True, slots=True)
class StoredPost:
    """A post with its current version. ``versions`` counts all stored versions."""

    id: int
    post: Post
    first_seen: datetime
    last_seen: datetime
    gone: bool
    versions: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "first_seen": _iso(self.first_seen),
            "last_seen": _iso(self.last_seen),
            "gone": self.gone,
            "versions": self.versions,
            "post": self.post.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class PostVersionInfo:
    """One stored version of a post, oldest first in :meth:`Database.history`."""

    number: int
    created_at: datetime
    content_hash: str
    snapshot_hash: str | None
    post: Post

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "created_at": _iso(self.created_at),
            "content_hash": self.content_hash,
            "snapshot_hash": self.snapshot_hash,
            "post": self.post.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class PricePoint:
    """A product's price as one version of one post showed it."""

    price: str | None
    currency: str | None
    seen_at: datetime
    post_id: int
    post_url: str
    version: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "price": self.price,
            "currency": self.currency,
            "seen_at": _iso(self.seen_at),
            "post_id": self.post_id,
            "post_url": self.post_url,
            "version": self.version,
        }


@dataclass(frozen=True, slots=True)
class ProductInfo:
    """A de-duplicated product with its price history (oldest first) and the posts
    whose current version mentions it."""

    id: int
    site: str
    name: str
    url: str | None
    image: str | None
    description: str | None
    prices: tuple[PricePoint, ...]
    posts: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "site": self.site,
            "name": self.name,
            "url": self.url,
            "image": self.image,
            "description": self.description,
            "prices": [p.to_dict() for p in self.prices],
            "posts": list(self.posts),
        }


@dataclass(frozen=True, slots=True)
class LinkInfo:
    """An edge of the related-link graph; ``target_*`` is None until the target is stored."""

    source_id: int
    source_url: str
    position: int
    text: str
    url: str
    section: int
    kind: str
    target_id: int | None
    target_url: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source_id": self.source_id,
            "source_url": self.source_url,
            "position": self.position,
            "text": self.text,
            "url": self.url,
            "section": self.section,
            "kind": self.kind,
            "target_id": self.target_id,
            "target_url": self.target_url,
        }


@dataclass(frozen=True, slots=True)
class AuthorInfo:
    """A de-duplicated author of one site and how many posts name them."""

    id: int
    site: str
    name: str
    url: str | None
    posts: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "site": self.site,
            "name": self.name,
            "url": self.url,
            "posts": self.posts,
        }


@dataclass(frozen=True, slots=True)
class RunInfo:
    """A crawl run; ``stats`` is the RunStats dict (live for a running run)."""

    id: int
    site: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    stats: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "site": self.site,
            "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at),
            "status": self.status,
            "stats": dict(self.stats),
        }


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """A blog (``scheme://host``) with its number of posts and newest run start."""

    id: int
    url: str
    created: datetime
    posts: int
    last_run_at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "created": _iso(self.created),
            "posts": self.posts,
            "last_run_at": _iso(self.last_run_at),
        }


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    """The newest stored page body of a post, for re-extraction."""

    post_id: int
    url: str
    snapshot_hash: str
    body: bytes
    content_type: str | None
    fetched_at: datetime | None

"""The schema: typed SQLAlchemy ORM models, one definition for SQLite and PostgreSQL.

The Alembic migrations in ``storage/migrations/versions`` build exactly this schema
(a test compares the two). Two search structures live only in the migrations because
each exists on one backend: the SQLite FTS5 table ``posts_fts`` (external content over
``post_versions``: rowid = version id, current versions only) and
the PostgreSQL GIN expression index ``ix_post_versions_search`` over
:data:`SEARCH_DOCUMENT_SQL`. Schema comparison skips both (``_migrate.include_name``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "SEARCH_DOCUMENT_SQL",
    "Author",
    "Base",
    "CrawlRun",
    "Fetch",
    "FrontierEntry",
    "Image",
    "Post",
    "PostAuthor",
    "PostTag",
    "PostUrl",
    "PostVersion",
    "Product",
    "ProductMention",
    "RelatedLink",
    "Section",
    "Site",
    "Snapshot",
    "Tag",
    "UTCDateTime",
]

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# The PostgreSQL full-text document of a version. The search query repeats this exact
# text so the planner matches it against the GIN expression index.
SEARCH_DOCUMENT_SQL = (
    "to_tsvector('english', coalesce(post_versions.title, '') || ' ' || "
    "coalesce(post_versions.body_text, ''))"
)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes stored as UTC on both backends.

    SQLite keeps no offset, so values are converted to UTC on the way in and marked
    UTC on the way out. Naive datetimes are taken to be UTC already.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        str: Text(),
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        bytes: LargeBinary(),
    }


class Site(Base):
    """A blog, identified by ``scheme://host``."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(unique=True)
    created: Mapped[datetime]


class CrawlRun(Base):
    __tablename__ = "crawl_runs"
    __table_args__ = (Index(None, "site_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16))  # running|completed|interrupted|failed
    stats: Mapped[dict[str, Any] | None]


class FrontierEntry(Base):
    """One URL to visit in a run; ``state`` pending|done|failed."""

    __tablename__ = "frontier"
    __table_args__ = (
        UniqueConstraint("run_id", "url"),
        Index(None, "run_id", "state", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id", ondelete="CASCADE"))
    url: Mapped[str]
    kind: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    depth: Mapped[int]
    lastmod: Mapped[datetime | None]
    state: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str | None] = mapped_column(String(16))
    error_kind: Mapped[str | None] = mapped_column(String(32))
    detail: Mapped[str | None]


class Snapshot(Base):
    """A response body, stored once per sha256 so any version can be re-extracted."""

    __tablename__ = "snapshots"

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    body: Mapped[bytes]
    encoding: Mapped[str] = mapped_column(String(16))  # zstd (zlib in older rows)
    content_type: Mapped[str | None]
    size: Mapped[int]
    created: Mapped[datetime]


class Fetch(Base):
    """One HTTP exchange (or a failure to have one)."""

    __tablename__ = "fetches"
    __table_args__ = (Index(None, "url", "id"), Index(None, "run_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id", ondelete="CASCADE"))
    url: Mapped[str]
    final_url: Mapped[str | None]
    status: Mapped[int | None]
    headers: Mapped[dict[str, Any] | None]
    etag: Mapped[str | None]
    last_modified: Mapped[str | None]
    lastmod: Mapped[datetime | None]
    body_hash: Mapped[str | None] = mapped_column(ForeignKey("snapshots.hash"))
    size: Mapped[int | None]
    elapsed: Mapped[float | None]
    fetched_at: Mapped[datetime]
    error_kind: Mapped[str | None] = mapped_column(String(32))
    error_message: Mapped[str | None]


class Post(Base):
    """One post per canonical URL; its content lives in :class:`PostVersion` rows."""

    __tablename__ = "posts"
    __table_args__ = (Index(None, "site_id"), Index(None, "current_version_id", unique=True))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    url: Mapped[str]
    canonical_url: Mapped[str] = mapped_column(unique=True)
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    gone: Mapped[bool] = mapped_column(Boolean, default=False)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("post_versions.id", use_alter=True, ondelete="SET NULL")
    )
    last_snapshot_hash: Mapped[str | None] = mapped_column(ForeignKey("snapshots.hash"))


class PostUrl(Base):
    """Every normalised URL a post is known by (fetched, final, canonical)."""

    __tablename__ = "post_urls"
    __table_args__ = (Index(None, "post_id"),)

    url_key: Mapped[str] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))


class PostVersion(Base):
    """The extracted content of a post at one point; a new row only when it changes."""

    __tablename__ = "post_versions"
    __table_args__ = (
        UniqueConstraint("post_id", "number"),
        Index(None, "published_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    number: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    # The Post in the contract's JSON shape, except body_text: that is the column below.
    extracted: Mapped[dict[str, Any]]
    snapshot_hash: Mapped[str | None] = mapped_column(ForeignKey("snapshots.hash"))
    created_at: Mapped[datetime]
    title: Mapped[str | None]
    published_at: Mapped[datetime | None]
    updated_at: Mapped[datetime | None]
    reading_time: Mapped[int | None]
    word_count: Mapped[int]
    body_text: Mapped[str]
    language: Mapped[str | None] = mapped_column(String(35))
    platform: Mapped[str] = mapped_column(String(16))


class Author(Base):
    """An author of a site, de-duplicated by ``key`` (profile URL, else normalised name)."""

    __tablename__ = "authors"
    __table_args__ = (UniqueConstraint("site_id", "key"), Index(None, "site_id", "name_key"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    key: Mapped[str]
    name: Mapped[str]
    name_key: Mapped[str]
    url: Mapped[str | None]


class PostAuthor(Base):
    __tablename__ = "post_authors"
    __table_args__ = (Index(None, "author_id"),)

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id", ondelete="CASCADE"))


class Section(Base):
    __tablename__ = "sections"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True)
    heading: Mapped[str | None]
    level: Mapped[int | None]
    markdown: Mapped[str]
    text: Mapped[str]


class RelatedLink(Base):
    """A link from a post's body to another post; ``target_post_id`` once that is stored."""

    __tablename__ = "related_links"
    __table_args__ = (Index(None, "url_key"), Index(None, "target_post_id"))

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str]
    url: Mapped[str]
    url_key: Mapped[str]
    section: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    target_post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))


class Product(Base):
    """A product of a site, de-duplicated by ``key`` (product URL, else normalised name)."""

    __tablename__ = "products"
    __table_args__ = (UniqueConstraint("site_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    key: Mapped[str]
    name: Mapped[str]
    url: Mapped[str | None]
    image: Mapped[str | None]
    description: Mapped[str | None]


class ProductMention(Base):
    """A product card in one version of a post: the price history."""

    __tablename__ = "product_mentions"
    __table_args__ = (Index(None, "product_id"), Index(None, "post_id"))

    version_id: Mapped[int] = mapped_column(
        ForeignKey("post_versions.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    price: Mapped[str | None] = mapped_column(String(32))
    currency: Mapped[str | None] = mapped_column(String(8))
    cta: Mapped[str | None]
    seen_at: Mapped[datetime]


class Image(Base):
    __tablename__ = "images"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True)
    src: Mapped[str]
    alt: Mapped[str | None]
    caption: Mapped[str | None]


class Tag(Base):
    """A tag or category, shared across sites, matched case-insensitively by ``key``."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(unique=True)
    name: Mapped[str]


class PostTag(Base):
    __tablename__ = "post_tags"
    __table_args__ = (Index(None, "tag_id"),)

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int]

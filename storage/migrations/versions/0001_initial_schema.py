"""initial schema

Every table of the first release, plus the search structures that exist on one
backend only: an FTS5 table on SQLite and a GIN expression index on PostgreSQL.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 23:27:34.456381
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Keep in step with storage._models.SEARCH_DOCUMENT_SQL (the search query repeats it).
SEARCH_DOCUMENT = (
    "to_tsvector('english', coalesce(post_versions.title, '') || ' ' || "
    "coalesce(post_versions.body_text, ''))"
)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        "sites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sites")),
        sa.UniqueConstraint("url", name=op.f("uq_sites_url")),
    )
    op.create_table(
        "snapshots",
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("encoding", sa.String(length=16), nullable=False),
        sa.Column("content_type", sa.Text(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("hash", name=op.f("pk_snapshots")),
    )
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
        sa.UniqueConstraint("key", name=op.f("uq_tags_key")),
    )
    op.create_table(
        "authors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_authors_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_authors")),
        sa.UniqueConstraint("site_id", "key", name=op.f("uq_authors_site_id_key")),
    )
    op.create_index(
        op.f("ix_authors_site_id_name_key"), "authors", ["site_id", "name_key"], unique=False
    )

    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("stats", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_crawl_runs_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crawl_runs")),
    )
    op.create_index(
        op.f("ix_crawl_runs_site_id_status"), "crawl_runs", ["site_id", "status"], unique=False
    )

    op.create_table(
        "posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("canonical_url", sa.Text(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("gone", sa.Boolean(), nullable=False),
        sa.Column("current_version_id", sa.Integer(), nullable=True),
        sa.Column("last_snapshot_hash", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["current_version_id"],
            ["post_versions.id"],
            name=op.f("fk_posts_current_version_id_post_versions"),
            ondelete="SET NULL",
            use_alter=True,
        ),
        sa.ForeignKeyConstraint(
            ["last_snapshot_hash"],
            ["snapshots.hash"],
            name=op.f("fk_posts_last_snapshot_hash_snapshots"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_posts_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posts")),
        sa.UniqueConstraint("canonical_url", name=op.f("uq_posts_canonical_url")),
    )
    op.create_index(op.f("ix_posts_site_id"), "posts", ["site_id"], unique=False)
    op.create_index(
        op.f("ix_posts_current_version_id"), "posts", ["current_version_id"], unique=True
    )

    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("image", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_products_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint("site_id", "key", name=op.f("uq_products_site_id_key")),
    )
    op.create_table(
        "fetches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("final_url", sa.Text(), nullable=True),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("headers", sa.JSON(), nullable=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("lastmod", sa.DateTime(timezone=True), nullable=True),
        sa.Column("body_hash", sa.String(length=64), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("elapsed", sa.Double(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("error_kind", sa.String(length=32), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["body_hash"], ["snapshots.hash"], name=op.f("fk_fetches_body_hash_snapshots")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["crawl_runs.id"],
            name=op.f("fk_fetches_run_id_crawl_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fetches")),
    )
    op.create_index(op.f("ix_fetches_run_id"), "fetches", ["run_id"], unique=False)
    op.create_index(op.f("ix_fetches_url_id"), "fetches", ["url", "id"], unique=False)

    op.create_table(
        "frontier",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("lastmod", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("error_kind", sa.String(length=32), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["crawl_runs.id"],
            name=op.f("fk_frontier_run_id_crawl_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_frontier")),
        sa.UniqueConstraint("run_id", "url", name=op.f("uq_frontier_run_id_url")),
    )
    op.create_index(
        op.f("ix_frontier_run_id_state_id"), "frontier", ["run_id", "state", "id"], unique=False
    )

    op.create_table(
        "images",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("src", sa.Text(), nullable=False),
        sa.Column("alt", sa.Text(), nullable=True),
        sa.Column("caption", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_images_post_id_posts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("post_id", "position", name=op.f("pk_images")),
    )
    op.create_table(
        "post_authors",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["authors.id"],
            name=op.f("fk_post_authors_author_id_authors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_post_authors_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("post_id", "position", name=op.f("pk_post_authors")),
    )
    op.create_index(op.f("ix_post_authors_author_id"), "post_authors", ["author_id"], unique=False)

    op.create_table(
        "post_tags",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_post_tags_post_id_posts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tags.id"], name=op.f("fk_post_tags_tag_id_tags"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("post_id", "tag_id", name=op.f("pk_post_tags")),
    )
    op.create_index(op.f("ix_post_tags_tag_id"), "post_tags", ["tag_id"], unique=False)

    op.create_table(
        "post_urls",
        sa.Column("url_key", sa.Text(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_post_urls_post_id_posts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("url_key", name=op.f("pk_post_urls")),
    )
    op.create_index(op.f("ix_post_urls_post_id"), "post_urls", ["post_id"], unique=False)

    op.create_table(
        "post_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("extracted", sa.JSON(), nullable=False),
        sa.Column("snapshot_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reading_time", sa.Integer(), nullable=True),
        sa.Column("word_count", sa.Integer(), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=True),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_post_versions_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_hash"],
            ["snapshots.hash"],
            name=op.f("fk_post_versions_snapshot_hash_snapshots"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_versions")),
        sa.UniqueConstraint("post_id", "number", name=op.f("uq_post_versions_post_id_number")),
    )
    op.create_index(
        op.f("ix_post_versions_published_at"), "post_versions", ["published_at"], unique=False
    )
    if dialect == "postgresql":
        # posts.current_version_id -> post_versions.id closes a cycle; SQLite took it inline.
        op.create_foreign_key(
            op.f("fk_posts_current_version_id_post_versions"),
            "posts",
            "post_versions",
            ["current_version_id"],
            ["id"],
            ondelete="SET NULL",
        )
        op.create_index(
            "ix_post_versions_search",
            "post_versions",
            [sa.text(SEARCH_DOCUMENT)],
            postgresql_using="gin",
        )

    op.create_table(
        "related_links",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("url_key", sa.Text(), nullable=False),
        sa.Column("section", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("target_post_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_related_links_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_post_id"],
            ["posts.id"],
            name=op.f("fk_related_links_target_post_id_posts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("post_id", "position", name=op.f("pk_related_links")),
    )
    op.create_index(
        op.f("ix_related_links_target_post_id"), "related_links", ["target_post_id"], unique=False
    )
    op.create_index(op.f("ix_related_links_url_key"), "related_links", ["url_key"], unique=False)

    op.create_table(
        "sections",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("heading", sa.Text(), nullable=True),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("markdown", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_sections_post_id_posts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("post_id", "position", name=op.f("pk_sections")),
    )
    op.create_table(
        "product_mentions",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("price", sa.String(length=32), nullable=True),
        sa.Column("currency", sa.String(length=8), nullable=True),
        sa.Column("cta", sa.Text(), nullable=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_product_mentions_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_product_mentions_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["post_versions.id"],
            name=op.f("fk_product_mentions_version_id_post_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", "position", name=op.f("pk_product_mentions")),
    )
    op.create_index(
        op.f("ix_product_mentions_post_id"), "product_mentions", ["post_id"], unique=False
    )
    op.create_index(
        op.f("ix_product_mentions_product_id"), "product_mentions", ["product_id"], unique=False
    )

    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE posts_fts USING fts5("
            "title, body_text, tokenize = 'porter unicode61 remove_diacritics 2')"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS posts_fts")
    else:
        op.drop_index("ix_post_versions_search", table_name="post_versions")
        op.drop_constraint(
            op.f("fk_posts_current_version_id_post_versions"), "posts", type_="foreignkey"
        )
    op.drop_index(op.f("ix_product_mentions_product_id"), table_name="product_mentions")
    op.drop_index(op.f("ix_product_mentions_post_id"), table_name="product_mentions")

    op.drop_table("product_mentions")
    op.drop_table("sections")
    op.drop_index(op.f("ix_related_links_url_key"), table_name="related_links")
    op.drop_index(op.f("ix_related_links_target_post_id"), table_name="related_links")

    op.drop_table("related_links")
    op.drop_index(op.f("ix_post_versions_published_at"), table_name="post_versions")

    op.drop_table("post_versions")
    op.drop_index(op.f("ix_post_urls_post_id"), table_name="post_urls")

    op.drop_table("post_urls")
    op.drop_index(op.f("ix_post_tags_tag_id"), table_name="post_tags")

    op.drop_table("post_tags")
    op.drop_index(op.f("ix_post_authors_author_id"), table_name="post_authors")

    op.drop_table("post_authors")
    op.drop_table("images")
    op.drop_index(op.f("ix_frontier_run_id_state_id"), table_name="frontier")

    op.drop_table("frontier")
    op.drop_index(op.f("ix_fetches_url_id"), table_name="fetches")
    op.drop_index(op.f("ix_fetches_run_id"), table_name="fetches")

    op.drop_table("fetches")
    op.drop_table("products")
    op.drop_index(op.f("ix_posts_current_version_id"), table_name="posts")
    op.drop_index(op.f("ix_posts_site_id"), table_name="posts")

    op.drop_table("posts")
    op.drop_index(op.f("ix_crawl_runs_site_id_status"), table_name="crawl_runs")

    op.drop_table("crawl_runs")
    op.drop_index(op.f("ix_authors_site_id_name_key"), table_name="authors")

    op.drop_table("authors")
    op.drop_table("tags")
    op.drop_table("snapshots")
    op.drop_table("sites")

"""SQLite search index without its own copy of the text

``posts_fts`` becomes an external-content FTS5 table over ``post_versions`` (rowid =
version id, columns ``title`` and ``body_text``): the index no longer keeps a second copy
of every body, which was a fifth of the database and of each write. Only current versions
are indexed. PostgreSQL is unchanged.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 03:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TOKENIZE = "tokenize = 'porter unicode61 remove_diacritics 2'"


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE IF EXISTS posts_fts")
    op.execute(
        "CREATE VIRTUAL TABLE posts_fts USING fts5(title, body_text, "
        f"content = 'post_versions', content_rowid = 'id', {_TOKENIZE})"
    )
    op.execute(
        "INSERT INTO posts_fts (rowid, title, body_text) "
        "SELECT v.id, v.title, v.body_text FROM posts p "
        "JOIN post_versions v ON v.id = p.current_version_id"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE IF EXISTS posts_fts")
    op.execute(f"CREATE VIRTUAL TABLE posts_fts USING fts5(title, body_text, {_TOKENIZE})")
    op.execute(
        "INSERT INTO posts_fts (rowid, title, body_text) "
        "SELECT p.id, coalesce(v.title, ''), v.body_text FROM posts p "
        "JOIN post_versions v ON v.id = p.current_version_id"
    )

"""Alembic migrations shipped inside the package, run on an engine we own.

``storage.open`` calls :func:`ensure_schema`; the CLI's ``blogbinder db upgrade`` and
``db downgrade`` call :func:`upgrade` and :func:`downgrade`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, text

from scraper.errors import StorageError

from ._engine import WRITE, guard, make_engine, mask_url, parse_url

__all__ = [
    "SCRIPT_LOCATION",
    "alembic_config",
    "current_revision",
    "downgrade",
    "ensure_schema",
    "head_revision",
    "include_name",
    "upgrade",
]

SCRIPT_LOCATION = Path(__file__).resolve().parent / "migrations"
FTS_TABLE = "posts_fts"
SEARCH_INDEX = "ix_post_versions_search"
_LOCK_ID = 0x626C6F67  # "blog": serialises concurrent migrations on PostgreSQL


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Leave the backend-only search structures out of schema comparison.

    These are SQLite's FTS5 table with its shadow tables and PostgreSQL's GIN
    expression index; the migrations create them, the models do not declare them.
    """
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith(FTS_TABLE)
    return not (type_ == "index" and name == SEARCH_INDEX)


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _run(engine: Engine, action: Callable[[Config], None]) -> None:
    with engine.connect() as conn:
        conn = conn.execution_options(**{WRITE: True})
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_ID})
            action(alembic_config(conn))


def ensure_schema(engine: Engine) -> None:
    """Bring the database to the newest revision if it is behind (first use)."""
    with engine.connect() as conn:
        current = _current(conn)
        conn.rollback()
    if current != head_revision():
        _run(engine, lambda cfg: command.upgrade(cfg, "head"))


def _with_engine(url: str, action: str, body: Callable[[Engine], Any]) -> Any:
    masked = mask_url(url)
    engine = make_engine(parse_url(url))
    try:
        with guard(action, masked):
            try:
                return body(engine)
            except CommandError as exc:
                raise StorageError(f"cannot migrate ({exc})", masked) from exc
    finally:
        engine.dispose()


def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` (default: the newest)."""
    _with_engine(
        url,
        f"upgrading to {revision}",
        lambda engine: _run(engine, lambda cfg: command.upgrade(cfg, revision)),
    )


def downgrade(url: str, revision: str = "-1") -> None:
    """Revert migrations down to ``revision`` (default: one step; ``base`` removes all)."""
    _with_engine(
        url,
        f"downgrading to {revision}",
        lambda engine: _run(engine, lambda cfg: command.downgrade(cfg, revision)),
    )


def current_revision(url: str) -> str | None:
    """The revision the database is at (None for an empty database)."""

    def read(engine: Engine) -> str | None:
        with engine.connect() as conn:
            return _current(conn)

    result: str | None = _with_engine(url, "reading the schema revision", read)
    return result

"""Alembic migrations shipped inside the package, run on an engine we own.

``storage.open`` calls :func:`ensure_schema`; the CLI's ``blogbinder db upgrade`` and
``db downgrade`` call :func:`upgrade` and :func:`downgrade`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, inspect, text

from scraper.errors import StorageError

from ._engine import WRITE, guard, make_engine, mask_url, parse_url

if TYPE_CHECKING:
    from alembic.config import Config

# alembic (and mako, pygments with it) is imported only when a migration runs: it is about
# an eighth of every command's start-up, and a database already at HEAD needs none of it.

__all__ = [
    "SCRIPT_LOCATION",
    "alembic_config",
    "current_revision",
    "downgrade",
    "ensure_schema",
    "head_revision",
    "include_name",
    "scripts_head",
    "upgrade",
]

SCRIPT_LOCATION = Path(__file__).resolve().parent / "migrations"
# The newest revision under migrations/versions (tests/storage/test_migrations.py checks it
# against alembic's own reading of the scripts: bump it with every new migration).
HEAD = "0003"
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
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    """The newest schema revision this version of blogbinder knows."""
    return HEAD


def scripts_head() -> str | None:
    """The newest revision as alembic reads it from the migration scripts."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _current(conn: Connection) -> str | None:
    """The revision recorded in ``alembic_version`` (None: an empty database)."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(rows) > 1:
        raise StorageError(f"the database records several schema revisions ({', '.join(rows)})")
    return rows[0] if rows else None


def _command(name: str) -> Callable[[Config, str], None]:
    from alembic import command

    action: Callable[[Config, str], None] = getattr(command, name)
    return action


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
    if current != HEAD:
        _run(engine, lambda cfg: _command("upgrade")(cfg, "head"))


def _with_engine(url: str, action: str, body: Callable[[Engine], Any]) -> Any:
    from alembic.util.exc import CommandError

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
        lambda engine: _run(engine, lambda cfg: _command("upgrade")(cfg, revision)),
    )


def downgrade(url: str, revision: str = "-1") -> None:
    """Revert migrations down to ``revision`` (default: one step; ``base`` removes all)."""
    _with_engine(
        url,
        f"downgrading to {revision}",
        lambda engine: _run(engine, lambda cfg: _command("downgrade")(cfg, revision)),
    )


def current_revision(url: str) -> str | None:
    """The revision the database is at (None for an empty database)."""

    def read(engine: Engine) -> str | None:
        with engine.connect() as conn:
            return _current(conn)

    result: str | None = _with_engine(url, "reading the schema revision", read)
    return result

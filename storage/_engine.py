"""Database URLs, engines and error translation.

Every SQLAlchemy or driver error leaving ``storage`` goes through :func:`guard`, which
re-raises it as :class:`~scraper.errors.StorageError` naming the database URL with its
password masked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from scraper.errors import StorageError

__all__ = ["WRITE", "guard", "make_engine", "mask_url", "parse_url"]

# Execution option that makes SQLite take the write lock up front (BEGIN IMMEDIATE),
# so two writers queue on busy_timeout instead of failing on a lock upgrade.
WRITE = "blogbinder_write"
BUSY_TIMEOUT_MS = 30_000
_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")


def mask_url(raw: str) -> str:
    """``raw`` with any password replaced by ``***``, for messages."""
    try:
        return make_url(raw).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return _PASSWORD.sub(r"\1***@", raw)


def parse_url(raw: str) -> URL:
    """Parse and check a database URL; plain ``postgresql://`` means psycopg 3."""
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError) as exc:
        raise StorageError(f"invalid database URL ({exc})", mask_url(raw)) from exc
    backend = url.get_backend_name()
    if backend == "postgres":
        url = url.set(drivername="postgresql+psycopg")
    elif backend == "postgresql" and url.get_driver_name() in ("", "psycopg2"):
        url = url.set(drivername="postgresql+psycopg")
    elif backend != "sqlite" and backend != "postgresql":
        raise StorageError(
            f"unsupported database {backend!r}: use sqlite:/// or postgresql+psycopg://",
            mask_url(raw),
        )
    return url


def make_engine(url: URL) -> Engine:
    """An engine with our connection settings (SQLite pragmas, PostgreSQL timeouts)."""
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = 10
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def _sqlite_engine(url: URL) -> Engine:
    memory = url.database in (None, "", ":memory:")
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
    if memory:
        kwargs["poolclass"] = StaticPool  # one shared in-memory database for all threads
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite; we emit BEGIN ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if not memory:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
                # 2 MB of page cache per connection. The cache fills as the database
                # grows, so a crawl's peak memory grew with the blog's size: with 8 MB,
                # 158 / 164 / 169 MB at 5,000 / 20,000 / 40,000 posts; with 2 MB, 146 /
                # - / 150 MB, and the same pages/s (1 MB: 144 / 145 / 147 MB). 2 MB and 16 MB
                # gave the same ingest and search speed (bench/storage.py, 100,000 posts).
                cursor.execute("PRAGMA cache_size = -2048")
                cursor.execute("PRAGMA wal_autocheckpoint = 16384")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


@contextmanager
def guard(action: str, target: str) -> Iterator[None]:
    """Translate database errors raised inside the block into :class:`StorageError`."""
    try:
        yield
    except StorageError:
        raise
    except (SQLAlchemyError, OSError) as exc:
        detail = _first_line(exc)
        raise StorageError(f"database error while {action}: {detail}", target) from exc


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__

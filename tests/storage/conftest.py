"""Fixtures: a ``db`` on SQLite (a temp file) and on the PostgreSQL server at 127.0.0.1.

PostgreSQL: one database with a random name per test session, created here and dropped
at the end; tables are emptied before each test. Set BLOGBINDER_TEST_PG to use another
server. When the server cannot be reached the PostgreSQL cases fail if CI is set and
are skipped otherwise.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

import storage
from storage import Database

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


def _libpq(url: str) -> str:
    """SQLAlchemy URL -> libpq URL for psycopg."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _with_database(url: str, name: str) -> str:
    base = url.rsplit("/", 1)[0]
    return f"{base}/{name}"


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a fresh PostgreSQL database for this session (dropped afterwards)."""
    admin = os.environ.get("BLOGBINDER_TEST_PG", DEFAULT_PG)
    name = "blogbinder_test_" + secrets.token_hex(4)
    try:
        conn = psycopg.connect(_libpq(admin), autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        message = f"PostgreSQL not reachable at {storage.mask_url(admin)}: {exc}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _with_database(admin, name)
    finally:
        with psycopg.connect(_libpq(admin), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _empty_pg(url: str) -> None:
    with psycopg.connect(_libpq(url), autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'"
            )
        ]
        if tables:
            names = sql.SQL(", ").join(sql.Identifier(t) for t in tables)
            conn.execute(sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(names))


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> str:
    """A database URL for an empty blogbinder database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/blog.db"
    url: str = request.getfixturevalue("pg_url")
    storage.upgrade(url)
    _empty_pg(url)
    return url


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    with storage.open(db_url) as database:
        yield database

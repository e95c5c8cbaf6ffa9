"""Fixtures: a ``db`` on SQLite (a temp file) and on the PostgreSQL server at 127.0.0.1.

PostgreSQL: one database with a random name per test session, created here and dropped
at the end; tables are emptied before each test. Set BLOGBINDER_TEST_PG to use another
server. When the server cannot be reached the PostgreSQL cases fail if CI is set and
are skipped otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

import storage
from storage import Database
from tests.pg import fresh_database, libpq

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a fresh PostgreSQL database for this session (dropped afterwards)."""
    with fresh_database("blogbinder_test") as url:
        yield url


def _empty_pg(url: str) -> None:
    with psycopg.connect(libpq(url), autocommit=True) as conn:
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

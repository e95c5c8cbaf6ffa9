"""A fresh PostgreSQL database per test session for the schedule and scale tests (the
server at 127.0.0.1:5432 unless BLOGBINDER_TEST_PG says otherwise). Fails instead of
skipping when CI is set."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from psycopg import sql

import storage

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@contextmanager
def fresh_database(prefix: str) -> Iterator[str]:
    admin = os.environ.get("BLOGBINDER_TEST_PG", DEFAULT_PG)
    name = f"{prefix}_{secrets.token_hex(4)}"
    try:
        conn = psycopg.connect(libpq(admin), autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        message = f"PostgreSQL not reachable at {storage.mask_url(admin)}: {exc}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield admin.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(libpq(admin), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def query(url: str, text: str) -> list[tuple[object, ...]]:
    """Rows of one statement (none for a statement that returns no rows)."""
    with psycopg.connect(libpq(url), autocommit=True) as conn:
        cursor = conn.execute(text)  # type: ignore[arg-type]
        return list(cursor.fetchall()) if cursor.description is not None else []

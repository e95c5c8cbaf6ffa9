from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scraper.cli import (
    cli,  # noqa: F401  (the commands register on import)
    commands,  # noqa: F401
)
from scraper.sample.server import LocalSiteServer, serve_sample_blog
from tests.pg import fresh_database


@pytest.fixture(scope="module")
def pg_database() -> Iterator[str]:
    with fresh_database("blogbinder_schedule") as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend (PostgreSQL: emptied between tests)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/blog.db"
    url: str = request.getfixturevalue("pg_database")
    from tests.pg import query

    query(url, "DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    return url


@pytest.fixture
def blog() -> Iterator[LocalSiteServer]:
    with serve_sample_blog() as server:
        yield server

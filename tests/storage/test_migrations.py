"""Alembic migrations: built from empty they match the models, and they go both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

import storage
from storage._migrate import SCRIPT_LOCATION, include_name
from storage._models import Base

from .conftest import BACKENDS, _empty_pg


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database with no tables at all."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/empty.db"
    url: str = request.getfixturevalue("pg_url")
    storage.downgrade(url, "base")
    _empty_pg(url)
    return url


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_migrations_match_the_models(empty_url: str) -> None:
    assert storage.current_revision(empty_url) is None
    storage.upgrade(empty_url)
    assert storage.current_revision(empty_url) == storage.head_revision()
    engine = create_engine(empty_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"include_name": include_name, "compare_type": True}
            )
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()
    tables = _tables(empty_url)
    assert set(Base.metadata.tables) <= tables
    if empty_url.startswith("sqlite"):
        assert "posts_fts" in tables


def test_downgrade_and_upgrade_again(empty_url: str) -> None:
    storage.upgrade(empty_url)
    storage.downgrade(empty_url)  # one step: back to the first revision
    assert storage.current_revision(empty_url) == "0001"
    assert "scheduled_sites" not in _tables(empty_url)
    storage.downgrade(empty_url, "base")
    assert storage.current_revision(empty_url) is None
    assert _tables(empty_url) <= {"alembic_version"}
    storage.upgrade(empty_url)
    assert set(Base.metadata.tables) <= _tables(empty_url)


def test_open_migrates_on_first_use(empty_url: str) -> None:
    with storage.open(empty_url) as db:
        assert db.posts() == []
    assert storage.current_revision(empty_url) == storage.head_revision()
    with storage.open(empty_url) as db:  # second open: already at head
        assert db.sites() == []


def test_migrations_ship_inside_the_package() -> None:
    assert SCRIPT_LOCATION == Path(storage.__file__).resolve().parent / "migrations"
    assert (SCRIPT_LOCATION / "env.py").is_file()
    assert list((SCRIPT_LOCATION / "versions").glob("0001_*.py"))


def test_bad_revision_is_a_storage_error(tmp_path: Path) -> None:
    with pytest.raises(storage.StorageError, match="cannot migrate"):
        storage.upgrade(f"sqlite:///{tmp_path}/x.db", "no-such-revision")

"""Alembic migrations: built from empty they match the models, and they go both ways."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

import storage
from storage import _migrate
from storage._migrate import SCRIPT_LOCATION, include_name
from storage._models import Base

from .conftest import BACKENDS, _empty_pg
from .helpers import make_post, save


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
    storage.downgrade(empty_url)  # one step
    assert storage.current_revision(empty_url) == "0002"
    storage.downgrade(empty_url, "0001")
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


def test_search_index_survives_its_migration_both_ways(tmp_path: Path) -> None:
    """0003 moved SQLite's FTS5 table to external content; stored posts stay searchable
    through the downgrade (back to a table with its own copy, keyed by post id) and the
    upgrade again."""
    url = f"sqlite:///{tmp_path}/fts.db"
    with storage.open(url) as db:
        save(db, make_post("rye", title="Dark Rye", body_text="Caraway and a long proof."))
        old = make_post("focaccia", title="Focaccia", body_text="Olive oil and rosemary.")
        save(db, old)
        save(db, dataclasses.replace(old, body_text="Olive oil and flaky salt."))
        ids = {p.url.rstrip("/").rsplit("/", 1)[1]: p.id for p in db.posts()}
    storage.downgrade(url)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(
                text("SELECT rowid FROM posts_fts WHERE posts_fts MATCH 'flaky OR caraway'")
            )
            assert sorted(found.scalars()) == sorted(ids.values())
            stale = text("SELECT rowid FROM posts_fts WHERE posts_fts MATCH 'rosemary'")
            assert conn.execute(stale).all() == []
    finally:
        engine.dispose()
    storage.upgrade(url)
    with storage.open(url) as db:
        assert [p.id for p in db.posts(search="caraway")] == [ids["rye"]]
        assert [p.id for p in db.posts(search="flaky")] == [ids["focaccia"]]
        assert db.posts(search="rosemary") == []


def test_head_constant_is_the_newest_migration_script() -> None:
    # storage.open compares the database with HEAD without importing alembic; a new
    # migration script must bump it.
    assert storage.head_revision() == _migrate.scripts_head()


def test_opening_a_current_database_does_not_import_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bb.db'}"
    storage.open(url).close()  # creates the schema (alembic runs here)
    code = (
        "import sys, storage\n"
        f"storage.open({url!r}).close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'mako')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

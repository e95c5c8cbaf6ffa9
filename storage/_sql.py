"""Dialect-aware statement helpers shared by the write paths.

Hot-path statements are built once per backend and cached (:func:`statement`), then
executed with parameter dicts: SQLAlchemy then skips rebuilding the statement and its
cache key, which is most of the per-statement cost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Any, cast

from sqlalchemy import Connection, Executable, Table, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite

from ._models import Base

__all__ = ["chunks", "get_or_create", "statement", "table", "upsert"]

CHUNK = 500
_CACHE: dict[tuple[str, str], Executable] = {}


def table(model: type[Base]) -> Table:
    """The Core table of a model."""
    return cast(Table, model.__table__)


def upsert(dialect: str, model: type[Base]) -> postgresql.Insert | sqlite.Insert:
    """An INSERT with ``on_conflict_do_*`` for ``dialect``."""
    if dialect == "postgresql":
        return postgresql.insert(table(model))
    return sqlite.insert(table(model))


def statement(conn: Connection, name: str, build: Callable[[str], Executable]) -> Executable:
    """The statement ``name`` for the connection's backend, built on first use."""
    dialect = conn.dialect.name
    key = (dialect, name)
    found = _CACHE.get(key)
    if found is None:
        found = _CACHE[key] = build(dialect)
    return found


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@cache
def _lookup(model: type[Base], key: str, scope: tuple[str, ...]) -> Executable:
    t = table(model)
    conditions = [t.c[name] == bindparam(name) for name in scope]
    return select(t.c[key], t.c.id).where(
        *conditions, t.c[key].in_(bindparam("keys", expanding=True))
    )


def get_or_create(
    conn: Connection,
    model: type[Base],
    key: str,
    rows: dict[str, dict[str, Any]],
    scope: dict[str, Any],
) -> dict[str, int]:
    """Ids of the rows keyed by column ``key`` within ``scope`` (e.g. ``site_id``),
    inserting the missing ones. Safe against concurrent writers: inserts use
    ON CONFLICT DO NOTHING in key order, and the final read sees committed rows."""
    if not rows:
        return {}
    lookup = _lookup(model, key, tuple(sorted(scope)))
    found: dict[str, int] = {}
    for part in chunks(sorted(rows)):
        found.update(dict(conn.execute(lookup, {**scope, "keys": list(part)}).all()))
    missing = sorted(k for k in rows if k not in found)
    if missing:
        insert = statement(
            conn,
            f"get_or_create:{table(model).name}",
            lambda d: upsert(d, model).on_conflict_do_nothing(),
        )
        conn.execute(insert, [{**scope, **rows[k]} for k in missing])
        for part in chunks(missing):
            found.update(dict(conn.execute(lookup, {**scope, "keys": list(part)}).all()))
    return found

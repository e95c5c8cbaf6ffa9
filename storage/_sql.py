"""Dialect-aware statement helpers shared by the write paths.

Hot-path statements are built once per backend and cached (:func:`statement`), then
executed with parameter dicts: SQLAlchemy then skips rebuilding the statement and its
cache key, which is most of the per-statement cost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cache
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import Connection, Dialect, Executable, Table, bindparam, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from ._models import Base

__all__ = ["bulk_insert", "chunks", "get_or_create", "statement", "table", "upsert"]

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


@cache
def _sqlite_insert(
    t: Table, columns: tuple[str, ...], dialect: Dialect, ignore: bool
) -> tuple[str, list[Callable[[Any], Any] | None]]:
    sql = f"INSERT INTO {t.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    if ignore:
        sql += " ON CONFLICT DO NOTHING"
    return sql, [t.c[name].type.bind_processor(dialect) for name in columns]


def bulk_insert(
    conn: Connection, t: Table, rows: Sequence[dict[str, Any]], *, ignore: bool = False
) -> None:
    """Insert ``rows`` (dicts with the same keys; ``ignore``: skip conflicting rows).

    On SQLite the rows go to the driver's executemany as tuples, each value through its
    column type's bind processor: the same values SQLAlchemy would send, without its
    per-row parameter handling, which cost more than the inserts themselves (see
    bench/storage.py). Elsewhere, a plain SQLAlchemy insert."""
    if not rows:
        return
    dialect = conn.dialect
    if dialect.name != "sqlite":
        stmt = postgresql.insert(t).on_conflict_do_nothing() if ignore else insert(t)
        conn.execute(stmt, list(rows))
        return
    columns = tuple(rows[0])
    sql, processors = _sqlite_insert(t, columns, dialect, ignore)
    values = itemgetter(*columns) if len(columns) > 1 else (lambda row: (row[columns[0]],))
    params: list[Any] = list(map(values, rows))
    convert = [(i, p) for i, p in enumerate(processors) if p is not None]
    if convert:
        for n, row in enumerate(params):
            listed = list(row)
            for i, process in convert:
                listed[i] = process(listed[i])
            params[n] = tuple(listed)
    conn.exec_driver_sql(sql, params)


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

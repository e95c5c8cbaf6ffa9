"""Alembic environment for blogbinder's schema.

Run through :mod:`storage._migrate`, which hands over an open connection in
``config.attributes["connection"]``. Running the ``alembic`` command directly also
works: it then connects to ``sqlalchemy.url`` from the config.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from storage._migrate import include_name
from storage._models import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        include_name=include_name,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from storage._engine import make_engine, parse_url

    url = context.config.get_main_option("sqlalchemy.url") or ""
    engine = make_engine(parse_url(url))
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; pass a database URL")
run_migrations()

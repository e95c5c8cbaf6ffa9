from __future__ import annotations

from collections.abc import Iterator

import pytest

from .blog import build_routes
from .server import TestServer
from .store import SqliteStore


@pytest.fixture
def blog() -> Iterator[TestServer]:
    """The test blog on 127.0.0.1, with a fresh request log."""
    with TestServer() as server:
        server.routes = build_routes(server.base_url)
        yield server


@pytest.fixture
def store() -> Iterator[SqliteStore]:
    db = SqliteStore()
    yield db
    db.close()

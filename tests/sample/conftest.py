"""Fixtures for the sample blog tests: one running sample server per module."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from scraper.sample import LocalSiteServer, Route, build_site, expected_posts, serve_sample_blog

BASE = "http://127.0.0.1:8765"


@pytest.fixture(scope="module")
def sample_server() -> Iterator[LocalSiteServer]:
    with serve_sample_blog() as server:
        yield server


@pytest.fixture(scope="module")
def routes() -> dict[str, Route]:
    """The site built for a fixed base URL (no server needed)."""
    return build_site(BASE)


@pytest.fixture(scope="module")
def truth() -> list[dict[str, Any]]:
    return expected_posts(BASE)

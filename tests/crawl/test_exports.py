"""Each crawl module's __all__ lists exactly its public names (httpx's test_exported_members)."""

from __future__ import annotations

import importlib
import types

import pytest

MODULES = [
    "scraper.urls",
    "scraper.robots",
    "scraper.fetch",
    "scraper._transports",
    "scraper.politeness",
    "scraper.options",
    "scraper.crawl",
    "scraper.crawl_pool",
    "scraper.crawl_frontier",
    "scraper.crawl_writer",
    "scraper.crawl_report",
    "scraper.discover",
    "scraper.discover.sitemaps",
    "scraper.discover.feeds",
    "scraper.discover.listing",
    "scraper.discover.links",
    "scraper.discover.page",
]


@pytest.mark.parametrize("name", MODULES)
def test_all_matches_public_names(name: str) -> None:
    module = importlib.import_module(name)
    exported = set(module.__all__)
    assert all(hasattr(module, n) for n in exported)
    public = {
        n
        for n, v in vars(module).items()
        if not n.startswith("_")
        and not isinstance(v, types.ModuleType)
        and getattr(v, "__module__", name) == name
        and n not in ("annotations", "log")
    }
    assert public <= exported | {n for n in public if n.isupper()}


def test_only_fetch_imports_httpx() -> None:
    """The fetcher and its transports; nothing else talks HTTP."""
    from pathlib import Path

    root = Path(importlib.import_module("scraper").__file__ or "").parent
    offenders = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if p.name not in ("fetch.py", "_transports.py")
        and "sample" not in p.parts
        and "import httpx" in p.read_text()
    ]
    assert offenders == []

"""The package's public face: exports, options and the error contract."""

from __future__ import annotations

import dataclasses
import gc
import importlib
import pkgutil
from typing import Any

import pytest

import scraper.extract as extract
from scraper.errors import ExtractionError
from scraper.extract import ExtractOptions, extract_post


def test_public_names() -> None:
    assert sorted(extract.__all__) == ["ExtractOptions", "extract_post"]
    for name in extract.__all__:
        assert hasattr(extract, name)


@pytest.mark.parametrize(
    "module",
    sorted(
        m.name
        for m in pkgutil.walk_packages(extract.__path__, prefix="scraper.extract.")
        if not m.ispkg or m.name.endswith("platforms")
    ),
)
def test_every_module_declares_existing_exports(module: str) -> None:
    mod = importlib.import_module(module)
    names = getattr(mod, "__all__", None)
    assert names is not None, f"{module} has no __all__"
    for name in names:
        assert hasattr(mod, name), f"{module}.__all__ names missing {name}"


def test_options_are_one_frozen_dataclass() -> None:
    opts = ExtractOptions()
    assert dataclasses.is_dataclass(opts)
    with pytest.raises(dataclasses.FrozenInstanceError):
        opts.include_images = False  # type: ignore[misc]


def test_scraper_reexports_the_engine() -> None:
    import scraper

    assert scraper.extract_post is extract_post


def test_error_carries_the_url() -> None:
    with pytest.raises(ExtractionError) as info:
        extract_post(b"", "https://example.org/post/a")
    assert info.value.target == "https://example.org/post/a"
    assert "https://example.org/post/a" in str(info.value)


def test_fetched_at_is_kept_and_naive_means_utc() -> None:
    from datetime import UTC, datetime

    post = extract_post("<p>Hello there, world.</p>", "https://x.example/a", datetime(2026, 1, 2))
    assert post.fetched_at == datetime(2026, 1, 2, tzinfo=UTC)


def test_garbage_collector_is_paused_during_extraction_and_restored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[bool] = []
    real = extract.extract

    def recording(*args: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args)

    monkeypatch.setattr(extract, "extract", recording)
    html = "<html><body><article><p>Some text.</p></article></body></html>"
    assert gc.isenabled()
    extract_post(html, "https://example.com/a")
    assert seen == [False]
    assert gc.isenabled()
    with pytest.raises(ExtractionError):
        extract_post(b"\x89PNG\r\n", "https://example.com/b")
    assert gc.isenabled()  # resumed after a failure too
    gc.disable()
    try:
        extract_post(html, "https://example.com/c")
        assert not gc.isenabled()  # a caller's own pause is left alone
    finally:
        gc.enable()
    assert seen == [False, False, False]

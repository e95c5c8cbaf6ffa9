"""The package's public face: ``__all__`` lists exactly what it exports, documented."""

from __future__ import annotations

import types

import storage


def test_all_matches_public_names() -> None:
    public = {
        name
        for name, value in vars(storage).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    public.discard("annotations")  # from __future__
    assert sorted(storage.__all__) == sorted(public)


def test_every_export_is_documented() -> None:
    for name in storage.__all__:
        value = getattr(storage, name)
        if value is storage.StorageError:  # re-exported from scraper.errors
            continue
        if isinstance(value, type) or isinstance(value, types.FunctionType):
            assert (value.__doc__ or "").strip(), name

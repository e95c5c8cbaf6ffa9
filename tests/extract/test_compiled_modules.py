"""Which extraction code runs: compiled modules only while they are as new as their
sources (scraper/_compiled.py), checked on a throwaway package."""

from __future__ import annotations

import importlib
import importlib.machinery
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from scraper import _compiled

SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]


def _touch(path: Path, text: str, mtime: float) -> None:
    path.write_text(text)
    os.utime(path, (mtime, mtime))


@pytest.fixture
def package(tmp_path: Path) -> Iterator[Path]:
    """``bbfake`` with ``__init__.py`` and ``mod.py``; ``mod`` also as a "compiled" file
    that cannot be loaded (any import of it fails), newer than the source."""
    root = tmp_path / "bbfake"
    root.mkdir()
    _touch(root / "__init__.py", "", 1000)
    _touch(root / "mod.py", "WHERE = 'source'\n", 1000)
    _touch(root / f"mod{SUFFIX}", "not a shared library", 2000)
    sys.path.insert(0, str(tmp_path))
    yield root
    sys.path.remove(str(tmp_path))
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _compiled.SourceFinder)]
    for name in [n for n in sys.modules if n == "bbfake" or n.startswith("bbfake.")]:
        del sys.modules[name]


def test_no_compiled_module_means_a_pure_install(tmp_path: Path) -> None:
    _touch(tmp_path / "mod.py", "", 1000)
    assert _compiled.stale_sources(tmp_path) is None
    assert _compiled.choose("bbnothing", tmp_path) == "pure"


def test_compiled_modules_newer_than_their_sources_are_fresh(package: Path) -> None:
    assert _compiled.stale_sources(package) == []


def test_an_edited_source_is_stale(package: Path) -> None:
    _touch(package / "mod.py", "WHERE = 'edited source'\n", 3000)
    assert _compiled.stale_sources(package) == [package / "mod.py"]


def test_a_source_without_a_compiled_module_is_stale(package: Path) -> None:
    _touch(package / "new.py", "", 1000)
    assert _compiled.stale_sources(package) == [package / "new.py"]


def test_stale_modules_are_imported_from_their_sources(package: Path) -> None:
    # The unloadable "compiled" mod would make a plain import fail; the source runs.
    _touch(package / "mod.py", "WHERE = 'edited source'\n", 3000)
    assert _compiled.choose("bbfake", package) == "source"
    module = importlib.import_module("bbfake.mod")
    assert module.WHERE == "edited source"
    assert module.__file__ == str(package / "mod.py")


def test_a_broken_build_falls_back_to_the_sources(package: Path) -> None:
    # Fresh by date, but the compiled module cannot be loaded (its shared library gone).
    _touch(package / "options.py", "WHERE = 'options source'\n", 1000)
    _touch(package / f"options{SUFFIX}", "not a shared library", 2000)
    assert _compiled.choose("bbfake", package) == "source"
    assert importlib.import_module("bbfake.mod").WHERE == "source"


@pytest.mark.skipif(os.environ.get("CI") != "true", reason="a developer may install pure")
def test_ci_runs_the_compiled_modules() -> None:
    # The install CI makes (make test) compiles them; the tests then check that code.
    assert _compiled.MODE == "compiled", _compiled.stale_sources()


def test_this_install_runs_what_its_files_say() -> None:
    stale = _compiled.stale_sources()
    expected = "pure" if stale is None else ("source" if stale else "compiled")
    assert expected == _compiled.MODE or (expected, _compiled.MODE) == ("compiled", "source")
    module = importlib.import_module("scraper.extract.header")
    assert str(module.__file__).endswith(".py") == (_compiled.MODE != "compiled")

"""Which extraction code runs: the mypyc-compiled modules of ``scraper.extract`` (built by
setup.py at install time) while they are at least as new as their sources, else the
Python sources themselves.

A source edited after the build (a contributor's change, a ``git pull``) must not be
shadowed by its older compiled module, and the compiled modules call each other directly,
so one stale module sends every module of the package back to its source. ``make build``
compiles them again. A broken build (the shared library missing) falls back the same way.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

__all__ = ["MODE", "SourceFinder", "choose", "stale_sources"]

PACKAGE = "scraper.extract"
ROOT = Path(__file__).resolve().parent / "extract"


def _compiled_stem(path: Path) -> Path | None:
    """``a/b/header`` for ``a/b/header.cpython-311-x86_64-linux-gnu.so``, else None."""
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        if path.name.endswith(suffix):
            return path.with_name(path.name[: -len(suffix)])
    return None


def stale_sources(root: Path = ROOT) -> list[Path] | None:
    """The sources under ``root`` that no compiled module at least as new stands for
    (the package's own ``__init__.py`` is never compiled); None when nothing under
    ``root`` is compiled (a pure-Python install)."""
    built: dict[Path, float] = {}
    for path in root.rglob("*"):
        stem = _compiled_stem(path)
        if stem is not None:
            built[stem] = max(built.get(stem, 0.0), path.stat().st_mtime)
    if not built:
        return None
    stale = []
    for source in sorted(root.rglob("*.py")):
        if source == root / "__init__.py":
            continue
        made = built.get(source.with_suffix(""))
        if made is None or source.stat().st_mtime > made:
            stale.append(source)
    return stale


class SourceFinder(importlib.abc.MetaPathFinder):
    """Finds the submodules of ``package`` (whose directory is ``root``) as Python
    sources, ahead of any compiled module beside them."""

    def __init__(self, package: str, root: Path) -> None:
        self.package = package
        self.root = root

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if not fullname.startswith(self.package + "."):
            return None
        base = self.root.joinpath(*fullname[len(self.package) + 1 :].split("."))
        if (base / "__init__.py").is_file():
            return importlib.util.spec_from_file_location(
                fullname, base / "__init__.py", submodule_search_locations=[str(base)]
            )
        if base.with_suffix(".py").is_file():
            return importlib.util.spec_from_file_location(fullname, base.with_suffix(".py"))
        return None


def _use_sources(package: str, root: Path) -> None:
    for name in [n for n in sys.modules if n.startswith(package + ".")]:
        del sys.modules[name]  # (a half-imported compiled module)
    sys.meta_path.insert(0, SourceFinder(package, root))


def choose(package: str = PACKAGE, root: Path = ROOT) -> str:
    """Make the compiled modules or the sources of ``package`` the ones imported, before
    its first submodule is; return which ("compiled", "source" or "pure")."""
    stale = stale_sources(root)
    if stale is None:
        return "pure"
    if stale:
        _use_sources(package, root)
        return "source"
    try:
        importlib.import_module(f"{package}.options")  # loads the shared library
    except ImportError:
        _use_sources(package, root)
        return "source"
    return "compiled"


# Chosen on import, before ``scraper`` imports ``scraper.extract``: "compiled", "source"
# (compiled modules present but stale or broken) or "pure".
MODE = choose()

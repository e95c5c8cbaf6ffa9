"""Build hook: compile the extraction modules (``scraper/extract``, all but its
``__init__.py``, which holds the error boundary) with mypyc, about an eighth faster
extraction. ``BLOGBINDER_PURE=1`` installs the Python sources only; so does a machine where
mypyc or a C compiler is missing (each compiled module is optional). Which code runs is
decided on import: scraper/_compiled.py."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from setuptools import setup

HERE = Path(__file__).resolve().parent


def compiled_extensions() -> list[Any]:
    if os.environ.get("BLOGBINDER_PURE") == "1":
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        return []
    package = HERE / "scraper" / "extract"
    sources = sorted(
        str(path.relative_to(HERE))
        for path in package.rglob("*.py")
        if path != package / "__init__.py"
    )
    extensions = mypycify(sources, opt_level="3")
    for extension in extensions:
        extension.optional = True  # a failed compile leaves the Python sources in charge
    return list(extensions)


setup(ext_modules=compiled_extensions())

"""Build hook: compile the extraction modules (``scraper/extract``, all but its
``__init__.py``, which holds the error boundary) with mypyc, about an eighth faster
extraction, the C tree walks of ``scraper/_lexbor_walk.pyx`` with Cython when lexbor's
headers are at hand (``BLOGBINDER_LEXBOR_INCLUDE``, set by ``make``: they come from
selectolax's source distribution), and the C scans of ``scraper/_text_scan.pyx`` with
Cython. ``BLOGBINDER_PURE=1`` installs the Python sources only;
so does a machine where mypyc, Cython or a C compiler is missing (each compiled module is
optional). Which code runs is decided on import: scraper/_compiled.py and
scraper/extract/_walk.py."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from setuptools import setup

HERE = Path(__file__).resolve().parent


def lexbor_walk() -> list[Any]:
    """The Cython tree walks, when Cython and lexbor's headers are at hand."""
    include = os.environ.get("BLOGBINDER_LEXBOR_INCLUDE", "")
    if not include or not (Path(include) / "lexbor" / "core" / "base.h").is_file():
        return []
    try:
        import selectolax
        from Cython.Build import cythonize
        from setuptools import Extension
    except ImportError:
        return []
    extension = Extension(
        "scraper._lexbor_walk",
        ["scraper/_lexbor_walk.pyx"],
        include_dirs=[include],
        define_macros=[
            ("LEXBOR_STATIC", None),  # (selectolax links lexbor statically)
            ("BB_SELECTOLAX_VERSION", f'"{selectolax.__version__}"'),
        ],
        optional=True,
    )
    site = str(Path(selectolax.__file__).resolve().parent.parent)  # (selectolax's .pxd)
    return list(cythonize([extension], include_path=[site], quiet=True))


def text_scan() -> list[Any]:
    """The Cython scans of bytes and strings (no headers needed), when Cython is at hand."""
    try:
        from Cython.Build import cythonize
        from setuptools import Extension
    except ImportError:
        return []
    extension = Extension("scraper._text_scan", ["scraper/_text_scan.pyx"], optional=True)
    return list(cythonize([extension], quiet=True))


def compiled_extensions() -> list[Any]:
    if os.environ.get("BLOGBINDER_PURE") == "1":
        return []
    walks = lexbor_walk() + text_scan()
    try:
        from mypyc.build import mypycify
    except ImportError:
        return walks
    package = HERE / "scraper" / "extract"
    sources = sorted(
        str(path.relative_to(HERE))
        for path in package.rglob("*.py")
        if path != package / "__init__.py"
    )
    extensions = mypycify(sources, opt_level="3")
    for extension in extensions:
        extension.optional = True  # a failed compile leaves the Python sources in charge
    return [*walks, *extensions]


setup(ext_modules=compiled_extensions())

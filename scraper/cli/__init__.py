"""The command line: the composition root that wires scraper, storage and archive."""

from __future__ import annotations

from . import commands  # noqa: F401  (registers the subcommands on ``cli``)
from .app import cli, main

__all__ = ["cli", "main"]

"""Imports every command module so that each registers itself on ``cli``."""

from __future__ import annotations

from . import (
    cmd_crawl,
    cmd_db,
    cmd_demo,
    cmd_export,
    cmd_extract,
    cmd_query,
    cmd_run,
    cmd_sites,
    cmd_worker,
)

__all__ = [
    "cmd_crawl",
    "cmd_db",
    "cmd_demo",
    "cmd_export",
    "cmd_extract",
    "cmd_query",
    "cmd_run",
    "cmd_sites",
    "cmd_worker",
]

"""Parsing and checking of command-line values (dates, URLs, database URLs, paths)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from urllib.parse import urlsplit

import click

from ..errors import UsageError

__all__ = ["DEFAULT_DB", "check_url", "db_option", "parse_when", "resolve_db"]

DEFAULT_DB = "sqlite:///blogbinder.db"


def resolve_db(value: str | None) -> str:
    """--db, else $BLOGBINDER_DB, else SQLite in the working directory."""
    url = value or os.environ.get("BLOGBINDER_DB") or DEFAULT_DB
    if "://" not in url:
        raise UsageError("not a database URL (expected e.g. sqlite:///blog.db)", url)
    return url


db_option = click.option(
    "--db",
    "db_url",
    metavar="DATABASE_URL",
    default=None,
    help="SQLAlchemy URL (default $BLOGBINDER_DB or sqlite:///blogbinder.db).",
)


def check_url(value: str) -> str:
    """An absolute http(s) URL, or UsageError."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError("not an http(s) URL", value)
    return value.strip()


def parse_when(value: str | None, option: str) -> datetime | None:
    """An ISO 8601 date or datetime for --since/--until/--fetched-at; naive means UTC."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{option}: not an ISO 8601 date (e.g. 2024-05-01)", value) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed

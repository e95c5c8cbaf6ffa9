"""Pure helpers that turn names and URLs into the keys rows are de-duplicated by."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from scraper.errors import UsageError
from scraper.model import Post

__all__ = [
    "as_utc",
    "content_hash",
    "content_dict",
    "name_key",
    "period_end",
    "period_start",
    "site_key",
    "url_key",
]

_DEFAULT_PORTS = {"http": 80, "https": 443}
_HOST = re.compile(r"[\w.:-]+")


def site_key(url: str) -> str:
    """``scheme://host[:port]`` of ``url``, lower-cased; a bare host means https."""
    raw = url.strip()
    if "://" not in raw:
        raw = "https://" + raw
    parts = urlsplit(raw)
    if not parts.scheme or not parts.hostname or not _HOST.fullmatch(parts.hostname):
        raise UsageError("not a site URL (expected scheme://host)", url)
    host = parts.hostname.lower()
    port = parts.port
    if port is not None and _DEFAULT_PORTS.get(parts.scheme.lower()) != port:
        host = f"{host}:{port}"
    return f"{parts.scheme.lower()}://{host}"


# A few thousand entries hold what a crawl or an export revisits (a page's aliases, the
# links of the posts around it); 65,536 kept every URL of a 20,000-post crawl alive
# (about 6 MB, growing with the crawl).
@lru_cache(maxsize=4096)
def url_key(url: str) -> str:
    """A URL reduced for matching links to posts: http and https alike, host lower-cased,
    default port, fragment and trailing slash dropped. Two spellings of one page share
    a key; the stored URLs themselves are kept as given."""
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port is not None and _DEFAULT_PORTS.get(scheme) != parts.port:
        host = f"{host}:{parts.port}"
    if scheme == "http":
        scheme = "https"
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, host, path, parts.query, ""))


def name_key(name: str) -> str:
    """Case-folded, accent-stable, whitespace-collapsed form of a person or tag name."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def content_dict(post: Post, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """``post.to_dict()`` (or ``data``, that dict made already) without ``fetched_at``:
    what versions are compared on."""
    content = dict(post.to_dict() if data is None else data)
    content.pop("fetched_at", None)
    return content


def content_hash(post: Post, data: dict[str, Any] | None = None) -> str:
    """sha256 of the canonical JSON of :func:`content_dict`."""
    blob = json.dumps(
        content_dict(post, data), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def as_utc(value: datetime) -> datetime:
    """Aware UTC datetime; naive values are taken to be UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def period_start(value: date | datetime) -> datetime:
    """Lower bound of a ``since`` filter: a date means its first instant (UTC)."""
    if isinstance(value, datetime):
        return as_utc(value)
    return datetime.combine(value, time.min, tzinfo=UTC)


def period_end(value: date | datetime) -> tuple[datetime, bool]:
    """Upper bound of an ``until`` filter and whether it is inclusive.

    A date includes the whole day (exclusive bound at the next midnight UTC)."""
    if isinstance(value, datetime):
        return as_utc(value), True
    return datetime.combine(value + timedelta(days=1), time.min, tzinfo=UTC), False

"""Dates found in sitemaps and feeds (W3C datetime, RFC 3339, RFC 822)."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = ["optional_date"]


def optional_date(text: str | None) -> datetime | None:
    """A timezone-aware datetime, or ``None`` when the field is absent or unreadable.

    A bad ``lastmod`` is not an error: the URL is still crawled, just never
    skipped as unchanged. Naive values are taken as UTC.
    """
    if not text:
        return None
    value = text.strip()
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed

"""URL keys for matching links to archived posts, and safe Markdown destinations."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, unquote, urljoin, urlsplit

__all__ = ["host_of", "link_destination", "url_key"]

_DEFAULT_PORTS = {"http": 80, "https": 443}
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


_ABSOLUTE = re.compile(r"\s*https?://", re.I)


def url_key(url: str, base: str | None = None) -> str | None:
    """A comparison key: scheme-less, host lowercased, default port, fragment and
    trailing slash dropped, percent-encoding normalised. None for non-web URLs.

    A relative ``url`` is first resolved against ``base``.
    """
    if base is not None and not _ABSOLUTE.match(url):
        url = urljoin(base, url.strip())
    return _key(url)


@lru_cache(maxsize=1 << 16)
def _key(url: str) -> str | None:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    path = quote(unquote(parts.path), safe=_PATH_SAFE).rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"//{host}{path}{query}"


def host_of(site: str, url: str) -> str:
    """The host (with a non-default port) a post belongs to, lowercased."""
    for candidate in (site, url):
        key = url_key(candidate) if candidate else None
        if key is not None:
            return key[2:].split("/", 1)[0].split("?", 1)[0]
    return ""


_UNSAFE = re.compile(r"[\s()<>\\\x00-\x1f\x7f]")


def link_destination(target: str) -> str:
    """``target`` written so that a Markdown inline link keeps it intact."""
    if not _UNSAFE.search(target):
        return target
    cleaned = "".join(
        quote(ch) if ch in "<>\\" or ord(ch) < 0x20 or ord(ch) == 0x7F else ch for ch in target
    )
    if any(ch in cleaned for ch in " ()"):
        return f"<{cleaned}>"
    return cleaned

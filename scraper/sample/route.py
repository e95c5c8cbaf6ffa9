"""One canned HTTP response of the sample site, and the path normalisation used to key them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

__all__ = ["DEFAULT_LAST_MODIFIED", "Route", "normalize_path"]

#: Last-Modified sent for routes that do not set their own (an HTTP-date).
DEFAULT_LAST_MODIFIED = "Mon, 01 Jan 2024 00:00:00 GMT"


@dataclass(frozen=True, slots=True)
class Route:
    """What the server answers for one path (+query).

    ``headers`` are sent as they are (e.g. ``Location`` for a redirect, ``Retry-After``).
    ``last_modified`` is an HTTP-date (None: send no Last-Modified). ``delay`` is an artificial
    wait, in seconds, before the response is written (for politeness and timeout tests).
    ETag and conditional requests (304) apply to 200 responses only.
    """

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: Mapping[str, str] = field(default_factory=dict)
    last_modified: str | None = DEFAULT_LAST_MODIFIED
    delay: float = 0.0

    @classmethod
    def html(cls, text: str, *, status: int = 200, last_modified: str | None = None) -> Route:
        return cls(
            body=text.encode("utf-8"),
            status=status,
            last_modified=last_modified or DEFAULT_LAST_MODIFIED,
        )

    @classmethod
    def xml(cls, text: str, *, content_type: str = "application/xml; charset=utf-8") -> Route:
        return cls(body=text.encode("utf-8"), content_type=content_type)

    @classmethod
    def text(cls, text: str) -> Route:
        return cls(body=text.encode("utf-8"), content_type="text/plain; charset=utf-8")

    @classmethod
    def redirect(cls, location: str, status: int = 301) -> Route:
        return cls(status=status, headers={"Location": location}, last_modified=None)


def normalize_path(target: str) -> str:
    """The lookup key for a request target or route path.

    Percent-escapes in the path are decoded and re-encoded one canonical way (upper-case hex,
    UTF-8), so ``/post/caf%c3%a9``, ``/post/caf%C3%A9`` and ``/post/café`` are one key. A path
    that arrives as raw UTF-8 bytes (read by http.server as Latin-1) is repaired first. The query,
    if any, is kept as it is.
    """
    path, sep, query = target.partition("?")
    try:
        path = path.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    path = quote(unquote(path, errors="replace"), safe="/-._~!$&'()*+,;=:@")
    return path + sep + query if query else path

"""The one exception hierarchy of blogbinder.

Every error names what it failed on (a URL, a path, a database URL or an input
value) and carries the process exit code the command line uses for it::

    BlogbinderError                 exit 1, base of everything we raise
    ├── UsageError                  exit 2, a bad flag value, URL, date or path
    ├── CrawlerError
    │   ├── FetchError              a page could not be fetched
    │   │   ├── HTTPStatusError     the server answered 4xx/5xx
    │   │   ├── FetchTimeout        connect/read timed out
    │   │   ├── ConnectError        nothing listening, DNS failure, reset
    │   │   ├── TooLarge            body over the size cap (after decompression)
    │   │   ├── RedirectError       too many redirects or a redirect loop
    │   │   ├── OutOfScope          scheme/host not allowed (incl. private IPs)
    │   │   └── RobotsDisallowed    robots.txt forbids the URL
    │   └── DiscoveryError          a sitemap/feed/list page could not be read
    ├── ExtractionError             a page could not be turned into a post
    ├── StorageError                the database could not be opened or written
    └── ExportError                 an archive could not be written

Failures are raised, never signalled by returning ``None``.
"""

from __future__ import annotations

__all__ = [
    "BlogbinderError",
    "ConnectError",
    "CrawlerError",
    "DiscoveryError",
    "ExportError",
    "ExtractionError",
    "FetchError",
    "FetchTimeout",
    "HTTPStatusError",
    "OutOfScope",
    "RedirectError",
    "RobotsDisallowed",
    "StorageError",
    "TooLarge",
    "UsageError",
]


class BlogbinderError(Exception):
    """Base class. ``target`` is the URL, path or input the error is about."""

    exit_code = 1
    kind = "error"

    def __init__(self, message: str, target: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.target = target

    def __str__(self) -> str:
        if self.target and self.target not in self.message:
            return f"{self.message}: {self.target}"
        return self.message


class UsageError(BlogbinderError):
    """A bad command-line value (URL, date, path, option)."""

    exit_code = 2
    kind = "usage"


class CrawlerError(BlogbinderError):
    kind = "crawl"


class FetchError(CrawlerError):
    """A page could not be fetched. ``retryable`` says whether trying again may help."""

    kind = "fetch"
    retryable = False

    def __init__(self, message: str, url: str) -> None:
        super().__init__(message, url)

    @property
    def url(self) -> str:
        return self.target or ""


class HTTPStatusError(FetchError):
    kind = "http_status"

    def __init__(
        self, message: str, url: str, status_code: int, retry_after: float | None = None
    ) -> None:
        super().__init__(message, url)
        self.status_code = status_code
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:  # type: ignore[override]
        return self.status_code == 429 or self.status_code >= 500


class FetchTimeout(FetchError):
    kind = "timeout"
    retryable = True


class ConnectError(FetchError):
    kind = "connect"
    retryable = True


class TooLarge(FetchError):
    kind = "too_large"


class RedirectError(FetchError):
    kind = "redirect"


class OutOfScope(FetchError):
    kind = "out_of_scope"


class RobotsDisallowed(FetchError):
    kind = "robots"


class DiscoveryError(CrawlerError):
    kind = "discovery"


class ExtractionError(BlogbinderError):
    kind = "extraction"


class StorageError(BlogbinderError):
    kind = "storage"


class ExportError(BlogbinderError):
    kind = "export"

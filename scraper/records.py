"""What the crawler hands to storage, and the storage interface it needs.

The crawler (``scraper.crawl``) never imports ``storage``: it talks to any
object that satisfies :class:`CrawlStore`. ``storage`` implements it over
SQLAlchemy; tests may implement it in memory. Dependencies point one way:
``scraper.model``/``scraper.records`` <- ``storage`` <- the CLI.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from .errors import BlogbinderError
from .model import Post

__all__ = [
    "CrawlStore",
    "FetchedPage",
    "FrontierItem",
    "ItemKind",
    "Outcome",
    "RunStats",
    "Validators",
    "TRAP_SOURCES",
    "TRAP_WARNING",
    "body_hash",
]

ItemKind = Literal["post", "list", "unknown"]
Outcome = Literal["new", "changed", "unchanged", "not_modified", "not_post", "failed", "skipped"]


def body_hash(body: bytes) -> str:
    """The content hash used for snapshots and change detection (sha256 hex)."""
    return hashlib.sha256(body).hexdigest()


@dataclass(frozen=True, slots=True)
class FrontierItem:
    """A URL to visit. ``kind`` is what discovery believes it is."""

    url: str
    kind: ItemKind = "unknown"
    source: str = "seed"  # seed | robots | sitemap | feed | list | link
    depth: int = 0
    lastmod: datetime | None = None

    @property
    def trap_candidate(self) -> bool:
        """Whether the item counts towards ``max_per_pattern``: a non-post page reached
        by links or from a list page."""
        return self.kind != "post" and self.source in TRAP_SOURCES


TRAP_SOURCES = ("link", "list")
"""Sources whose non-post items count towards ``max_per_pattern`` (crawler traps)."""
TRAP_WARNING = (
    "not following more than %d pages shaped like %s (a crawler trap?); "
    "raise --max-per-pattern to go on"
)
"""The log line for a pattern that reached the cap (arguments: the cap, the pattern)."""


@dataclass(frozen=True, slots=True)
class Validators:
    """What the last successful fetch of a URL left for the next one."""

    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    lastmod: datetime | None = None


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """One HTTP exchange. ``status`` 304 means not modified (empty body)."""

    url: str
    final_url: str
    status: int
    body: bytes
    fetched_at: datetime
    elapsed: float = 0.0
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def body_hash(self) -> str:
        return body_hash(self.body)


@dataclass(slots=True)
class RunStats:
    discovered: int = 0
    fetched: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    not_modified: int = 0
    failed: int = 0
    skipped: int = 0
    errors: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "discovered": self.discovered,
            "fetched": self.fetched,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "not_modified": self.not_modified,
            "failed": self.failed,
            "skipped": self.skipped,
            "errors": dict(self.errors),
        }


class CrawlStore(Protocol):
    """Persistence the crawler needs. Every method commits before it returns."""

    def begin_run(self, site: str) -> int:
        """Start a run for ``site`` or, if one was left unfinished, resume it."""
        ...

    def enqueue(self, run_id: int, items: Sequence[FrontierItem]) -> int:
        """Add items to the run's frontier, ignoring known URLs; return how many were new."""
        ...

    def pending(self, run_id: int, limit: int, new_first: bool = False) -> list[FrontierItem]:
        """Items of the run not yet done, oldest first; with ``new_first``, URLs never
        fetched before (in any run) ahead of the others."""
        ...

    def validators(self, url: str) -> Validators | None:
        """ETag, Last-Modified, body hash and sitemap lastmod of the last good fetch."""
        ...

    def save_page(
        self, run_id: int, item: FrontierItem, page: FetchedPage, post: Post | None
    ) -> Outcome:
        """Record a fetch (and its post, if any) and mark the item done, in one transaction."""
        ...

    def save_skip(self, run_id: int, item: FrontierItem, reason: str) -> None:
        """Mark an item done without fetching it (e.g. sitemap lastmod unchanged)."""
        ...

    def save_failure(self, run_id: int, item: FrontierItem, error: BlogbinderError) -> None:
        """Record a failed item with its reason and mark it done."""
        ...

    def run_stats(self, run_id: int) -> RunStats:
        """Counts computed from what the run has recorded so far (resume-safe)."""
        ...

    def finish_run(self, run_id: int, status: str) -> RunStats:
        """Close the run with ``status`` (completed | interrupted | failed) and return its stats."""
        ...

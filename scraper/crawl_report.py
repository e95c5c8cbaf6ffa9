"""What a crawl reports: progress events while it runs and a summary when it ends."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from .records import RunStats

__all__ = ["CrawlProgress", "CrawlSummary", "ProgressCallback"]


@dataclass(frozen=True, slots=True)
class CrawlProgress:
    """Counts for a progress display, sent after discovery and after every item."""

    site: str
    discovered: int  # URLs in the run's frontier
    fetched: int  # pages fetched (incl. 304s) in this run
    failed: int
    skipped: int
    in_flight: int
    phase: Literal["discovery", "crawl", "done"] = "crawl"
    url: str | None = None  # the item just finished


ProgressCallback = Callable[[CrawlProgress], None]


@dataclass(frozen=True, slots=True)
class CrawlSummary:
    start_url: str
    site: str
    run_id: int
    status: str  # completed | interrupted
    stats: RunStats
    elapsed: float
    requests: int  # HTTP requests sent by this process (retries and redirects included)
    resumed: bool
    disallowed: int = 0  # URLs left out because robots.txt disallows them
    discovery_errors: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, object]:
        return {
            "start_url": self.start_url,
            "site": self.site,
            "run_id": self.run_id,
            "status": self.status,
            "stats": self.stats.to_dict(),
            "elapsed": round(self.elapsed, 3),
            "requests": self.requests,
            "resumed": self.resumed,
            "disallowed": self.disallowed,
            "discovery_errors": list(self.discovery_errors),
        }

"""What queue jobs need from the outside, as protocols (the CLI plugs storage in)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal, Protocol

from ..records import FrontierItem, RunStats

__all__ = ["Claim", "Frontier", "SharedGate"]

Claim = Literal["go", "done", "taken", "spent", "closed"]
"""Whether a page job may fetch its item: go, or why not (see :meth:`Frontier.claim`)."""


class Frontier(Protocol):
    """A run's frontier shared by all workers (``storage.QueueStore``)."""

    def add_new(
        self,
        run_id: int,
        items: Sequence[FrontierItem],
        max_per_pattern: int | None = None,
        pattern: Callable[[str], str] | None = None,
    ) -> list[FrontierItem]:
        """Insert items; return only those that were not there yet. Non-post items from
        links or list pages beyond ``max_per_pattern`` per ``pattern(url)`` in the run
        are dropped."""
        ...

    def is_open(self, run_id: int, url: str) -> bool:
        """Whether the item still needs work."""
        ...

    def claim(self, run_id: int, url: str, max_pages: int | None, holder: str) -> Claim:
        """Take one page of the run's ``max_pages`` budget for the item, atomically across
        workers: go (fetch it; also when ``holder`` claimed it before), done (no longer
        pending), taken (another job holds it), spent (budget used up), closed (the run
        is not running)."""
        ...

    def finish_if_drained(self, run_id: int, max_pages: int | None = None) -> RunStats | None:
        """Close the run when nothing is pending, or when the ``max_pages`` budget is used
        up and no claimed item is still in progress."""
        ...


class SharedGate(Protocol):
    """Per-host politeness across processes (``storage.SharedHostGate``). Blocking calls;
    the lease is opaque and goes back to :meth:`release`."""

    def acquire(self, host: str, concurrency: int, delay: float, lease: float) -> Any: ...

    def sent(self, lease: Any, delay: float) -> None: ...

    def release(self, lease: Any, delay: float) -> None: ...

    def set_crawl_delay(self, host: str, seconds: float | None) -> None: ...

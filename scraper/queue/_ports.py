"""What queue jobs need from the outside, as protocols (the CLI plugs storage in)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from ..records import FrontierItem, RunStats

__all__ = ["Frontier", "SharedGate"]


class Frontier(Protocol):
    """A run's frontier shared by all workers (``storage.QueueStore``)."""

    def add_new(self, run_id: int, items: Sequence[FrontierItem]) -> list[FrontierItem]:
        """Insert items; return only those that were not there yet."""
        ...

    def is_open(self, run_id: int, url: str) -> bool:
        """Whether the item still needs work."""
        ...

    def finish_if_drained(self, run_id: int) -> RunStats | None:
        """Close the run when nothing is pending."""
        ...


class SharedGate(Protocol):
    """Per-host politeness across processes (``storage.SharedHostGate``). Blocking calls;
    the lease is opaque and goes back to :meth:`release`."""

    def acquire(self, host: str, concurrency: int, delay: float, lease: float) -> Any: ...

    def sent(self, lease: Any, delay: float) -> None: ...

    def release(self, lease: Any, delay: float) -> None: ...

    def set_crawl_delay(self, host: str, seconds: float | None) -> None: ...

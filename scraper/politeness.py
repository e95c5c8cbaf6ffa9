"""Per-host politeness: a concurrency limit, spacing between request starts, and an
adaptive slow-down when latency or errors rise. No HTTP here (see ``scraper.fetch``)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = ["HostGate", "Sleep", "retry_after_seconds"]

Sleep = Callable[[float], Awaitable[None]]


class HostGate:
    """Politeness for one host: a concurrency limit plus spacing between request starts."""

    def __init__(
        self,
        concurrency: int,
        delay: float,
        *,
        adaptive: bool = True,
        max_delay: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.concurrency = max(1, concurrency)
        self.base_delay = delay
        self.adaptive = adaptive
        self.max_delay = max_delay
        self.clock = clock
        self.sleep = sleep
        self.slots = asyncio.Semaphore(self.concurrency)
        self.crawl_delay = 0.0
        self.penalty = 0.0  # extra delay after errors, decays on success
        self.latency: float | None = None  # moving average of response times
        self.next_start = 0.0

    def delay(self) -> float:
        base = max(self.base_delay, self.crawl_delay)
        if not self.adaptive:
            return base
        wanted = self.penalty
        if self.base_delay > 0 and self.latency is not None:
            wanted = max(wanted, self.latency / max(1, self.concurrency))
        return max(base, min(wanted, self.max_delay))

    async def acquire(self) -> None:
        """Wait for a free slot, then until ``delay`` after the previous start on this host."""
        await self.slots.acquire()
        try:
            while True:
                now = self.clock()
                if now >= self.next_start:
                    break
                await self.sleep(self.next_start - now)
            self.next_start = now + self.delay()
        except BaseException:
            self.slots.release()
            raise

    def sent(self, at: float) -> None:
        """The request really went out at ``at`` (later than planned when the loop was busy
        or a connection had to be opened): space the next start from then."""
        self.next_start = max(self.next_start, at + self.delay())

    def release(self, elapsed: float | None, trouble: bool) -> None:
        self.slots.release()
        if not self.adaptive:
            return
        if elapsed is not None:
            self.latency = elapsed if self.latency is None else 0.7 * self.latency + 0.3 * elapsed
        if trouble:
            floor = max(self.base_delay, 0.25)
            self.penalty = min(max(self.penalty * 2, floor), self.max_delay)
        elif self.penalty:
            self.penalty = self.penalty * 0.75 if self.penalty > 0.05 else 0.0


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())

"""A rich progress bar on stderr for crawls (only when stderr is a terminal)."""

from __future__ import annotations

import sys
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from ..crawl import CrawlProgress

__all__ = ["CrawlProgressBar", "stderr_console"]


def stderr_console() -> Console:
    """rich on stderr; when that is not a terminal (a log file), wide enough that a
    summary table keeps its URLs whole instead of cutting them at 80 columns."""
    return Console(file=sys.stderr, width=None if sys.stderr.isatty() else LOG_WIDTH)


LOG_WIDTH = 200


class CrawlProgressBar:
    """Context manager; its ``update`` is the crawler's progress callback.

    Shows discovered, fetched, failed, pages/s and an ETA per site. Does nothing
    when disabled (``--quiet`` or stderr not a terminal).
    """

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self._progress: Progress | None = None
        self._tasks: dict[str, TaskID] = {}
        self._started: dict[str, float] = {}

    def __enter__(self) -> CrawlProgressBar:
        if self.enabled:
            self._progress = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("failed {task.fields[failed]}"),
                TextColumn("{task.fields[rate]:.1f} pages/s"),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=stderr_console(),
                transient=False,
            )
            self._progress.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.__exit__(exc_type, exc, tb)

    def update(self, event: CrawlProgress) -> None:
        progress = self._progress
        if progress is None:
            return
        import time

        now = time.monotonic()
        if event.site not in self._tasks:
            self._tasks[event.site] = progress.add_task(event.site, total=None, failed=0, rate=0.0)
            self._started[event.site] = now
        elapsed = max(now - self._started[event.site], 1e-6)
        progress.update(
            self._tasks[event.site],
            total=max(event.discovered, 1),
            completed=event.fetched + event.failed + event.skipped,
            failed=event.failed,
            rate=event.fetched / elapsed,
        )

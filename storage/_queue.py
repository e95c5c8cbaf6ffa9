"""What queue workers need from the database beyond :class:`scraper.records.CrawlStore`.

* :meth:`QueueStore.add_new`: insert frontier rows and return only the ones that were
  new, so each URL of a run gets exactly one page job however many workers find it
  (the frontier's ``UNIQUE (run_id, url)`` is the de-duplication);
* :meth:`QueueStore.is_open`: whether an item still needs work (a retried job of a
  killed worker returns early when another already finished it);
* :meth:`QueueStore.finish_if_drained`: the last page job of a run closes it;
* :meth:`QueueStore.job_counts`: procrastinate's jobs per site and status.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, func, select, text, update

from scraper.records import FrontierItem, RunStats

from . import _crawl
from . import _models as m
from ._database import Database
from ._sql import chunks, table, upsert

__all__ = ["JobCount", "QueueStore"]


@dataclass(frozen=True, slots=True)
class JobCount:
    """How many jobs of one task for one site are in one status."""

    site: str
    status: str  # procrastinate's: todo | doing | succeeded | failed | cancelled | aborted
    task: str
    count: int

    def to_dict(self) -> dict[str, object]:
        return {"site": self.site, "status": self.status, "task": self.task, "count": self.count}


class QueueStore:
    """The frontier and queue operations of queue workers, over an open database."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add_new(self, run_id: int, items: Sequence[FrontierItem]) -> list[FrontierItem]:
        """Insert the items; return those whose URL was not yet in the run's frontier."""
        unique: dict[str, FrontierItem] = {}
        for item in items:
            unique.setdefault(item.url, item)
        if not unique:
            return []

        def body(conn: Connection) -> list[FrontierItem]:
            added: list[str] = []
            col = table(m.FrontierEntry).c
            for part in chunks(sorted(unique)):
                rows = [_crawl._frontier_row(run_id, unique[url], "pending") for url in part]
                stmt = (
                    upsert(conn.dialect.name, m.FrontierEntry)
                    .values(rows)
                    .on_conflict_do_nothing(index_elements=["run_id", "url"])
                    .returning(col.url)
                )
                added.extend(conn.execute(stmt).scalars())
            return [unique[url] for url in added]

        return self._db._write("adding to the frontier", body)

    def is_open(self, run_id: int, url: str) -> bool:
        """True when the item is pending (not yet done or failed)."""
        state = self._db._read(
            "reading a frontier item",
            lambda c: c.execute(
                select(m.FrontierEntry.state).where(
                    m.FrontierEntry.run_id == run_id, m.FrontierEntry.url == url
                )
            ).scalar(),
        )
        return state == "pending"

    def finish_if_drained(self, run_id: int) -> RunStats | None:
        """Close the run as completed when it is running and nothing is pending; return
        its stats then, else None. Safe to call from many workers at once."""

        def pending_left(conn: Connection) -> bool:
            found = conn.execute(
                select(m.FrontierEntry.id)
                .where(m.FrontierEntry.run_id == run_id, m.FrontierEntry.state == "pending")
                .limit(1)
            ).first()
            return found is not None

        if self._db._read("reading the frontier", pending_left):  # cheap, no lock
            return None

        def body(conn: Connection) -> RunStats | None:
            status = conn.execute(
                select(m.CrawlRun.status).where(m.CrawlRun.id == run_id).with_for_update()
            ).scalar()
            if status != "running":
                return None
            left = conn.execute(
                select(func.count()).where(
                    m.FrontierEntry.run_id == run_id, m.FrontierEntry.state == "pending"
                )
            ).scalar()
            if left:
                return None
            stats = _crawl.run_stats(conn, run_id)
            conn.execute(
                update(m.CrawlRun)
                .where(m.CrawlRun.id == run_id)
                .values(status="completed", finished_at=func.now(), stats=stats.to_dict())
            )
            return stats

        return self._db._write("closing a run", body)

    def job_counts(self, schema: str) -> list[JobCount]:
        """procrastinate's jobs grouped by the ``site`` argument, status and task."""
        query = text(
            f"SELECT args->>'site', status::text, task_name, count(*) FROM \"{schema}\"."
            "procrastinate_jobs GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
        )
        return self._db._read(
            "reading the job queue",
            lambda c: [JobCount(str(a or "-"), b, t, int(n)) for a, b, t, n in c.execute(query)],
        )

"""What queue workers need from the database beyond :class:`scraper.records.CrawlStore`.

* :meth:`QueueStore.add_new`: insert frontier rows and return only the ones that were
  new, so each URL of a run gets exactly one page job however many workers find it
  (the frontier's ``UNIQUE (run_id, url)`` is the de-duplication); with a
  ``max_per_pattern`` cap, non-post pages reached by links beyond the cap per URL
  pattern are dropped, counted across all workers (the crawl's trap bound);
* :meth:`QueueStore.is_open`: whether an item still needs work (a retried job of a
  killed worker returns early when another already finished it);
* :meth:`QueueStore.claim`: with a ``max_pages`` budget, take one page of the run's
  budget for an item, atomically (see below);
* :meth:`QueueStore.finish_if_drained`: the last page job of a run closes it;
* :meth:`QueueStore.job_counts`: procrastinate's jobs per site and status.

The page budget (``--max-pages``) counts what the crawl counts: the run's pages fetched
(fetch rows without an error) plus its failed items, plus, across workers, the items a
page job has claimed and not yet recorded (pending rows whose ``outcome`` is
``claimed``, the job's id in ``detail``). A claim locks the run row (``FOR NO KEY
UPDATE``, so claims of one run take turns while saves go on), counts in one statement
(one snapshot: a save turns a claim into a fetch in one commit, never seen half-done)
and marks the item only when the count is below the budget. N workers therefore never
fetch more than the budget; an item not claimed stays pending, as the crawl leaves it,
and the run closes as completed once no claim is outstanding.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Connection, and_, func, or_, select, text, update

from scraper.records import TRAP_SOURCES, TRAP_WARNING, FrontierItem, RunStats

from . import _crawl
from . import _models as m
from ._database import Database
from ._sql import chunks, table, upsert

__all__ = ["CLAIMED", "Claim", "JobCount", "QueueStore"]

log = logging.getLogger("blogbinder.queue")

CLAIMED = "claimed"
"""The ``outcome`` of a pending frontier item that a page job holds a budget page for."""

Claim = Literal["go", "done", "taken", "spent", "closed"]
"""What :meth:`QueueStore.claim` says: fetch it (go), the item is no longer pending
(done), another job holds it (taken), the run's page budget is used up (spent), the run
is not running (closed)."""

_TRAP_LOCK = 0x62627101  # with the run id: pg_advisory_xact_lock(int, int)


def _budget_used(conn: Connection, run_id: int) -> int:
    """Pages fetched + items failed + items claimed, in one statement (one snapshot)."""
    entry = m.FrontierEntry
    fetched = (
        select(func.count())
        .select_from(m.Fetch)
        .where(m.Fetch.run_id == run_id, m.Fetch.error_kind.is_(None))
        .scalar_subquery()
    )
    held = (
        select(func.count())
        .select_from(entry)
        .where(
            entry.run_id == run_id,
            or_(entry.state == "failed", and_(entry.state == "pending", entry.outcome == CLAIMED)),
        )
        .scalar_subquery()
    )
    return int(conn.execute(select(fetched + held)).scalar_one())


def _open_items(conn: Connection, run_id: int) -> tuple[int, int]:
    """(pending items, of which claimed) of the run, in one statement."""
    entry = m.FrontierEntry
    claimed = func.count().filter(entry.outcome == CLAIMED)
    row = conn.execute(
        select(func.count(), claimed).where(entry.run_id == run_id, entry.state == "pending")
    ).one()
    return int(row[0]), int(row[1])


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
        self._warned: set[tuple[int, str]] = set()  # (run, pattern) trap warnings logged

    def add_new(
        self,
        run_id: int,
        items: Sequence[FrontierItem],
        max_per_pattern: int | None = None,
        pattern: Callable[[str], str] | None = None,
    ) -> list[FrontierItem]:
        """Insert the items; return those whose URL was not yet in the run's frontier.

        With ``max_per_pattern`` and ``pattern``: a non-post item from links or a list
        page (source link|list) whose ``pattern(url)`` already has that many such items
        in the run is dropped (the crawl's bound on crawler traps). Those inserts take
        turns per run (a transaction-level advisory lock), so the cap holds across
        workers."""
        unique: dict[str, FrontierItem] = {}
        for item in items:
            unique.setdefault(item.url, item)
        if not unique:
            return []
        cap = max_per_pattern if pattern is not None else None
        capped = sorted(u for u, i in unique.items() if i.trap_candidate)

        def body(conn: Connection) -> list[FrontierItem]:
            wanted = dict(unique)
            if cap is not None and pattern is not None and capped:
                for url in self._trapped(conn, run_id, capped, cap, pattern):
                    del wanted[url]
            added: list[str] = []
            col = table(m.FrontierEntry).c
            for part in chunks(sorted(wanted)):
                rows = [_crawl._frontier_row(run_id, wanted[url], "pending") for url in part]
                stmt = (
                    upsert(conn.dialect.name, m.FrontierEntry)
                    .values(rows)
                    .on_conflict_do_nothing(index_elements=["run_id", "url"])
                    .returning(col.url)
                )
                added.extend(conn.execute(stmt).scalars())
            return [unique[url] for url in added]

        return self._db._write("adding to the frontier", body)

    def _trapped(
        self,
        conn: Connection,
        run_id: int,
        urls: Sequence[str],
        cap: int,
        pattern: Callable[[str], str],
    ) -> list[str]:
        """Which of ``urls`` (capped candidates, sorted) would go beyond ``cap`` items of
        their pattern in the run. Takes the run's trap lock until the transaction ends."""
        if conn.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(_TRAP_LOCK, run_id)))
        entry = m.FrontierEntry
        present: set[str] = set()
        for part in chunks(urls):
            present.update(
                conn.execute(
                    select(entry.url).where(entry.run_id == run_id, entry.url.in_(part))
                ).scalars()
            )
        counts = Counter(
            pattern(url)
            for url in conn.execute(
                select(entry.url).where(
                    entry.run_id == run_id, entry.kind != "post", entry.source.in_(TRAP_SOURCES)
                )
            ).scalars()
        )
        out = []
        for url in urls:
            if url in present:
                continue  # already in the frontier: not new, not counted again
            key = pattern(url)
            if counts[key] >= cap:
                out.append(url)
                if (run_id, key) not in self._warned:
                    self._warned.add((run_id, key))
                    log.warning(TRAP_WARNING, cap, key)
                continue
            counts[key] += 1
        return out

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

    def claim(self, run_id: int, url: str, max_pages: int | None, holder: str) -> Claim:
        """May the caller (a page job, named ``holder``) fetch this item now?

        Without a budget: go while the item is pending, else done. With ``max_pages``:
        under the run row's lock, go when the holder already claimed it (a retried job)
        or when the run's pages fetched + failed + claimed are below ``max_pages`` (the
        item is then marked claimed by ``holder``); spent when they are not; taken when
        another job holds it; closed when the run is not running. Safe from many workers
        at once: claims of one run take turns, and the count is one snapshot."""
        if max_pages is None:
            return "go" if self.is_open(run_id, url) else "done"
        entry = m.FrontierEntry

        def body(conn: Connection) -> Claim:
            status = conn.execute(
                select(m.CrawlRun.status)
                .where(m.CrawlRun.id == run_id)
                .with_for_update(key_share=True)  # FOR NO KEY UPDATE: saves need not wait
            ).scalar()
            if status != "running":
                return "closed"
            row = conn.execute(
                select(entry.state, entry.outcome, entry.detail)
                .where(entry.run_id == run_id, entry.url == url)
                .with_for_update()
            ).first()
            if row is None or row.state != "pending":
                return "done"
            if row.outcome == CLAIMED:
                return "go" if row.detail == holder else "taken"
            if _budget_used(conn, run_id) >= max_pages:
                return "spent"
            conn.execute(
                update(entry)
                .where(entry.run_id == run_id, entry.url == url)
                .values(outcome=CLAIMED, detail=holder)
            )
            return "go"

        return self._db._write("claiming a frontier item", body)

    def finish_if_drained(self, run_id: int, max_pages: int | None = None) -> RunStats | None:
        """Close the run as completed when it is running and nothing is pending (or, with
        ``max_pages``, when its budget is used up and no claimed item is still being
        worked on; the unclaimed items stay pending, as a crawl stopped by
        ``--max-pages`` leaves them); return its stats then, else None. Safe to call from
        many workers at once."""

        def still_open(conn: Connection) -> bool:
            entry = m.FrontierEntry
            where = [entry.run_id == run_id, entry.state == "pending"]
            if max_pages is not None:
                where.append(entry.outcome == CLAIMED)
            return conn.execute(select(entry.id).where(*where).limit(1)).first() is not None

        if self._db._read("reading the frontier", still_open):  # cheap, no lock
            return None

        def body(conn: Connection) -> RunStats | None:
            status = conn.execute(
                select(m.CrawlRun.status).where(m.CrawlRun.id == run_id).with_for_update()
            ).scalar()
            if status != "running":
                return None
            pending, claimed = _open_items(conn, run_id)
            if claimed:
                return None
            if pending and (max_pages is None or _budget_used(conn, run_id) < max_pages):
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

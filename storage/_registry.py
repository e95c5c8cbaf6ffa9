"""The site registry, the run lock and the reports of scheduled runs.

:class:`Scheduler` works on an open :class:`storage.Database`. The run lock makes
``blogbinder run`` cron-safe: on PostgreSQL it is a session advisory lock held on a
dedicated connection (it dies with the process); on SQLite it is a ``run_locks`` row
naming its holder (pid, host) with a heartbeat, taken over when the holder is gone
(a dead pid on this host, or a heartbeat older than ``stale_after`` seconds).
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, RowMapping, delete, insert, select, text, update

from scraper.errors import UsageError

from . import _models as m
from . import _schedule as s
from ._database import Database
from ._keys import site_key, url_key
from ._sql import table

__all__ = ["RunLockHandle", "ScheduleReportInfo", "ScheduledSiteInfo", "Scheduler"]

_DISCOVERY_SOURCES = ("seed", "robots", "sitemap", "feed", "list")


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class ScheduledSiteInfo:
    """A registered site: its start URL, interval, stored crawl options and schedule."""

    url: str
    every_seconds: int
    options: Mapping[str, Any]
    origin: str
    next_due_at: datetime
    last_run_at: datetime | None
    last_status: str | None

    def to_dict(self) -> dict[str, object]:
        return {
            "url": self.url,
            "every_seconds": self.every_seconds,
            "options": dict(self.options),
            "origin": self.origin,
            "next_due_at": self.next_due_at.isoformat(),
            "last_run_at": self.last_run_at.isoformat() if self.last_run_at else None,
            "last_status": self.last_status,
        }


@dataclass(frozen=True, slots=True)
class ScheduleReportInfo:
    """What one scheduled crawl of a site found."""

    site_url: str
    run_id: int | None
    started_at: datetime
    finished_at: datetime
    status: str
    new: int
    changed: int
    vanished: int
    error: str | None

    def to_dict(self) -> dict[str, object]:
        return {
            "site": self.site_url,
            "run_id": self.run_id,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat(),
            "status": self.status,
            "new": self.new,
            "changed": self.changed,
            "vanished": self.vanished,
            "error": self.error,
        }


def _site_info(row: RowMapping) -> ScheduledSiteInfo:
    return ScheduledSiteInfo(
        url=row["url"],
        every_seconds=row["every_seconds"],
        options=dict(row["options"]),
        origin=row["origin"],
        next_due_at=_aware(row["next_due_at"]),
        last_run_at=_aware(row["last_run_at"]) if row["last_run_at"] else None,
        last_status=row["last_status"],
    )


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class RunLockHandle:
    """A held run lock; :meth:`release` it (also a context manager). On SQLite a thread
    refreshes the heartbeat every ``beat`` seconds while it is held."""

    def __init__(self, scheduler: Scheduler, name: str, token: str, conn: Connection | None):
        self._scheduler = scheduler
        self.name = name
        self.token = token
        self._conn = conn  # PostgreSQL: the session holding the advisory lock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start_heartbeat(self, beat: float) -> None:
        if self._conn is not None:
            return

        def loop() -> None:
            while not self._stop.wait(beat):
                self._scheduler._beat(self.name, self.token)

        self._thread = threading.Thread(target=loop, name="run-lock-heartbeat", daemon=True)
        self._thread.start()

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._conn is not None:
            try:
                self._conn.execute(
                    text("SELECT pg_advisory_unlock(:k)"), {"k": _lock_key(self.name)}
                )
                self._conn.commit()
            finally:
                self._conn.close()
                self._conn = None
        else:
            self._scheduler._unlock(self.name, self.token)

    def __enter__(self) -> RunLockHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _lock_key(name: str) -> int:
    return 0x62620000 + (zlib.crc32(name.encode()) & 0xFFFF)


class Scheduler:
    """Registry, lock and report operations over an open database."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- registry -------------------------------------------------------------------

    def sites(self) -> list[ScheduledSiteInfo]:
        t = table(s.ScheduledSite)
        return self._db._read(
            "listing scheduled sites",
            lambda c: [_site_info(r) for r in c.execute(select(t).order_by(t.c.url)).mappings()],
        )

    def site(self, url: str) -> ScheduledSiteInfo:
        found = [x for x in self.sites() if x.url == url.strip()]
        if not found:
            raise UsageError("no such site in the registry (see blogbinder sites list)", url)
        return found[0]

    def add(
        self,
        url: str,
        every_seconds: int,
        options: Mapping[str, Any],
        *,
        origin: str = "cli",
        replace: bool = False,
    ) -> ScheduledSiteInfo:
        """Register ``url``; with ``replace`` an existing entry takes the new interval and
        options (its schedule is kept), otherwise an existing entry is a UsageError."""
        if every_seconds < 60:
            raise UsageError("the interval must be at least one minute", str(every_seconds))
        site_key(url)  # validates
        url = url.strip()
        now = _now()

        def body(conn: Connection) -> None:
            exists = conn.execute(
                select(s.ScheduledSite.id).where(s.ScheduledSite.url == url)
            ).scalar()
            if exists is None:
                conn.execute(
                    insert(s.ScheduledSite).values(
                        url=url,
                        every_seconds=every_seconds,
                        options=dict(options),
                        origin=origin,
                        created=now,
                        next_due_at=now,
                    )
                )
            elif replace:
                conn.execute(
                    update(s.ScheduledSite)
                    .where(s.ScheduledSite.id == exists)
                    .values(every_seconds=every_seconds, options=dict(options))
                )
            else:
                raise UsageError("site already registered (use blogbinder sites set)", url)

        self._db._write("registering a site", body)
        return self.site(url)

    def update(
        self, url: str, every_seconds: int | None, options: Mapping[str, Any] | None
    ) -> ScheduledSiteInfo:
        """Change a site's interval and/or options (merged over the stored ones)."""
        current = self.site(url)
        if every_seconds is not None and every_seconds < 60:
            raise UsageError("the interval must be at least one minute", str(every_seconds))
        merged = {**current.options, **(options or {})}
        values: dict[str, Any] = {"options": merged}
        if every_seconds is not None:
            values["every_seconds"] = every_seconds
            base = current.last_run_at or current.next_due_at
            values["next_due_at"] = base + timedelta(seconds=every_seconds)
        self._db._write(
            "updating a site",
            lambda c: c.execute(
                update(s.ScheduledSite).where(s.ScheduledSite.url == current.url).values(**values)
            ),
        )
        return self.site(url)

    def remove(self, url: str) -> None:
        def body(conn: Connection) -> None:
            gone = conn.execute(delete(s.ScheduledSite).where(s.ScheduledSite.url == url.strip()))
            if gone.rowcount == 0:
                raise UsageError("no such site in the registry", url)

        self._db._write("removing a site", body)

    def due(self, now: datetime | None = None) -> list[ScheduledSiteInfo]:
        moment = now or _now()
        return [x for x in self.sites() if x.next_due_at <= moment]

    def mark_ran(self, url: str, status: str, when: datetime | None = None) -> None:
        moment = when or _now()
        current = self.site(url)
        self._db._write(
            "scheduling the next run",
            lambda c: c.execute(
                update(s.ScheduledSite)
                .where(s.ScheduledSite.url == current.url)
                .values(
                    last_run_at=moment,
                    last_status=status,
                    next_due_at=moment + timedelta(seconds=current.every_seconds),
                )
            ),
        )

    # -- vanished posts -------------------------------------------------------------

    def discovered_urls(self, run_id: int) -> list[str]:
        """URLs the run's discovery (robots, sitemaps, feeds, list pages) put in its frontier."""
        return self._db._read(
            "reading a run's frontier",
            lambda c: list(
                c.execute(
                    select(m.FrontierEntry.url).where(
                        m.FrontierEntry.run_id == run_id,
                        m.FrontierEntry.source.in_(_DISCOVERY_SOURCES),
                    )
                ).scalars()
            ),
        )

    def gone_post_ids(self, site: str) -> set[int]:
        key = site_key(site)
        return self._db._read(
            "reading gone posts",
            lambda c: set(
                c.execute(
                    select(m.Post.id)
                    .join(m.Site, m.Site.id == m.Post.site_id)
                    .where(m.Site.url == key, m.Post.gone.is_(True))
                ).scalars()
            ),
        )

    def mark_vanished(self, site: str, present: Iterable[str]) -> int:
        """Mark the site's posts missing from ``present`` as gone; return how many were
        newly marked."""
        before = self.gone_post_ids(site)
        self._db.mark_gone(site, [u for u in present if url_key(u)])
        return len(self.gone_post_ids(site) - before)

    # -- reports --------------------------------------------------------------------

    def add_report(self, report: ScheduleReportInfo) -> None:
        self._db._write(
            "saving a run report",
            lambda c: c.execute(
                insert(s.ScheduleReport).values(
                    site_url=report.site_url,
                    run_id=report.run_id,
                    started_at=report.started_at,
                    finished_at=report.finished_at,
                    status=report.status,
                    new=report.new,
                    changed=report.changed,
                    vanished=report.vanished,
                    error=report.error,
                )
            ),
        )

    def reports(self, limit: int = 50) -> list[ScheduleReportInfo]:
        t = table(s.ScheduleReport)

        def read(conn: Connection) -> list[ScheduleReportInfo]:
            rows = conn.execute(select(t).order_by(t.c.id.desc()).limit(limit)).mappings()
            return [
                ScheduleReportInfo(
                    r["site_url"],
                    r["run_id"],
                    _aware(r["started_at"]),
                    _aware(r["finished_at"]),
                    r["status"],
                    r["new"],
                    r["changed"],
                    r["vanished"],
                    r["error"],
                )
                for r in rows
            ]

        return self._db._read("listing run reports", read)

    # -- the run lock ---------------------------------------------------------------

    def try_lock(self, name: str = "run", *, stale_after: float = 600.0) -> RunLockHandle | None:
        """Take the named lock, or return None when a live holder has it."""
        token = secrets.token_hex(8)
        if self._db.dialect == "postgresql":
            conn = self._db._engine.connect()
            try:
                got = conn.execute(
                    text("SELECT pg_try_advisory_lock(:k)"), {"k": _lock_key(name)}
                ).scalar()
                conn.commit()
            except BaseException:
                conn.close()
                raise
            if not got:
                conn.close()
                return None
            return RunLockHandle(self, name, token, conn)
        me_pid, me_host = os.getpid(), socket.gethostname()

        def body(conn: Connection) -> bool:
            now = _now()
            lock = table(s.RunLock)
            row = conn.execute(select(lock).where(lock.c.name == name)).mappings().first()
            values = dict(
                holder_pid=me_pid,
                holder_host=me_host,
                token=token,
                acquired_at=now,
                heartbeat_at=now,
            )
            if row is None:
                conn.execute(insert(s.RunLock).values(name=name, **values))
                return True
            pid, host, beat = row["holder_pid"], row["holder_host"], row["heartbeat_at"]
            dead = host == me_host and not _pid_alive(pid)
            stale = now - _aware(beat) > timedelta(seconds=stale_after)
            if not (dead or stale):
                return False
            conn.execute(update(s.RunLock).where(s.RunLock.name == name).values(**values))
            return True

        if not self._db._write("taking the run lock", body):
            return None
        return RunLockHandle(self, name, token, None)

    def lock_holder(self, name: str = "run") -> str | None:
        """``pid@host`` of the SQLite lock row, if any (for messages)."""
        row = self._db._read(
            "reading the run lock",
            lambda c: c.execute(
                select(s.RunLock.holder_pid, s.RunLock.holder_host).where(s.RunLock.name == name)
            ).first(),
        )
        return f"{row[0]}@{row[1]}" if row is not None else None

    def _beat(self, name: str, token: str) -> None:
        self._db._write(
            "refreshing the run lock",
            lambda c: c.execute(
                update(s.RunLock)
                .where(s.RunLock.name == name, s.RunLock.token == token)
                .values(heartbeat_at=_now())
            ),
        )

    def _unlock(self, name: str, token: str) -> None:
        self._db._write(
            "releasing the run lock",
            lambda c: c.execute(
                delete(s.RunLock).where(s.RunLock.name == name, s.RunLock.token == token)
            ),
        )

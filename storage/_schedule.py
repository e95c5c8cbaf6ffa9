"""Tables for scheduled runs and scale-out, on the same metadata as the core schema.

* ``scheduled_sites``: the site registry (``blogbinder sites``): start URL, interval and
  the crawl options to use, with when it is next due.
* ``run_locks``: one row per named lock (``run``), held by pid@host with a heartbeat;
  the SQLite way of making ``blogbinder run`` cron-safe (PostgreSQL uses an advisory lock).
* ``schedule_reports``: what each scheduled crawl of a site found (new, changed, vanished).
* ``crawl_hosts`` / ``host_slots``: politeness shared by every queue worker; a host's next
  allowed request start and its robots ``Crawl-delay``; one row per concurrency slot,
  leased (``holder``, ``busy_until``) for the length of a request.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ._models import Base

__all__ = ["CrawlHost", "HostSlot", "RunLock", "ScheduleReport", "ScheduledSite"]


class ScheduledSite(Base):
    """A blog crawled on a schedule; ``options`` are CrawlOptions fields (JSON)."""

    __tablename__ = "scheduled_sites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(unique=True)
    every_seconds: Mapped[int]
    options: Mapped[dict[str, Any]]
    origin: Mapped[str] = mapped_column(String(16))  # cli | config
    created: Mapped[datetime]
    next_due_at: Mapped[datetime]
    last_run_at: Mapped[datetime | None]
    last_status: Mapped[str | None] = mapped_column(String(16))


class RunLock(Base):
    """A named lock with its holder (pid on host) and a heartbeat."""

    __tablename__ = "run_locks"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder_pid: Mapped[int]
    holder_host: Mapped[str]
    token: Mapped[str] = mapped_column(String(32))
    acquired_at: Mapped[datetime]
    heartbeat_at: Mapped[datetime]


class ScheduleReport(Base):
    """One site's part of a scheduled run."""

    __tablename__ = "schedule_reports"
    __table_args__ = (Index(None, "site_url", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_url: Mapped[str]
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id", ondelete="SET NULL"))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))  # completed | interrupted | failed
    new: Mapped[int]
    changed: Mapped[int]
    vanished: Mapped[int]
    error: Mapped[str | None]


class CrawlHost(Base):
    """Politeness state of one host, shared by all workers."""

    __tablename__ = "crawl_hosts"

    host: Mapped[str] = mapped_column(primary_key=True)
    next_allowed_at: Mapped[datetime]
    crawl_delay: Mapped[float | None] = mapped_column(Float)
    starter: Mapped[str | None] = mapped_column(String(32))  # whose turn it is to start


class HostSlot(Base):
    """One of a host's concurrency slots, leased by a worker while it fetches."""

    __tablename__ = "host_slots"

    host: Mapped[str] = mapped_column(
        ForeignKey("crawl_hosts.host", ondelete="CASCADE"), primary_key=True
    )
    slot: Mapped[int] = mapped_column(Integer, primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(32))
    busy_until: Mapped[datetime | None]

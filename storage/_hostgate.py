"""Per-host politeness shared by every queue worker on every machine (PostgreSQL).

Two rules hold across all workers together, for each host:

* concurrency: at most ``n`` requests in flight. A request leases one of the host's
  ``host_slots`` rows (slots ``0..n-1``): a free row is picked with ``SELECT ... FOR
  UPDATE SKIP LOCKED`` and marked ``holder``/``busy_until`` in one short statement, and
  cleared when the response has been read. A worker that dies keeps its slots until
  ``busy_until`` (the longest a request may take, retries included) has passed, so
  even a request of a killed worker that the server is still answering counts.
* spacing: request starts at least ``delay`` seconds apart (robots ``Crawl-delay``
  when larger, kept in ``crawl_hosts.crawl_delay``). Starting is a turn: one atomic
  ``UPDATE crawl_hosts SET starter = me, next_allowed_at = now + hold WHERE
  next_allowed_at <= now`` gives it to one worker (database clock, so machines need not
  agree on the time), the others sleep until ``next_allowed_at`` and try again. The
  holder reports when its request has really gone out (:meth:`SharedHostGate.sent`),
  which sets ``next_allowed_at = now + delay``: the spacing is counted from the actual
  send, however late the holder's event loop got to it. A holder that dies blocks the
  host for ``hold`` seconds at most.

The waits are synchronous (a thread per waiting request) and hold no connection;
:class:`HostLease` is what a holder releases.
"""

from __future__ import annotations

import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, create_engine, text

from scraper.errors import StorageError

from ._engine import guard, mask_url, parse_url

__all__ = ["HostLease", "SharedHostGate"]

SAFETY = 0.03  # seconds added to every spacing: slack for when the server sees a request

MAX_POLL = 0.2  # longest pause between two tries for a busy host (backoff from ``poll``)

_ENSURE_HOST = text(
    "INSERT INTO crawl_hosts (host, next_allowed_at, crawl_delay) "
    "VALUES (:host, clock_timestamp(), NULL) ON CONFLICT (host) DO NOTHING"
)
_ENSURE_SLOTS = text(
    "INSERT INTO host_slots (host, slot) SELECT :host, g FROM generate_series(0, :n - 1) g "
    "ON CONFLICT (host, slot) DO NOTHING"
)
_CLAIM = text(
    "UPDATE host_slots SET holder = :token, "
    "busy_until = clock_timestamp() + make_interval(secs => :lease) "
    "WHERE (host, slot) = (SELECT host, slot FROM host_slots WHERE host = :host AND slot < :n "
    "AND (busy_until IS NULL OR busy_until < clock_timestamp()) "
    "ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING slot"
)
_RELEASE = text(
    "UPDATE host_slots SET holder = NULL, busy_until = NULL "
    "WHERE host = :host AND slot = :slot AND holder = :token"
)
_START = text(
    "UPDATE crawl_hosts SET next_allowed_at = clock_timestamp() + make_interval(secs => :hold), "
    "starter = :token WHERE host = :host AND next_allowed_at <= clock_timestamp() RETURNING host"
)
_SENT = text(
    "UPDATE crawl_hosts SET starter = NULL, next_allowed_at = clock_timestamp() + "
    "make_interval(secs => GREATEST(:delay, COALESCE(crawl_delay, 0)) + :safety) "
    "WHERE host = :host AND starter = :token"
)
_WAIT = text(
    "SELECT CASE WHEN starter IS NULL THEN "
    "GREATEST(0, EXTRACT(EPOCH FROM next_allowed_at - clock_timestamp()))::float END "
    "FROM crawl_hosts WHERE host = :host"
)
_CRAWL_DELAY = text("UPDATE crawl_hosts SET crawl_delay = :seconds WHERE host = :host")


@dataclass(frozen=True, slots=True)
class HostLease:
    """A held concurrency slot of ``host``; pass it to :meth:`SharedHostGate.release`."""

    host: str
    slot: int
    token: str


class SharedHostGate:
    """Slots and start spacing per host, in the blogbinder PostgreSQL database."""

    def __init__(
        self,
        database_url: str,
        *,
        pool_size: int = 10,
        poll: float = 0.02,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        url = parse_url(database_url)
        if url.get_backend_name() != "postgresql":
            raise StorageError("shared politeness needs PostgreSQL", mask_url(database_url))
        self._url = mask_url(database_url)
        self._engine: Engine = create_engine(
            url,
            pool_pre_ping=True,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_timeout=60,
            connect_args={"connect_timeout": 10},
        )
        self._poll = poll
        self._sleep = sleep
        self._known: set[tuple[str, int]] = set()

    def close(self) -> None:
        self._engine.dispose()

    def _ensure(self, host: str, n: int) -> None:
        if (host, n) in self._known:
            return
        with guard("registering a host", self._url), self._engine.begin() as conn:
            conn.execute(_ENSURE_HOST, {"host": host})
            conn.execute(_ENSURE_SLOTS, {"host": host, "n": n})
        self._known.add((host, n))

    def set_crawl_delay(self, host: str, seconds: float | None) -> None:
        """Record the host's robots ``Crawl-delay`` (None: none)."""
        self._ensure(host, 1)
        with guard("saving a crawl delay", self._url), self._engine.begin() as conn:
            conn.execute(_CRAWL_DELAY, {"host": host, "seconds": seconds})

    def acquire(self, host: str, concurrency: int, delay: float, lease: float = 300.0) -> HostLease:
        """Block until a slot of ``host`` is free and it is this caller's turn to start a
        request. The slot is held until :meth:`release` (or for ``lease`` seconds if the
        holder dies); call :meth:`sent` as soon as the request is out."""
        n = max(1, concurrency)
        self._ensure(host, n)
        token = secrets.token_hex(8)
        params = {"host": host, "n": n, "token": token, "lease": float(lease)}
        with guard("claiming a host slot", self._url):
            pause = self._poll
            while True:
                with self._engine.begin() as conn:
                    slot = conn.execute(_CLAIM, params).scalar()
                if slot is not None:
                    break
                self._sleep(pause * (0.5 + random.random()))
                pause = min(pause * 2, MAX_POLL)  # many waiters must not flood the database
            held = HostLease(host, int(slot), token)
            try:
                self._wait_turn(held, lease)
            except BaseException:
                self.release(held, delay)
                raise
        return held

    def _wait_turn(self, lease: HostLease, hold: float) -> None:
        params = {"host": lease.host, "token": lease.token, "hold": float(hold)}
        pause = self._poll
        while True:
            with self._engine.begin() as conn:
                if conn.execute(_START, params).first() is not None:
                    return
                wait = conn.execute(_WAIT, {"host": lease.host}).scalar()
            if wait is None:  # another request is being sent: its holder reports soon
                self._sleep(pause * (0.5 + random.random()))
                pause = min(pause * 2, MAX_POLL)
            else:
                self._sleep(min(max(float(wait), 0.001), 1.0))

    def sent(self, lease: HostLease, delay: float) -> None:
        """The lease's request has gone out: the next start on its host may come
        ``delay`` seconds (or the robots Crawl-delay) from now. Idempotent."""
        params = {
            "host": lease.host,
            "token": lease.token,
            "delay": float(delay),
            "safety": SAFETY if delay > 0 else 0.0,
        }
        with guard("spacing a host", self._url), self._engine.begin() as conn:
            conn.execute(_SENT, params)

    def release(self, lease: HostLease, delay: float) -> None:
        """Give the slot back (and the turn to start, if the request never went out)."""
        self.sent(lease, delay)
        params = {"host": lease.host, "slot": lease.slot, "token": lease.token}
        with guard("releasing a host slot", self._url), self._engine.begin() as conn:
            conn.execute(_RELEASE, params)

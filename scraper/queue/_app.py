"""The procrastinate app: its schema, the two tasks, enqueueing and the worker loop.

procrastinate keeps its tables in their own PostgreSQL schema (``procrastinate``) next
to blogbinder's; :func:`apply_schema` creates it on first use (under an advisory lock,
so many workers starting at once apply it once). Each worker also retries the jobs of
workers whose heartbeat stopped (procrastinate records heartbeats but leaves the retry
to the application).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import attr
import procrastinate
import psycopg
from procrastinate import exceptions as pexc
from procrastinate.schema import SchemaManager

from ..crawl import CrawlOptions
from ._jobs import Runtime, options_args

__all__ = [
    "DISCOVER_TASK",
    "PAGE_TASK",
    "SCHEMA",
    "WorkerConfig",
    "apply_schema",
    "enqueue_sites",
    "libpq_url",
    "make_app",
    "run_worker",
]

log = logging.getLogger("blogbinder.queue")

SCHEMA = "procrastinate"
DISCOVER_TASK = "blogbinder.discover_site"
PAGE_TASK = "blogbinder.crawl_page"
_SCHEMA_LOCK = 0x62627100


def libpq_url(database_url: str) -> str:
    """SQLAlchemy's ``postgresql+psycopg://`` URL as a libpq one."""
    for prefix in ("postgresql+psycopg://", "postgresql+psycopg2://", "postgres://"):
        if database_url.startswith(prefix):
            return "postgresql://" + database_url[len(prefix) :]
    return database_url


def apply_schema(database_url: str) -> bool:
    """Create procrastinate's schema and tables unless they exist; True if created."""
    with psycopg.connect(libpq_url(database_url), connect_timeout=10) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
        row = conn.execute("SELECT to_regclass(%s)", (f"{SCHEMA}.procrastinate_jobs",)).fetchone()
        if row is not None and row[0] is not None:
            return False
        conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{SCHEMA}"')
        conn.execute(f'SET LOCAL search_path = "{SCHEMA}"')
        conn.execute(SchemaManager.get_schema())
        return True


_runtime: Runtime | None = None


def _current() -> Runtime:
    if _runtime is None:
        raise RuntimeError("no queue runtime configured in this process (see run_worker)")
    return _runtime


def make_app(database_url: str, *, pool_size: int = 10) -> procrastinate.App:
    """A procrastinate app on the blogbinder database, with blogbinder's tasks."""
    connector = procrastinate.PsycopgConnector(
        conninfo=libpq_url(database_url),
        kwargs={"options": f"-c search_path={SCHEMA}"},
        min_size=1,
        max_size=pool_size,
    )
    app = procrastinate.App(connector=connector)
    retry = procrastinate.RetryStrategy(max_attempts=3, wait=2)

    async def discover_site(start_url: str, site: str, options: dict[str, Any]) -> int:
        return await _current().discover_site(start_url, options)

    async def crawl_page(context: procrastinate.JobContext, /, **args: Any) -> str:
        # the job id stays the same when the job is retried: its budget claim is kept
        return await _current().crawl_page(args, holder=f"job:{context.job.id}")

    app.task(name=DISCOVER_TASK, queue="discover", retry=retry)(discover_site)
    app.task(name=PAGE_TASK, queue="pages", retry=retry, pass_context=True)(crawl_page)
    return app


async def enqueue_sites(
    app: procrastinate.App, start_urls: Sequence[str], options: CrawlOptions
) -> list[int]:
    """One ``discover_site`` job per start URL; returns the job ids."""
    from ..urls import normalize_url, site_root

    task = app.tasks[DISCOVER_TASK]
    args = options_args(options)
    ids = []
    for url in start_urls:
        start = normalize_url(url)
        ids.append(await task.defer_async(start_url=start, site=site_root(start), options=args))
    return ids


class WorkerConfig:
    def __init__(
        self,
        *,
        concurrency: int = 16,
        heartbeat: float = 5.0,
        stalled_after: float = 30.0,
        poll: float = 1.0,
        wait: bool = True,
        name: str | None = None,
    ) -> None:
        self.concurrency = concurrency
        self.heartbeat = heartbeat
        self.stalled_after = stalled_after
        self.poll = poll
        self.wait = wait
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"


async def _retry_stalled(app: procrastinate.App, config: WorkerConfig) -> None:
    """Put the jobs of dead workers (no heartbeat for ``stalled_after``) back on the queue."""
    while True:
        await asyncio.sleep(max(config.heartbeat, 0.5))
        try:
            stalled = await app.job_manager.get_stalled_jobs(
                seconds_since_heartbeat=config.stalled_after
            )
            for job in stalled:
                with contextlib.suppress(pexc.ProcrastinateException, psycopg.Error):
                    await app.job_manager.retry_job(job)
                    log.warning("retrying job %s of a stalled worker", job.id)
        except (pexc.ProcrastinateException, psycopg.Error) as exc:
            log.warning("checking for stalled jobs failed: %s", exc)


async def run_worker(app: procrastinate.App, runtime: Runtime, config: WorkerConfig) -> None:
    """Run jobs until SIGINT/SIGTERM (or, without ``wait``, until the queues are empty)."""
    global _runtime
    _runtime = runtime
    page_task = app.tasks[PAGE_TASK]

    async def defer_pages(jobs: Sequence[dict[str, Any]]) -> None:
        deferrer = page_task.configure()
        for start in range(0, len(jobs), 500):
            batch = [
                attr.evolve(deferrer.make_new_job(**kwargs), priority=-int(kwargs["rank"]))
                for kwargs in jobs[start : start + 500]
            ]
            await app.job_manager.batch_defer_jobs_async(batch)

    runtime.defer_pages = defer_pages
    # every waiting or blocking call of a job runs in a thread: room for all of them
    threads = ThreadPoolExecutor(config.concurrency * 2 + 8, thread_name_prefix="job")
    asyncio.get_running_loop().set_default_executor(threads)
    async with app.open_async():
        retrier = asyncio.create_task(_retry_stalled(app, config))
        worker = asyncio.create_task(
            app.run_worker_async(
                concurrency=config.concurrency,
                name=config.name,
                wait=True,
                fetch_job_polling_interval=config.poll,
                update_heartbeat_interval=config.heartbeat,
                stalled_worker_timeout=config.stalled_after,
                delete_jobs="successful",
            )
        )
        watcher = None if config.wait else asyncio.create_task(_stop_when_idle(app, worker))
        try:
            await worker
        except asyncio.CancelledError:
            if watcher is None or not watcher.done():
                raise
        finally:
            for side in (retrier, watcher):
                if side is not None:
                    side.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await side
            await runtime.aclose()
            _runtime = None


async def _stop_when_idle(app: procrastinate.App, worker: asyncio.Task[None]) -> None:
    """``--burst``: stop the worker once no job is queued or running, twice in a row (a
    running job may still be adding page jobs)."""
    idle = 0
    while idle < 2:
        await asyncio.sleep(1.0)
        row = await app.connector.execute_query_one_async(
            "SELECT count(*) AS n FROM procrastinate_jobs WHERE status IN ('todo', 'doing')"
        )
        idle = idle + 1 if row["n"] == 0 else 0
    worker.cancel()

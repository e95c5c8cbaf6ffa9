"""``blogbinder worker``, ``blogbinder status`` and ``crawl --enqueue``: crawling through
the procrastinate job queue on PostgreSQL, with politeness shared by all workers."""

from __future__ import annotations

import asyncio
from typing import Any

import click

import storage

from ..errors import StorageError, UsageError
from .app import AppContext, cli
from .cmd_crawl import build_options
from .output import emit
from .params import check_url, db_option, resolve_db

__all__ = ["enqueue_crawl", "status_command", "worker_command"]


def _postgres_url(db_url: str | None) -> str:
    url = resolve_db(db_url)
    if not url.startswith(("postgresql", "postgres:")):
        raise UsageError(
            "the job queue needs a PostgreSQL database (--db postgresql+psycopg://...)", url
        )
    return url


@cli.command("worker")
@db_option
@click.option("--concurrency", type=int, default=16, show_default=True, help="Jobs at once.")
@click.option(
    "--heartbeat", type=float, default=5.0, show_default=True, help="Seconds between heartbeats."
)
@click.option(
    "--stalled-after",
    type=float,
    default=30.0,
    show_default=True,
    help="Retry the jobs of workers silent this long.",
)
@click.option("--burst", is_flag=True, help="Exit once the queue is empty.")
@click.option("--name", default=None, help="Worker name (default host:pid).")
def worker_command(
    db_url: str | None,
    concurrency: int,
    heartbeat: float,
    stalled_after: float,
    burst: bool,
    name: str | None,
) -> None:
    """Run queued crawl jobs; start as many as you like, on as many machines.

    Per-host concurrency and delay (and robots Crawl-delay) hold across all workers
    together. SIGINT/SIGTERM finish the jobs in progress and exit.

    \b
    Example:
        blogbinder worker --db postgresql+psycopg://me@dbhost/blogs --concurrency 32
    """
    _require_queue()
    from ..queue import Runtime, WorkerConfig, apply_schema, make_app, run_worker

    if concurrency < 1:
        raise UsageError("concurrency must be at least 1", str(concurrency))
    url = _postgres_url(db_url)
    apply_schema(url)
    config = WorkerConfig(
        concurrency=concurrency,
        heartbeat=heartbeat,
        stalled_after=stalled_after,
        wait=not burst,
        poll=0.5,
        name=name,
    )
    with storage.open(url) as db:
        # statements are short: a few pooled connections serve many waiting jobs
        gate = storage.SharedHostGate(url, pool_size=max(2, concurrency // 4))
        try:
            runtime = Runtime(store=db, frontier=storage.QueueStore(db), gate=gate)
            app = make_app(url, pool_size=max(4, concurrency // 4 + 3))
            asyncio.run(run_worker(app, runtime, config))
        finally:
            gate.close()


def _require_queue() -> None:
    """The queue needs the ``postgres`` extra; say so in one line when it is missing."""
    try:
        import procrastinate  # noqa: F401
    except ImportError:
        message = "the job queue needs procrastinate: pip install 'blogbinder[postgres]'"
        raise StorageError(message, "procrastinate") from None


def enqueue_crawl(urls: tuple[str, ...], db_url: str | None, flags: dict[str, Any]) -> None:
    """``crawl --enqueue``: one discovery job per site; workers do the rest."""
    _require_queue()
    from ..queue import apply_schema, enqueue_sites, make_app

    url = _postgres_url(db_url)
    starts = [check_url(u) for u in urls]
    options = build_options(**flags)
    apply_schema(url)
    with storage.open(url):  # our own schema, migrated
        pass
    app = make_app(url, pool_size=2)

    async def go() -> list[int]:
        async with app.open_async():
            return await enqueue_sites(app, starts, options)

    ids = asyncio.run(go())
    click.echo(f"queued {len(ids)} site(s); run `blogbinder worker` to crawl them", err=True)


@cli.command("status")
@db_option
@click.option("--json", "fmt", flag_value="json", help="A JSON array.")
@click.option("--table", "fmt", flag_value="table", help="A table (default on a terminal).")
@click.pass_obj
def status_command(app: AppContext, /, db_url: str | None, fmt: str | None) -> None:
    """Queued, running and failed crawl jobs per site, and each site's open runs.

    \b
    Example:
        blogbinder status --db postgresql+psycopg://me@dbhost/blogs --json
    """
    _require_queue()
    from ..queue import SCHEMA, apply_schema

    url = _postgres_url(db_url)
    apply_schema(url)
    with storage.open(url) as db:
        counts = storage.QueueStore(db).job_counts(SCHEMA)
        running = [r for r in db.runs(limit=None) if r.status == "running"]
    rows: dict[str, dict[str, Any]] = {}

    def row(site: str) -> dict[str, Any]:
        return rows.setdefault(
            site, {"site": site, "queued": 0, "running": 0, "failed": 0, "open_runs": []}
        )

    names = {"todo": "queued", "doing": "running", "failed": "failed"}
    for c in counts:
        if c.status in names:
            row(c.site)[names[c.status]] += c.count
    for run in running:
        row(run.site)["open_runs"].append(run.id)
    emit(
        sorted(rows.values(), key=lambda r: r["site"]),
        fmt,
        ("site", "queued", "running", "failed", "open_runs"),
    )

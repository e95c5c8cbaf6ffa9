"""``blogbinder run`` (one pass over the due sites, cron-safe) and ``blogbinder schedule``
(a long-running loop that starts due runs itself)."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType

import click
from rich.table import Table

import storage

from ._registry import config_sites, run_due_sites
from .app import AppContext, cli
from .output import emit_json
from .params import db_option, resolve_db
from .progress import stderr_console

__all__ = ["run_command", "schedule_command"]

log = logging.getLogger("blogbinder.schedule")

BUSY = "another blogbinder run is active on this database"
STALE_AFTER = 600.0  # seconds without a heartbeat before a SQLite run lock is taken over
HEARTBEAT = 30.0


def _merge_config(scheduler: storage.Scheduler, config: Path) -> None:
    for url, every, options in config_sites(config):
        scheduler.add(url, every, options, origin="config", replace=True)


def _table(reports: list[storage.ScheduleReportInfo]) -> Table:
    table = Table(title="scheduled run")
    for column in ("site", "status", "new", "changed", "vanished", "error"):
        table.add_column(column)
    for r in reports:
        table.add_row(
            r.site_url, r.status, str(r.new), str(r.changed), str(r.vanished), r.error or ""
        )
    return table


def run_once(
    db_url: str, *, due_only: bool, config: Path, stale_after: float = STALE_AFTER
) -> list[storage.ScheduleReportInfo] | None:
    """One locked pass; None when another run holds the lock."""
    with storage.open(db_url) as db:
        scheduler = storage.Scheduler(db)
        _merge_config(scheduler, config)
        lock = scheduler.try_lock("run", stale_after=stale_after)
        if lock is None:
            return None
        with lock:
            lock.start_heartbeat(HEARTBEAT)
            now = None if due_only else datetime.now(UTC) + timedelta(days=36500)
            return run_due_sites(db, scheduler, now=now)


@cli.command("run")
@click.option("--due", is_flag=True, help="Only sites whose interval has passed (for cron).")
@db_option
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("blogbinder.toml"),
    show_default=True,
    help="Its [[sites]] entries are merged into the registry first.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the per-site reports as JSON.")
@click.pass_obj
def run_command(
    app: AppContext, /, due: bool, db_url: str | None, config: Path, as_json: bool
) -> None:
    """Crawl the registered sites (all of them, or with --due those that are due).

    Incremental; reports new, changed and vanished posts per site (also stored).
    Cron-safe: while another run is active on the same database it exits at once
    with a message and status 0. Exit 1 only when a site could not be crawled at all.

    \b
    Example:
        blogbinder run --due --db sqlite:///blogs.db
    """
    reports = run_once(resolve_db(db_url), due_only=due, config=config)
    if reports is None:
        click.echo(f"{BUSY}; exiting", err=True)
        return
    if as_json:
        emit_json([r.to_dict() for r in reports])
    elif not app.quiet:
        if reports:
            stderr_console().print(_table(reports))
        else:
            click.echo("no site is due", err=True)
    if any(r.status == "failed" for r in reports):
        sys.exit(1)
    if any(r.status == "interrupted" for r in reports):
        sys.exit(130)


@cli.command("schedule")
@db_option
@click.option("--poll", type=float, default=60.0, show_default=True, help="Seconds between checks.")
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("blogbinder.toml"),
    show_default=True,
    help="Its [[sites]] entries are merged into the registry on every check.",
)
@click.option("--json", "as_json", is_flag=True, help="Print each pass's reports as JSON lines.")
def schedule_command(db_url: str | None, poll: float, config: Path, as_json: bool) -> None:
    """Stay running and crawl registered sites whenever they are due.

    Checks every --poll seconds; skips a check while another run holds the lock.
    SIGINT/SIGTERM stop it cleanly (a crawl in progress finishes its in-flight pages).

    \b
    Example:
        blogbinder schedule --db postgresql+psycopg://me@dbhost/blogs --poll 300
    """
    import json

    url = resolve_db(db_url)
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log.warning("%s: stopping", signal.Signals(signum).name)
        stop.set()

    def install() -> None:
        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)

    install()
    click.echo(f"blogbinder schedule: checking every {poll:g}s", err=True)
    while not stop.is_set():
        reports = run_once(url, due_only=True, config=config)
        install()  # a crawl's own signal handling resets the handlers when it ends
        if reports is None:
            log.info("%s; skipping this check", BUSY)
        elif reports:
            for report in reports:
                if as_json:
                    click.echo(json.dumps(report.to_dict()))
                else:
                    click.echo(
                        f"{report.site_url}: {report.status}, {report.new} new, "
                        f"{report.changed} changed, {report.vanished} vanished",
                        err=True,
                    )
            if any(r.status == "interrupted" for r in reports):
                break
        stop.wait(poll)
    click.echo("blogbinder schedule: stopped", err=True)

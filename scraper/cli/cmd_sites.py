"""``blogbinder sites``: the registry of blogs that ``run --due`` and ``schedule`` crawl."""

from __future__ import annotations

import click

import storage

from ._registry import format_interval, parse_interval, registry_options, stored_options
from .app import cli
from .output import emit
from .params import check_url, db_option, resolve_db

__all__ = ["sites_group"]

_COLUMNS = ("url", "every", "next_due_at", "last_run_at", "last_status", "origin", "options")


@cli.group("sites")
def sites_group() -> None:
    """The site registry: blogs crawled on a schedule by ``run --due`` and ``schedule``.

    \b
    Example:
        blogbinder sites add https://www.example.com/blog --every 6h
        blogbinder sites list --json
    """


@sites_group.command("add")
@click.argument("url")
@click.option("--every", default="1d", show_default=True, help="Interval: 30m, 6h, 1d, 1w.")
@registry_options
@db_option
def sites_add(url: str, every: str, db_url: str | None, **flags: object) -> None:
    """Register a blog; it is due at once.

    \b
    Example:
        blogbinder sites add https://www.example.com/blog --every 6h --delay 2
    """
    seconds = parse_interval(every)
    options = stored_options(flags)
    with storage.open(resolve_db(db_url)) as db:
        storage.Scheduler(db).add(check_url(url), seconds, options)
    click.echo(f"added {url} (every {format_interval(seconds)})", err=True)


@sites_group.command("set")
@click.argument("url")
@click.option("--every", default=None, help="New interval: 30m, 6h, 1d, 1w.")
@registry_options
@db_option
def sites_set(url: str, every: str | None, db_url: str | None, **flags: object) -> None:
    """Change a registered blog's interval or crawl options (given flags only).

    \b
    Example:
        blogbinder sites set https://www.example.com/blog --every 1d --concurrency 4
    """
    seconds = parse_interval(every) if every is not None else None
    with storage.open(resolve_db(db_url)) as db:
        storage.Scheduler(db).update(url, seconds, stored_options(flags))
    click.echo(f"updated {url}", err=True)


@sites_group.command("remove")
@click.argument("url")
@db_option
def sites_remove(url: str, db_url: str | None) -> None:
    """Take a blog out of the registry (its posts stay in the database).

    \b
    Example:
        blogbinder sites remove https://www.example.com/blog
    """
    with storage.open(resolve_db(db_url)) as db:
        storage.Scheduler(db).remove(url)
    click.echo(f"removed {url}", err=True)


@sites_group.command("list")
@db_option
@click.option("--json", "fmt", flag_value="json", help="A JSON array.")
@click.option("--table", "fmt", flag_value="table", help="A table (default on a terminal).")
def sites_list(db_url: str | None, fmt: str | None) -> None:
    """Registered blogs with their interval and when they are next due.

    \b
    Example:
        blogbinder sites list --json
    """
    with storage.open(resolve_db(db_url)) as db:
        entries = storage.Scheduler(db).sites()
    rows = []
    for entry in entries:
        row = entry.to_dict()
        row["every"] = format_interval(entry.every_seconds)
        rows.append(row)
    emit(rows, fmt, _COLUMNS)

"""``blogbinder db upgrade|downgrade`` and ``blogbinder reextract``."""

from __future__ import annotations

from contextlib import nullcontext

import click

import storage

from ..errors import ExtractionError
from ..extract import extract_post
from .app import AppContext, cli
from .output import emit_json
from .params import db_option, resolve_db

__all__ = ["db_group", "reextract_command"]


@cli.group("db")
def db_group() -> None:
    """Schema migrations (applied automatically on first use)."""


@db_group.command("upgrade")
@db_option
@click.option("--revision", default="head", show_default=True)
def db_upgrade(db_url: str | None, revision: str) -> None:
    """Migrate the database schema up to REVISION.

    \b
    Example:
        blogbinder db upgrade --db postgresql+psycopg://me@dbhost/blogs
    """
    url = resolve_db(db_url)
    storage.upgrade(url, revision)
    click.echo(f"schema at {storage.current_revision(url)}", err=True)


@db_group.command("downgrade")
@db_option
@click.option("--revision", default="-1", show_default=True)
def db_downgrade(db_url: str | None, revision: str) -> None:
    """Undo migrations (by default the last one).

    \b
    Example:
        blogbinder db downgrade
    """
    url = resolve_db(db_url)
    storage.downgrade(url, revision)
    click.echo(f"schema at {storage.current_revision(url)}", err=True)


@cli.command("reextract")
@db_option
@click.option("--site", default=None, help="Only this site.")
@click.option("--json", "as_json", is_flag=True, help="Print counts as JSON.")
@click.pass_obj
def reextract_command(app: AppContext, db_url: str | None, site: str | None, as_json: bool) -> None:
    """Run the current extractor over stored raw pages; new versions only where it changed.

    \b
    Example:
        blogbinder reextract --site https://www.example.com
    """
    from .progress import stderr_console

    seen = changed = failed = 0
    console = stderr_console()
    with storage.open(resolve_db(db_url)) as db:
        snapshots = list(db.iter_snapshots(site=site))
        show = not app.quiet and console.is_terminal
        with console.status("re-extracting", spinner="dots") if show else nullcontext():
            for snap in snapshots:
                seen += 1
                try:
                    post = extract_post(snap.body, snap.url, snap.fetched_at)
                except ExtractionError as exc:
                    failed += 1
                    click.echo(f"warning: {exc}", err=True)
                    continue
                if db.save_reextracted(snap.post_id, post, snap.snapshot_hash):
                    changed += 1
    counts = {"snapshots": seen, "changed": changed, "unchanged": seen - changed - failed}
    counts["failed"] = failed
    if as_json:
        emit_json(counts)
    elif not app.quiet:
        click.echo(" ".join(f"{k}={v}" for k, v in counts.items()), err=True)

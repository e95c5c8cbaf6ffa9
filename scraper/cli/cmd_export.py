"""``blogbinder export``: Markdown archives (and JSON lines or WARC) from the database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import click

import storage
from archive import (
    ArchiveEntry,
    ExportOptions,
    ExportReport,
    WarcInput,
    export_jsonl,
    export_markdown,
    write_warc,
)

from ..errors import ExportError
from .app import AppContext, cli
from .output import emit_json
from .params import db_option, parse_when, resolve_db

__all__ = ["export_command", "run_export"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _entries(
    db: storage.Database, site: str | None, since: datetime | None
) -> Iterator[ArchiveEntry]:
    for stored in db.iter_posts(site=site, since=since):
        yield ArchiveEntry(
            post=stored.post, post_id=stored.id, gone=stored.gone, first_seen=stored.first_seen
        )


def run_export(
    db: storage.Database, out: Path, options: ExportOptions, site: str | None
) -> ExportReport:
    """Export every stored post (of ``site``) as a Markdown archive under ``out``."""
    return export_markdown(_entries(db, site, None), out, options)


def _check_out_dir(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create output directory ({exc.strerror})", str(out)) from None
    probe = out / ".blogbinder-write-test"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise ExportError(f"output directory is not writable ({exc.strerror})", str(out)) from None


@cli.command("export")
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="Directory.")
@db_option
@click.option("--site", default=None, help="Only this site (URL or host).")
@click.option("--since", default=None, help="Only posts published on or after (ISO date).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "jsonl", "warc"]),
    default="markdown",
    show_default=True,
    help="Markdown archive, one JSON post per line, or the raw responses as WARC.",
)
@click.option(
    "--flavor",
    type=click.Choice(["plain", "hugo", "jekyll", "obsidian"]),
    default="plain",
    show_default=True,
)
@click.option(
    "--images", type=click.Choice(["link", "download"]), default="link", show_default=True
)
@click.option("--archive", "pack", type=click.Choice(["zip", "tar.gz"]), default=None)
@click.option("--json", "as_json", is_flag=True, help="Print the export report as JSON.")
@click.pass_obj
def export_command(
    app: AppContext,
    out: Path,
    db_url: str | None,
    site: str | None,
    since: str | None,
    fmt: str,
    flavor: str,
    images: str,
    pack: str | None,
    as_json: bool,
) -> None:
    """Export stored posts: one Markdown file per post with YAML front matter.

    \b
    Example:
        blogbinder export --out archive/ --flavor hugo
    """
    since_at = parse_when(since, "--since")
    _check_out_dir(out)
    fetch_image = None
    if images == "download":
        fetch_image = _image_fetcher()
    warnings: tuple[str, ...] = ()
    with storage.open(resolve_db(db_url)) as db:
        if fmt == "jsonl":
            path = out / "posts.jsonl"
            count = export_jsonl(_entries(db, site, since_at), path)
            summary: dict[str, object] = {"format": "jsonl", "path": str(path), "posts": count}
        elif fmt == "warc":
            path = out / "responses.warc.gz"
            records = (
                WarcInput(
                    url=snap.url,
                    status=200,
                    headers={"Content-Type": snap.content_type or "text/html"},
                    body=snap.body,
                    fetched_at=snap.fetched_at or _EPOCH,
                )
                for snap in db.iter_snapshots(site=site)
            )
            count = write_warc(records, path)
            summary = {"format": "warc", "path": str(path), "records": count}
        else:
            options = ExportOptions(
                flavor=flavor,  # type: ignore[arg-type]
                images=images,  # type: ignore[arg-type]
                archive=pack,  # type: ignore[arg-type]
                since=since_at.date() if since_at else None,
                fetch_image=fetch_image,
            )
            report = export_markdown(_entries(db, site, None), out, options)
            warnings = report.warnings
            summary = {
                "format": "markdown",
                "out": str(report.out_dir),
                "posts": report.posts,
                "new": report.new,
                "changed": report.changed,
                "unchanged": report.unchanged,
                "gone": report.removed,
                "archive": str(report.archive) if report.archive else None,
            }
    if as_json:
        emit_json(summary)
    elif not app.quiet:
        parts = [f"{k}={v}" for k, v in summary.items() if v is not None]
        click.echo("exported: " + " ".join(parts), err=True)
        for warning in warnings:
            click.echo(f"warning: {warning}", err=True)


def _image_fetcher() -> Callable[[str], bytes]:
    """``fetch_bytes`` with what a crawl would use from blogbinder.toml / BLOGBINDER_*:
    user agent (and contact), timeout, retries and size cap."""
    from ..fetch import fetch_bytes
    from .cmd_crawl import build_options

    options = build_options(delay=0.0)
    return partial(fetch_bytes, config=options.fetch_config())

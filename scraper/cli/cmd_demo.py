"""``blogbinder demo``: serve the bundled sample blog, crawl it, store it, export it."""

from __future__ import annotations

import errno
import sys
from pathlib import Path

import click

import storage
from archive import ExportOptions

from ..crawl import CrawlOptions, crawl
from ..errors import UsageError
from ..sample.server import serve_sample_blog
from .app import AppContext, cli
from .cmd_export import run_export
from .output import emit_json
from .params import db_option, resolve_db
from .progress import CrawlProgressBar

__all__ = ["demo_command"]

DEMO_PORT = 8765


@cli.command("demo")
@db_option
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("blogbinder-archive"),
    show_default=True,
    help="Where the Markdown archive goes.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEMO_PORT,
    show_default=True,
    help="Port for the sample blog on 127.0.0.1 (a fixed port keeps its URLs stable).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def demo_command(app: AppContext, db_url: str | None, out: Path, port: int, as_json: bool) -> None:
    """Crawl the bundled sample blog into SQLite and export it as Markdown.

    Serves the sample blog on 127.0.0.1, crawls it (politeness off: it is ours),
    stores it in the database and writes the archive. Running it again changes
    nothing: same rows, same files.

    \b
    Example:
        blogbinder demo && blogbinder posts --db sqlite:///blogbinder.db
    """
    url = resolve_db(db_url)
    try:
        server_cm = serve_sample_blog(port)
        server = server_cm.__enter__()
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(
                f"port {port} is in use; pick another with --port", str(port)
            ) from None
        raise
    site_url = server.base_url
    try:
        with storage.open(url) as db:
            options = CrawlOptions(concurrency=8, delay=0.0, adaptive=False)
            with CrawlProgressBar(not app.quiet) as bar:
                summaries = crawl([site_url + "/"], db, options, progress=bar.update)
            report = run_export(db, out, ExportOptions(), None)
            posts = db.posts()
            authors = db.authors()
            products = db.products()
    finally:
        server_cm.__exit__(None, None, None)
    stats = summaries[0].stats if summaries else None
    summary = {
        "site": site_url,
        "database": url,
        "posts": len(posts),
        "authors": sorted({a.name for a in authors}),
        "products": len(products),
        "new": stats.new if stats else 0,
        "changed": stats.changed if stats else 0,
        "failed": stats.failed if stats else 0,
        "archive": str(report.out_dir),
        "files_written": len(report.written),
    }
    if as_json:
        emit_json(summary)
        return
    click.echo(f"Crawled the sample blog at {site_url}")
    click.echo(
        f"  posts:    {summary['posts']} ({summary['new']} new, {summary['changed']} changed)"
    )
    click.echo(f"  authors:  {', '.join(summary['authors'])}")  # type: ignore[arg-type]
    click.echo(f"  products: {summary['products']}")
    click.echo(f"  database: {url}")
    click.echo(f"  archive:  {report.out_dir} ({summary['files_written']} files written)")
    program = sys.argv[0] if Path(sys.argv[0]).name == "blogbinder" else "blogbinder"
    click.echo(f"Next: {program} posts --db {url}")

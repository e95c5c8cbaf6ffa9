"""``blogbinder crawl`` and ``blogbinder discover``."""

from __future__ import annotations

import asyncio
import sys

import click
from rich.table import Table

import storage

from ..crawl import SOURCES, CrawlOptions, CrawlSummary, crawl, discover
from ..crawl_pool import tune_gc
from ..options import MAX_PER_PATTERN
from ..settings import load_settings
from .app import AppContext, cli
from .output import emit_json
from .params import check_url, db_option, resolve_db
from .progress import CrawlProgressBar, stderr_console

__all__ = ["crawl_command", "discover_command"]


def crawl_options(func: click.decorators.FC) -> click.decorators.FC:
    """The flags shared by ``crawl`` and ``discover``."""
    options = [
        click.option("--concurrency", type=int, default=None, help="Requests in flight per host."),
        click.option("--delay", type=float, default=None, help="Seconds between requests/host."),
        click.option("--max-pages", type=int, default=None, help="Stop after this many pages."),
        click.option("--max-depth", type=int, default=None, help="Link hops from the seeds."),
        click.option(
            "--max-per-pattern",
            type=click.IntRange(min=0),
            default=None,
            help="Non-post pages reached by links per URL pattern, digits ignored "
            "(a bound on crawler traps such as calendars; default 1000, 0: no limit).",
        ),
        click.option("--include", multiple=True, help="Only URLs matching REGEX."),
        click.option("--exclude", multiple=True, help="Skip URLs matching REGEX."),
        click.option("--ignore-robots", is_flag=True, help="Do not obey robots.txt."),
        click.option(
            "--allow-private",
            is_flag=True,
            help="Let a public site lead to loopback, private or link-local addresses.",
        ),
        click.option("--user-agent", default=None, help="User-Agent header to send."),
        click.option(
            "--http2/--no-http2",
            default=None,
            help="Speak HTTP/2 over https where the server offers it (default on).",
        ),
        click.option(
            "--ca-file",
            type=click.Path(exists=True, dir_okay=False),
            default=None,
            help="PEM file of CA certificates to trust instead of the default ones.",
        ),
        click.option(
            "--source",
            "sources",
            multiple=True,
            type=click.Choice(SOURCES),
            help="Discovery strategy to use (repeatable; default all).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def build_options(
    concurrency: int | None = None,
    delay: float | None = None,
    max_pages: int | None = None,
    max_depth: int | None = None,
    include: tuple[str, ...] = (),
    exclude: tuple[str, ...] = (),
    ignore_robots: bool = False,
    user_agent: str | None = None,
    sources: tuple[str, ...] = (),
    allow_private: bool = False,
    max_per_pattern: int | None = None,
    http2: bool | None = None,
    ca_file: str | None = None,
) -> CrawlOptions:
    """Flags over settings (env, blogbinder.toml) over defaults; a parameter left out is
    a flag not given."""
    settings = load_settings()
    return CrawlOptions(
        concurrency=concurrency if concurrency is not None else settings["concurrency"],
        delay=delay if delay is not None else settings["delay"],
        max_pages=max_pages,
        max_depth=max_depth,
        max_per_pattern=_pattern_cap(max_per_pattern),
        include=include,
        exclude=exclude,
        ignore_robots=ignore_robots,
        user_agent=user_agent or settings["user_agent"] or None,
        contact=settings["contact"] or None,
        timeout=settings["timeout"],
        retries=settings["retries"],
        max_bytes=settings["max_bytes"],
        sources=sources or SOURCES,
        allow_private=allow_private,
        http2=http2 if http2 is not None else settings["http2"],
        ca_file=ca_file or settings["ca_file"] or None,
    )


def _pattern_cap(flag: int | None) -> int | None:
    if flag is None:
        return MAX_PER_PATTERN
    return flag or None


def _summary_table(summaries: list[CrawlSummary]) -> Table:
    table = Table(title="crawl summary")
    for column in ("site", "status", "found", "fetched", "new", "changed", "same", "failed", "s"):
        table.add_column(column)
    for s in summaries:
        st = s.stats
        table.add_row(
            s.site,
            s.status,
            str(st.discovered),
            str(st.fetched),
            str(st.new),
            str(st.changed),
            str(st.unchanged + st.not_modified + st.skipped),
            str(st.failed),
            f"{s.elapsed:.1f}",
        )
    return table


@cli.command("crawl")
@click.argument("urls", nargs=-1, required=True)
@db_option
@crawl_options
@click.option("--json", "as_json", is_flag=True, help="Print the run summaries as JSON.")
@click.option(
    "--enqueue",
    is_flag=True,
    help="Put the sites on the job queue for `blogbinder worker` (PostgreSQL).",
)
@click.pass_obj
def crawl_command(
    app: AppContext,
    /,
    urls: tuple[str, ...],
    db_url: str | None,
    as_json: bool,
    enqueue: bool,
    **flags: object,
) -> None:
    """Crawl blogs into the database (incremental; resumes an interrupted run).

    Exit 0 when the run completed, even if some pages failed (they are recorded);
    1 when it could not run; 130 when interrupted.

    \b
    Example:
        blogbinder crawl https://www.example.com/blog --db sqlite:///blog.db
    """
    if enqueue:  # the queue needs the postgres extra: imported only when asked for
        from .cmd_worker import enqueue_crawl

        enqueue_crawl(urls, db_url, flags)
        return
    starts = [check_url(u) for u in urls]
    options = build_options(**flags)  # type: ignore[arg-type]
    tune_gc()  # this process now crawls until it exits
    with storage.open(resolve_db(db_url)) as db, CrawlProgressBar(not app.quiet) as bar:
        summaries = crawl(starts, db, options, progress=bar.update)
    if as_json:
        emit_json([s.to_dict() for s in summaries])
    elif not app.quiet:
        stderr_console().print(_summary_table(summaries))
    if any(s.status == "interrupted" for s in summaries):
        sys.exit(130)


@cli.command("discover")
@click.argument("url")
@crawl_options
@click.option("--json", "as_json", is_flag=True, help="Print everything found as JSON.")
def discover_command(url: str, as_json: bool, **flags: object) -> None:
    """Show what a crawl would visit, without fetching posts.

    \b
    Example:
        blogbinder discover https://www.example.com --json
    """
    options = build_options(**flags)  # type: ignore[arg-type]
    result = asyncio.run(discover(check_url(url), options))
    if as_json:
        emit_json(result.to_dict())
        return
    click.echo(f"site: {result.site}  platform: {result.platform or 'unknown'}")
    for label, values in (("sitemaps", result.sitemaps), ("feeds", result.feeds)):
        click.echo(f"{label}: {', '.join(values) if values else '-'}")
    for found in result.posts:
        click.echo(found.url)

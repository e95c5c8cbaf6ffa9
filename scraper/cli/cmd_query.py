"""Query commands: posts, show, history, products, links, authors, runs."""

from __future__ import annotations

import difflib
import json

import click

import storage

from .app import cli
from .output import emit, emit_json, output_options
from .params import db_option, parse_when, resolve_db

__all__ = ["posts_command", "show_command"]


def _ref(value: str) -> str | int:
    return int(value) if value.isdigit() else value


@cli.command("posts")
@db_option
@click.option("--site", default=None, help="Only this site (URL or host).")
@click.option("--author", default=None, help="Only posts by this author (name or profile URL).")
@click.option("--tag", default=None, help="Only posts with this tag.")
@click.option("--since", default=None, help="Published on or after (ISO date).")
@click.option("--until", default=None, help="Published on or before (ISO date).")
@click.option("--search", default=None, help="Full-text search over title and body.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most N posts.")
@click.option(
    "--order",
    type=click.Choice(["newest", "oldest", "title", "relevance"]),
    default="newest",
    show_default=True,
)
@output_options
def posts_command(
    db_url: str | None,
    site: str | None,
    author: str | None,
    tag: str | None,
    since: str | None,
    until: str | None,
    search: str | None,
    limit: int | None,
    order: str,
    fmt: str | None,
) -> None:
    """List stored posts (table on a terminal, JSON when piped).

    \b
    Example:
        blogbinder posts --author "Jane Doe" --since 2024-01-01 --json
    """
    since_at, until_at = parse_when(since, "--since"), parse_when(until, "--until")
    with storage.open(resolve_db(db_url)) as db:
        rows = db.posts(
            site=site,
            author=author,
            tag=tag,
            since=since_at,
            until=until_at,
            search=search,
            limit=limit,
            order=order,  # type: ignore[arg-type]
        )
    emit(
        [r.to_dict() for r in rows],
        fmt,
        ["id", "published_at", "title", "authors", "reading_time_minutes", "url"],
    )


@cli.command("show")
@click.argument("ref")
@db_option
@click.option("--markdown", is_flag=True, help="Print only the body as Markdown.")
def show_command(ref: str, db_url: str | None, markdown: bool) -> None:
    """Show one stored post (by id or URL) with sections, related links and products.

    \b
    Example:
        blogbinder show https://www.example.com/post/hello
    """
    with storage.open(resolve_db(db_url)) as db:
        stored = db.get_post(_ref(ref))
    if markdown:
        click.echo(stored.post.body_markdown)
        return
    data = stored.to_dict()
    emit_json(data)


@cli.command("history")
@click.argument("ref")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the versions as JSON.")
def history_command(ref: str, db_url: str | None, as_json: bool) -> None:
    """Show the versions of one post, each with a unified diff against the one before.

    \b
    Example:
        blogbinder history https://www.example.com/post/hello
    """
    with storage.open(resolve_db(db_url)) as db:
        versions = db.history(_ref(ref))
    if as_json:
        emit_json([v.to_dict() for v in versions])
        return
    previous: list[str] = []
    for version in versions:
        click.echo(f"version {version.number}  {version.created_at.isoformat()}")
        current = (version.post.body_markdown + "\n").splitlines(keepends=True)
        header = [f"title: {version.post.title}\n"]
        diff = difflib.unified_diff(
            previous, header + current, f"v{version.number - 1}", f"v{version.number}"
        )
        click.echo("".join(diff) if previous else "(first version)")
        previous = header + current


@cli.command("products")
@db_option
@click.option("--site", default=None, help="Only this site.")
@output_options
def products_command(db_url: str | None, site: str | None, fmt: str | None) -> None:
    """Products offered in posts, with price history and the posts that mention them.

    \b
    Example:
        blogbinder products --csv > products.csv
    """
    with storage.open(resolve_db(db_url)) as db:
        rows = [p.to_dict() for p in db.products(site=site)]
    for row in rows:
        latest = row["prices"][-1] if row.get("prices") else {}
        row["price"] = latest.get("price")
        row["currency"] = latest.get("currency")
    emit(rows, fmt, ["id", "name", "price", "currency", "url", "posts"])


@cli.command("links")
@db_option
@click.option("--site", default=None, help="Only this site.")
@output_options
def links_command(db_url: str | None, site: str | None, fmt: str | None) -> None:
    """The related-link graph between posts (targets not yet archived included).

    \b
    Example:
        blogbinder links --json
    """
    with storage.open(resolve_db(db_url)) as db:
        rows = [link.to_dict() for link in db.links(site=site)]
    emit(rows, fmt, ["source_url", "kind", "text", "url", "target_id"])


@cli.command("authors")
@db_option
@click.option("--site", default=None, help="Only this site.")
@output_options
def authors_command(db_url: str | None, site: str | None, fmt: str | None) -> None:
    """Authors with their number of posts.

    \b
    Example:
        blogbinder authors --table
    """
    with storage.open(resolve_db(db_url)) as db:
        rows = [a.to_dict() for a in db.authors(site=site)]
    emit(rows, fmt, ["id", "name", "posts", "url", "site"])


@cli.command("runs")
@db_option
@click.option("--site", default=None, help="Only this site.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@output_options
def runs_command(db_url: str | None, site: str | None, limit: int, fmt: str | None) -> None:
    """Crawl runs: when, status and page counts.

    \b
    Example:
        blogbinder runs --json
    """
    with storage.open(resolve_db(db_url)) as db:
        rows = [r.to_dict() for r in db.runs(limit, site=site)]
    for row in rows:
        row["counts"] = json.dumps(row.get("stats", {}), sort_keys=True)
    emit(rows, fmt, ["id", "site", "started_at", "finished_at", "status", "counts"])

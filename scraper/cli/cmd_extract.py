"""``blogbinder extract``: one saved page to one post (no network, no database)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import UsageError
from ..extract import extract_post
from .app import cli
from .output import emit_json
from .params import check_url, parse_when

__all__ = ["extract_command"]


@cli.command("extract")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path, allow_dash=True))
@click.option("--url", default=None, help="The page's URL (default: file:// of PATH).")
@click.option("--fetched-at", default=None, help="When the page was fetched (ISO 8601).")
@click.option("--json", "fmt", flag_value="json", default=True, help="Print the post as JSON.")
@click.option("--markdown", "fmt", flag_value="markdown", help="Print the body as Markdown.")
def extract_command(path: Path, url: str | None, fetched_at: str | None, fmt: str) -> None:
    """Extract one saved HTML page into a post.

    \b
    Example:
        blogbinder extract saved.html --url https://example.com/post/hello --json
    """
    when = parse_when(fetched_at, "--fetched-at")
    if url is not None:
        url = check_url(url)
    if str(path) == "-":
        data = sys.stdin.buffer.read()
        page_url = url or "http://localhost/"
    else:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read file ({exc.strerror})", str(path)) from None
        page_url = url or path.resolve().as_uri()
    post = extract_post(data, page_url, when)
    if fmt == "markdown":
        click.echo(post.body_markdown)
    else:
        emit_json(post.to_dict())

"""Write docs/CLI.md from the commands' own --help (run: python scripts/cli_reference.py).

tests/test_docs.py fails when docs/CLI.md is out of date, so the reference cannot drift.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scraper.cli import cli

OUT = Path(__file__).resolve().parents[1] / "docs" / "CLI.md"


def _context(command: click.Command, name: str, parent: click.Context | None) -> click.Context:
    settings = {"terminal_width": 100, "max_content_width": 100, **command.context_settings}
    return click.Context(command, info_name=name, parent=parent, **settings)


def _walk(command: click.Command, path: list[str], parent: click.Context | None) -> list[str]:
    ctx = _context(command, path[-1], parent)
    parts = [f"## `{' '.join(path)}`\n", "```text", command.get_help(ctx), "```\n"]
    if isinstance(command, click.Group):
        for name in sorted(command.list_commands(ctx)):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                parts.extend(_walk(sub, [*path, name], ctx))
    return parts


def render() -> str:
    head = [
        "# CLI reference\n",
        "Generated from `--help` by `python scripts/cli_reference.py`; do not edit by hand.\n",
    ]
    return "\n".join(head + _walk(cli, ["blogbinder"], None)).rstrip() + "\n"


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {OUT}\n")

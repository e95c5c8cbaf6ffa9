"""Data on stdout in one of several formats: the shared ``--json/--nl/--csv/--table`` flags."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

import click

__all__ = ["emit", "emit_json", "output_options", "to_jsonable"]

F = TypeVar("F", bound=Callable[..., Any])


def output_options(func: F) -> F:
    """Add the output format flags to a listing command (as the ``fmt`` parameter)."""
    options = [
        click.option("--table", "fmt", flag_value="table", help="A table (default on a terminal)."),
        click.option("--csv", "fmt", flag_value="csv", help="CSV with a header row."),
        click.option("--nl", "fmt", flag_value="nl", help="Newline-delimited JSON objects."),
        click.option("--json", "fmt", flag_value="json", help="A JSON array (default when piped)."),
    ]
    for option in options:
        func = option(func)
    return func


def to_jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def emit_json(value: Any) -> None:
    click.echo(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2))


def _cell(value: Any) -> str:
    value = to_jsonable(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def emit(rows: Sequence[dict[str, Any]], fmt: str | None, columns: Sequence[str]) -> None:
    """Print rows; ``columns`` picks and orders what a table or CSV shows."""
    if fmt is None:
        fmt = "table" if sys.stdout.isatty() else "json"
    if fmt == "json":
        emit_json(list(rows))
    elif fmt == "nl":
        for row in rows:
            click.echo(json.dumps(to_jsonable(row), ensure_ascii=False))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(show_lines=False)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*[_cell(row.get(c)) for c in columns])
        Console().print(table)

"""Helpers shared by ``sites``, ``run`` and ``schedule``: intervals, stored crawl options,
``[[sites]]`` in blogbinder.toml, and one scheduled pass over the due sites."""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

import storage

from ..crawl import CrawlOptions, crawl
from ..errors import BlogbinderError, UsageError
from .cmd_crawl import build_options

__all__ = [
    "REGISTRY_OPTIONS",
    "config_sites",
    "format_interval",
    "options_for",
    "parse_interval",
    "registry_options",
    "run_due_sites",
    "stored_options",
]

log = logging.getLogger("blogbinder.schedule")

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_INTERVAL = re.compile(r"(\d+)\s*([smhdw])")
REGISTRY_OPTIONS = ("concurrency", "delay", "max_pages", "include", "exclude", "ignore_robots")


def parse_interval(value: str) -> int:
    """``6h``, ``1d``, ``90m``, ``1h30m`` or plain seconds -> seconds."""
    text = value.strip().lower().replace(" ", "")
    if text.isdigit():
        return int(text)
    pos, total = 0, 0
    for match in _INTERVAL.finditer(text):
        if match.start() != pos:
            break
        total += int(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    if pos != len(text) or total <= 0:
        raise UsageError("not an interval (e.g. 30m, 6h, 1d)", value)
    return total


def format_interval(seconds: int) -> str:
    for unit in ("w", "d", "h", "m"):
        if seconds % _UNITS[unit] == 0:
            return f"{seconds // _UNITS[unit]}{unit}"
    return f"{seconds}s"


def registry_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The crawl flags a registered site can carry."""
    options = [
        click.option("--concurrency", type=int, default=None, help="Requests in flight per host."),
        click.option("--delay", type=float, default=None, help="Seconds between requests/host."),
        click.option("--max-pages", type=int, default=None, help="Pages per run."),
        click.option("--include", multiple=True, help="Only URLs matching REGEX (repeatable)."),
        click.option("--exclude", multiple=True, help="Skip URLs matching REGEX (repeatable)."),
        click.option(
            "--ignore-robots/--obey-robots", default=None, help="Whether to ignore robots.txt."
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def stored_options(flags: Mapping[str, Any]) -> dict[str, Any]:
    """The flags that were given (None and empty tuples mean "not given")."""
    out: dict[str, Any] = {}
    for name in REGISTRY_OPTIONS:
        value = flags.get(name)
        if value is None or value == ():
            continue
        out[name] = list(value) if isinstance(value, tuple | list) else value
    options_for(out)  # validate now rather than at run time
    return out


def options_for(stored: Mapping[str, Any]) -> CrawlOptions:
    """CrawlOptions for a registered site: its stored flags over settings and defaults."""
    return build_options(
        concurrency=stored.get("concurrency"),
        delay=stored.get("delay"),
        max_pages=stored.get("max_pages"),
        include=tuple(stored.get("include", ())),
        exclude=tuple(stored.get("exclude", ())),
        ignore_robots=bool(stored.get("ignore_robots", False)),
    )


def config_sites(path: Path) -> list[tuple[str, int, dict[str, Any]]]:
    """``[[sites]]`` entries of blogbinder.toml: (url, seconds, options)."""
    if not path.is_file():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"cannot read config ({exc})", str(path)) from None
    entries = data.get("sites", [])
    if not isinstance(entries, list):
        raise UsageError("[[sites]] must be an array of tables", str(path))
    out = []
    for entry in entries:
        if not isinstance(entry, dict) or "url" not in entry:
            raise UsageError("every [[sites]] entry needs a url", str(path))
        unknown = set(entry) - {"url", "every", *REGISTRY_OPTIONS}
        if unknown:
            raise UsageError(f"unknown keys in [[sites]]: {', '.join(sorted(unknown))}", str(path))
        flags = {k: v for k, v in entry.items() if k in REGISTRY_OPTIONS}
        every = parse_interval(str(entry.get("every", "1d")))
        out.append((str(entry["url"]), every, stored_options(flags)))
    return out


def run_due_sites(
    db: storage.Database,
    scheduler: storage.Scheduler,
    *,
    quiet: bool = True,
    now: datetime | None = None,
) -> list[storage.ScheduleReportInfo]:
    """Crawl every due site once (incrementally), mark vanished posts, store and return
    one report per site. A site that cannot be crawled at all gets a ``failed`` report."""
    reports: list[storage.ScheduleReportInfo] = []
    for entry in scheduler.due(now):
        started = datetime.now(UTC)
        run_id: int | None = None
        new = changed = vanished = 0
        error: str | None = None
        try:
            summary = crawl([entry.url], db, options_for(entry.options))[0]
            run_id, status = summary.run_id, summary.status
            new, changed = summary.stats.new, summary.stats.changed
            present = scheduler.discovered_urls(summary.run_id)
            if status == "completed" and present:
                vanished = scheduler.mark_vanished(summary.site, present)
        except KeyboardInterrupt:
            status = "interrupted"
        except BlogbinderError as exc:
            status, error = "failed", str(exc)
            log.error("%s could not be crawled: %s", entry.url, exc)
        report = storage.ScheduleReportInfo(
            entry.url,
            run_id,
            started,
            datetime.now(UTC),
            status,
            new,
            changed,
            vanished,
            error,
        )
        scheduler.add_report(report)
        reports.append(report)
        if status == "interrupted":
            break  # the next run resumes it; the site stays due
        scheduler.mark_ran(entry.url, status)
    return reports

"""``export_markdown``: posts in, a Markdown site per host out."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from ._files import OutputTree
from ._images import download_images
from ._layout import layout_for, site_files
from ._pack import pack
from ._pages import host_pages
from ._plan import plan_export
from ._render import render_post
from ._types import ArchiveEntry, ExportOptions, ExportReport
from ._urls import url_key

__all__ = ["export_markdown", "select_entries"]

ARCHIVE_NAMES = {"zip": "blogbinder-archive.zip", "tar.gz": "blogbinder-archive.tar.gz"}


def _day(entry: ArchiveEntry) -> date | None:
    if entry.post.published_at is not None:
        return entry.post.published_at.date()
    return entry.first_seen.date() if entry.first_seen is not None else None


def _preference(entry: ArchiveEntry) -> tuple[bool, str, int, str]:
    post = entry.post
    fetched = post.fetched_at.isoformat() if post.fetched_at else ""
    return (not entry.gone, fetched, entry.post_id or -1, repr(post.to_dict()))


def select_entries(
    entries: Iterable[ArchiveEntry], since: date | None, warnings: list[str]
) -> list[ArchiveEntry]:
    """Entries on or after ``since``, one per post URL (the freshest copy wins)."""
    chosen: dict[str, ArchiveEntry] = {}
    for entry in entries:
        if since is not None:
            day = _day(entry)
            if day is None or day < since:
                continue
        key = url_key(entry.post.url) or entry.post.url
        other = chosen.get(key)
        if other is not None:
            warnings.append(f"post given twice, keeping the freshest copy: {entry.post.url}")
            if _preference(other) >= _preference(entry):
                continue
        chosen[key] = entry
    return [chosen[key] for key in sorted(chosen)]


def export_markdown(
    entries: Iterable[ArchiveEntry], out_dir: Path, options: ExportOptions | None = None
) -> ExportReport:
    """Write a Markdown archive of ``entries`` under ``out_dir/<host>/``.

    Same input, same bytes. Files whose bytes did not change are not rewritten (their
    mtime stays); nothing is deleted: posts gone from their site carry ``gone: true``.
    Raises :class:`~scraper.errors.ExportError` (with the path) when a file cannot be
    written; a failed image download is only a warning in the report.
    """
    options = options or ExportOptions()
    out_dir = Path(out_dir)
    warnings: list[str] = []
    selected = select_entries(entries, options.since, warnings)
    layout = layout_for(options.flavor)
    plan = plan_export(selected, layout)
    with OutputTree(out_dir, durable=options.durable) as tree:
        if options.images == "download" and options.fetch_image is not None:
            download_images(plan, tree, options.fetch_image, warnings)
        for item in plan.posts:
            tree.put(f"{item.host}/{item.path}", render_post(item, plan))
        for host in plan.hosts():
            for path, text in sorted(host_pages(plan, host).items()):
                tree.put(f"{host}/{path}", text)
            for path, text in sorted(site_files(layout, host).items()):
                tree.put(f"{host}/{path}", text)
        tree.flush()
        archive_path: Path | None = None
        if options.archive is not None:
            names = [path.relative_to(out_dir).as_posix() for path in sorted(tree.status)]
            archive_name = ARCHIVE_NAMES[options.archive]
            tree.put(archive_name, pack(out_dir, names, options.archive))
            tree.flush()
            archive_path = tree.path(archive_name)
    return ExportReport(
        out_dir=out_dir,
        posts=len(plan.posts),
        new=tree.count("new"),
        changed=tree.count("changed"),
        unchanged=tree.count("unchanged"),
        removed=sum(1 for item in plan.posts if item.entry.gone),
        files=tuple(sorted(tree.status)),
        written=tuple(p for p in sorted(tree.status) if tree.status[p] != "unchanged"),
        warnings=tuple(warnings),
        archive=archive_path,
    )

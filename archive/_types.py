"""The inputs and outputs of the archive package (plain frozen dataclasses)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Literal, get_args

from scraper.errors import UsageError
from scraper.model import Post

__all__ = [
    "ArchiveEntry",
    "ArchiveFormat",
    "ExportOptions",
    "ExportReport",
    "Flavor",
    "ImageMode",
]

Flavor = Literal["plain", "hugo", "jekyll", "obsidian"]
ImageMode = Literal["link", "download"]
ArchiveFormat = Literal["zip", "tar.gz"]


@dataclass(frozen=True, slots=True)
class ArchiveEntry:
    """One stored post as the CLI hands it over from storage.

    ``gone`` marks a post that vanished from its site: it is still exported, with
    ``gone: true`` in its front matter. ``first_seen`` stands in for the date of an
    undated post when filtering with ``since``.
    """

    post: Post
    post_id: int | None = None
    gone: bool = False
    first_seen: datetime | None = None


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """How :func:`archive.export_markdown` lays out and packs an export.

    ``images="download"`` needs ``fetch_image`` (a URL -> bytes callable; archive
    does no HTTP itself). ``archive`` also packs the files into
    ``OUT/blogbinder-archive.zip`` or ``.tar.gz``. ``since`` keeps posts published
    on or after that day (undated posts: first seen on or after it; neither: left
    out); the index, author, tag and product pages then list only those posts.

    Every export is atomic per file whatever ``durable`` says: a changed file is
    written to a temp file and renamed over the old one, so a killed export leaves
    each file old or new, never half written. ``durable`` (the default) also makes
    the export survive a power cut or OS crash: the new bytes reach the disk before
    any file is renamed (one ``syncfs`` on Linux, else an fsync per file), and the
    directories are fsynced after. ``durable=False`` skips that (faster on slow or
    busy disks; after a power cut, files written in the last seconds may be empty or
    old, and the next export rewrites them).
    """

    flavor: Flavor = "plain"
    images: ImageMode = "link"
    archive: ArchiveFormat | None = None
    since: date | None = None
    fetch_image: Callable[[str], bytes] | None = None
    durable: bool = True

    def __post_init__(self) -> None:
        if self.flavor not in get_args(Flavor):
            raise UsageError("unknown export flavor", str(self.flavor))
        if self.images not in get_args(ImageMode):
            raise UsageError("unknown image mode", str(self.images))
        if self.archive is not None and self.archive not in get_args(ArchiveFormat):
            raise UsageError("unknown archive format", str(self.archive))
        if self.images == "download" and self.fetch_image is None:
            raise UsageError("images='download' needs a fetch_image callable", "fetch_image")
        if isinstance(self.since, datetime):
            raise UsageError("since must be a date, not a datetime", self.since.isoformat())


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What one export did. Counts are per file (posts, pages, site files, images).

    ``files`` is every file of this export (posts, pages, site files, images and the
    packed archive), ``written`` the ones whose bytes were (re)written this run; both
    sorted, absolute. ``removed`` counts the posts exported with ``gone: true``.
    """

    out_dir: Path
    posts: int
    new: int
    changed: int
    unchanged: int
    removed: int
    files: tuple[Path, ...]
    written: tuple[Path, ...]
    warnings: tuple[str, ...]
    archive: Path | None = None

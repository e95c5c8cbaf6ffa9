"""Which file each post goes to, and how files of one export link to each other."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import unquote, urlsplit

from ._layout import Layout, relative_path
from ._names import assign_names, safe_host, slug_for
from ._types import ArchiveEntry
from ._urls import host_of, link_destination, url_key

__all__ = ["ExportPlan", "PlannedPost", "plan_export"]


@dataclass(frozen=True, slots=True)
class PlannedPost:
    entry: ArchiveEntry
    host: str  # directory under OUT
    path: str  # file path relative to the host directory
    title: str
    day: date | None
    #: Newest first, undated last, then by title and URL (computed once: listings sort
    #: by it many times).
    sort_key: tuple[int, str, str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        day, url = self.day, self.entry.post.url
        if day is None:
            key = (1, "", self.title.casefold(), url)
        else:
            newest = f"{9999 - day.year:04d}{99 - day.month:02d}{99 - day.day:02d}"
            key = (0, newest, self.title.casefold(), url)
        object.__setattr__(self, "sort_key", key)


@dataclass(slots=True)
class ExportPlan:
    layout: Layout
    posts: list[PlannedPost]
    by_key: dict[str, PlannedPost] = field(default_factory=dict)
    images: dict[tuple[str, str], str] = field(default_factory=dict)  # (host, url) -> asset

    def hosts(self) -> list[str]:
        return sorted({p.host for p in self.posts})

    def target(self, url: str, base: str | None = None) -> PlannedPost | None:
        key = url_key(url, base)
        return self.by_key.get(key) if key is not None else None

    def rel_link(self, host: str, source: str, target: PlannedPost) -> str | None:
        """Relative path from ``host/source`` to ``target``; None if it must stay absolute."""
        if target.host == host:
            return self.layout.link(source, target.path)
        if self.layout.flavor != "plain":
            return None  # each host is its own site for the generators and vaults
        return relative_path(f"{target.host}/{target.path}", f"{host}/{source}".rsplit("/", 1)[0])

    def markdown_link(self, host: str, source: str, target: PlannedPost, text: str) -> str:
        """A link (wikilink for obsidian) to an archived post, with ``text`` as Markdown."""
        if self.layout.wikilinks and target.host == host:
            return wikilink(target.path, text)
        rel = self.rel_link(host, source, target)
        dest = link_destination(rel if rel is not None else target.entry.post.url)
        return f"[{text}]({dest})"


def wikilink(path: str, text: str) -> str:
    target = path[:-3] if path.endswith(".md") else path
    label = text.replace("|", "\u00a6").replace("[[", "[ [").replace("]]", "] ]")
    return f"[[{target}|{label}]]"


def display_title(entry: ArchiveEntry) -> str:
    post = entry.post
    title = " ".join((post.title or "").split())
    if title:
        return title
    try:
        segment = unquote(urlsplit(post.url).path.rstrip("/").rsplit("/", 1)[-1])
    except ValueError:
        segment = ""
    return " ".join(segment.split()) or post.url


def plan_export(entries: Iterable[ArchiveEntry], layout: Layout) -> ExportPlan:
    """Give every entry a host directory and a unique, stable file path."""
    by_host: dict[str, list[ArchiveEntry]] = {}
    for entry in entries:
        host = safe_host(host_of(entry.post.site, entry.post.url))
        by_host.setdefault(host, []).append(entry)
    planned: list[PlannedPost] = []
    for host, group in sorted(by_host.items()):
        wanted: dict[str, str] = {}
        info: dict[str, tuple[ArchiveEntry, date | None, str]] = {}
        for entry in group:
            post = entry.post
            identity = url_key(post.url) or post.url
            day = post.published_at.date() if post.published_at is not None else None
            slug = slug_for(post.url, post.title)
            wanted[identity] = f"{day:%Y-%m-%d}-{slug}" if day else f"undated-{slug}"
            directory = layout.posts_dir if day else layout.undated_dir
            info[identity] = (entry, day, directory)
        for identity, name in assign_names(wanted).items():
            entry, day, directory = info[identity]
            planned.append(
                PlannedPost(entry, host, f"{directory}/{name}", display_title(entry), day)
            )
    planned.sort(key=lambda p: (p.host, p.sort_key))
    plan = ExportPlan(layout, planned)
    # Post URLs win over canonical URLs; among equals, the earlier in sorted order.
    for attribute in ("url", "canonical_url"):
        for item in planned:
            value = getattr(item.entry.post, attribute)
            key = url_key(value) if value else None
            if key is not None:
                plan.by_key.setdefault(key, item)
    return plan

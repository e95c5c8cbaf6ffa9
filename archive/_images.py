"""Downloading images through an injected ``fetch_image`` callable."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from posixpath import splitext
from urllib.parse import urljoin, urlsplit

from ._files import OutputTree
from ._markup import image_sources
from ._plan import ExportPlan

__all__ = ["download_images"]

_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif", ".bmp", ".ico"}
_MAGIC = [
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"GIF87a", ".gif"),
    (b"GIF89a", ".gif"),
    (b"BM", ".bmp"),
]


def _sniff(data: bytes) -> str:
    for magic, suffix in _MAGIC:
        if data.startswith(magic):
            return suffix
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    if data[4:12] in (b"ftypavif", b"ftypavis"):
        return ".avif"
    head = data[:512].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml")) and b"<svg" in head:
        return ".svg"
    return ".img"


def _stem(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def _image_urls(plan: ExportPlan, host: str) -> list[str]:
    urls: set[str] = set()
    for item in plan.posts:
        if item.host != host:
            continue
        post = item.entry.post
        sources = [image.src for image in post.images]
        for markdown in [post.body_markdown, *(s.markdown for s in post.sections)]:
            sources.extend(image_sources(markdown))
        for src in sources:
            absolute = urljoin(post.url, src.strip())
            if urlsplit(absolute).scheme in ("http", "https"):
                urls.add(absolute)
    return sorted(urls)


def download_images(
    plan: ExportPlan, tree: OutputTree, fetch: Callable[[str], bytes], warnings: list[str]
) -> None:
    """Fetch each post image once into the host's asset folder; fill ``plan.images``.

    An image already on disk (same URL hash) is not fetched again. A failed fetch is
    a warning, and the post keeps linking to the original URL.
    """
    folder = plan.layout.assets_dir
    for host in plan.hosts():
        existing: dict[str, str] = {}
        directory = tree.path(f"{host}/{folder}")
        if directory.is_dir():
            for child in directory.iterdir():
                if child.is_file() and not child.name.startswith("."):
                    existing.setdefault(splitext(child.name)[0], child.name)
        for url in _image_urls(plan, host):
            stem = _stem(url)
            if stem in existing:
                name = existing[stem]
                tree.keep(f"{host}/{folder}/{name}")
            else:
                try:
                    data = fetch(url)
                except Exception as exc:  # an injected callable: report, don't abort
                    warnings.append(f"image not downloaded: {url}: {exc}")
                    continue
                if not data:
                    warnings.append(f"image not downloaded: {url}: empty response")
                    continue
                suffix = splitext(urlsplit(url).path)[1].lower()
                name = stem + (suffix if suffix in _SUFFIXES else _sniff(data))
                tree.put(f"{host}/{folder}/{name}", data)
                existing[stem] = name
            plan.images[(host, url)] = f"{folder}/{name}"

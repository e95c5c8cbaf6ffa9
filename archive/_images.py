"""Downloading images through an injected ``fetch_image`` callable, into files named by
the hash of their content."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from posixpath import splitext
from urllib.parse import urljoin, urlsplit

from ._files import OutputTree
from ._markup import image_sources
from ._plan import ExportPlan

__all__ = ["MANIFEST", "download_images"]

MANIFEST = ".sources.json"
"""In each asset folder: which image URL each downloaded file came from."""

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


def _content_name(data: bytes, url: str) -> str:
    """``<sha256 of the bytes, 24 hex>.<suffix>``: the same image under two URLs is one file."""
    suffix = splitext(urlsplit(url).path)[1].lower()
    digest = hashlib.sha256(data).hexdigest()[:24]
    return digest + (suffix if suffix in _SUFFIXES else _sniff(data))


def _load_manifest(path: Path) -> dict[str, str]:
    """The URL -> file name map an earlier export left (empty when missing or broken)."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


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

    Files are named by the hash of their bytes. ``MANIFEST`` in the folder maps each
    image URL to its file, so an image already on disk is not fetched again. A failed
    fetch is a warning, and the post keeps linking to the original URL.
    """
    folder = plan.layout.assets_dir
    for host in plan.hosts():
        directory = tree.path(f"{host}/{folder}")
        known = _load_manifest(directory / MANIFEST)
        manifest: dict[str, str] = {}
        placed: set[str] = set()
        for url in _image_urls(plan, host):
            name = known.get(url)
            if name is None or "/" in name or not (directory / name).is_file():
                try:
                    data = fetch(url)
                except Exception as exc:  # an injected callable: report, don't abort
                    warnings.append(f"image not downloaded: {url}: {exc}")
                    continue
                if not data:
                    warnings.append(f"image not downloaded: {url}: empty response")
                    continue
                name = _content_name(data, url)
                if name not in placed:
                    tree.put(f"{host}/{folder}/{name}", data)
            elif name not in placed:
                tree.keep(f"{host}/{folder}/{name}")
            placed.add(name)
            manifest[url] = name
            plan.images[(host, url)] = f"{folder}/{name}"
        if manifest:
            text = json.dumps(dict(sorted(manifest.items())), indent=1, ensure_ascii=False)
            tree.put(f"{host}/{folder}/{MANIFEST}", text + "\n")

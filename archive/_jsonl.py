"""``export_jsonl``: one post per line, the contract's JSON shape."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from scraper.model import Post

from ._export import select_entries
from ._files import atomic_stream
from ._types import ArchiveEntry

__all__ = ["export_jsonl"]


def _line(post: Post) -> bytes:
    data = post.to_dict()
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8") + b"\n"
    except UnicodeEncodeError:  # a lone surrogate: fall back to \\u escapes
        return json.dumps(data, sort_keys=True, separators=(",", ":")).encode("ascii") + b"\n"


def export_jsonl(entries: Iterable[ArchiveEntry | Post], path: Path) -> int:
    """Write ``Post.to_dict()`` of each post as one JSON line (sorted keys, posts sorted
    by URL, one line per URL), atomically. Returns the number of lines written."""
    wrapped = (e if isinstance(e, ArchiveEntry) else ArchiveEntry(e) for e in entries)
    selected = select_entries(wrapped, None, [])
    with atomic_stream(Path(path)) as handle:
        for entry in selected:
            handle.write(_line(entry.post))
    return len(selected)

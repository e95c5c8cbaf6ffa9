"""blogbinder's archive: the only package that writes export files.

It gets posts (wrapped in :class:`ArchiveEntry`) from the caller and never reads
storage itself::

    from archive import ArchiveEntry, ExportOptions, export_markdown

    report = export_markdown(entries, Path("out"), ExportOptions(flavor="hugo"))

- :func:`export_markdown` writes a Markdown site per host (plain, Hugo, Jekyll or
  Obsidian), deterministically, incrementally and atomically (and durably unless
  ``ExportOptions(durable=False)``: see :class:`ExportOptions`); optionally packed.
- :func:`export_jsonl` writes one ``Post.to_dict()`` per line.
- :func:`write_warc` writes fetched responses to a gzipped WARC file.
"""

from __future__ import annotations

from ._export import export_markdown
from ._jsonl import export_jsonl
from ._names import MAX_NAME_BYTES
from ._types import ArchiveEntry, ArchiveFormat, ExportOptions, ExportReport, Flavor, ImageMode
from ._warc import WarcInput, write_warc

__all__ = [
    "MAX_NAME_BYTES",
    "ArchiveEntry",
    "ArchiveFormat",
    "ExportOptions",
    "ExportReport",
    "Flavor",
    "ImageMode",
    "WarcInput",
    "export_jsonl",
    "export_markdown",
    "write_warc",
]

for _name in ("ArchiveEntry", "ExportOptions", "ExportReport", "WarcInput"):
    globals()[_name].__module__ = "archive"
for _func in (export_markdown, export_jsonl, write_warc):
    _func.__module__ = "archive"

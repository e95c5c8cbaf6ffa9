"""The file layer: durable and non-durable writes, all-or-nothing flushes, cleanup."""

from __future__ import annotations

import dataclasses
import os
import posixpath
from pathlib import Path

import pytest

from archive import ArchiveEntry, ExportOptions, _files, export_markdown
from archive._files import OutputTree
from archive._layout import relative_path
from scraper.errors import ExportError

HOST = "blog.example.com"


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _temps(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.startswith(".blogbinder-")]


@pytest.mark.parametrize("syncfs", [True, False])
def test_durable_and_fast_exports_write_the_same_bytes(
    entries: list[ArchiveEntry], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, syncfs: bool
) -> None:
    if not syncfs:
        monkeypatch.setattr(_files, "_SYNCFS", None)  # the portable fsync-per-file path
    durable = export_markdown(entries, tmp_path / "durable", ExportOptions(durable=True))
    fast = export_markdown(entries, tmp_path / "fast", ExportOptions(durable=False))
    assert _snapshot(tmp_path / "durable") == _snapshot(tmp_path / "fast")
    assert durable.new == fast.new == len(durable.files)
    again = export_markdown(entries, tmp_path / "fast", ExportOptions(durable=False))
    assert again.written == () and again.unchanged == len(durable.files)
    assert _temps(tmp_path) == []


def test_a_failed_file_renames_nothing(entries: list[ArchiveEntry], tmp_path: Path) -> None:
    export_markdown(entries, tmp_path, ExportOptions())
    before = _snapshot(tmp_path)
    changed = [
        dataclasses.replace(e, post=dataclasses.replace(e.post, title=f"{e.post.title}?"))
        for e in entries
    ]
    blocked = tmp_path / HOST / "posts" / "2024-03-08-trimming.md"
    blocked.unlink()
    blocked.mkdir()
    with pytest.raises(ExportError) as info:
        export_markdown(changed, tmp_path, ExportOptions())
    assert info.value.target == str(blocked)
    del before[blocked.relative_to(tmp_path).as_posix()]
    assert _snapshot(tmp_path) == before  # every other file still has its old bytes
    assert _temps(tmp_path) == []


def test_interrupted_before_flush_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt), OutputTree(tmp_path) as tree:
        for number in range(200):
            tree.put(f"{HOST}/posts/{number}.md", f"post {number}\n")
        raise KeyboardInterrupt
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_files_are_world_readable_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        with OutputTree(tmp_path) as tree:
            tree.put("a/b.md", "text\n")
            tree.flush()
    finally:
        os.umask(old)
    assert (tmp_path / "a" / "b.md").stat().st_mode & 0o777 == 0o644
    assert tree.status == {tmp_path / "a" / "b.md": "new"}


@pytest.mark.parametrize(
    ("target", "start"),
    [
        ("posts/a.md", ""),
        ("posts/a.md", "posts"),
        ("posts/a.md", "tags"),
        ("content/posts/a.md", "content/tags/x"),
        ("index.md", "authors"),
        ("b.example.com/posts/a.md", "a.example.com/posts"),
        ("posts", "posts"),
        ("a/./b.md", "a"),
        ("../x.md", "a"),
    ],
)
def test_relative_path_matches_posixpath(target: str, start: str) -> None:
    assert relative_path(target, start) == posixpath.relpath(target, start or ".")

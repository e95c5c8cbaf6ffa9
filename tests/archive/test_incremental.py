"""Determinism, incremental rewrites, atomic writes and packed archives."""

from __future__ import annotations

import dataclasses
import io
import os
import tarfile
import zipfile
from pathlib import Path

import pytest

from archive import ArchiveEntry, ExportOptions, export_markdown
from scraper.errors import ExportError
from scraper.model import Section

HOST = "blog.example.com"


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _age(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(1_000_000_000, 1_000_000_000))


@pytest.mark.parametrize("flavor", ["plain", "hugo", "jekyll", "obsidian"])
def test_same_input_same_bytes(entries: list[ArchiveEntry], tmp_path: Path, flavor: str) -> None:
    options = ExportOptions(flavor=flavor)  # type: ignore[arg-type]
    export_markdown(entries, tmp_path / "a", options)
    export_markdown(list(reversed(entries)), tmp_path / "b", options)
    first, second = _snapshot(tmp_path / "a"), _snapshot(tmp_path / "b")
    assert first == second
    assert all(
        not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data for data in first.values()
    )


def test_second_run_rewrites_nothing(entries: list[ArchiveEntry], tmp_path: Path) -> None:
    first = export_markdown(entries, tmp_path, ExportOptions())
    assert first.new == len(first.files) and first.changed == first.unchanged == 0
    assert first.written == first.files
    before = _snapshot(tmp_path)
    _age(tmp_path)
    second = export_markdown(entries, tmp_path, ExportOptions())
    assert (second.new, second.changed, second.unchanged) == (0, 0, len(first.files))
    assert second.written == ()
    assert second.files == first.files
    assert _snapshot(tmp_path) == before
    assert all(p.stat().st_mtime_ns == 1_000_000_000 for p in second.files)


def test_changing_one_post_changes_one_file(entries: list[ArchiveEntry], tmp_path: Path) -> None:
    export_markdown(entries, tmp_path, ExportOptions())
    _age(tmp_path)
    post = entries[4].post
    changed = dataclasses.replace(
        post, sections=(Section("Loose notes", 2, "Something new here.", "Something new here."),)
    )
    entries[4] = dataclasses.replace(entries[4], post=changed)
    report = export_markdown(entries, tmp_path, ExportOptions())
    target = tmp_path / HOST / "posts" / "undated-notes.md"
    assert report.written == (target,)
    assert (report.new, report.changed) == (0, 1)
    assert "Something new here." in target.read_text()
    assert [p for p in report.files if p.stat().st_mtime_ns != 1_000_000_000] == [target]


def test_no_temp_files_left(entries: list[ArchiveEntry], tmp_path: Path) -> None:
    export_markdown(entries, tmp_path, ExportOptions(flavor="hugo", archive="tar.gz"))
    leftovers = [p for p in tmp_path.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]
    assert leftovers == []


def test_interrupted_write_keeps_old_file(
    entries: list[ArchiveEntry], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export_markdown(entries, tmp_path, ExportOptions())
    before = _snapshot(tmp_path)
    changed = [
        dataclasses.replace(e, post=dataclasses.replace(e.post, title=f"{e.post.title}!"))
        for e in entries
    ]

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(ExportError) as info:
        export_markdown(changed, tmp_path, ExportOptions())
    monkeypatch.undo()
    assert info.value.target is not None and info.value.target.startswith(str(tmp_path))
    assert _snapshot(tmp_path) == before  # old files intact, no temp files
    assert not [p for p in tmp_path.rglob(".blogbinder-*")]


def test_unwritable_target_raises_export_error(entries: list[ArchiveEntry], tmp_path: Path) -> None:
    blocker = tmp_path / HOST / "posts" / "2024-03-08-trimming.md"
    blocker.mkdir(parents=True)
    with pytest.raises(ExportError) as info:
        export_markdown(entries, tmp_path, ExportOptions())
    assert info.value.target == str(blocker)


def test_zip_is_deterministic(entries: list[ArchiveEntry], tmp_path: Path) -> None:
    one = export_markdown(entries, tmp_path / "one", ExportOptions(archive="zip"))
    _age(tmp_path / "one")
    two = export_markdown(list(reversed(entries)), tmp_path / "two", ExportOptions(archive="zip"))
    assert one.archive is not None and two.archive is not None
    assert one.archive.read_bytes() == two.archive.read_bytes()
    with zipfile.ZipFile(one.archive) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert f"{HOST}/posts/2024-03-04-throwing-a-mug.md" in names
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in archive.infolist())
        assert (
            archive.read(f"{HOST}/index.md") == (tmp_path / "one" / HOST / "index.md").read_bytes()
        )
    again = export_markdown(entries, tmp_path / "one", ExportOptions(archive="zip"))
    assert again.written == ()


def test_tar_gz_is_deterministic(entries: list[ArchiveEntry], tmp_path: Path) -> None:
    one = export_markdown(entries, tmp_path / "one", ExportOptions(archive="tar.gz"))
    two = export_markdown(entries, tmp_path / "two", ExportOptions(archive="tar.gz"))
    assert one.archive is not None and two.archive is not None
    data = one.archive.read_bytes()
    assert data == two.archive.read_bytes()
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        members = archive.getmembers()
        names = [m.name for m in members]
        assert names == sorted(names)
        assert all(m.mtime == 0 and m.uid == 0 and m.uname == "" for m in members)
        files = {m.name for m in members if m.isfile()}
        packed = {p.relative_to(tmp_path / "one").as_posix() for p in one.files}
        assert files == packed - {"blogbinder-archive.tar.gz"}

"""Atomic, incremental file writing: the only place archive touches the disk."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal

from scraper.errors import ExportError

__all__ = ["FileStatus", "OutputTree", "atomic_stream", "write_atomic"]

FileStatus = Literal["new", "changed", "unchanged"]


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file in the same directory, fsync and
    ``os.replace``: readers see the old file or the new one, never a partial one."""
    with atomic_stream(path) as handle:
        handle.write(data)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except FileNotFoundError:
        return False
    except IsADirectoryError as exc:
        raise ExportError(f"a directory is in the way of {path}", str(path)) from exc
    except OSError as exc:
        raise ExportError(f"cannot read {path}: {exc.strerror}", str(path)) from exc


def _store(path: Path, data: bytes) -> FileStatus:
    if _same_bytes(path, data):
        return "unchanged"
    existed = path.exists()
    write_atomic(path, data)
    return "changed" if existed else "new"


@dataclass(slots=True)
class OutputTree:
    """Files of one export under ``root``; a file is rewritten only if its bytes change.

    Writes run on a few threads (each one still temp file, fsync, rename: fsync waits on
    the disk, not the CPU). :meth:`flush` waits for them and raises the first error in
    path order, so failures are reported the same way whatever the timing.
    """

    root: Path
    workers: int = 8
    status: dict[Path, FileStatus] = field(default_factory=dict)
    _seen: set[str] = field(default_factory=set)
    _pending: dict[Path, Future[FileStatus]] = field(default_factory=dict)
    _pool: ThreadPoolExecutor | None = None

    def __enter__(self) -> OutputTree:
        self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="export")
        return self

    def __exit__(self, *exc_info: object) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)

    def path(self, relative: str) -> Path:
        parts = relative.split("/")
        if any(part in ("", ".", "..") for part in parts) or "\\" in relative:
            raise ExportError("unsafe export path", relative)
        return self.root.joinpath(*parts)

    def put(self, relative: str, data: str | bytes) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8", "replace")
        path = self.path(relative)
        folded = relative.casefold()
        if folded in self._seen:
            raise ExportError("two files of one export would share a name", str(path))
        self._seen.add(folded)
        if self._pool is None:
            self.status[path] = _store(path, data)
        else:
            self._pending[path] = self._pool.submit(_store, path, data)

    def keep(self, relative: str) -> None:
        """Count an existing file (e.g. a downloaded image) as part of this export."""
        path = self.path(relative)
        self._seen.add(relative.casefold())
        self.status[path] = "unchanged"

    def flush(self) -> None:
        """Wait for every pending write; raise the first failure by path."""
        pending, self._pending = self._pending, {}
        errors: list[tuple[Path, BaseException]] = []
        for path in sorted(pending):
            try:
                self.status[path] = pending[path].result()
            except BaseException as exc:  # collected, re-raised below in path order
                errors.append((path, exc))
        if errors:
            raise errors[0][1]

    def count(self, status: FileStatus) -> int:
        return sum(1 for value in self.status.values() if value == status)


@contextlib.contextmanager
def atomic_stream(path: Path) -> Iterator[BinaryIO]:
    """A binary file that replaces ``path`` atomically when the block ends cleanly."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".blogbinder-", suffix=".tmp")
    except OSError as exc:
        raise ExportError(f"cannot create {path.parent}: {exc.strerror}", str(path)) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise ExportError(f"cannot write {path}: {exc.strerror}", str(path)) from exc
        raise

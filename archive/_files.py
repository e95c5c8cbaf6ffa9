"""Atomic, incremental file writing: the only place archive touches the disk.

An export writes each changed file to a temp file next to it and renames it into
place, so a reader (or a rerun after a killed export) sees the old bytes or the new
ones, never half a file. That needs no fsync. ``durable=True`` also protects against
a power cut or kernel crash: before any file is renamed into place, every temp file
is flushed to the disk in one batch (one ``syncfs`` on Linux, else an fsync per
file on a few threads), and afterwards the directories holding the renames are
fsynced. The batch costs one disk round trip instead of one per file.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import os
import secrets
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal

from scraper.errors import ExportError

__all__ = ["FileStatus", "OutputTree", "atomic_stream", "write_atomic"]

FileStatus = Literal["new", "changed", "unchanged"]

_BATCH = 64  # files per worker task: fewer, larger tasks cost less pool overhead
_OPEN_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file in the same directory, fsync and
    ``os.replace``: readers see the old file or the new one, never a partial one."""
    with atomic_stream(path) as handle:
        handle.write(data)


def _compare(path: Path, data: bytes) -> FileStatus:
    """``unchanged`` if ``path`` holds exactly ``data``, else ``changed`` or ``new``.

    The size is compared first, so a changed file is usually not read at all."""
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise ExportError(f"a directory is in the way of {path}", str(path))
        if info.st_size != len(data):
            return "changed"
        with open(path, "rb", buffering=0) as handle:
            return "unchanged" if handle.read(len(data) + 1) == data else "changed"
    except FileNotFoundError:
        return "new"
    except IsADirectoryError as exc:
        raise ExportError(f"a directory is in the way of {path}", str(path)) from exc
    except OSError as exc:
        raise ExportError(f"cannot read {path}: {exc.strerror}", str(path)) from exc


@dataclass(frozen=True, slots=True)
class _Staged:
    """One file of an export after its bytes were compared (and, if they differ,
    written to ``temp`` next to it, waiting to be renamed into place)."""

    status: FileStatus
    temp: str | None = None


def _discard(temps: Iterable[str]) -> None:
    for temp in temps:
        with contextlib.suppress(OSError):
            os.unlink(temp)


def _fsync_path(path: str | Path, flags: int = os.O_RDWR) -> None:
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _load_syncfs() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int]
    function.restype = ctypes.c_int
    return function


_SYNCFS = _load_syncfs()


@dataclass(slots=True)
class OutputTree:
    """Files of one export under ``root``; a file is rewritten only if its bytes change.

    :meth:`put` hands files to a few threads, which compare them with the disk and
    write the changed ones to temp files. :meth:`flush` waits for them, raises the
    first error in path order (nothing is renamed then; the temp files are removed),
    makes the temp files durable if ``durable``, and renames them into place in path
    order. Failures are reported the same way whatever the timing.
    """

    root: Path
    durable: bool = True
    workers: int = 8
    status: dict[Path, FileStatus] = field(default_factory=dict)
    _seen: set[str] = field(default_factory=set)
    _batch: list[tuple[Path, bytes]] = field(default_factory=list)
    _pending: list[Future[list[tuple[Path, _Staged | BaseException]]]] = field(default_factory=list)
    _made: set[Path] = field(default_factory=set)
    _created: set[Path] = field(default_factory=set)
    _temps: dict[Path, str] = field(default_factory=dict)  # staged, not yet renamed
    _pool: ThreadPoolExecutor | None = None
    _token: str = field(default_factory=lambda: secrets.token_hex(4))
    _counter: Iterator[int] = field(default_factory=itertools.count)

    def __enter__(self) -> OutputTree:
        self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="export")
        return self

    def __exit__(self, *exc_info: object) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)
        # Interrupted between put and flush (or in flush): drop what is not renamed.
        self._batch = []
        try:
            self._collect()
        finally:
            _discard(self._temps.values())
            self._temps.clear()

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
        self._batch.append((path, data))
        if len(self._batch) >= _BATCH or self._pool is None:
            self._submit()

    def keep(self, relative: str) -> None:
        """Count an existing file (e.g. a downloaded image) as part of this export."""
        path = self.path(relative)
        self._seen.add(relative.casefold())
        self.status[path] = "unchanged"

    def flush(self) -> None:
        """Wait for every staged file, then rename the changed ones into place.

        Raises the first failure by path; then no file of this flush is renamed."""
        self._submit()
        renamed: list[Path] = []
        try:
            errors = self._collect()
            if errors:
                raise min(errors, key=lambda error: error[0])[1]
            if self.durable and self._temps:
                self._sync(list(self._temps.values()))
            for path in sorted(self._temps):
                try:
                    os.replace(self._temps[path], path)
                except OSError as exc:
                    raise ExportError(f"cannot write {path}: {exc.strerror}", str(path)) from exc
                del self._temps[path]
                renamed.append(path)
        finally:
            _discard(self._temps.values())
            self._temps.clear()
        if self.durable:
            self._sync_directories(renamed)

    def count(self, status: FileStatus) -> int:
        return sum(1 for value in self.status.values() if value == status)

    # -- internals ------------------------------------------------------------------

    def _submit(self) -> None:
        batch, self._batch = self._batch, []
        if not batch:
            return
        if self._pool is None:
            done: Future[list[tuple[Path, _Staged | BaseException]]] = Future()
            done.set_result(self._stage_batch(batch))
            self._pending.append(done)
        else:
            self._pending.append(self._pool.submit(self._stage_batch, batch))

    def _collect(self) -> list[tuple[Path, BaseException]]:
        """Wait for every submitted batch; record each file's status and temp file.
        Returns the (path, error) of the files that failed."""
        errors: list[tuple[Path, BaseException]] = []
        while self._pending:
            results = self._pending[0].result()
            self._pending.pop(0)
            for path, result in results:
                if isinstance(result, BaseException):
                    errors.append((path, result))
                else:
                    self.status[path] = result.status
                    if result.temp is not None:
                        self._temps[path] = result.temp
        return errors

    def _stage_batch(
        self, batch: list[tuple[Path, bytes]]
    ) -> list[tuple[Path, _Staged | BaseException]]:
        results: list[tuple[Path, _Staged | BaseException]] = []
        for path, data in batch:
            try:
                results.append((path, self._stage(path, data)))
            except BaseException as exc:  # reported by flush, in path order
                results.append((path, exc))
        return results

    def _stage(self, path: Path, data: bytes) -> _Staged:
        status = _compare(path, data)
        if status == "unchanged":
            return _Staged(status)
        return _Staged(status, self._write_temp(path, data))

    def _write_temp(self, path: Path, data: bytes) -> str:
        directory = path.parent
        self._make_dir(directory, path)
        while True:
            temp = os.path.join(directory, f".blogbinder-{self._token}-{next(self._counter)}.tmp")
            try:
                fd = os.open(temp, _OPEN_FLAGS, 0o644)
                break
            except FileExistsError:
                continue
            except OSError as exc:
                raise ExportError(f"cannot write {path}: {exc.strerror}", str(path)) from exc
        try:
            try:
                if hasattr(os, "fchmod"):
                    os.fchmod(fd, 0o644)  # the same mode whatever the umask
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
            finally:
                os.close(fd)
        except OSError as exc:
            _discard([temp])
            raise ExportError(f"cannot write {path}: {exc.strerror}", str(path)) from exc
        return temp

    def _make_dir(self, directory: Path, path: Path) -> None:
        if directory in self._made:
            return
        missing = [
            d
            for d in (directory, *directory.parents)
            if d.is_relative_to(self.root) and not d.is_dir()
        ]
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExportError(f"cannot create {directory}: {exc.strerror}", str(path)) from exc
        self._created.update(missing)
        self._made.add(directory)

    def _sync(self, temps: list[str]) -> None:
        """Put the bytes of ``temps`` on the disk before any of them is renamed."""
        try:
            if _SYNCFS is not None:
                fd = os.open(self.root, os.O_RDONLY)
                try:
                    if _SYNCFS(fd) != 0:
                        error = ctypes.get_errno()
                        raise OSError(error, os.strerror(error))
                finally:
                    os.close(fd)
            elif self._pool is not None:
                list(self._pool.map(_fsync_path, temps))
            else:
                for temp in temps:
                    _fsync_path(temp)
        except OSError as exc:
            raise ExportError(f"cannot sync {self.root}: {exc.strerror}", str(self.root)) from exc

    def _sync_directories(self, paths: Iterable[Path]) -> None:
        """Make the renames (and new directories) survive a crash: fsync their parents."""
        if os.name == "nt":
            return  # directories cannot be opened for fsync there
        directories = {path.parent for path in paths}
        directories.update(made.parent for made in self._created)
        self._created.clear()
        for directory in sorted(directories):
            try:
                _fsync_path(directory, os.O_RDONLY)
            except OSError as exc:
                raise ExportError(
                    f"cannot sync {directory}: {exc.strerror}", str(directory)
                ) from exc


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

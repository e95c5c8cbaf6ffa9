"""Deterministic zip and tar.gz packing: sorted names, fixed times and modes."""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

from scraper.errors import ExportError

from ._types import ArchiveFormat

__all__ = ["pack"]

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_TAR_MTIME = 0


def _zip(root: Path, names: Sequence[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so the mode bits below are honoured
            info.external_attr = (0o100644 & 0xFFFF) << 16
            archive.writestr(info, (root / name).read_bytes(), compresslevel=9)
    return buffer.getvalue()


def _tar_gz(root: Path, names: Sequence[str]) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        folders = sorted(
            {"/".join(n.split("/")[:i]) for n in names for i in range(1, n.count("/") + 1)}
        )
        for name in sorted([*folders, *names]):
            info = tarfile.TarInfo(name)
            info.mtime = _TAR_MTIME
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            if name in folders:
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                archive.addfile(info)
                continue
            data = (root / name).read_bytes()
            info.size = len(data)
            info.mode = 0o644
            archive.addfile(info, io.BytesIO(data))
    packed = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=packed, mtime=_TAR_MTIME) as stream:
        stream.write(raw.getvalue())
    return packed.getvalue()


def pack(root: Path, names: Sequence[str], fmt: ArchiveFormat) -> bytes:
    """The bytes of an archive of ``root/name`` for each of ``names`` (POSIX, relative)."""
    ordered = sorted(set(names))
    try:
        return _zip(root, ordered) if fmt == "zip" else _tar_gz(root, ordered)
    except OSError as exc:
        raise ExportError(f"cannot pack the export: {exc}", str(root)) from exc

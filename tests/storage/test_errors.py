"""Every failure is a StorageError naming the database URL, password masked."""

from __future__ import annotations

from pathlib import Path

import pytest

import storage
from scraper.errors import StorageError


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:////nonexistent/dir/x.db",
        "postgresql+psycopg://nobody@127.0.0.1:1/x",
        "postgresql+psycopg://nobody:s3cret@127.0.0.1:1/x",
        "postgresql://nobody:s3cret@127.0.0.1:1/x",
        "mysql://root@localhost/x",
        "not a url",
        "",
    ],
)
def test_bad_urls_raise_storage_error(url: str) -> None:
    with pytest.raises(StorageError) as caught:
        storage.open(url)
    message = str(caught.value)
    assert "s3cret" not in message
    assert caught.value.target is not None
    if "127.0.0.1:1" in url:
        assert "nobody" in message and "127.0.0.1:1/x" in message
        assert isinstance(caught.value.__cause__, Exception)
    if "sqlite" in url:
        assert "/nonexistent/dir/x.db" in message
    assert caught.value.exit_code == 1


def test_password_is_masked() -> None:
    assert storage.mask_url("postgresql+psycopg://u:pw@h/db") == "postgresql+psycopg://u:***@h/db"
    assert "pw" not in storage.mask_url("garbage://u:pw@h:notaport/db")


def test_errors_after_opening_are_storage_errors(tmp_path: Path) -> None:
    path = tmp_path / "blog.db"
    db = storage.open(f"sqlite:///{path}")
    run = db.begin_run("https://blog.example.com")
    db.close()
    path.unlink()
    (tmp_path / "blog.db-wal").unlink(missing_ok=True)
    (tmp_path / "blog.db-shm").unlink(missing_ok=True)
    # the file is gone: the next call meets an empty database without our tables
    with pytest.raises(StorageError) as caught:
        db.run_stats(run)
    assert str(path) in str(caught.value)
    assert "no such table" in str(caught.value)


def test_memory_database_works_across_threads() -> None:
    import threading

    with storage.open("sqlite:///:memory:") as db:
        seen: list[int] = []
        worker = threading.Thread(target=lambda: seen.append(db.begin_run("https://a.example")))
        worker.start()
        worker.join()
        assert db.begin_run("https://a.example") == seen[0]

"""JSON Lines and WARC output."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]

from archive import ArchiveEntry, WarcInput, export_jsonl, write_warc
from scraper.errors import ExportError
from scraper.model import Post

WARCIO = Path(sys.executable).with_name("warcio")


def test_jsonl_round_trips(entries: list[ArchiveEntry], tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    assert export_jsonl(entries, path) == len(entries)
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b""
    posts = [Post.from_dict(json.loads(line)) for line in lines[:-1]]
    assert sorted(posts, key=lambda p: p.url) == sorted(
        (e.post for e in entries), key=lambda p: p.url
    )
    for line in lines[:-1]:
        data = json.loads(line)
        assert list(data) == sorted(data)
        assert data == Post.from_dict(data).to_dict()
    export_jsonl(list(reversed(entries)), tmp_path / "again.jsonl")
    assert (tmp_path / "again.jsonl").read_bytes() == path.read_bytes()


def test_jsonl_accepts_posts_and_odd_text(tmp_path: Path) -> None:
    post = Post(url="https://x.example/a", site="https://x.example", title="line\u2028sep \ud800")
    export_jsonl([post], tmp_path / "p.jsonl")
    (line,) = (tmp_path / "p.jsonl").read_text("utf-8").splitlines()
    assert Post.from_dict(json.loads(line)) == post


def _records() -> list[WarcInput]:
    start = datetime(2024, 3, 4, 9, 30, tzinfo=UTC)
    html = "<!doctype html><title>Throwing</title><p>Clay ünïcode</p>".encode()
    return [
        WarcInput(
            url="https://blog.example.com/throwing-a-mug/",
            status=200,
            headers={
                "Content-Type": "text/html; charset=utf-8",
                "Content-Encoding": "gzip",  # the body we hold is already decoded
                "Content-Length": "9999",
                "ETag": '"abc"',
                "X-Evil": "a\r\nInjected: yes",
            },
            body=html,
            fetched_at=start,
        ),
        WarcInput(
            url="https://blog.example.com/missing",
            status=404,
            headers={"Content-Type": "text/plain"},
            body=b"not here",
            fetched_at=start + timedelta(seconds=5),
        ),
        WarcInput(url="https://blog.example.com/empty", status=204, fetched_at=start),
    ]


def test_warc_passes_warcio_check_and_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    assert write_warc(_records(), path) == 3
    check = subprocess.run([str(WARCIO), "check", "-v", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "digest pass" in check.stdout
    index = subprocess.run([str(WARCIO), "index", str(path)], capture_output=True, text=True)
    assert index.returncode == 0, index.stderr
    assert len(index.stdout.splitlines()) == 4
    with path.open("rb") as handle:
        records = list(
            (
                r.rec_type,
                r.rec_headers.get_header("WARC-Target-URI"),
                r.http_headers,
                r.content_stream().read(),
            )
            for r in ArchiveIterator(handle)
        )
    assert [r[0] for r in records] == ["warcinfo", "response", "response", "response"]
    _, uri, http, body = records[1]
    assert uri == "https://blog.example.com/throwing-a-mug/"
    assert http.get_statuscode() == "200"
    assert http.get_header("Content-Type") == "text/html; charset=utf-8"
    assert http.get_header("Content-Encoding") is None
    assert http.get_header("Content-Length") == str(len(body))
    assert http.get_header("X-Evil") == "a Injected: yes"
    assert body == _records()[0].body
    assert records[2][2].statusline == "404 Not Found" and records[2][3] == b"not here"
    assert records[3][3] == b""


def test_warc_is_deterministic_and_gzipped_per_record(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write_warc(_records(), tmp_path / "a" / "crawl.warc.gz")
    write_warc(_records(), tmp_path / "b" / "crawl.warc.gz")
    data = (tmp_path / "a" / "crawl.warc.gz").read_bytes()
    assert data == (tmp_path / "b" / "crawl.warc.gz").read_bytes()  # names are in warcinfo
    assert data.count(b"\x1f\x8b\x08") >= 4  # one gzip member per record
    assert gzip.decompress(data).startswith(b"WARC/1.0\r\n")


def test_warc_rejects_bad_status_without_leaving_a_file(tmp_path: Path) -> None:
    bad = WarcInput(url="https://x.example/", status=42, body=b"")
    with pytest.raises(ExportError) as info:
        write_warc([bad], tmp_path / "x.warc.gz")
    assert info.value.target == "https://x.example/"
    assert list(tmp_path.iterdir()) == []

"""The WARC export replays in pywb, a real replay tool: every post of the sample blog,
crawled and exported with the CLI, comes back byte for byte from its archived capture.

pywb lives in its own virtualenv (``make replay-tools``: it pins old libraries, among them
brotlipy, which would shadow the ``brotli`` module the fetcher decodes with)."""

from __future__ import annotations

import html
import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from scraper.cli import cli
from scraper.sample import build_site, expected_posts

ROOT = Path(__file__).parents[2]
PYWB_BIN = Path(os.environ.get("BLOGBINDER_PYWB_BIN", ROOT / ".tools" / "pywb" / "bin"))

if not (PYWB_BIN / "pywb").exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"pywb is missing from {PYWB_BIN}: run `make replay-tools`")
    pytest.skip("pywb is not installed (make replay-tools)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """The sample blog crawled by ``blogbinder demo`` and exported with ``--format warc``."""
    tmp = tmp_path_factory.mktemp("replay")
    db = f"sqlite:///{tmp / 'blog.db'}"
    port = _free_port()
    demo = ["--quiet", "demo", "--db", db, "--out", str(tmp / "md"), "--port", str(port)]
    result = CliRunner().invoke(cli, demo)
    assert result.exit_code == 0, result.output
    export = ["--quiet", "export", "--db", db, "--out", str(tmp / "warc"), "--format", "warc"]
    result = CliRunner().invoke(cli, [*export, "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    return f"http://127.0.0.1:{port}", Path(summary["path"])


@pytest.fixture(scope="module")
def pywb(crawled: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """pywb serving a collection made of the exported WARC; yields the collection URL."""
    work = tmp_path_factory.mktemp("pywb")
    _, warc = crawled
    for args in (["init", "blog"], ["add", "blog", str(warc)]):
        done = subprocess.run(
            [str(PYWB_BIN / "wb-manager"), *args], cwd=work, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr  # pywb indexes every record or fails here
    port = _free_port()
    server = subprocess.Popen(
        [str(PYWB_BIN / "pywb"), "-p", str(port), "-b", "127.0.0.1"],
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/blog"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None, "pywb exited"
                assert time.monotonic() < deadline, "pywb did not start"
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(10)


def test_pywb_indexes_every_stored_response(crawled: tuple[str, Path], pywb: str) -> None:
    base, _ = crawled
    lines = httpx.get(f"{pywb}/cdx", params={"url": f"{base}/*", "output": "json"}, timeout=10)
    captures = [json.loads(line) for line in lines.text.splitlines()]
    urls = {c["url"] for c in captures}
    for post in expected_posts(base):
        assert post["url"] in urls
    assert all(c["status"] in {"200", "301", "302", "404"} for c in captures)


def test_pywb_replays_each_post_byte_for_byte(crawled: tuple[str, Path], pywb: str) -> None:
    base, _ = crawled
    routes = build_site(base)
    for post in expected_posts(base):
        path = post["url"].removeprefix(base)
        raw = httpx.get(f"{pywb}/2id_/{post['url']}", timeout=10, follow_redirects=True)
        assert raw.status_code == 200, post["url"]
        assert raw.headers["memento-datetime"]
        assert raw.content == routes[path].body
        # the rewritten replay (links pointed into the archive) keeps the post itself
        shown = httpx.get(f"{pywb}/2mp_/{post['url']}", timeout=10, follow_redirects=True)
        assert shown.status_code == 200
        assert html.escape(post["title"], quote=False) in shown.text
        assert f"{pywb}/" in shown.text

"""Crawl throughput: blogbinder against Scrapy on the same generated local Wix-like blog.

    python bench/crawl_throughput.py --posts 5000 [--posts 20000] [--concurrency 64]

A separate aiohttp/uvloop server process serves N posts of about 300 KB (mostly inline
script, as real Wix pages are) on 127.0.0.1. blogbinder crawls it with politeness off into
SQLite (sitemap discovery, extraction, snapshots, versions); a Scrapy SitemapSpider does the
same fetch and the same ``extract_post`` with JSON-lines output, in the same run. Prints
pages/s, the ratio and each crawler's peak RSS (from wait4 on the child process).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from _throughput_site import generate  # noqa: E402


def _wait_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"server on port {port} did not start")


def _run(cmd: list[str]) -> tuple[float, float]:
    """Run ``cmd``; return (seconds, peak RSS in MB) of that child alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd[:4]} failed with {status}")
    return elapsed, usage.ru_maxrss / 1024


def bench(posts: int, concurrency: int, work: Path, port: int) -> dict[str, float]:
    base = f"http://127.0.0.1:{port}"
    site = work / f"site-{posts}-{port}"
    generate(site, posts, base)
    server = subprocess.Popen(
        [sys.executable, str(HERE / "_throughput_site.py"), str(site), str(port)]
    )
    try:
        _wait_port(port)
        db = work / f"bb-{posts}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        bb_cmd = [
            sys.executable, "-m", "scraper", "--quiet", "crawl", f"{base}/",
            "--db", f"sqlite:///{db}", "--delay", "0", "--concurrency", str(concurrency),
            "--source", "sitemap",
        ]  # fmt: skip
        bb_time, bb_rss = _run(bb_cmd)
        import storage

        with storage.open(f"sqlite:///{db}") as handle:
            bb_count = len(handle.posts())

        out = work / f"scrapy-{posts}.jsonl"
        sc_cmd = [sys.executable, str(HERE / "_scrapy_spider.py"), base, str(out), str(concurrency)]
        sc_time, sc_rss = _run(sc_cmd)
        sc_count = sum(1 for _ in out.open(encoding="utf-8"))
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(10)
    return {
        "posts": posts,
        "blogbinder_posts": bb_count,
        "blogbinder_s": round(bb_time, 2),
        "blogbinder_pps": round(bb_count / bb_time, 1),
        "blogbinder_rss_mb": round(bb_rss, 1),
        "scrapy_posts": sc_count,
        "scrapy_s": round(sc_time, 2),
        "scrapy_pps": round(sc_count / sc_time, 1),
        "scrapy_rss_mb": round(sc_rss, 1),
        "ratio": round((bb_count / bb_time) / (sc_count / sc_time), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, action="append", help="posts (repeatable)")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "bb-bench")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rows = [bench(n, args.concurrency, args.work, args.port) for n in (args.posts or [5000])]
    print(json.dumps(rows, indent=2))
    print()
    print(
        "| posts | blogbinder pages/s | Scrapy pages/s | ratio "
        "| blogbinder peak RSS | Scrapy peak RSS |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['posts']} | {r['blogbinder_pps']} | {r['scrapy_pps']} | {r['ratio']}x "
            f"| {r['blogbinder_rss_mb']} MB | {r['scrapy_rss_mb']} MB |"
        )


if __name__ == "__main__":
    main()

"""Crawl throughput: blogbinder against Scrapy on the same generated local Wix-like blog.

    python bench/crawl_throughput.py --posts 5000 [--posts 20000] [--concurrency 64]
        [--repeat N]

A separate aiohttp/uvloop server process serves N posts of about 300 KB (mostly inline
script, as real Wix pages are) on 127.0.0.1. blogbinder crawls it with politeness off into
SQLite (sitemap discovery, extraction, snapshots, versions); a Scrapy SitemapSpider does the
same fetch and the same ``extract_post`` with JSON-lines output, in the same run. Prints
pages/s, the ratio and each crawler's peak RSS: the largest single process (wait4 on the
child, which covers its children too) and the whole process tree (the sum of the RSS of the
child and its descendants, sampled every 0.1 s; blogbinder's extraction workers are
separate processes).
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
import threading
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


def _port_free(port: int) -> None:
    with socket.socket() as sock:
        if sock.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"port {port} is taken (a server left running?); use --port")


def _tree_rss(root: int) -> int:
    """Sum of VmRSS (bytes) of ``root`` and its descendants, from /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        kids = [child for child, parent in parents.items() if parent == pid]
        tree.update(kids)
        frontier.extend(kids)
    total = 0
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def _run(cmd: list[str]) -> tuple[float, float, float]:
    """Run ``cmd``; return (seconds, peak RSS in MB of its largest process, peak RSS in MB
    of its whole process tree)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            peak[0] = max(peak[0], _tree_rss(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd[:4]} failed with {status}")
    return elapsed, usage.ru_maxrss / 1024, peak[0] / 2**20


def bench(posts: int, concurrency: int, work: Path, port: int, repeat: int = 1) -> dict[str, float]:
    """``repeat`` rounds of (blogbinder, Scrapy), alternating; each tool's best round counts
    (this machine's speed drifts by tens of percent from minute to minute: the best of
    several alternating rounds compares the two at the machine's same best)."""
    generate(work / f"site-{posts}-{port}", posts, f"http://127.0.0.1:{port}")
    rounds = [_round(posts, concurrency, work, port) for _ in range(repeat)]
    best_bb = max(rounds, key=lambda r: r["blogbinder_pps"])
    best_sc = max(rounds, key=lambda r: r["scrapy_pps"])
    out = dict(best_bb)
    for key in ("scrapy_posts", "scrapy_s", "scrapy_pps", "scrapy_rss_mb", "scrapy_tree_rss_mb"):
        out[key] = best_sc[key]
    out["ratio"] = round(out["blogbinder_pps"] / out["scrapy_pps"], 2)
    out["rounds"] = [  # type: ignore[assignment]
        (r["blogbinder_pps"], r["scrapy_pps"], r["ratio"]) for r in rounds
    ]
    out["blogbinder_rss_mb"] = max(r["blogbinder_rss_mb"] for r in rounds)
    out["blogbinder_tree_rss_mb"] = max(r["blogbinder_tree_rss_mb"] for r in rounds)
    return out


def _round(posts: int, concurrency: int, work: Path, port: int) -> dict[str, float]:
    base = f"http://127.0.0.1:{port}"
    site = work / f"site-{posts}-{port}"
    _port_free(port)
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
        bb_time, bb_rss, bb_tree = _run(bb_cmd)
        import storage

        with storage.open(f"sqlite:///{db}") as handle:
            bb_count = len(handle.posts())

        out = work / f"scrapy-{posts}.jsonl"
        sc_cmd = [sys.executable, str(HERE / "_scrapy_spider.py"), base, str(out), str(concurrency)]
        sc_time, sc_rss, sc_tree = _run(sc_cmd)
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
        "blogbinder_tree_rss_mb": round(bb_tree, 1),
        "scrapy_posts": sc_count,
        "scrapy_s": round(sc_time, 2),
        "scrapy_pps": round(sc_count / sc_time, 1),
        "scrapy_rss_mb": round(sc_rss, 1),
        "scrapy_tree_rss_mb": round(sc_tree, 1),
        "ratio": round((bb_count / bb_time) / (sc_count / sc_time), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, action="append", help="posts (repeatable)")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "bb-bench")
    parser.add_argument(
        "--repeat", type=int, default=1, help="alternating rounds per size; best of each tool"
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rows = [
        bench(n, args.concurrency, args.work, args.port, args.repeat)
        for n in (args.posts or [5000])
    ]
    print(json.dumps(rows, indent=2))
    print()
    print(
        "| posts | blogbinder pages/s | Scrapy pages/s | ratio "
        "| blogbinder peak RSS (largest process / tree) | Scrapy peak RSS (largest / tree) |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['posts']} | {r['blogbinder_pps']} | {r['scrapy_pps']} | {r['ratio']}x "
            f"| {r['blogbinder_rss_mb']} / {r['blogbinder_tree_rss_mb']} MB "
            f"| {r['scrapy_rss_mb']} / {r['scrapy_tree_rss_mb']} MB |"
        )
    for r in rows:
        rounds = ", ".join(f"{b} / {c} ({x}x)" for b, c, x in r["rounds"])  # type: ignore[attr-defined]
        print(f"\n{r['posts']} posts, rounds (blogbinder / Scrapy pages/s): {rounds}")


if __name__ == "__main__":
    main()

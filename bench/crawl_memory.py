"""Peak memory of a blogbinder crawl over its course, on the generated Wix-like blog.

    python bench/crawl_memory.py --posts 5000 --posts 20000 [--repeat 2] [--port 8895]
        [--env NAME=VALUE ...]

The same site and command as ``crawl_throughput.py`` (a separate server process, 300 KB
posts, SQLite, politeness off), blogbinder only. The crawl process's RSS (and its whole
process tree's) is sampled every 0.1 s; the output gives the peaks, pages/s and the crawl
process's peak in each tenth of the run, which shows whether memory still climbs late in
a crawl. ``--env`` sets environment variables for the crawl (to try allocator settings).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from _throughput_site import generate  # noqa: E402
from crawl_throughput import _port_free, _tree_rss, _wait_port  # noqa: E402


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGESIZE")
    except OSError:
        return 0


def crawl(posts: int, port: int, work: Path, env: dict[str, str]) -> dict[str, object]:
    site = work / f"site-{posts}-{port}"
    generate(site, posts, f"http://127.0.0.1:{port}")
    _port_free(port)
    server = subprocess.Popen(
        [sys.executable, str(HERE / "_throughput_site.py"), str(site), str(port)]
    )
    try:
        _wait_port(port)
        db = work / "memory.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        cmd = [
            sys.executable, "-m", "scraper", "--quiet", "crawl", f"http://127.0.0.1:{port}/",
            "--db", f"sqlite:///{db}", "--delay", "0", "--concurrency", "64",
            "--source", "sitemap",
        ]  # fmt: skip
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env={**os.environ, **env}, stdout=subprocess.DEVNULL)
        samples: list[tuple[int, int]] = []  # (crawl process, tree) bytes
        while proc.poll() is None:
            samples.append((_rss(proc.pid), _tree_rss(proc.pid)))
            time.sleep(0.1)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"the crawl failed with exit code {proc.returncode}")
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(10)
    n = len(samples)
    tenths = [
        round(
            max(s[0] for s in samples[i * n // 10 : max((i + 1) * n // 10, i * n // 10 + 1)])
            / 2**20
        )
        for i in range(10)
    ]
    return {
        "posts": posts,
        "seconds": round(elapsed, 2),
        "pages_per_s": round(posts / elapsed, 1),
        "peak_mb": round(max(s[0] for s in samples) / 2**20, 1),
        "tree_peak_mb": round(max(s[1] for s in samples) / 2**20, 1),
        "peak_by_tenth_mb": tenths,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, action="append", help="posts (repeatable)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size, alternating")
    parser.add_argument("--port", type=int, default=8792)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "bb-bench")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    env = dict(item.split("=", 1) for item in args.env)
    args.work.mkdir(parents=True, exist_ok=True)
    for _ in range(args.repeat):
        for posts in args.posts or [5000]:
            result = crawl(posts, args.port, args.work, env)
            print(
                f"{posts} posts: {result['pages_per_s']} pages/s, peak {result['peak_mb']} MB "
                f"(tree {result['tree_peak_mb']} MB), by tenth of the run "
                f"{result['peak_by_tenth_mb']}",
                flush=True,
            )


if __name__ == "__main__":
    main()

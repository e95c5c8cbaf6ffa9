"""Three queue workers crawl 500 posts on five hosts (127.0.0.2-6) through PostgreSQL; one
is killed with SIGKILL halfway. Every post ends up stored exactly once, and no host ever
saw more requests at once than its concurrency or two starts closer than its delay."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from scraper.sample.route import Route
from scraper.sample.server import LocalSiteServer
from tests.generated_blog import generated_blog
from tests.pg import fresh_database, query

HOSTS = [f"127.0.0.{i}" for i in range(2, 7)]
POSTS_PER_HOST = 100
CONCURRENCY = 2
DELAY = 0.05
RESPONSE_TIME = 0.12  # longer than DELAY, so two requests per host do overlap
pytestmark = [
    pytest.mark.postgres,
    # the killed worker's connections are reset under the servers' handler threads
    pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning"),
]


@pytest.fixture(scope="module")
def pg() -> Iterator[str]:
    with fresh_database("blogbinder_scale") as url:
        yield url


@pytest.fixture
def servers() -> Iterator[list[LocalSiteServer]]:
    started = []
    try:
        for seed, host in zip("abcde", HOSTS, strict=True):
            server = LocalSiteServer(host=host).start()
            routes = generated_blog(server.base_url, POSTS_PER_HOST, seed)
            server.replace_routes(
                {
                    p: Route(
                        r.body, r.status, r.content_type, r.headers, r.last_modified, RESPONSE_TIME
                    )
                    for p, r in routes.items()
                }
            )
            started.append(server)
        yield started
    finally:
        for server in started:
            server.stop()


def _cli(*args: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "scraper", *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=sink,
        )


def _closest(server: LocalSiteServer) -> list[tuple[float, str, str]]:
    log = server.requests()
    gaps = [(b.started - a.started, a.path, b.path) for a, b in zip(log, log[1:], strict=False)]
    return sorted(gaps)[:5]


def _count(url: str, text: str) -> int:
    return int(query(url, text)[0][0])  # type: ignore[call-overload]


def test_three_workers_one_killed(pg: str, servers: list[LocalSiteServer], tmp_path: Path) -> None:
    # short timeouts: a killed worker's host slots come back after 2 + 2 + 1 seconds
    env = {**os.environ, "BLOGBINDER_TIMEOUT": "2", "BLOGBINDER_RETRIES": "1"}
    starts = [s.base_url + "/" for s in servers]
    enqueue = subprocess.run(
        [
            sys.executable,
            "-m",
            "scraper",
            "crawl",
            "--enqueue",
            "--db",
            pg,
            "--concurrency",
            str(CONCURRENCY),
            "--delay",
            str(DELAY),
            *starts,
        ],
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert enqueue.returncode == 0, enqueue.stderr.decode()
    worker_args = (
        "worker",
        "--db",
        pg,
        "--concurrency",
        "12",
        "--heartbeat",
        "0.5",
        "--stalled-after",
        "2",
    )
    logs = [tmp_path / f"worker{i}.log" for i in range(3)]
    workers = [_cli(*worker_args, env=env, log=log) for log in logs]
    total = len(HOSTS) * POSTS_PER_HOST
    try:
        began = time.monotonic()
        deadline = began + 50
        killed = False
        while time.monotonic() < deadline:
            stored = _count(pg, "SELECT count(*) FROM posts")
            if not killed and stored >= total // 2:
                workers[0].send_signal(signal.SIGKILL)
                workers[0].wait(10)
                killed = True
            open_runs = _count(pg, "SELECT count(*) FROM crawl_runs WHERE status <> 'completed'")
            runs = _count(pg, "SELECT count(*) FROM crawl_runs")
            if killed and runs == len(HOSTS) and open_runs == 0:
                break
            time.sleep(0.25)
        print(f"crawled in {time.monotonic() - began:.1f}s")
        assert killed, "the crawl never got halfway"
    finally:
        for worker in workers[1:]:
            worker.send_signal(signal.SIGTERM)
        for worker in workers[1:]:
            try:
                worker.wait(20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
    assert [w.returncode for w in workers[1:]] == [0, 0], [
        log.read_text()[-2000:] for log in logs[1:]
    ]
    assert _count(pg, "SELECT count(*) FROM crawl_runs WHERE status = 'completed'") == len(HOSTS)
    assert _count(pg, "SELECT count(*) FROM posts") == total
    assert _count(pg, "SELECT count(DISTINCT url) FROM posts") == total
    assert _count(pg, "SELECT count(*) FROM post_versions") == total
    assert _count(pg, "SELECT count(*) FROM frontier WHERE state = 'pending'") == 0
    assert _count(pg, "SELECT count(*) FROM frontier WHERE state = 'failed'") == 0
    for server in servers:
        paths = {r.path for r in server.requests() if r.path.startswith("/post/")}
        assert len(paths) == POSTS_PER_HOST, server.base_url
        assert server.max_in_flight() <= CONCURRENCY, server.base_url
        assert server.min_start_gap() >= DELAY, (server.base_url, _closest(server))
    # at least one host needed both slots at once: the concurrency limit was exercised
    assert max(s.max_in_flight() for s in servers) == CONCURRENCY

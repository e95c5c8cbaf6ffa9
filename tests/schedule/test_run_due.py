"""``blogbinder run``: due sites crawled incrementally with new/changed/vanished reports,
cron-safe locking on both backends, stale SQLite locks taken over, and ``schedule``."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

import storage
from scraper.cli import cli
from scraper.cli.cmd_run import BUSY
from scraper.sample.server import LocalSiteServer, serve_sample_blog

CLI = [sys.executable, "-m", "scraper"]


def _run(args: list[str], cwd: Path) -> tuple[int, list[dict[str, object]], str]:
    result = CliRunner().invoke(cli, args)
    data = json.loads(result.stdout) if result.stdout.strip() else []
    return result.exit_code, data, result.stderr


def test_run_due_reports_new_then_nothing_then_vanished(
    blog: LocalSiteServer, tmp_path: Path, monkeypatch: object
) -> None:
    db = f"sqlite:///{tmp_path}/r.db"
    runner = CliRunner()
    add = ["sites", "add", blog.url("/blog"), "--every", "1h", "--delay", "0", "--db", db]
    assert runner.invoke(cli, [*add, "--concurrency", "8"]).exit_code == 0
    code, reports, _ = _run(["run", "--due", "--json", "--db", db], tmp_path)
    assert code == 0
    assert [(r["status"], r["new"], r["changed"], r["vanished"]) for r in reports] == [
        ("completed", 14, 0, 0)
    ]
    code, reports, err = _run(["run", "--due", "--json", "--db", db], tmp_path)
    assert (code, reports) == (0, [])  # not due for another hour
    # a post disappears from the site (and from its sitemap, feed and lists)
    gone_path = "/post/trimming-leather-hard-pots"
    from scraper.sample.site import build_site

    routes = build_site(blog.base_url)
    routes.pop(gone_path)
    for path, route in list(routes.items()):
        if gone_path.encode() in route.body:
            routes[path] = type(route)(
                route.body.replace(gone_path.encode(), b"/post/nowhere"),
                route.status,
                route.content_type,
                route.headers,
                "Tue, 02 Jan 2024 00:00:00 GMT",
            )
    blog.replace_routes(routes)
    code, reports, _ = _run(["run", "--json", "--db", db], tmp_path)  # all sites, due or not
    assert code == 0
    assert reports[0]["status"] == "completed" and reports[0]["vanished"] == 1
    with storage.open(db) as opened:
        gone = [p.post.url for p in opened.iter_posts() if p.gone]
        assert gone == [blog.url(gone_path)]
        stored = storage.Scheduler(opened).reports()
        assert [r.vanished for r in stored] == [1, 0]
        assert storage.Scheduler(opened).sites()[0].last_status == "completed"


def test_site_that_cannot_be_crawled_exits_1(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/r.db"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["sites", "add", f"http://127.0.0.1:{port}/", "--db", db]).exit_code == 0
    )
    code, reports, _ = _run(["run", "--due", "--json", "--db", db], tmp_path)
    assert code == 1
    assert reports[0]["status"] == "failed" and "cannot reach" in str(reports[0]["error"])


def test_toml_sites_are_merged(blog: LocalSiteServer, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/r.db"
    config = tmp_path / "blogbinder.toml"
    config.write_text(
        f'[[sites]]\nurl = "{blog.url("/blog")}"\nevery = "6h"\ndelay = 0.0\nconcurrency = 8\n'
    )
    code, reports, _ = _run(
        ["run", "--due", "--json", "--db", db, "--config", str(config)], tmp_path
    )
    assert code == 0 and reports[0]["new"] == 14
    with storage.open(db) as opened:
        [entry] = storage.Scheduler(opened).sites()
    assert (entry.origin, entry.every_seconds) == ("config", 21600)


def test_two_runs_at_once_one_exits_0(any_db: str, tmp_path: Path) -> None:
    with serve_sample_blog(delay=0.15) as slow:
        add = ["sites", "add", slow.url("/blog"), "--delay", "0", "--concurrency", "1"]
        assert CliRunner().invoke(cli, [*add, "--db", any_db]).exit_code == 0
        first = subprocess.Popen(
            [*CLI, "-q", "run", "--due", "--json", "--db", any_db],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
        )
        deadline = time.monotonic() + 20
        while slow.request_count() < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert first.poll() is None, "the first run ended before the second started"
        began = time.monotonic()
        second = subprocess.run(
            [*CLI, "run", "--due", "--json", "--db", any_db],
            capture_output=True,
            cwd=tmp_path,
            timeout=30,
        )
        assert second.returncode == 0
        assert BUSY in second.stderr.decode()
        assert second.stdout == b""
        assert time.monotonic() - began < 10
        assert first.poll() is None, "the second run had to wait for the first"
        out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err.decode()
    assert json.loads(out)[0]["new"] == 14
    with storage.open(any_db) as db:
        assert len(db.runs()) == 1


def test_stale_sqlite_lock_is_taken_over(blog: LocalSiteServer, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/r.db"
    add = ["sites", "add", blog.url("/blog"), "--delay", "0", "--concurrency", "8", "--db", db]
    assert CliRunner().invoke(cli, add).exit_code == 0
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    with storage.open(db) as opened:
        scheduler = storage.Scheduler(opened)
        held = scheduler.try_lock("run")
        assert held is not None
        assert scheduler.try_lock("run") is None  # held by this live process
    import sqlite3

    with sqlite3.connect(tmp_path / "r.db") as conn:  # as if a process that died held it
        conn.execute("UPDATE run_locks SET holder_pid = ?", (dead.pid,))
    code, reports, err = _run(["run", "--due", "--json", "--db", db], tmp_path)
    assert code == 0 and reports[0]["new"] == 14, err
    # a holder on another machine counts as gone when its heartbeat is old
    with storage.open(db) as opened:
        scheduler = storage.Scheduler(opened)
        mine = scheduler.try_lock("run")
        assert mine is not None
        old = (datetime.now(UTC) - timedelta(hours=1)).replace(tzinfo=None).isoformat(" ")
        with sqlite3.connect(tmp_path / "r.db") as conn:
            conn.execute("UPDATE run_locks SET holder_host = 'elsewhere', heartbeat_at = ?", (old,))
        taken = scheduler.try_lock("run", stale_after=600)
        assert taken is not None
        assert scheduler.lock_holder() == f"{os.getpid()}@{socket.gethostname()}"
        taken.release()
        assert scheduler.lock_holder() is None


def test_schedule_runs_due_sites_and_stops_on_sigterm(
    blog: LocalSiteServer, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path}/r.db"
    add = ["sites", "add", blog.url("/blog"), "--delay", "0", "--concurrency", "8", "--db", db]
    assert CliRunner().invoke(cli, add).exit_code == 0
    proc = subprocess.Popen(
        [*CLI, "schedule", "--poll", "0.2", "--json", "--db", db],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # the first pass's report
        assert json.loads(line)["new"] == 14
        time.sleep(0.5)  # a few more checks: nothing is due
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err.decode()
    assert out == b"" and b"stopped" in err
    with storage.open(db) as opened:
        assert len(storage.Scheduler(opened).reports()) == 1

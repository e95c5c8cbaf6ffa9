"""Crash safety: crawls and exports SIGKILLed at random moments, then rerun, end exactly
where an uninterrupted run ends."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

from scraper.sample.server import serve_sample_blog

from .report import Reliability

ROOT = Path(__file__).resolve().parents[2]
TRIALS = 20
KILLS_PER_DB = 4
SEED = 20241126
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _crawl_cmd(base: str, db: Path) -> list[str]:
    return [
        sys.executable, "-m", "scraper", "--quiet", "crawl", base + "/",
        "--db", f"sqlite:///{db}", "--delay", "0", "--concurrency", "4",
    ]  # fmt: skip


def digest(db_path: Path) -> dict[str, list[tuple[object, ...]]]:
    """What a crawl leaves behind, without ids and times."""
    db = sqlite3.connect(db_path)
    queries = {
        "posts": "select canonical_url, gone from posts order by 1",
        "current": "select p.canonical_url, v.content_hash from posts p "
        "join post_versions v on v.id = p.current_version_id order by 1",
        "versions_per_post": "select p.canonical_url, count(*) from posts p "
        "join post_versions v on v.post_id = p.id group by p.id order by 1",
        "products": "select key, name, url, image, description from products order by 1",
        "mentions": "select p.canonical_url, m.position, pr.key, m.price, m.currency "
        "from product_mentions m join posts p on p.id = m.post_id "
        "join products pr on pr.id = m.product_id order by 1, 2",
        "links": "select p.canonical_url, l.position, l.url, l.kind, t.canonical_url "
        "from related_links l join posts p on p.id = l.post_id "
        "left join posts t on t.id = l.target_post_id order by 1, 2",
    }
    try:
        return {name: db.execute(sql).fetchall() for name, sql in queries.items()}
    finally:
        db.close()


def _trial(base: str, db: Path, kills: list[float]) -> tuple[int, int]:
    """Start the crawl and SIGKILL it after each delay in turn (each kill is one trial,
    each resumption starting from what the previous one left), then run it to the end."""
    killed = 0
    for kill_after in kills:
        child = subprocess.Popen(_crawl_cmd(base, db), cwd=ROOT, env=ENV)
        time.sleep(kill_after)
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            killed += 1
        child.wait(30)
    rerun = subprocess.run(_crawl_cmd(base, db), cwd=ROOT, env=ENV, timeout=60)
    return killed, rerun.returncode


def test_sigkilled_crawls_resume_to_the_same_database(
    tmp_path: Path, reliability: Reliability
) -> None:
    rng = random.Random(SEED)
    with serve_sample_blog(delay=0.04) as server:
        reference = tmp_path / "reference.db"
        started = time.monotonic()
        subprocess.run(_crawl_cmd(server.base_url, reference), cwd=ROOT, env=ENV, check=True)
        span = time.monotonic() - started
        expected = digest(reference)
        assert expected["posts"] and all(n == 1 for _, n in expected["versions_per_post"])
        delays = [rng.uniform(0.6, span) for _ in range(TRIALS)]
        chains = [delays[i : i + KILLS_PER_DB] for i in range(0, TRIALS, KILLS_PER_DB)]
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(
                pool.map(
                    lambda i: _trial(server.base_url, tmp_path / f"t{i}.db", chains[i]),
                    range(len(chains)),
                )
            )
    killed = sum(k for k, _ in results)
    assert all(code == 0 for _, code in results)
    for i, chain in enumerate(chains):
        assert digest(tmp_path / f"t{i}.db") == expected, f"chain {i} (kills at {chain})"
    assert killed >= TRIALS // 2
    reliability.add(
        "crash",
        f"SIGKILL of `blogbinder crawl` at a random moment ({TRIALS} seeded trials, "
        f"{killed} killed mid-run), then the same command again",
        "every database equals the uninterrupted crawl's: posts, current versions' content, "
        "one version per post, products, mentions, links",
        f"kill times {min(delays):.2f}-{max(delays):.2f} s of a {span:.1f} s run",
    )


EXPORT_CHILD = """
import sys
from pathlib import Path
import storage
from archive import ArchiveEntry, ExportOptions, export_markdown
with storage.open(sys.argv[1]) as db:
    entries = [ArchiveEntry(post=s.post, post_id=s.id, gone=s.gone) for s in db.iter_posts()]
export_markdown(entries * 1, Path(sys.argv[2]), ExportOptions(flavor="plain"))
"""


def _front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    head = text[4:].split("\n---\n", 1)[0]
    data = yaml.safe_load(head)
    assert isinstance(data, dict), path
    return data


def test_killed_export_leaves_no_partial_file(tmp_path: Path, reliability: Reliability) -> None:
    db = tmp_path / "export.db"
    with serve_sample_blog() as server:
        subprocess.run(_crawl_cmd(server.base_url, db), cwd=ROOT, env=ENV, check=True)
    url = f"sqlite:///{db}"
    whole = tmp_path / "whole"
    subprocess.run([sys.executable, "-c", EXPORT_CHILD, url, str(whole)], env=ENV, check=True)
    expected = {p.relative_to(whole): p.read_bytes() for p in whole.rglob("*") if p.is_file()}
    assert any(str(p).endswith(".md") for p in expected)
    rng = random.Random(SEED)
    for trial in range(2):
        out = tmp_path / f"cut{trial}"
        child = subprocess.Popen([sys.executable, "-c", EXPORT_CHILD, url, str(out)], env=ENV)
        time.sleep(rng.uniform(0.9, 1.6))
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        for md in out.rglob("*.md"):  # whatever is there is whole
            assert md.read_bytes() == expected[md.relative_to(out)]
            _front_matter(md) if "/posts/" in str(md) else None
        subprocess.run([sys.executable, "-c", EXPORT_CHILD, url, str(out)], env=ENV, check=True)
        got = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        assert got == expected
    reliability.add(
        "crash",
        "SIGKILL of an export midway (2 seeded trials), then the export again",
        "every .md present after the kill is complete; the rerun equals the uninterrupted "
        "export byte for byte, with no temporary files left",
    )

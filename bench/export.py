"""Benchmark: export 10,000 generated posts from SQLite to Markdown, then again unchanged.

    .venv/bin/python -m bench.export [--posts N] [--flavor plain|hugo|jekyll|obsidian]
        [--durable | --no-durable] [--keep DIR]

The posts are first stored (untimed) into a fresh SQLite database through the crawler's
path (``Database.save_pages``; every 97th post then marked gone). The timed part is what
``blogbinder export`` does: ``storage.open`` + ``iter_posts`` -> ``ArchiveEntry`` ->
``export_markdown``, once into an empty directory (every file new) and once more with
nothing changed. For comparison the same export is also timed from the in-memory posts.
Prints one JSON object; the target for 10,000 posts is a first export from SQLite under
10 s on the CI machine (2 cores).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import get_args

import storage
from archive import ArchiveEntry, ExportOptions, ExportReport, Flavor, export_markdown
from scraper.model import Author, Post, Product, RelatedLink, Section
from scraper.records import FetchedPage, FrontierItem

SITE = "https://bench.example.com"
WORDS = "clay glaze kiln wheel trim fire slip bisque stoneware porcelain mug bowl".split()
FETCHED_AT = datetime(2025, 1, 1, tzinfo=UTC)
SAVE_BATCH = 500


def generate(count: int, seed: int = 7) -> list[ArchiveEntry]:
    rng = random.Random(seed)
    authors = [Author(f"Author {i}") for i in range(20)]
    tags = [f"tag-{i}" for i in range(50)]
    products = [Product(f"Product {i}", f"{i}.50", "USD", f"{SITE}/shop/{i}") for i in range(30)]
    start = datetime(2015, 1, 1, tzinfo=UTC)
    entries = []
    for i in range(count):
        slug = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-{i}"
        others = [rng.randrange(count) for _ in range(3)]
        links = tuple(
            RelatedLink(f"post {j}", f"{SITE}/posts/{j}/", k % 3) for k, j in enumerate(others)
        )
        sections = tuple(
            Section(
                f"Part {k}" if k else None,
                2 if k else None,
                " ".join(rng.choice(WORDS) for _ in range(120))
                + f"\n\nSee [post {others[k]}]({SITE}/posts/{others[k]}/).",
                "",
            )
            for k in range(3)
        )
        post = Post(
            url=f"{SITE}/posts/{i}/" if i % 10 else f"{SITE}/{slug}/",
            site=SITE,
            title=f"{slug.replace('-', ' ').title()}",
            authors=(rng.choice(authors),),
            published_at=start + timedelta(hours=7 * i) if i % 50 else None,
            tags=tuple(rng.sample(tags, 3)),
            sections=sections,
            related_links=links,
            products=tuple(rng.sample(products, i % 3)),
        )
        entries.append(ArchiveEntry(post, post_id=i, gone=i % 97 == 0))
    return entries


def _page(post: Post) -> FetchedPage:
    body = f"<html><head><title>{post.title}</title></head><body>{post.url}</body></html>"
    return FetchedPage(
        url=post.url,
        final_url=post.url,
        status=200,
        body=body.encode(),
        fetched_at=FETCHED_AT,
        content_type="text/html; charset=utf-8",
    )


def store(entries: list[ArchiveEntry], db_url: str) -> None:
    """Save ``entries`` as one crawl would, then flag the gone ones."""
    with storage.open(db_url) as db:
        run = db.begin_run(SITE)
        for start in range(0, len(entries), SAVE_BATCH):
            batch = entries[start : start + SAVE_BATCH]
            db.save_pages(
                run, [(FrontierItem(e.post.url, kind="post"), _page(e.post), e.post) for e in batch]
            )
        db.mark_gone(SITE, [e.post.url for e in entries if not e.gone])
        db.finish_run(run, "completed")


def stored_entries(db: storage.Database) -> Iterator[ArchiveEntry]:
    """What ``blogbinder export`` hands to the archive (see scraper/cli/cmd_export.py)."""
    for stored in db.iter_posts():
        yield ArchiveEntry(
            post=stored.post, post_id=stored.id, gone=stored.gone, first_seen=stored.first_seen
        )


def _timed(run: Callable[[], ExportReport]) -> tuple[float, float, ExportReport]:
    """Wall-clock and CPU seconds (all threads of this process) of ``run``."""
    started, cpu = time.perf_counter(), time.process_time()
    report = run()
    return (
        round(time.perf_counter() - started, 2),
        round(time.process_time() - cpu, 2),
        report,
    )


def _from_db(db_url: str, out: Path, options: ExportOptions) -> ExportReport:
    with storage.open(db_url) as db:
        return export_markdown(stored_entries(db), out, options)


def _read_only(db_url: str) -> tuple[float, int]:
    started = time.perf_counter()
    with storage.open(db_url) as db:
        count = sum(1 for _ in stored_entries(db))
    return round(time.perf_counter() - started, 2), count


def _size(paths: Iterable[Path]) -> int:
    return sum(path.stat().st_size for path in paths)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--flavor", default="plain", choices=get_args(Flavor))
    parser.add_argument(
        "--durable",
        action=argparse.BooleanOptionalAction,
        default=ExportOptions().durable,
        help="fsync the written files (ExportOptions.durable); default: the option's default",
    )
    parser.add_argument("--keep", type=Path, default=None, help="work here and keep the files")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="blogbinder-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        entries = generate(args.posts)
        db_url = f"sqlite:///{work / 'bench.db'}"
        started = time.perf_counter()
        store(entries, db_url)
        store_s = round(time.perf_counter() - started, 2)
        options = ExportOptions(flavor=args.flavor, durable=args.durable)
        read_s, read_posts = _read_only(db_url)
        db_first_s, db_first_cpu, db_first = _timed(
            lambda: _from_db(db_url, work / "from-db", options)
        )
        db_second_s, db_second_cpu, db_second = _timed(
            lambda: _from_db(db_url, work / "from-db", options)
        )
        mem_first_s, mem_first_cpu, mem_first = _timed(
            lambda: export_markdown(entries, work / "mem", options)
        )
        mem_second_s, mem_second_cpu, mem_second = _timed(
            lambda: export_markdown(entries, work / "mem", options)
        )
        result = {
            "posts": args.posts,
            "flavor": args.flavor,
            "durable": args.durable,
            "store_s": store_s,
            "sqlite_read_s": read_s,
            "sqlite_read_posts": read_posts,
            "sqlite_first_s": db_first_s,
            "sqlite_second_s": db_second_s,
            "memory_first_s": mem_first_s,
            "memory_second_s": mem_second_s,
            "cpu_s": [db_first_cpu, db_second_cpu, mem_first_cpu, mem_second_cpu],
            "files": len(db_first.files),
            "bytes": _size(db_first.files),
            "first_new": db_first.new,
            "second_unchanged": db_second.unchanged,
            "memory_files": len(mem_first.files),
            "memory_bytes": _size(mem_first.files),
            "memory_second_unchanged": mem_second.unchanged,
        }
        print(json.dumps(result))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Storage benchmark: ingest generated posts through the crawler's path, then search.

    .venv/bin/python bench/storage.py --posts 5000
    .venv/bin/python bench/storage.py --posts 100000 --backend sqlite --searches 200
    .venv/bin/python bench/storage.py --pg postgresql+psycopg://postgres@127.0.0.1/bench

Each post is saved with ``Database.save_page`` (one transaction: fetch, snapshot,
post, version, authors, sections, links, products, images, tags, search index), as
a crawl would. Prints posts/s per backend and search latency percentiles. The
PostgreSQL database given with --pg is created if missing and dropped afterwards
only when this script created it.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and its name would shadow
# the `storage` package: put the project root in its place.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [str(_HERE.parent)] + [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import storage  # noqa: E402
from scraper.model import Author, Image, Post, Product, RelatedLink, Section  # noqa: E402
from scraper.records import FetchedPage, FrontierItem  # noqa: E402

SITE = "https://bench.example.com"
WORDS = (
    "flour water salt starter dough crumb crust oven steam proof fold shape bake loaf rye "
    "wheat spelt knead rest overnight basket blade score hydration levain yeast butter sugar "
    "honey seed oat barley malt caraway fennel olive rosemary garlic cheese tomato pizza "
    "bagel brioche croissant focaccia ciabatta baguette pretzel scone muffin biscuit pie tart"
).split()
SYLLABLES = "ba ke lo ri su ta mi no de fa go hu ji ku le ma ne po ra se ti vu wa ye zo".split()


def _vocabulary(size: int = 20_000) -> list[str]:
    """Bread words first, then made-up words: the long tail of a real blog's vocabulary."""
    rng = random.Random(11)
    words = list(WORDS)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choices(SYLLABLES, k=rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


VOCAB = _vocabulary()
# Zipf-like frequencies: the n-th word is about 1/n as common as the first.
CUM_WEIGHTS = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(VOCAB))))
AUTHORS = [Author(f"Writer {n}", f"{SITE}/author/{n}/") for n in range(12)]
PRODUCTS = [
    Product(f"Tool {n}", f"{n + 5}.00", "USD", f"https://shop.example.com/{n}") for n in range(40)
]
TAGS = [w.title() for w in WORDS[:30]]


def generate(count: int, seed: int = 7) -> Iterator[Post]:
    rng = random.Random(seed)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    for n in range(count):
        paragraphs = [" ".join(rng.choices(VOCAB, cum_weights=CUM_WEIGHTS, k=60)) for _ in range(5)]
        body = "\n\n".join(paragraphs)
        sections = tuple(
            Section(None if i == 0 else f"Step {i}", None if i == 0 else 2, p, p)
            for i, p in enumerate(paragraphs[:3])
        )
        links = tuple(
            RelatedLink(f"post {t}", f"{SITE}/p/{t}/", 0)
            for t in rng.sample(range(max(count, 2)), 2)
        )
        yield Post(
            url=f"{SITE}/p/{n}/",
            site=SITE,
            platform="wordpress",
            canonical_url=f"{SITE}/p/{n}/",
            title=" ".join(rng.choices(WORDS, k=5)).title(),
            authors=tuple(rng.sample(AUTHORS, 1 + n % 2)),
            published_at=start + timedelta(hours=n),
            published_precision="exact",
            reading_time_minutes=3,
            language="en",
            tags=tuple(rng.sample(TAGS, 3)),
            sections=sections,
            related_links=links,
            products=(rng.choice(PRODUCTS),) if n % 3 == 0 else (),
            images=(Image(f"https://cdn.example.com/{n}.jpg", "a loaf"),),
            body_markdown=body,
            body_text=body,
            word_count=len(body.split()),
        )


def _page(post: Post, fetched_at: datetime) -> FetchedPage:
    return FetchedPage(post.url, post.url, 200, post.body_text.encode()[:2000], fetched_at)


def ingest(db: storage.Database, posts: list[Post], batch: int) -> float:
    """Save every post as a crawl would; return posts per second.

    ``batch`` 1 uses ``save_page`` (one transaction per page, the crawler's path);
    larger values use ``save_pages`` with that many pages per transaction."""
    run = db.begin_run(SITE)
    fetched_at = datetime(2024, 6, 1, tzinfo=UTC)
    begin = time.perf_counter()
    if batch == 1:
        for post in posts:
            db.save_page(run, FrontierItem(post.url, kind="post"), _page(post, fetched_at), post)
    else:
        for start in range(0, len(posts), batch):
            part = posts[start : start + batch]
            db.save_pages(
                run, [(FrontierItem(p.url, kind="post"), _page(p, fetched_at), p) for p in part]
            )
    elapsed = time.perf_counter() - begin
    db.finish_run(run, "completed")
    return len(posts) / elapsed


def search_latency(db: storage.Database, searches: int) -> dict[str, float]:
    rng = random.Random(3)
    times: list[float] = []
    for _ in range(searches):
        query = " ".join(rng.sample(VOCAB[20:2000], 2))  # fairly common words
        begin = time.perf_counter()
        db.posts(search=query, limit=20)
        times.append((time.perf_counter() - begin) * 1000)
    times.sort()
    return {
        "p50_ms": statistics.median(times),
        "p95_ms": times[int(len(times) * 0.95) - 1],
        "max_ms": times[-1],
    }


def run_backend(name: str, url: str, posts: list[Post], searches: int, batch: int) -> None:
    single = posts[: min(len(posts) // 2, 2000)]
    with storage.open(url) as db:
        rate = ingest(db, single, 1)
        print(f"{name}: save_page, {len(single)} posts, 1 transaction each: {rate:,.0f} posts/s")
        rest = posts[len(single) :]
        rate = ingest(db, rest, batch)
        print(
            f"{name}: save_pages, {len(rest)} posts, {batch} per transaction: {rate:,.0f} posts/s"
        )
        again = posts[:2000]
        rate = ingest(db, again, batch)
        print(f"{name}: save_pages re-save of {len(again)} unchanged posts: {rate:,.0f} posts/s")
        lat = search_latency(db, searches)
        total = len(db.posts())
        print(
            f"{name}: search over {total} posts, {searches} two-word queries, limit 20: "
            f"p50 {lat['p50_ms']:.1f} ms, p95 {lat['p95_ms']:.1f} ms, max {lat['max_ms']:.1f} ms"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--batch", type=int, default=500, help="pages per save_pages call")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/bb_bench")
    args = parser.parse_args(argv)
    posts = list(generate(args.posts))
    # The generated posts stay in memory for the whole run, which a crawl never does (its
    # writer holds one batch). Freezing them keeps Python's collector from rescanning them
    # in every full collection, so the figures measure storage, not this script's heap.
    gc.freeze()
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            db_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
            run_backend("sqlite", db_url, posts, args.searches, args.batch)
    if args.backend in ("postgresql", "both"):
        created = _create_pg(args.pg)
        try:
            run_backend("postgresql", args.pg, posts, args.searches, args.batch)
        finally:
            if created:
                _drop_pg(args.pg)
    return 0


def _admin(url: str) -> tuple[str, str]:
    base, name = url.rsplit("/", 1)
    return base.replace("postgresql+psycopg://", "postgresql://", 1) + "/postgres", name


def _create_pg(url: str) -> bool:
    import psycopg
    from psycopg import sql

    admin, name = _admin(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


def _drop_pg(url: str) -> None:
    import psycopg
    from psycopg import sql

    admin, name = _admin(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


if __name__ == "__main__":
    sys.exit(main())

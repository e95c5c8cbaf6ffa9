"""Benchmark: export 10,000 generated posts to Markdown, then again (nothing changed).

    .venv/bin/python -m bench.export [--posts N] [--flavor plain|hugo|jekyll|obsidian]

Prints seconds for the first (all new) and second (all unchanged) export; the target
for 10,000 posts is under 10 s for the first run on the CI machine (2 cores).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from archive import ArchiveEntry, ExportOptions, export_markdown
from scraper.model import Author, Post, Product, RelatedLink, Section

SITE = "https://bench.example.com"
WORDS = "clay glaze kiln wheel trim fire slip bisque stoneware porcelain mug bowl".split()


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--flavor", default="plain")
    args = parser.parse_args()
    entries = generate(args.posts)
    out = Path(tempfile.mkdtemp(prefix="blogbinder-bench-"))
    try:
        options = ExportOptions(flavor=args.flavor)
        t0 = time.perf_counter()
        first = export_markdown(entries, out, options)
        t1 = time.perf_counter()
        second = export_markdown(entries, out, options)
        t2 = time.perf_counter()
        result = {
            "posts": args.posts,
            "flavor": args.flavor,
            "files": len(first.files),
            "first_s": round(t1 - t0, 2),
            "second_s": round(t2 - t1, 2),
            "second_unchanged": second.unchanged,
            "bytes": sum(p.stat().st_size for p in first.files),
        }
        print(json.dumps(result))
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()

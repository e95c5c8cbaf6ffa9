"""A small blog on a :class:`FaultServer`, crawled into a real storage database, with the
measurements the fault tests assert on: outcome per URL, server hits, peak memory, and
whether the posts stored before the fault are byte-identical afterwards."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import storage
from scraper.crawl import CrawlOptions, CrawlSummary, crawl_site

from . import faults
from .server import FaultServer

OPTIONS = CrawlOptions(delay=0, concurrency=2, retries=3, backoff=0.05, adaptive=False, timeout=1.0)
SEED = "f"
POSTS = 3


def posts() -> list[str]:
    return [f"/post/{SEED}-notes-{i:04d}" for i in range(POSTS)]


def post_page(base: str, path: str, index: int) -> bytes:
    title = f"Glaze notes {index}: firing cone {6 + index}"
    day = f"2024-0{index + 1}-1{index}"
    meta = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": title,
        "datePublished": f"{day}T09:00:00Z",
        "author": {"@type": "Person", "name": "Ada Kiln"},
        "mainEntityOfPage": base + path,
    }
    paragraphs = "".join(
        f"<p>Paragraph {n} of post {index}: the bisque went in at dawn, the kiln climbed "
        f"slowly and the shino came out with the orange blush we hoped for.</p>"
        for n in range(5)
    )
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f'<title>{title}</title><link rel=canonical href="{base}{path}">'
        '<meta property="og:type" content="article">'
        f'<script type="application/ld+json">{json.dumps(meta)}</script></head>'
        f"<body><main><article><h1>{title}</h1><p class=byline>By Ada Kiln "
        f'<time datetime="{day}">{day}</time></p>{paragraphs}</article></main></body></html>'
    ).encode()


def sitemap(base: str) -> bytes:
    locs = "".join(f"<url><loc>{base}{p}</loc></url>" for p in posts())
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
    ).encode()


def home(base: str, extra: list[str]) -> bytes:
    links = "".join(f'<li><a href="{base}{p}">post</a></li>' for p in posts() + extra)
    return (
        "<!doctype html><html><head><title>Fault blog</title>"
        f'<link rel="alternate" type="application/rss+xml" href="{base}/feed.xml">'
        f"</head><body><main><ul>{links}</ul></main></body></html>"
    ).encode()


def feed(base: str) -> bytes:
    items = "".join(f"<item><title>p</title><link>{base}{p}</link></item>" for p in posts())
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    ).encode()


def install_blog(server: FaultServer, extra: tuple[str, ...] = ()) -> None:
    """The healthy blog: three posts, a sitemap, a feed, robots.txt and a home page."""
    base = server.base_url
    for index, path in enumerate(posts()):
        server.routes[path] = faults.page(post_page(base, path, index))
    server.routes["/sitemap.xml"] = faults.page(sitemap(base), "application/xml")
    robots = f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n"
    server.routes["/robots.txt"] = faults.page(robots.encode(), "text/plain")
    server.routes["/"] = faults.page(home(base, list(extra)))
    server.routes["/feed.xml"] = faults.page(feed(base), "application/rss+xml")


@dataclass
class Run:
    summary: CrawlSummary
    peak: int  # bytes, tracemalloc peak during the crawl
    seconds: float


def crawl(server: FaultServer, db_url: str, options: CrawlOptions = OPTIONS) -> Run:
    started = time.monotonic()
    tracemalloc.start()
    try:
        with storage.open(db_url) as db:
            summary = asyncio.run(crawl_site(server.url("/"), db, options))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return Run(summary, peak, time.monotonic() - started)


def snapshot(db_url: str) -> dict[str, object]:
    """Every stored post (current version, as JSON) with its version count."""
    out: dict[str, object] = {}
    with storage.open(db_url) as db:
        for stored in db.iter_posts():
            out[stored.post.url] = (
                json.dumps(stored.post.to_dict(), sort_keys=True),
                stored.versions,
                stored.gone,
            )
    return out


def outcomes(db_path: Path, run_id: int) -> dict[str, tuple[str | None, str | None, str]]:
    """url -> (outcome, error kind, detail) for one run's frontier."""
    db = sqlite3.connect(db_path)
    try:
        rows = db.execute(
            "select url, outcome, error_kind, detail from frontier where run_id = ?", (run_id,)
        ).fetchall()
    finally:
        db.close()
    return {url: (outcome, kind, detail or "") for url, outcome, kind, detail in rows}

"""Generated blogs of any size for scale tests and benchmarks: plain, well-formed post
pages (JSON-LD BlogPosting, an ``<article>``), a sitemap and robots.txt per host.

    routes = generated_blog("http://127.0.0.2:8000", posts=100, seed="b")
    LocalSiteServer(routes, host="127.0.0.2", port=8000)
"""

from __future__ import annotations

import hashlib
import json
from html import escape

from scraper.sample.route import Route

__all__ = ["generated_blog", "post_paths"]

_WORDS = (
    "kiln glaze clay wheel studio firing bisque porcelain stoneware slip trimming "
    "handle foot rim ash celadon shino reduction oxidation cone wedging"
).split()


def post_paths(posts: int, seed: str) -> list[str]:
    return [f"/post/{seed}-notes-{i:04d}" for i in range(posts)]


def _paragraphs(key: str, count: int) -> list[str]:
    digest = hashlib.sha256(key.encode()).digest()
    out = []
    for p in range(count):
        words = [
            _WORDS[(digest[(p * 7 + i) % len(digest)] + i * p) % len(_WORDS)] for i in range(40)
        ]
        out.append(" ".join(words).capitalize() + ".")
    return out


def _post(base: str, path: str, index: int, seed: str) -> str:
    url = base + path
    title = f"Studio notes {seed.upper()} {index}: {_WORDS[index % len(_WORDS)]}"
    day = f"2024-{(index % 12) + 1:02d}-{(index % 27) + 1:02d}"
    meta = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": title,
        "datePublished": f"{day}T09:00:00Z",
        "author": {"@type": "Person", "name": f"Author {seed.upper()}"},
        "mainEntityOfPage": url,
    }
    body = "".join(f"<p>{escape(p)}</p>" for p in _paragraphs(url, 6))
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f'<title>{escape(title)}</title><link rel=canonical href="{url}">'
        '<meta property="og:type" content="article">'
        f'<meta property="og:title" content="{escape(title)}">'
        f'<script type="application/ld+json">{json.dumps(meta)}</script></head>'
        f'<body><header><a href="{base}/">Home</a></header><main><article>'
        f"<h1>{escape(title)}</h1><p class=byline>By Author {seed.upper()} "
        f'<time datetime="{day}">{day}</time></p>{body}</article></main></body></html>'
    )


def generated_blog(base_url: str, posts: int, seed: str = "a") -> dict[str, Route]:
    """Routes of a blog with ``posts`` posts on ``base_url`` (no trailing slash)."""
    paths = post_paths(posts, seed)
    routes = {p: Route.html(_post(base_url, p, i, seed)) for i, p in enumerate(paths)}
    locs = "".join(f"<url><loc>{base_url}{p}</loc></url>" for p in paths)
    routes["/sitemap.xml"] = Route.xml(
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
    )
    routes["/robots.txt"] = Route.text(
        f"User-agent: *\nAllow: /\nSitemap: {base_url}/sitemap.xml\n"
    )
    links = "".join(f'<li><a href="{p}">post</a></li>' for p in paths[:20])
    routes["/"] = Route.html(
        f"<!doctype html><html><head><title>Blog {seed}</title></head><body><main><ul>{links}"
        "</ul></main></body></html>"
    )
    return routes

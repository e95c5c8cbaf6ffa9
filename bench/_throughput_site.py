"""A generated Wix-like blog on disk and a fast aiohttp server for it (bench only).

Posts are the bundled sample blog's Wix pages, renamed per copy and padded with inline
script to about the size real Wix pages have (~300 KB, mostly script and style).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from urllib.parse import unquote

PER_SITEMAP = 5000


def _padding(seed: str, size: int) -> str:
    """Deterministic JavaScript-looking filler of ``size`` bytes."""
    chunks = []
    total = 0
    i = 0
    while total < size:
        digest = hashlib.sha256(f"{seed}/{i}".encode()).hexdigest()
        line = f'window.__c{i}={{"id":"{digest[:16]}","v":"{digest}","n":{i}}};\n'
        chunks.append(line)
        total += len(line)
        i += 1
    return "".join(chunks)


def _file_name(slug: str) -> str:
    """Disk name for a (possibly percent-encoded) slug; the server sees it decoded."""
    return hashlib.sha1(unquote(slug).encode("utf-8")).hexdigest() + ".html"


def generate(root: Path, count: int, base_url: str, size_kb: int = 300) -> None:
    """Write ``count`` posts, the sitemaps and robots.txt under ``root`` (idempotent)."""
    from scraper.sample.site import build_site

    marker = root / f".done-{count}-{size_kb}"
    if marker.exists():
        return
    root.mkdir(parents=True, exist_ok=True)
    (root / "post").mkdir(exist_ok=True)
    site = build_site(base_url)
    templates = sorted(
        (path, route.body.decode("utf-8"))
        for path, route in site.items()
        if path.startswith("/post/") and b"Wix.com Website Builder" in route.body
    )
    urls = []
    for i in range(count):
        path, html = templates[i % len(templates)]
        slug = path.removeprefix("/post/")
        new_slug = f"{slug}-{i}"
        html = html.replace(f"/post/{slug}", f"/post/{new_slug}")
        pad = _padding(new_slug, max(0, size_kb * 1024 - len(html.encode("utf-8"))))
        html = html.replace("<head>", f"<head><script>{pad}</script>", 1)
        (root / "post" / _file_name(new_slug)).write_text(html, encoding="utf-8")
        urls.append(f"{base_url}/post/{new_slug}")
    maps = []
    for k in range(0, len(urls), PER_SITEMAP):
        name = f"blog-posts-sitemap-{k // PER_SITEMAP + 1}.xml"
        body = "".join(f"<url><loc>{u}</loc></url>" for u in urls[k : k + PER_SITEMAP])
        (root / name).write_text(
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'
        )
        maps.append(f"{base_url}/{name}")
    index = "".join(f"<sitemap><loc>{m}</loc></sitemap>" for m in maps)
    (root / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}</sitemapindex>'
    )
    (root / "robots.txt").write_text(f"User-agent: *\nAllow: /\nSitemap: {base_url}/sitemap.xml\n")
    marker.write_text("ok")


def serve(root: Path, port: int) -> None:
    """Serve ``root`` on 127.0.0.1:port with aiohttp on uvloop (runs until killed)."""
    import asyncio

    import uvloop
    from aiohttp import web

    html = {"Content-Type": "text/html; charset=utf-8"}

    async def post(request: web.Request) -> web.StreamResponse:
        path = root / "post" / _file_name(request.match_info["slug"])
        if not path.is_file():
            raise web.HTTPNotFound()
        return web.FileResponse(path, headers=html)

    async def static(request: web.Request) -> web.StreamResponse:
        path = root / request.match_info["name"]
        if not path.is_file() or path.name.startswith("."):
            raise web.HTTPNotFound()
        kind = "text/plain" if path.suffix == ".txt" else "application/xml"
        return web.FileResponse(path, headers={"Content-Type": kind})

    app = web.Application()
    app.router.add_get("/post/{slug}", post)
    app.router.add_get("/{name}", static)
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


if __name__ == "__main__":
    serve(Path(sys.argv[1]), int(sys.argv[2]))

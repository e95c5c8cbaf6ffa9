"""A small Wix-shaped test blog for crawl tests, served by scraper.sample's LocalSiteServer.

12 public posts at ``/post/<slug>``, listed by a sitemap index (posts sitemap with
``lastmod``), a paged RSS feed (``atom:link rel=next``), a paged ``/blog`` feed page
(``rel=next`` and Wix pagination hooks) and links between posts. One more post sits
under ``/private/``, which robots.txt disallows; ``/about`` is a page, not a post.
"""

from __future__ import annotations

from .server import Page as Route

POSTS = 12
PER_PAGE = 5


def slugs() -> list[str]:
    return [f"note-{i:02d}-on-gardening" for i in range(1, POSTS + 1)]


def post_urls(base: str) -> set[str]:
    return {f"{base}/post/{s}" for s in slugs()}


def _post(base: str, index: int, slug: str) -> str:
    names = slugs()
    neighbour = names[(index + 1) % len(names)]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Note {index + 1} on gardening</title>
<meta property="og:type" content="article">
<link rel="canonical" href="{base}/post/{slug}">
<link rel="alternate" type="application/rss+xml" href="{base}/blog-feed.xml">
<script type="application/ld+json">
{{"@context":"https://schema.org","@type":"BlogPosting","headline":"Note {index + 1}",
 "datePublished":"2024-03-{index + 1:02d}T08:00:00Z","author":{{"@type":"Person","name":"Ada"}}}}
</script></head>
<body><nav><a href="/blog">Blog</a> <a href="/about">About</a></nav>
<article data-hook="post"><h1 data-hook="post-title">Note {index + 1} on gardening</h1>
<p>Tomatoes like sun. This is note number {index + 1}, with a few words of body text.</p>
<p>Next: <a href="/post/{neighbour}?utm_source=internal#top">another note</a></p>
</article></body></html>"""


def _list_page(base: str, page: int, pages: int) -> str:
    names = slugs()
    chunk = names[(page - 1) * PER_PAGE : page * PER_PAGE]
    items = "\n".join(
        f'<article data-hook="post-list-item"><a href="/post/{s}">'
        f'<h2 data-hook="post-title">{s}</h2></a></article>'
        for s in chunk
    )
    if page == 1:
        items += (
            '\n<article data-hook="post-list-item"><a href="/private/secret-note">x</a></article>'
        )
    head_next = f'<link rel="next" href="{base}/blog/page/{page + 1}">' if page < pages else ""
    hooks = "".join(
        f'<a data-hook="pagination__{n}" href="{"/blog" if n == 1 else f"/blog/page/{n}"}">{n}</a>'
        for n in range(1, pages + 1)
    )
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Blog</title>
<meta property="og:type" content="website">
<meta name="generator" content="Wix.com Website Builder">
<link rel="alternate" type="application/rss+xml" href="{base}/blog-feed.xml">
{head_next}</head><body><nav><a href="/blog">Blog</a> <a href="/about">About</a></nav>
<main>{items}</main>
<div data-hook="feed-pagination-container">{hooks}</div></body></html>"""


def _feed(base: str, page: int, pages: int) -> str:
    names = slugs()
    half = (len(names) + 1) // 2
    chunk = names[:half] if page == 1 else names[half:]
    items = "".join(
        f"<item><title>{s}</title><link>{base}/post/{s}</link>"
        f"<pubDate>Mon, 04 Mar 2024 08:00:00 GMT</pubDate></item>"
        for s in chunk
    )
    nxt = f'<atom:link rel="next" href="{base}/blog-feed.xml?page=2"/>' if page < pages else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>Garden notes</title><link>{base}/blog</link>{nxt}{items}</channel></rss>"""


def build_routes(base: str) -> dict[str, Route]:
    names = slugs()
    pages = (len(names) + PER_PAGE - 1) // PER_PAGE
    routes: dict[str, Route] = {
        "/robots.txt": Route.text(
            f"User-agent: *\nDisallow: /private/\n\nSitemap: {base}/sitemap.xml\n"
        ),
        "/sitemap.xml": Route.xml(
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{base}/blog-posts-sitemap.xml</loc></sitemap>"
            f"<sitemap><loc>{base}/pages-sitemap.xml</loc></sitemap>"
            f"<sitemap><loc>{base}/blog-categories-sitemap.xml</loc></sitemap>"
            "</sitemapindex>"
        ),
        "/blog-posts-sitemap.xml": Route.xml(
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(
                f"<url><loc>{base}/post/{s}</loc><lastmod>2024-03-{i + 1:02d}</lastmod></url>"
                for i, s in enumerate(names)
            )
            + f"<url><loc>{base}/private/secret-note</loc></url></urlset>"
        ),
        "/pages-sitemap.xml": Route.xml(
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{base}/about</loc></url><url><loc>{base}/blog</loc></url></urlset>"
        ),
        "/blog-categories-sitemap.xml": Route.xml("<urlset></urlset>"),
        "/blog-feed.xml": Route.xml(_feed(base, 1, 2), "application/rss+xml"),
        "/blog-feed.xml?page=2": Route.xml(_feed(base, 2, 2), "application/rss+xml"),
        "/blog": Route.html(_list_page(base, 1, pages)),
        "/about": Route.html(
            '<html><head><meta property="og:type" content="website"><title>About</title></head>'
            '<body><h1>About us</h1><a href="/blog">Blog</a></body></html>'
        ),
        "/private/secret-note": Route.html(_post(base, 0, "secret-note")),
    }
    for n in range(2, pages + 1):
        routes[f"/blog/page/{n}"] = Route.html(_list_page(base, n, pages))
    for i, s in enumerate(names):
        routes[f"/post/{s}"] = Route.html(_post(base, i, s))
    return routes

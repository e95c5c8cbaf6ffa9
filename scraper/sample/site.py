"""``build_site``: every route of the sample blog, rendered for one base URL.

Paths (the dict keys) are percent-encoded exactly as the pages link to them. The output depends
only on ``base_url``: the same base URL gives byte-identical routes.
"""

from __future__ import annotations

import struct
import zlib
from datetime import UTC, datetime
from email.utils import format_datetime

from ._feeds import (
    blog_feed,
    pages_sitemap,
    posts_sitemap,
    products_sitemap,
    robots_txt,
    sitemap_index,
)
from ._markup import media_uri, stable_id
from ._other_posts import render_plain_post, render_wordpress_post
from ._pages import (
    account_page,
    author_page,
    blog_page,
    blog_page_count,
    blog_page_path,
    home_page,
    product_page,
    profile_page,
    tag_page,
)
from ._wix_post import render_wix_post
from .content import Picture, SiteContent, SourcePost, load_content, tag_slug
from .route import Route

__all__ = ["OLD_POST_REDIRECT", "build_site", "http_date", "post_paths"]

#: An unlinked legacy Wix URL that answers 301 to the welcome post (for redirect tests).
OLD_POST_REDIRECT = "/single-post/2023/07/03/welcome"


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def _png(seed: str) -> bytes:
    """A valid 2x2 PNG whose colour depends on ``seed``."""
    rgb = bytes(int(stable_id(seed, str(i), length=2), 36) % 256 for i in range(3))
    raw = b"".join(b"\x00" + rgb * 2 for _ in range(2))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _media_seeds(site: SiteContent) -> list[str]:
    seeds = [site.logo]
    seeds += ["avatar-" + key for key in site.writers]
    seeds += ["product-" + slug for slug in site.products]
    for post in site.posts:
        if post.image:
            seeds.append(post.image)
        seeds += [b.seed for b in post.blocks if isinstance(b, Picture)]
    return list(dict.fromkeys(seeds))


def _post_html(base_url: str, site: SiteContent, post: SourcePost) -> str:
    if post.platform == "wordpress":
        return render_wordpress_post(base_url, site, post)
    if post.platform == "plain":
        return render_plain_post(base_url, site, post)
    return render_wix_post(base_url, site, post)


def post_paths() -> list[str]:
    """The percent-encoded paths of all posts, newest first."""
    return [p.path for p in load_content().posts]


def build_site(base_url: str) -> dict[str, Route]:
    """All routes of the sample blog, with absolute links built on ``base_url``."""
    base = base_url.rstrip("/")
    site = load_content()
    routes: dict[str, Route] = {"/": Route.html(home_page(base, site))}
    for page in range(1, blog_page_count(site) + 1):
        routes[blog_page_path(page)] = Route.html(blog_page(base, site, page))
    routes["/blog/page/1"] = Route.redirect(base + "/blog")
    for post in site.posts:
        last_modified = http_date(post.modified or post.published)
        routes[post.path] = Route.html(_post_html(base, site, post), last_modified=last_modified)
    welcome = site.posts[-1]
    routes[OLD_POST_REDIRECT] = Route.redirect(base + welcome.path)
    for tag in site.tag_slugs():
        routes[f"/blog/tags/{tag_slug(tag)}"] = Route.html(tag_page(base, site, tag))
    for writer in site.writers.values():
        routes[writer.profile_path] = Route.html(profile_page(base, site, writer))
        routes[writer.author_path] = Route.html(author_page(base, site, writer))
    for product in site.products.values():
        routes[product.path] = Route.html(product_page(base, site, product))
    routes["/account/my-account"] = Route.html(account_page(base, site))
    routes["/robots.txt"] = Route.text(robots_txt(base))
    routes["/sitemap.xml"] = Route.xml(sitemap_index(base, site))
    routes["/blog-posts-sitemap.xml"] = Route.xml(posts_sitemap(base, site))
    routes["/pages-sitemap.xml"] = Route.xml(pages_sitemap(base, site))
    routes["/store-products-sitemap.xml"] = Route.xml(products_sitemap(base, site))
    routes["/blog-feed.xml"] = Route.xml(
        blog_feed(base, site), content_type="application/rss+xml; charset=utf-8"
    )
    for seed in _media_seeds(site):
        routes[f"/media/{media_uri(seed)}"] = Route(body=_png(seed), content_type="image/png")
    return routes

"""robots.txt, the Wix-style sitemaps and the RSS 2.0 feed of the sample blog."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape

from ._markup import media_url
from ._pages import blog_page_path
from .content import SiteContent, SourcePost

__all__ = [
    "SITE_LASTMOD",
    "blog_feed",
    "pages_sitemap",
    "posts_sitemap",
    "products_sitemap",
    "robots_txt",
    "sitemap_index",
]

#: lastmod of the non-post pages.
SITE_LASTMOD = "2024-06-12"
_XML = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
_IMAGE_NS = 'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"'


def robots_txt(base_url: str) -> str:
    return (
        "# Riverbend Clay Studio\n"
        "User-agent: *\n"
        "Allow: /\n"
        "Disallow: /account/\n"
        "Disallow: /*?lightbox=\n"
        "\n"
        f"Sitemap: {base_url}/sitemap.xml\n"
    )


def _x(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _lastmod(post: SourcePost) -> str:
    moment = post.modified or post.published
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{moment.microsecond // 1000:03d}Z"
    )


def sitemap_index(base_url: str, site: SiteContent) -> str:
    newest = max(_lastmod(p) for p in site.posts)
    maps = [
        ("blog-posts-sitemap.xml", newest),
        ("pages-sitemap.xml", SITE_LASTMOD),
        ("store-products-sitemap.xml", SITE_LASTMOD),
    ]
    body = "".join(
        f"<sitemap><loc>{_x(base_url)}/{name}</loc><lastmod>{lastmod}</lastmod></sitemap>"
        for name, lastmod in maps
    )
    return f"{_XML}<sitemapindex {_NS}>{body}</sitemapindex>\n"


def posts_sitemap(base_url: str, site: SiteContent) -> str:
    urls = []
    for post in site.posts:
        image = ""
        if post.image:
            image = (
                f"<image:image><image:loc>{_x(media_url(base_url, post.image))}</image:loc>"
                f"<image:title><![CDATA[{post.title}]]></image:title></image:image>"
            )
        urls.append(
            f"<url><loc>{_x(base_url + post.path)}</loc><lastmod>{_lastmod(post)}</lastmod>"
            f"{image}</url>"
        )
    return f"{_XML}<urlset {_NS} {_IMAGE_NS}>\n" + "\n".join(urls) + "\n</urlset>\n"


def pages_sitemap(base_url: str, site: SiteContent) -> str:
    paths = ["/", blog_page_path(1)]
    urls = "".join(
        f"<url><loc>{_x(base_url + path)}</loc><lastmod>{SITE_LASTMOD}</lastmod></url>"
        for path in paths
    )
    return f"{_XML}<urlset {_NS}>{urls}</urlset>\n"


def products_sitemap(base_url: str, site: SiteContent) -> str:
    urls = "".join(
        f"<url><loc>{_x(base_url + p.path)}</loc><lastmod>{SITE_LASTMOD}</lastmod></url>"
        for p in site.products.values()
    )
    return f"{_XML}<urlset {_NS}>{urls}</urlset>\n"


def _rfc822(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def blog_feed(base_url: str, site: SiteContent) -> str:
    """RSS 2.0 with every post, newest first."""
    items = []
    for post in site.posts:
        url = _x(base_url + post.path)
        creators = ", ".join(w.name for w in site.writers_of(post))
        enclosure = ""
        if post.image:
            enclosure = (
                f'<enclosure url="{_x(media_url(base_url, post.image))}" length="0" '
                f'type="image/png"/>'
            )
        items.append(
            f"<item><title><![CDATA[{post.title}]]></title>"
            f"<description><![CDATA[{post.description}]]></description>"
            f'<link>{url}</link><guid isPermaLink="false">{_x(post.slug)}</guid>'
            f"<pubDate>{_rfc822(post.published)}</pubDate>{enclosure}"
            f"<dc:creator><![CDATA[{creators}]]></dc:creator></item>"
        )
    newest = site.posts[0]
    return (
        f'{_XML}<rss xmlns:dc="http://purl.org/dc/elements/1.1/" '
        f'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        f'xmlns:atom="http://www.w3.org/2005/Atom" version="2.0" '
        f'xmlns:media="http://search.yahoo.com/mrss/"><channel>'
        f"<title><![CDATA[{site.name}]]></title>"
        f"<description><![CDATA[{site.tagline}]]></description>"
        f"<link>{_x(base_url)}/blog</link>"
        f"<generator>RSS for Node</generator>"
        f"<lastBuildDate>{_rfc822(newest.modified or newest.published)}</lastBuildDate>"
        f'<atom:link href="{_x(base_url)}/blog-feed.xml" rel="self" '
        f'type="application/rss+xml"/>' + "".join(items) + "</channel></rss>\n"
    )

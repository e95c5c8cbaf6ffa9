"""The sample blog's non-post pages: home, feed pages, tags, profiles, products, members area."""

from __future__ import annotations

from collections.abc import Sequence

from ._markup import attr, esc, hashed_class, media_url, stable_id
from ._wix_shell import post_list_item, wix_page
from .content import ProductInfo, SiteContent, SourcePost, Writer, tag_slug

__all__ = [
    "POSTS_PER_PAGE",
    "account_page",
    "author_page",
    "blog_page",
    "blog_page_count",
    "blog_page_path",
    "home_page",
    "product_page",
    "profile_page",
    "tag_page",
]

POSTS_PER_PAGE = 5


def _seo(base_url: str, site: SiteContent, title: str, url: str, extra: str = "") -> str:
    return (
        f"<title>{esc(title)}</title>\n"
        f'  <meta name="description" content="{attr(site.tagline)}"/>\n'
        f'  <link rel="canonical" href="{attr(url)}"/>\n'
        f'  <meta property="og:title" content="{attr(title)}"/>\n'
        f'  <meta property="og:url" content="{attr(url)}"/>\n'
        f'  <meta property="og:site_name" content="{attr(site.name)}"/>\n'
        f'  <meta property="og:type" content="website"/>\n'
        f'  <link rel="alternate" href="{attr(base_url)}/blog-feed.xml" '
        f'type="application/rss+xml" title="{attr(site.name)} - RSS"/>{extra}'
    )


def _page(
    base_url: str, site: SiteContent, path: str, title: str, main: str, extra: str = ""
) -> str:
    url = base_url + path
    return wix_page(
        base_url,
        site,
        page_id=stable_id("page", path),
        url=url,
        seo=_seo(base_url, site, title, url, extra),
        main=main,
    )


def _items(base_url: str, site: SiteContent, posts: Sequence[SourcePost]) -> str:
    return "".join(post_list_item(base_url, site, p) for p in posts)


def home_page(base_url: str, site: SiteContent) -> str:
    c = hashed_class
    latest = _items(base_url, site, site.posts[:3])
    main = (
        f'<section class="{c("hero")}"><h1 class="font_0">{esc(site.name)}</h1>'
        f"<p>{esc(site.tagline)}</p>"
        f'<p><a href="{attr(base_url)}/blog" class="{c("cta")}">Read the blog</a></p></section>'
        f'<section class="{c("latest")}"><h2>Latest from the blog</h2>'
        f'<div data-hook="post-list">{latest}</div></section>'
    )
    return _page(base_url, site, "/", site.name, main)


def blog_page_count(site: SiteContent) -> int:
    return -(-len(site.posts) // POSTS_PER_PAGE)


def blog_page_path(page: int) -> str:
    return "/blog" if page == 1 else f"/blog/page/{page}"


def _pagination(base_url: str, page: int, last: int) -> str:
    b = attr(base_url)
    links: list[str] = []
    if page > 1:
        links.append(
            f'<a href="{b}{blog_page_path(1)}" aria-label="First page" '
            f'data-hook="pagination__first">\u00ab</a>'
        )
        links.append(
            f'<a href="{b}{blog_page_path(page - 1)}" aria-label="Previous page" '
            f'data-hook="pagination__previous">\u2039</a>'
        )
    for n in range(1, last + 1):
        if n == page:
            links.append(f'<span aria-current="page" data-hook="pagination__current">{n}</span>')
        else:
            links.append(
                f'<a href="{b}{blog_page_path(n)}" aria-label="Page {n}" '
                f'data-hook="pagination__{n}">{n}</a>'
            )
    if page < last:
        links.append(
            f'<a href="{b}{blog_page_path(page + 1)}" aria-label="Next page" '
            f'data-hook="pagination__next">\u203a</a>'
        )
        links.append(
            f'<a href="{b}{blog_page_path(last)}" aria-label="Last page" '
            f'data-hook="pagination__last">\u00bb</a>'
        )
    return (
        f'<div data-hook="feed-pagination-container"><nav class="{hashed_class("pager")}" '
        f'aria-live="polite">{"".join(links)}</nav></div>'
    )


def blog_page(base_url: str, site: SiteContent, page: int) -> str:
    """Feed page ``page`` (1-based): posts newest first, rel=prev/next in the head."""
    last = blog_page_count(site)
    if not 1 <= page <= last:
        raise ValueError(f"no blog page {page}")
    posts = site.posts[(page - 1) * POSTS_PER_PAGE : page * POSTS_PER_PAGE]
    extra = ""
    if page > 1:
        extra += f'\n  <link rel="prev" href="{attr(base_url + blog_page_path(page - 1))}"/>'
    if page < last:
        extra += f'\n  <link rel="next" href="{attr(base_url + blog_page_path(page + 1))}"/>'
    main = (
        f'<section data-hook="blog-feed" class="{hashed_class("feed")}">'
        f'<h1 class="{hashed_class("feed-title")}">Blog</h1>'
        f'<div data-hook="post-list">{_items(base_url, site, posts)}</div>'
        f"{_pagination(base_url, page, last)}</section>"
    )
    title = f"Blog | {site.name}" if page == 1 else f"Blog - Page {page} | {site.name}"
    return _page(base_url, site, blog_page_path(page), title, main, extra)


def tag_page(base_url: str, site: SiteContent, tag: str) -> str:
    posts = [p for p in site.posts if tag in p.tags]
    main = (
        f'<section data-hook="tag-feed"><h1>#{esc(tag)}</h1>'
        f'<div data-hook="post-list">{_items(base_url, site, posts)}</div></section>'
    )
    path = f"/blog/tags/{tag_slug(tag)}"
    return _page(base_url, site, path, f"{tag} | {site.name}", main)


def profile_page(base_url: str, site: SiteContent, writer: Writer) -> str:
    posts = [p for p in site.posts if writer.key in p.writers]
    main = (
        f'<section data-hook="profile-page"><div data-hook="profile-header">'
        f'<img src="{attr(media_url(base_url, "avatar-" + writer.key))}" '
        f'alt="{attr(writer.name)}"/>'
        f'<h1 data-hook="profile-name">{esc(writer.name)}</h1><p>{esc(writer.bio)}</p></div>'
        f"<h2>Posts</h2>"
        f'<div data-hook="post-list">{_items(base_url, site, posts)}</div></section>'
    )
    return _page(base_url, site, writer.profile_path, f"{writer.name} | Profile", main)


def author_page(base_url: str, site: SiteContent, writer: Writer) -> str:
    """A WordPress-style author archive (the WordPress post's byline links here)."""
    posts = [p for p in site.posts if writer.key in p.writers]
    items = "".join(
        f'<li><a href="{attr(base_url + p.path)}">{esc(p.title)}</a></li>' for p in posts
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en-US"><head><meta charset="UTF-8">'
        f"<title>{esc(writer.name)}, Author at {esc(site.name)}</title></head>"
        f'<body class="archive author"><h1 class="page-title">Author: '
        f'<span class="vcard">{esc(writer.name)}</span></h1><p>{esc(writer.bio)}</p>'
        f"<ul>{items}</ul></body></html>\n"
    )


def product_page(base_url: str, site: SiteContent, product: ProductInfo) -> str:
    main = (
        f'<section data-hook="product-page"><img src="'
        f'{attr(media_url(base_url, "product-" + product.slug))}" alt="{attr(product.name)}"/>'
        f'<h1 data-hook="product-title">{esc(product.name)}</h1>'
        f'<span data-hook="formatted-primary-price">{esc(product.price_label)}</span>'
        f'<p data-hook="description">{esc(product.description)}</p>'
        f'<button type="button" data-hook="buy-now-button">Buy Now</button></section>'
    )
    return _page(base_url, site, product.path, f"{product.name} | {site.name}", main)


def account_page(base_url: str, site: SiteContent) -> str:
    """The members area that robots.txt disallows (a polite crawler never asks for it)."""
    main = '<section data-hook="members-area"><h1>Log In</h1><p>Members only.</p></section>'
    return _page(base_url, site, "/account/my-account", f"Log In | {site.name}", main)

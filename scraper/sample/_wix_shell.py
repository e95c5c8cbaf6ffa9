"""The Wix page frame (head, header, footer, skip anchors) and the post-list item widget."""

from __future__ import annotations

from ._bulk import wix_body_scripts, wix_head_bulk
from ._markup import attr, esc, hashed_class, media_url
from .content import SiteContent, SourcePost

__all__ = ["post_list_item", "wix_page"]


def wix_page(
    base_url: str,
    site: SiteContent,
    *,
    page_id: str,
    url: str,
    seo: str,
    main: str,
) -> str:
    """A whole Wix page. ``seo`` is the block of SEO tags (title first), ``main`` the page body."""
    icon = media_url(base_url, site.logo)
    c = hashed_class
    return f"""<!DOCTYPE html>
<html lang="{site.language}">
<head>
  <meta charset='utf-8'>
  <meta name="viewport" content="width=device-width, initial-scale=1" id="wixDesktopViewport" />
  <meta http-equiv="X-UA-Compatible" content="IE=edge">
  <meta name="generator" content="Wix.com Website Builder"/>

  <link rel="icon" sizes="192x192" href="{attr(icon)}" type="image/png"/>
  <link rel="shortcut icon" href="{attr(icon)}" type="image/png"/>
  <!-- Legacy Polyfills -->
{wix_head_bulk(page_id, url, site.name)}
  <!-- SEO -->
  {seo}
</head>
<body class='' >
{wix_body_scripts(page_id)}
<div id="SITE_CONTAINER"><div id="main_MF" class="main_MF">
<div id="SCROLL_TO_TOP" class="{c("top")} ignore-focus SCROLL_TO_TOP" role="region" \
tabindex="-1" aria-label="top of page"><span class="{c("anchor")}">top of page</span></div>
<div id="site-root" class="site-root">
<header id="SITE_HEADER" class="{c("header")}" tabindex="-1">
<div class="{c("logo")}"><a href="{attr(base_url)}/" class="{c("logo-link")}"><span \
class="font_0 wixui-rich-text__text">{esc(site.name)}</span></a></div>
<nav id="comp-menu" aria-label="Site" class="{c("menu")}"><ul class="{c("menu-list")}">
<li><a href="{attr(base_url)}/" data-testid="linkElement">Home</a></li>
<li><a href="{attr(base_url)}/blog" data-testid="linkElement">Blog</a></li>
<li><a href="{attr(base_url)}/account/my-account" data-testid="linkElement">Log In</a></li>
</ul></nav>
</header>
<main id="PAGES_CONTAINER" class="{c("pages")}" tabindex="-1"><div id="SITE_PAGES">
{main}
</div></main>
<footer id="SITE_FOOTER" class="{c("site-footer")}" tabindex="-1">\
<div class="{c("site-footer-in")}">
<p class="font_9 wixui-rich-text__text">\u00a9 2023 by {esc(site.name)}. Proudly created with \
<a href="https://www.wix.com" target="_blank" rel="noreferrer noopener">Wix.com</a></p>
</div></footer>
</div>
<div id="SCROLL_TO_BOTTOM" class="{c("bottom")} ignore-focus SCROLL_TO_BOTTOM" role="region" \
tabindex="-1" aria-label="bottom of page"><span class="{c("anchor")}">bottom of page</span></div>
</div></div>
</body>
</html>
"""


def post_list_item(
    base_url: str, site: SiteContent, post: SourcePost, *, compact: bool = False
) -> str:
    """One ``article[data-hook="post-list-item"]`` as on feed pages and in recent-posts widgets."""
    writer = site.writers_of(post)[0]
    c = hashed_class
    url = base_url + post.path
    read = ""
    if post.read_minutes is not None:
        read = (
            f'<li class="{c("meta-li")}"><span class="post-metadata__readTime" '
            f'title="{post.read_minutes} min" data-hook="time-to-read">'
            f"{post.read_minutes} min</span></li>"
        )
    cover = ""
    if post.image and not compact:
        cover = (
            f'<div class="{c("cover")}" data-hook="post-list-item__cover"><img '
            f'src="{attr(media_url(base_url, post.image))}" alt="" loading="lazy"/></div>'
        )
    excerpt = ""
    if not compact:
        excerpt = (
            f'<div class="{c("excerpt")} post-list-item__excerpt">'
            f"<p>{esc(post.description)}</p></div>"
        )
    return (
        f'<article class="{c("item")} blog-post-description-font post-list-item" '
        f'data-hook="post-list-item">{cover}'
        f'<div class="{c("item-wrap")} post-list-item-wrapper">'
        f'<div class="{c("title-wrap")}"><a class="{c("title-link")}" href="{attr(url)}">'
        f'<div class="{c("title")}" data-hook="post-list-item__title">'
        f'<div class="{c("title-inner")} post-title" data-hook="post-title">'
        f'<p class="{c("title-p")}">{esc(post.title)}</p></div></div></a></div>'
        f'<div class="{c("meta")} post-header"><ul class="{c("meta-ul")}">'
        f'<li class="{c("meta-li")}"><a href="{attr(base_url + writer.profile_path)}" '
        f'data-hook="profile-link"><span title="{attr(writer.name)}" class="user-name" '
        f'data-hook="user-name">{esc(writer.name)}</span></a></li>'
        f'<li class="{c("meta-li")}"><span title="{attr(post.shown_date)}" '
        f'class="post-metadata__date time-ago" data-hook="time-ago">{esc(post.shown_date)}'
        f"</span></li>"
        f"{read}</ul></div>"
        f"{excerpt}</div></article>"
    )

"""The two non-Wix posts: a classic-theme WordPress post (Yoast + Jetpack) and a plain HTML page."""

from __future__ import annotations

import json

from ._markup import InlineLink, attr, esc, inline_html, media_url
from .content import (
    Blank,
    Block,
    Heading,
    ListBlock,
    Para,
    Picture,
    Quote,
    SiteContent,
    SourcePost,
    tag_slug,
)

__all__ = ["WORDPRESS_LANGUAGE", "render_plain_post", "render_wordpress_post"]

WORDPRESS_LANGUAGE = "en-US"
_SHARE = (
    ("facebook", "Facebook", "https://www.facebook.com/sharer.php?u="),
    ("x", "X", "https://x.com/intent/post?url="),
)


def _blocks_html(base_url: str, site: SiteContent, blocks: tuple[Block, ...], *, wp: bool) -> str:
    def link(item: InlineLink) -> str:
        slug = item.post_slug
        href = base_url + site.post(slug).path if slug else item.target
        return f'<a href="{attr(href)}">{esc(item.text)}</a>'

    out: list[str] = []
    heading_class = ' class="wp-block-heading"' if wp else ""
    for block in blocks:
        if isinstance(block, Para):
            out.append(f"<p>{inline_html(block.text, link)}</p>")
        elif isinstance(block, Heading):
            tag = f"h{block.level}"
            out.append(f"<{tag}{heading_class}>{inline_html(block.text, link)}</{tag}>")
        elif isinstance(block, ListBlock):
            tag = "ol" if block.ordered else "ul"
            items = "".join(f"<li>{inline_html(i, link)}</li>" for i in block.items)
            out.append(f"<{tag}>{items}</{tag}>")
        elif isinstance(block, Quote):
            cls = ' class="wp-block-quote"' if wp else ""
            out.append(f"<blockquote{cls}><p>{inline_html(block.text, link)}</p></blockquote>")
        elif isinstance(block, Picture):
            src = attr(media_url(base_url, block.seed))
            cap = ""
            if block.caption:
                cap = f'<figcaption class="wp-element-caption">{esc(block.caption)}</figcaption>'
            out.append(
                f'<figure class="wp-block-image size-large"><img decoding="async" width="1024" '
                f'height="683" src="{src}" alt="{attr(block.alt)}"/>{cap}</figure>'
            )
        elif isinstance(block, Blank):
            continue
        else:
            raise ValueError(f"{type(block).__name__} blocks exist on Wix posts only")
    return "\n".join(out)


def _yoast_graph(base_url: str, site: SiteContent, post: SourcePost) -> str:
    url = base_url + post.path
    writer = site.writers_of(post)[0]
    person_id = f"{base_url}/#/schema/person/{writer.slug}"
    image = media_url(base_url, post.image) if post.image else None
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "Article",
                "@id": f"{url}#article",
                "isPartOf": {"@id": url},
                "author": {"name": writer.name, "@id": person_id},
                "headline": post.title,
                "datePublished": post.published_raw,
                "dateModified": post.modified_raw or post.published_raw,
                "mainEntityOfPage": {"@id": url},
                "publisher": {"@id": f"{base_url}/#organization"},
                "image": {"@id": f"{url}#primaryimage"},
                "thumbnailUrl": image,
                "keywords": list(post.tags[1:]),
                "articleSection": list(post.tags[:1]),
                "inLanguage": WORDPRESS_LANGUAGE,
            },
            {
                "@type": "WebPage",
                "@id": url,
                "url": url,
                "name": f"{post.title} \u2013 {site.name}",
                "datePublished": post.published_raw,
                "dateModified": post.modified_raw or post.published_raw,
                "inLanguage": WORDPRESS_LANGUAGE,
            },
            {"@type": "ImageObject", "@id": f"{url}#primaryimage", "url": image},
            {
                "@type": "Person",
                "@id": person_id,
                "name": writer.name,
                "url": base_url + writer.author_path,
            },
            {
                "@type": "Organization",
                "@id": f"{base_url}/#organization",
                "name": site.name,
                "url": f"{base_url}/",
            },
        ],
    }
    return json.dumps(graph, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def _neighbours(base_url: str, site: SiteContent, post: SourcePost) -> str:
    posts = list(site.posts)
    i = posts.index(post)
    parts = []
    if i + 1 < len(posts):
        older = posts[i + 1]
        parts.append(
            f'<div class="nav-previous"><a href="{attr(base_url + older.path)}" '
            f'rel="prev">{esc(older.title)}</a></div>'
        )
    if i > 0:
        newer = posts[i - 1]
        parts.append(
            f'<div class="nav-next"><a href="{attr(base_url + newer.path)}" '
            f'rel="next">{esc(newer.title)}</a></div>'
        )
    return "".join(parts)


def render_wordpress_post(base_url: str, site: SiteContent, post: SourcePost) -> str:
    url = base_url + post.path
    writer = site.writers_of(post)[0]
    b = attr(base_url)
    modified = post.modified_raw or post.published_raw
    image = attr(media_url(base_url, post.image)) if post.image else ""
    category, tags = post.tags[:1], post.tags[1:]
    shares = "".join(
        f'<li class="share-{key}"><a rel="nofollow noopener noreferrer" '
        f'class="share-{key} sd-button share-icon" href="{attr(prefix + url)}" target="_blank" '
        f'title="Click to share on {label}"><span>{label}</span></a></li>'
        for key, label, prefix in _SHARE
    )
    cats = ", ".join(
        f'<a href="{b}/blog/tags/{tag_slug(t)}" rel="category tag">{esc(t)}</a>' for t in category
    )
    tag_links = ", ".join(
        f'<a href="{b}/blog/tags/{tag_slug(t)}" rel="tag">{esc(t)}</a>' for t in tags
    )
    body = _blocks_html(base_url, site, post.blocks, wp=True)
    return f"""<!DOCTYPE html>
<html lang="{WORDPRESS_LANGUAGE}">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="profile" href="https://gmpg.org/xfn/11">
<title>{esc(post.title)} \u2013 {esc(site.name)}</title>
<meta name="description" content="{attr(post.description)}" />
<link rel="canonical" href="{attr(url)}" />
<meta property="og:locale" content="en_US" />
<meta property="og:type" content="article" />
<meta property="og:title" content="{attr(post.title)}" />
<meta property="og:description" content="{attr(post.description)}" />
<meta property="og:url" content="{attr(url)}" />
<meta property="og:site_name" content="{attr(site.name)}" />
<meta property="article:published_time" content="{post.published_raw}" />
<meta property="article:modified_time" content="{modified}" />
<meta property="og:image" content="{image}" />
<meta name="author" content="{attr(writer.name)}" />
<meta name="twitter:card" content="summary_large_image" />
<meta name="twitter:label1" content="Written by" />
<meta name="twitter:data1" content="{attr(writer.name)}" />
<script type="application/ld+json" class="yoast-schema-graph">{_yoast_graph(base_url, site, post)}\
</script>
<link rel="alternate" type="application/rss+xml" title="{attr(site.name)} &raquo; Feed" \
href="{b}/blog-feed.xml" />
<link rel="https://api.w.org/" href="{b}/wp-json/" />
<meta name="generator" content="WordPress 6.5.2" />
</head>
<body class="post-template-default single single-post postid-412 single-format-standard">
<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<header id="masthead" class="site-header">
<p class="site-title"><a href="{b}/" rel="home">{esc(site.name)}</a></p>
<p class="site-description">{esc(site.tagline)}</p>
<nav id="site-navigation" class="main-navigation"><ul class="menu">
<li class="menu-item"><a href="{b}/">Home</a></li>
<li class="menu-item"><a href="{b}/blog">Blog</a></li></ul></nav>
</header>
<div id="content" class="site-content"><div id="primary" class="content-area">
<main id="main" class="site-main">
<article id="post-412" class="post-412 post type-post status-publish format-standard \
has-post-thumbnail hentry category-{tag_slug(category[0]) if category else "uncategorized"}">
<header class="entry-header">
<h1 class="entry-title">{esc(post.title)}</h1>
<div class="entry-meta"><span class="posted-on">Posted on <a href="{attr(url)}" rel="bookmark">\
<time class="entry-date published" datetime="{post.published_raw}">{esc(post.shown_date)}</time>\
<time class="updated" datetime="{modified}">{modified[:10]}</time></a></span>\
<span class="byline"> by <span class="author vcard"><a class="url fn n" \
href="{b}{writer.author_path}" rel="author">{esc(writer.name)}</a></span></span></div>
</header>
<div class="post-thumbnail"><img width="1200" height="800" src="{image}" \
class="attachment-post-thumbnail size-post-thumbnail wp-post-image" alt="" decoding="async" /></div>
<div class="entry-content">
{body}
<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social \
sd-social-icon-text sd-sharing"><h3 class="sd-title">Share this:</h3><div class="sd-content">\
<ul>{shares}</ul></div></div></div>
</div>
<footer class="entry-footer"><span class="cat-links">Posted in {cats}</span> \
<span class="tags-links">Tagged {tag_links}</span></footer>
</article>
<nav class="navigation post-navigation" aria-label="Posts"><h2 class="screen-reader-text">\
Post navigation</h2><div class="nav-links">{_neighbours(base_url, site, post)}</div></nav>
<div id="comments" class="comments-area">
<h2 class="comments-title">One thought on \u201c{esc(post.title)}\u201d</h2>
<ol class="comment-list"><li id="comment-88" class="comment even thread-even depth-1">
<article id="div-comment-88" class="comment-body"><footer class="comment-meta">
<div class="comment-author vcard"><b class="fn">Sam Whitlock</b> <span class="says">says:</span>\
</div><div class="comment-metadata"><time datetime="2024-04-19T08:02:11+01:00">19 April 2024 \
at 8:02 am</time></div></footer><div class="comment-content"><p>Brilliant news, see you on \
Tuesday!</p></div></article></li></ol>
<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">\
Leave a Reply</h3><p class="must-log-in">You must be logged in to post a comment.</p></div>
</div>
</main></div></div>
<footer id="colophon" class="site-footer"><div class="site-info">{esc(site.name)} \
\u00b7 Proudly powered by WordPress</div></footer>
</div>
</body>
</html>
"""


def render_plain_post(base_url: str, site: SiteContent, post: SourcePost) -> str:
    writer = site.writers_of(post)[0]
    b = attr(base_url)
    body = _blocks_html(base_url, site, post.blocks, wp=False)
    return f"""<!DOCTYPE html>
<html lang="{site.language}">
<head>
<meta charset="utf-8">
<title>{esc(post.title)}</title>
<meta name="description" content="{attr(post.description)}">
<meta name="author" content="{attr(writer.name)}">
</head>
<body>
<header><nav><a href="{b}/">{esc(site.name)}</a> \u00b7 <a href="{b}/blog">Blog</a></nav></header>
<article>
<h1>{esc(post.title)}</h1>
<p class="meta">By {esc(writer.name)} \u00b7 <time datetime="{post.published_raw}">\
{esc(post.shown_date)}</time></p>
{body}
</article>
<footer><p>Kiln-room notes from {esc(site.name)}.</p></footer>
</body>
</html>
"""

"""A Wix blog post page: SEO head, post header, Ricos body, footer, recent posts, comments."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from ._markup import (
    InlineLink,
    attr,
    esc,
    hashed_class,
    inline_html,
    media_uri,
    media_url,
    stable_id,
)
from ._wix_shell import post_list_item, wix_page
from .content import (
    Blank,
    Block,
    Heading,
    LinkCard,
    ListBlock,
    Para,
    Picture,
    Quote,
    SiteContent,
    SourcePost,
    tag_slug,
)

__all__ = ["render_wix_post"]

_IMAGE_W, _IMAGE_H = 1200, 800
_P_CLASS = "public-DraftStyleDefault-block-depth0 fixed-tab-size public-DraftStyleDefault-text-ltr"
_SHARE = ("facebook", "twitter", "linkedin", "link")


def _post_url(base_url: str, site: SiteContent, slug: str) -> str:
    return base_url + site.post(slug).path


def _seo(base_url: str, site: SiteContent, post: SourcePost) -> str:
    url = base_url + post.path
    writers = site.writers_of(post)
    image = media_url(base_url, post.image or site.logo)
    people = [
        {"@type": "Person", "name": w.name, "url": base_url + w.profile_path} for w in writers
    ]
    ld = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "author": people[0] if len(people) == 1 else people,
        "dateModified": post.modified_raw or post.published_raw,
        "datePublished": post.published_raw,
        "headline": post.title,
        "mainEntityOfPage": {"@id": url, "@type": "itemPage", "url": url},
        "description": post.description,
        "url": url,
        "image": {"@type": "ImageObject", "url": image, "width": _IMAGE_W, "height": _IMAGE_H},
        "publisher": {
            "@type": "Organization",
            "name": site.name,
            "url": base_url,
            "logo": {"@type": "ImageObject", "url": media_url(base_url, site.logo)},
        },
    }
    ld_text = json.dumps(ld, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    d, t = attr(post.description), attr(post.title)
    return f"""<title>{esc(post.title)} | {esc(site.name)}</title>
  <meta name="description" content="{d}"/>
  <link rel="canonical" href="{attr(url)}"/>
  <meta property="og:title" content="{t}"/>
  <meta property="og:description" content="{d}"/>
  <meta property="og:image" content="{attr(image)}"/>
  <meta property="og:image:width" content="{_IMAGE_W}"/>
  <meta property="og:image:height" content="{_IMAGE_H}"/>
  <meta property="og:url" content="{attr(url)}"/>
  <meta property="og:site_name" content="{attr(site.name)}"/>
  <meta property="og:type" content="article"/>
  <script type="application/ld+json">{ld_text}</script>
  <meta property="article:author" content="{attr(writers[0].name)}"/>
  <meta property="article:published_time" content="{post.published_raw}"/>
  <meta property="article:modified_time" content="{post.modified_raw or post.published_raw}"/>
  <link rel="alternate" href="{attr(base_url)}/blog-feed.xml" title="{attr(site.name)} - RSS" \
type="application/rss+xml"/>
  <meta name="twitter:card" content="summary_large_image"/>
  <meta name="twitter:title" content="{t}"/>
  <meta name="twitter:description" content="{d}"/>
  <meta name="twitter:image" content="{attr(image)}"/>"""


class _Body:
    """Renders Ricos blocks, each followed by its ``rcv-block<N>`` marker."""

    def __init__(self, base_url: str, site: SiteContent, post: SourcePost) -> None:
        self.base_url = base_url
        self.site = site
        self.post = post
        self.parts: list[str] = ['<div type="first" data-hook="rcv-block-first"></div>']
        self.count = 0

    def _id(self) -> str:
        return "viewer-" + stable_id(self.post.slug, str(self.count))

    def _emit(self, element: str, kind: str) -> None:
        self.count += 1
        self.parts.append(element)
        self.parts.append(f'<div type="{kind}" data-hook="rcv-block{self.count}"></div>')

    def _link(self, link: InlineLink) -> str:
        slug = link.post_slug
        href = _post_url(self.base_url, self.site, slug) if slug else link.target
        target = "_self" if slug else "_blank"
        return (
            f'<a href="{attr(href)}" target="{target}" rel="noopener noreferrer" '
            f'class="{hashed_class("link")}" data-hook="linkViewer">{esc(link.text)}</a>'
        )

    def _text(self, text: str) -> str:
        return f'<span class="{hashed_class("span")}">{inline_html(text, self._link)}</span>'

    def _p(self, text: str) -> str:
        return f'<p dir="auto" class="{hashed_class("p")} {_P_CLASS}" id="{self._id()}">{text}</p>'

    def render(self) -> str:
        for block in self.post.blocks:
            self.block(block)
        self.parts.append('<div type="last" data-hook="rcv-block-last"></div>')
        return "".join(self.parts)

    def block(self, block: Block) -> None:
        c = hashed_class
        if isinstance(block, Para):
            self._emit(self._p(self._text(block.text)), "paragraph")
        elif isinstance(block, Blank):
            self._emit(self._p('<span><br role="presentation"/></span>'), "empty-line")
        elif isinstance(block, Heading):
            tag = f"h{block.level}"
            self._emit(
                f'<{tag} dir="auto" class="{c("h")}" id="{self._id()}">{self._text(block.text)}'
                f"</{tag}>",
                "heading",
            )
        elif isinstance(block, ListBlock):
            tag = "ol" if block.ordered else "ul"
            items = "".join(
                f'<li dir="auto" class="{c("li")}"><p class="{c("p")}">{self._text(item)}</p></li>'
                for item in block.items
            )
            kind = "numbered_list" if block.ordered else "bulleted_list"
            self._emit(f'<{tag} class="{c(tag)}" id="{self._id()}">{items}</{tag}>', kind)
        elif isinstance(block, Quote):
            self._emit(
                f'<blockquote class="{c("quote")}" id="{self._id()}"><p class="{c("p")}">'
                f"{self._text(block.text)}</p></blockquote>",
                "blockquote",
            )
        elif isinstance(block, Picture):
            self._emit(self._image(block), "image")
        elif isinstance(block, LinkCard):
            self._emit(self._card(block.slug), "link-preview")
        else:
            for slug in block.slugs:
                self._emit(self._product(slug), "app-embed")

    def _image(self, block: Picture) -> str:
        c = hashed_class
        uri = media_uri(block.seed)
        container = "new-image" + stable_id(block.seed, length=4)
        info = json.dumps(
            {
                "containerId": container,
                "displayMode": "fill",
                "isLQIP": True,
                "imageData": {"width": _IMAGE_W, "height": _IMAGE_H, "uri": uri, "name": ""},
            },
            separators=(",", ":"),
        )
        caption = ""
        if block.caption:
            caption = (
                f'<span dir="auto" class="{c("caption")}" data-hook="imageViewerCaption">'
                f"{esc(block.caption)}</span>"
            )
        src = media_url(self.base_url, block.seed)
        return (
            f'<div id="{self._id()}" class="{c("img-block")}"><div class="{c("img-wrap")}">'
            f'<div data-hook="imageViewer" class="{c("viewer")}" role="button" tabindex="0">'
            f'<div class="{c("img")}" id="{container}" '
            f'style="--dim-height:{_IMAGE_H};--dim-width:{_IMAGE_W}">'
            f'<wow-image id="{uri}" data-image-info="{attr(info)}" data-has-ssr-src="true">'
            f'<img src="{attr(src)}" alt="{attr(block.alt)}" '
            f'style="width:100%;height:100%;object-fit:cover"/></wow-image></div></div>'
            f"{caption}</div></div>"
        )

    def _card(self, slug: str) -> str:
        c = hashed_class
        target = self.site.post(slug)
        url = _post_url(self.base_url, self.site, slug)
        host = urlsplit(self.base_url).netloc
        thumb = media_url(self.base_url, target.image or self.site.logo)
        return (
            f'<div id="{self._id()}" class="{c("card-block")}">'
            f'<a href="{attr(url)}" target="_blank" rel="noopener noreferrer" '
            f'class="{c("card-link")}"><figure data-hook="linkPreviewViewer" '
            f'class="{c("card")}"><div class="{c("thumb")}" '
            f"style=\"background-image:url('{attr(thumb)}')\"></div>"
            f'<section class="{c("card-text")}"><div class="{c("card-url")}">{esc(host)}</div>'
            f'<figcaption class="{c("card-title")}">{esc(target.title)}</figcaption>'
            f'<div class="{c("card-desc")}">{esc(target.description)}</div>'
            f"</section></figure></a></div>"
        )

    def _product(self, slug: str) -> str:
        product = self.site.products[slug]
        url = self.base_url + product.path
        image = media_url(self.base_url, "product-" + slug)
        return (
            f'<div id="{self._id()}" class="{hashed_class("embed-block")}">'
            f'<div data-hook="vertical-embed" class="{hashed_class("embed")}">'
            f'<a href="{attr(url)}" target="_blank" rel="noopener noreferrer">'
            f'<div class="vertical-embed-card">'
            f'<div class="vertical-embed-image" style="background-image:url(\'{attr(image)}\')">'
            f'</div><div class="vertical-embed-info">'
            f'<div class="vertical-embed-title">{esc(product.name)}</div>'
            f'<div class="vertical-embed-subtitle">{esc(product.price_label)}</div>'
            f'<div class="vertical-embed-button"><span class="vertical-embed-buttonText">'
            f"Buy Now</span></div></div></div></a></div></div>"
        )


def _header(base_url: str, site: SiteContent, post: SourcePost) -> str:
    c = hashed_class
    writer = site.writers_of(post)[0]
    profile = attr(base_url + writer.profile_path)
    avatar = attr(media_url(base_url, "avatar-" + writer.key))
    read = ""
    if post.read_minutes is not None:
        read = (
            f'<li class="{c("meta-li")}"><span class="post-metadata__readTime" '
            f'title="{post.read_minutes} min read" data-hook="time-to-read">'
            f"{post.read_minutes} min read</span></li>"
        )
    return (
        f'<div class="{c("post-header")}"><div class="{c("meta-row")}">'
        f'<ul class="{c("meta-ul")}">'
        f'<li class="{c("meta-li")}"><a href="{profile}" data-hook="profile-link" '
        f'class="{c("avatar-link")}"><div class="{c("avatar")} avatar"><img src="{avatar}" '
        f'alt="Writer\'s picture" width="32" height="32"/></div></a></li>'
        f'<li class="{c("meta-li")}"><span class="{c("hidden")}" style="position:absolute;'
        f'width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)">Writer:</span>'
        f'<a href="{profile}" data-hook="profile-link" class="{c("name-link")}">'
        f'<span title="{attr(writer.name)}" class="{c("name")} user-name" data-hook="user-name">'
        f"{esc(writer.name)}</span></a></li>"
        f'<li class="{c("meta-li")}"><span title="{attr(post.shown_date)}" '
        f'class="post-metadata__date time-ago" data-hook="time-ago">{esc(post.shown_date)}'
        f"</span></li>{read}</ul>"
        f'<button type="button" class="{c("more")}" aria-label="More actions" '
        f'data-hook="more-button"></button></div>'
        f'<div tabindex="-1" class="{c("title-wrap")}" data-hook="post-title">'
        f'<h1 class="{c("h1")} blog-post-title-font post-title" data-hook="post-title">'
        f'<span class="post-title__text blog-post-title-font"><span class="{c("t")}">'
        f"{esc(post.title)}</span></span></h1></div></div>"
    )


def _footer(base_url: str, post: SourcePost) -> str:
    c = hashed_class
    shares = "".join(
        f'<button type="button" class="{c("share")}" aria-label="Share via {name}" '
        f'data-hook="share-button__{name}"><svg width="19" height="19" viewBox="0 0 19 19">'
        f'<path d="M2 2h15v15H2z"></path></svg></button>'
        for name in _SHARE
    )
    tags = "".join(
        f'<li><a href="{attr(base_url)}/blog/tags/{tag_slug(tag)}" class="{c("tag")}" '
        f'data-hook="tag-link">{esc(tag)}</a></li>'
        for tag in post.tags
    )
    views = 40 + int(stable_id(post.slug, "views", length=2), 36) % 300
    return (
        f'<div id="post-footer" class="{c("footer")}" data-hook="post-footer">'
        f'<div data-hook="post-main-actions-desktop" class="{c("actions")}">'
        f'<div class="{c("shares")}" data-hook="post-social-buttons">{shares}</div>'
        f'<nav aria-label="Tags" data-hook="post-tags"><ul class="{c("tags")}">{tags}</ul></nav>'
        f"</div>"
        f'<div class="{c("stats")}"><span data-hook="view-count-compact">{views} views</span>'
        f'<span data-hook="comment-count-compact">1 comment</span></div></div>'
    )


def _after(base_url: str, site: SiteContent, post: SourcePost) -> str:
    c = hashed_class
    others = [p for p in site.posts if p.slug != post.slug][:3]
    items = "".join(post_list_item(base_url, site, p, compact=True) for p in others)
    commenter = "Priya N."
    return (
        f'<section class="{c("recent")}" data-hook="recent-posts"><div class="{c("recent-head")}">'
        f'<h2 class="{c("recent-title")}">Recent Posts</h2>'
        f'<a href="{attr(base_url)}/blog" data-hook="see-all-link">See All</a></div>'
        f'<div class="{c("recent-list")}">{items}</div></section>'
        f'<section id="comments" class="{c("comments")}" data-hook="comments-root">'
        f'<h2 data-hook="comments-header">Comments</h2>'
        f'<div data-hook="comment-box"><span>Write a comment...</span></div>'
        f'<ul data-hook="comments-list"><li data-hook="comment"><span data-hook="user-name">'
        f"{commenter}</span><p>Thank you for writing this up, it helped in class this week."
        f"</p></li></ul></section>"
    )


def render_wix_post(base_url: str, site: SiteContent, post: SourcePost) -> str:
    c = hashed_class
    body = _Body(base_url, site, post).render()
    main = (
        f'<div id="content-wrapper"><div class="{c("page")} blog-post-page-font" '
        f'data-hook="post-page"><div class="{c("page-in")}">'
        f'<article class="{c("article")} blog-post-page-font" data-hook="post">'
        f"{_header(base_url, site, post)}"
        f'<div class="{c("desc")}" data-hook="post-description">'
        f'<article class="blog-post-page-font"><div class="post-content__body">'
        f'<div style="--rce-text-color:rgb(0, 0, 0);--rce-divider-color:rgba(0, 0, 0, 0.2)" '
        f'class="{c("rce")}" data-rce-version="11.4.2">'
        f'<style type="text/css">.post-content__body {{ --ricos-text-color: #000000; '
        f"--ricos-action-color: #8a4b2a; --ricos-custom-p-font-size: 16px; }}</style>"
        f'<div class="{c("viewer")}" dir="ltr" data-id="content-viewer">'
        f'<div class="{c("viewer-in")}">{body}</div></div></div></div></article></div>'
        f"{_footer(base_url, post)}</article></div>"
        f"{_after(base_url, site, post)}</div></div>"
    )
    return wix_page(
        base_url,
        site,
        page_id=stable_id("page", post.slug, length=5),
        url=base_url + post.path,
        seo=_seo(base_url, site, post),
        main=main,
    )

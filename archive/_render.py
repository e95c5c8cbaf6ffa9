"""One post as Markdown: front matter, sections, rewritten links, product cards."""

from __future__ import annotations

import html
from urllib.parse import urljoin

from scraper.model import Product

from ._layout import Layout
from ._markup import (
    Link,
    Rewriter,
    escape_inline,
    neutralize_hugo_shortcodes,
    normalize_newlines,
    rewrite_links,
)
from ._plan import ExportPlan, PlannedPost, wikilink
from ._urls import link_destination, url_key
from ._yaml import YamlValue, front_matter

__all__ = ["GONE_NOTE", "link_rewriter", "post_front_matter", "product_card", "render_post"]

GONE_NOTE = "> **Gone:** this post is no longer on its site; this is the archived copy."


def _price(product: Product) -> str | None:
    if product.price is None:
        return None
    return f"{product.price} {product.currency}" if product.currency else product.price


def _shortcode_value(text: str) -> str:
    """A quoted shortcode argument; HTML entities instead of backslash escapes, which
    Hugo reads inconsistently. The product shortcode unescapes them again."""
    return '"' + html.escape(" ".join(text.split()), quote=True).replace("\\", "&#92;") + '"'


def product_card(product: Product, layout: Layout) -> str:
    """The one way a product is shown: a Hugo shortcode, else a one-line quote block."""
    if layout.flavor == "hugo":
        fields = [
            ("name", product.name),
            ("price", product.price),
            ("currency", product.currency),
            ("url", product.url),
            ("cta", product.cta),
        ]
        args = " ".join(f"{key}={_shortcode_value(value)}" for key, value in fields if value)
        return "{{< product " + args + " >}}"
    parts = [f"**{escape_inline(product.name) or 'Product'}**"]
    price = _price(product)
    if price:
        parts.append(escape_inline(price))
    if product.url:
        label = escape_inline(product.cta or "") or "View product"
        parts.append(f"[{label}]({link_destination(product.url)})")
    return "> " + " · ".join(parts)


def post_front_matter(item: PlannedPost, layout: Layout) -> dict[str, YamlValue]:
    post = item.entry.post
    data: dict[str, YamlValue] = {"title": item.title}
    if post.authors:
        data["authors"] = [author.name for author in post.authors]
    if post.published_at is not None:
        exact = post.published_precision != "day"
        data["date"] = (
            post.published_at.isoformat() if exact else post.published_at.date().isoformat()
        )
    if post.updated_at is not None:
        data["updated"] = post.updated_at.isoformat()
    data[layout.url_key] = post.url
    if post.canonical_url:
        data["canonical_url"] = post.canonical_url
    if post.tags:
        data["tags"] = list(post.tags)
    if post.reading_time_minutes is not None:
        data["reading_time"] = post.reading_time_minutes
    if post.description:
        data["description"] = post.description
    if post.image:
        data["image"] = post.image
    if post.products:
        data["products"] = [
            {"name": p.name, "price": p.price, "currency": p.currency, "url": p.url}
            for p in post.products
        ]
    related = list(dict.fromkeys(link.url for link in post.related_links))
    if related:
        data["related"] = related
    if item.entry.gone:
        data["gone"] = True
    if layout.flavor == "jekyll":
        data["render_with_liquid"] = False
    return data


def link_rewriter(plan: ExportPlan, host: str, source: str, base_url: str) -> Rewriter:
    """Point links at archived posts (and downloaded images) from ``host/source``."""
    layout = plan.layout

    def rewrite(link: Link) -> str | None:
        if link.kind == "image":
            asset = plan.images.get((host, urljoin(base_url, link.dest.strip())))
            return layout.asset_link(source, asset) if asset else None
        target = plan.target(link.dest, base_url)
        if target is None:
            return None
        if layout.wikilinks and target.host == host and link.kind == "inline":
            return wikilink(target.path, link.text or escape_inline(target.title))
        rel = plan.rel_link(host, source, target)
        if rel is None:
            return None
        fragment = link.dest.strip().partition("#")[2]
        return link_destination(f"{rel}#{fragment}" if fragment else rel)

    return rewrite


def _section_keys(markdown: str, base_url: str) -> set[str]:
    keys: set[str] = set()

    def collect(link: Link) -> None:
        key = url_key(link.dest, base_url)
        if key is not None:
            keys.add(key)

    rewrite_links(markdown, collect)
    return keys


def _place_products(
    markdown: str, products: tuple[Product, ...], layout: Layout, placed: set[int]
) -> str:
    """Swap the extractor's one-line product mentions (``[Name](url) — $7.50``) for the
    archive's product card, so a product shows once, where the post showed it."""
    lines = markdown.split("\n")
    for index, product in enumerate(products):
        if index in placed or not product.url:
            continue
        marker = f"]({product.url})"
        for number, line in enumerate(lines):
            stripped = line.strip()
            if stripped.startswith("[") and marker in stripped and len(stripped) < 500:
                lines[number] = product_card(product, layout)
                placed.add(index)
                break
    return "\n".join(lines)


def _body_parts(item: PlannedPost, plan: ExportPlan, placed: set[int]) -> list[str]:
    post = item.entry.post
    layout = plan.layout
    rewrite = link_rewriter(plan, item.host, item.path, post.url)

    def text(markdown: str) -> str:
        markdown = rewrite_links(normalize_newlines(markdown).strip("\n"), rewrite)
        return neutralize_hugo_shortcodes(markdown) if layout.flavor == "hugo" else markdown

    if not post.sections:
        body = _place_products(text(post.body_markdown), post.products, layout, placed)
        return [body] if body.strip() else []
    cards: dict[int, list[str]] = {}
    last = len(post.sections) - 1
    card_sections = {min(max(r.section, 0), last) for r in post.related_links if r.kind == "card"}
    for index, section in enumerate(post.sections):
        if index not in card_sections:
            continue
        present = _section_keys(section.markdown, post.url)
        for link in post.related_links:
            where = min(max(link.section, 0), last)
            key = url_key(link.url, post.url)
            if where == index and link.kind == "card" and key not in present:
                present.add(key or link.url)
                label = escape_inline(link.text) or escape_inline(link.url)
                cards.setdefault(index, []).append(f"- [{label}]({link_destination(link.url)})")
    parts: list[str] = []
    for index, section in enumerate(post.sections):
        heading = escape_inline(section.heading or "")
        if heading:
            level = min(max(section.level or 2, 1), 6)
            parts.append("#" * level + " " + heading)
        markdown = _place_products(text(section.markdown), post.products, layout, placed)
        if markdown.strip():
            parts.append(markdown)
        if index in cards:
            parts.append(text("\n".join(cards[index])))
    return parts


def render_post(item: PlannedPost, plan: ExportPlan) -> str:
    """The whole Markdown file of one post."""
    parts = [front_matter(post_front_matter(item, plan.layout))]
    if item.entry.gone:
        parts.append(GONE_NOTE)
    placed: set[int] = set()
    parts.extend(_body_parts(item, plan, placed))
    products = item.entry.post.products
    parts.extend(product_card(p, plan.layout) for i, p in enumerate(products) if i not in placed)
    return "\n".join([parts[0], "\n\n".join(parts[1:])]).rstrip("\n") + "\n"

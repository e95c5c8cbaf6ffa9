"""The pages around the posts of one host: index, authors, tags and products."""

from __future__ import annotations

from collections.abc import Iterable

from scraper.model import Product

from ._markup import escape_inline as _escape
from ._names import assign_names, slugify
from ._plan import ExportPlan, PlannedPost
from ._render import product_card
from ._urls import url_key
from ._yaml import YamlValue, front_matter

__all__ = ["host_pages"]


def _page(plan: ExportPlan, title: str, blocks: Iterable[str]) -> str:
    data: dict[str, YamlValue] = {"title": title}
    if plan.layout.flavor == "jekyll":
        data["render_with_liquid"] = False
    body = "\n\n".join(block for block in blocks if block)
    return front_matter(data) + ("\n" + body + "\n" if body else "")


class _Listings:
    """Post listings for the pages of one host. A post's line depends only on the
    folder of the page listing it (links are relative), so each is built once per
    folder, however many author, tag and product pages list the post."""

    def __init__(self, plan: ExportPlan, host: str) -> None:
        self._plan = plan
        self._host = host
        self._lines: dict[tuple[int, str], str] = {}

    def __call__(self, source: str, posts: Iterable[PlannedPost]) -> str:
        folder = source.rpartition("/")[0]
        lines = []
        for item in sorted(posts, key=_sort_key):
            line = self._lines.get((id(item), folder))
            if line is None:
                line = self._lines[id(item), folder] = self._line(source, item)
            lines.append(line)
        return "\n".join(lines)

    def _line(self, source: str, item: PlannedPost) -> str:
        when = item.day.isoformat() if item.day else "undated"
        link = self._plan.markdown_link(self._host, source, item, _escape(item.title))
        gone = " · *gone from the site*" if item.entry.gone else ""
        return f"- {when} · {link}{gone}"


def _sort_key(item: PlannedPost) -> tuple[int, str, str, str]:
    return item.sort_key


def _page_link(plan: ExportPlan, source: str, target: str, text: str) -> str:
    if plan.layout.wikilinks:
        label = text.replace("|", "\u00a6").replace("]]", "] ]")
        return f"[[{target.removesuffix('.md')}|{label}]]"
    return f"[{text}]({plan.layout.link(source, target)})"


def _grouped(
    plan: ExportPlan, posts: list[PlannedPost], folder: str, names_of: str
) -> tuple[dict[str, list[PlannedPost]], dict[str, str]]:
    groups: dict[str, list[PlannedPost]] = {}
    for item in posts:
        post = item.entry.post
        values = [a.name for a in post.authors] if names_of == "authors" else list(post.tags)
        for value in dict.fromkeys(v for v in values if v.strip()):
            groups.setdefault(value, []).append(item)
    fallback = "author" if names_of == "authors" else "tag"
    names = assign_names({value: slugify(value) or fallback for value in groups})
    paths = {value: plan.layout.page(folder, name) for value, name in names.items()}
    return groups, paths


def _product_key(product: Product) -> str:
    key = url_key(product.url) if product.url else None
    return key or f"name:{' '.join(product.name.split()).casefold()}"


def _products_page(
    plan: ExportPlan, listing: _Listings, posts: list[PlannedPost], source: str
) -> str:
    mentions: dict[str, dict[int, PlannedPost]] = {}  # by id(): each post once
    shown: dict[str, Product] = {}
    for item in sorted(posts, key=lambda p: p.sort_key, reverse=True):
        for product in item.entry.post.products:
            key = _product_key(product)
            shown[key] = product  # the newest post's version wins (visited last)
            mentions.setdefault(key, {}).setdefault(id(item), item)
    order = sorted(shown, key=lambda k: (shown[k].name.casefold(), k))
    blocks = []
    for key in order:
        product = shown[key]
        blocks.append("## " + (_escape(product.name) or "Product"))
        blocks.append(product_card(product, plan.layout))
        listed = mentions[key].values()
        blocks.append("Mentioned in:\n\n" + listing(source, listed))
    return _page(plan, "Products", blocks)


def host_pages(plan: ExportPlan, host: str) -> dict[str, str]:
    """``{path relative to the host dir: Markdown}`` for the pages of ``host``."""
    layout = plan.layout
    posts = [item for item in plan.posts if item.host == host]
    index = layout.page(layout.index_name)
    pages: dict[str, str] = {}
    listing = _Listings(plan, host)
    authors, author_paths = _grouped(plan, posts, "authors", "authors")
    tags, tag_paths = _grouped(plan, posts, "tags", "tags")
    for value, path in author_paths.items():
        pages[path] = _page(plan, value, ["## Posts", listing(path, authors[value])])
    for value, path in tag_paths.items():
        pages[path] = _page(plan, value, ["## Posts", listing(path, tags[value])])
    blocks = ["## Posts", listing(index, posts)]
    for heading, groups, paths in (("Authors", authors, author_paths), ("Tags", tags, tag_paths)):
        if not groups:
            continue
        order = sorted(groups, key=lambda v: (v.casefold(), v))
        lines = [
            f"- {_page_link(plan, index, paths[v], _escape(v))} ({len(groups[v])})" for v in order
        ]
        blocks.extend([f"## {heading}", "\n".join(lines)])
    if any(item.entry.post.products for item in posts):
        products = layout.page("products.md")
        pages[products] = _products_page(plan, listing, posts, products)
        blocks.extend(["## Products", f"- {_page_link(plan, index, products, 'All products')}"])
    pages[index] = _page(plan, host, blocks)
    return pages

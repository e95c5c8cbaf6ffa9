"""The sample blog's source content (``posts.json``) as typed, frozen records.

Everything the site and the truth file show is derived from these records, so a change to the
JSON changes both. Body blocks are single-key objects in the JSON::

    {"p": text}  {"h2": text}  {"h3": text}  {"ul": [text, ...]}  {"ol": [text, ...]}
    {"quote": text}  {"img": {"seed", "alt", "caption"}}  {"blank": true}
    {"card": post-slug}  {"products": [product-slug, ...]}

Text may hold ``[words](post:slug)`` (a link to another post), ``[words](https://...)`` (an
external link) and ``**bold**``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib.resources import files
from typing import Any, Literal
from urllib.parse import quote

__all__ = [
    "Blank",
    "Block",
    "Heading",
    "LinkCard",
    "ListBlock",
    "Para",
    "Picture",
    "ProductCards",
    "ProductInfo",
    "Quote",
    "SiteContent",
    "SourcePost",
    "SourcePlatform",
    "Writer",
    "load_content",
]

SourcePlatform = Literal["wix", "wordpress", "plain"]


@dataclass(frozen=True, slots=True)
class Writer:
    key: str
    id: str
    name: str
    slug: str
    bio: str

    @property
    def profile_path(self) -> str:
        """The Wix member profile page."""
        return f"/profile/{self.id}/profile"

    @property
    def author_path(self) -> str:
        """The WordPress author archive."""
        return f"/author/{self.slug}/"


@dataclass(frozen=True, slots=True)
class ProductInfo:
    slug: str
    name: str
    price: str  # "7.50"; "0.00" when free
    description: str

    @property
    def path(self) -> str:
        return f"/product-page/{self.slug}"

    @property
    def price_label(self) -> str:
        return f"${self.price}"


@dataclass(frozen=True, slots=True)
class Para:
    text: str


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True, slots=True)
class ListBlock:
    ordered: bool
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Quote:
    text: str


@dataclass(frozen=True, slots=True)
class Picture:
    seed: str
    alt: str
    caption: str | None


@dataclass(frozen=True, slots=True)
class Blank:
    pass


@dataclass(frozen=True, slots=True)
class LinkCard:
    slug: str


@dataclass(frozen=True, slots=True)
class ProductCards:
    slugs: tuple[str, ...]


Block = Para | Heading | ListBlock | Quote | Picture | Blank | LinkCard | ProductCards


@dataclass(frozen=True, slots=True)
class SourcePost:
    slug: str
    platform: SourcePlatform
    title: str
    description: str
    writers: tuple[str, ...]  # writer keys, first is the byline
    published_raw: str  # exactly as the page prints it
    modified_raw: str | None
    shown_date: str  # the visible date text ("3 days ago", "Aug 11, 2023")
    read_minutes: int | None
    tags: tuple[str, ...]
    image: str | None  # media seed of the lead image
    blocks: tuple[Block, ...]

    @property
    def published(self) -> datetime:
        return datetime.fromisoformat(self.published_raw)

    @property
    def modified(self) -> datetime | None:
        return datetime.fromisoformat(self.modified_raw) if self.modified_raw else None

    @property
    def path(self) -> str:
        """The post's path, percent-encoded."""
        if self.platform == "wordpress":
            day = self.published
            return f"/{day.year:04d}/{day.month:02d}/{day.day:02d}/{quote(self.slug)}/"
        if self.platform == "plain":
            return f"/notes/{quote(self.slug)}.html"
        return f"/post/{quote(self.slug)}"


@dataclass(frozen=True, slots=True)
class SiteContent:
    name: str
    tagline: str
    language: str
    logo: str
    writers: dict[str, Writer]
    products: dict[str, ProductInfo]
    posts: tuple[SourcePost, ...]  # newest first

    def post(self, slug: str) -> SourcePost:
        for post in self.posts:
            if post.slug == slug:
                return post
        raise KeyError(slug)

    def writers_of(self, post: SourcePost) -> list[Writer]:
        return [self.writers[key] for key in post.writers]

    def tag_slugs(self) -> dict[str, str]:
        """Every tag used, display name -> URL slug, in first-use order."""
        out: dict[str, str] = {}
        for post in self.posts:
            for tag in post.tags:
                out.setdefault(tag, tag_slug(tag))
        return out


def tag_slug(tag: str) -> str:
    return "-".join(tag.lower().split())


def _block(raw: dict[str, Any]) -> Block:
    if len(raw) != 1:
        raise ValueError(f"a block has exactly one key: {raw!r}")
    ((kind, value),) = raw.items()
    if kind == "p":
        return Para(str(value))
    if kind in ("h2", "h3", "h4"):
        return Heading(int(kind[1]), str(value))
    if kind in ("ul", "ol"):
        return ListBlock(kind == "ol", tuple(str(v) for v in value))
    if kind == "quote":
        return Quote(str(value))
    if kind == "img":
        return Picture(str(value["seed"]), str(value["alt"]), value.get("caption"))
    if kind == "blank":
        return Blank()
    if kind == "card":
        return LinkCard(str(value))
    if kind == "products":
        return ProductCards(tuple(str(v) for v in value))
    raise ValueError(f"unknown block kind {kind!r}")


def _post(raw: dict[str, Any]) -> SourcePost:
    return SourcePost(
        slug=raw["slug"],
        platform=raw["platform"],
        title=raw["title"],
        description=raw["description"],
        writers=tuple(raw["writers"]),
        published_raw=raw["published"],
        modified_raw=raw.get("modified"),
        shown_date=raw["shown_date"],
        read_minutes=raw.get("read_minutes"),
        tags=tuple(raw.get("tags") or ()),
        image=raw.get("image"),
        blocks=tuple(_block(b) for b in raw["blocks"]),
    )


@cache
def load_content() -> SiteContent:
    """Read ``posts.json`` (once) into records; posts are sorted newest first."""
    data = json.loads(files(__package__).joinpath("posts.json").read_text(encoding="utf-8"))
    posts = sorted((_post(p) for p in data["posts"]), key=lambda p: p.published, reverse=True)
    site = data["site"]
    return SiteContent(
        name=site["name"],
        tagline=site["tagline"],
        language=site["language"],
        logo=site["logo"],
        writers={
            w["key"]: Writer(w["key"], w["id"], w["name"], w["slug"], w["bio"])
            for w in data["writers"]
        },
        products={
            p["slug"]: ProductInfo(p["slug"], p["name"], p["price"], p["description"])
            for p in data["products"]
        },
        posts=tuple(posts),
    )

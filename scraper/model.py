"""The extracted post: frozen dataclasses shared by every package.

``Post.to_dict()`` is the JSON shape of ../shared/contract/post.schema.json;
``Post.from_dict()`` reads it back (storage and archive round-trip through it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

__all__ = [
    "Author",
    "Image",
    "Platform",
    "Post",
    "Precision",
    "Product",
    "RelatedLink",
    "Section",
]

Platform = Literal[
    "wix",
    "wordpress",
    "squarespace",
    "ghost",
    "blogger",
    "substack",
    "medium",
    "hugo",
    "jekyll",
    "generic",
]
Precision = Literal["exact", "day", "relative"]
LinkKind = Literal["inline", "card"]


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "url": self.url}


@dataclass(frozen=True, slots=True)
class Section:
    """A part of the body under one heading (``heading`` None for the lead part)."""

    heading: str | None
    level: int | None
    markdown: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "heading": self.heading,
            "level": self.level,
            "markdown": self.markdown,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class RelatedLink:
    text: str
    url: str
    section: int
    kind: LinkKind = "inline"

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "url": self.url, "section": self.section, "kind": self.kind}


@dataclass(frozen=True, slots=True)
class Product:
    name: str
    price: str | None = None
    currency: str | None = None
    url: str | None = None
    cta: str | None = None
    image: str | None = None
    description: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "price": self.price,
            "currency": self.currency,
            "url": self.url,
            "cta": self.cta,
            "image": self.image,
            "description": self.description,
        }


@dataclass(frozen=True, slots=True)
class Image:
    src: str
    alt: str | None = None
    caption: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"src": self.src, "alt": self.alt, "caption": self.caption}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse_iso(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(str(value))


@dataclass(frozen=True, slots=True)
class Post:
    url: str
    site: str
    platform: Platform = "generic"
    canonical_url: str | None = None
    title: str | None = None
    description: str | None = None
    authors: tuple[Author, ...] = ()
    published_at: datetime | None = None
    published_precision: Precision | None = None
    updated_at: datetime | None = None
    reading_time_minutes: int | None = None
    language: str | None = None
    tags: tuple[str, ...] = ()
    image: str | None = None
    sections: tuple[Section, ...] = ()
    related_links: tuple[RelatedLink, ...] = ()
    products: tuple[Product, ...] = ()
    images: tuple[Image, ...] = ()
    body_markdown: str = ""
    body_text: str = ""
    word_count: int = 0
    fetched_at: datetime | None = field(default=None, compare=True)

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON object (plain types only)."""
        return {
            "url": self.url,
            "canonical_url": self.canonical_url,
            "site": self.site,
            "platform": self.platform,
            "title": self.title,
            "description": self.description,
            "authors": [a.to_dict() for a in self.authors],
            "published_at": _iso(self.published_at),
            "published_precision": self.published_precision,
            "updated_at": _iso(self.updated_at),
            "reading_time_minutes": self.reading_time_minutes,
            "language": self.language,
            "tags": list(self.tags),
            "image": self.image,
            "sections": [s.to_dict() for s in self.sections],
            "related_links": [r.to_dict() for r in self.related_links],
            "products": [p.to_dict() for p in self.products],
            "images": [i.to_dict() for i in self.images],
            "body_markdown": self.body_markdown,
            "body_text": self.body_text,
            "word_count": self.word_count,
            "fetched_at": _iso(self.fetched_at),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Post:
        """Inverse of :meth:`to_dict`; unknown keys are ignored."""
        return cls(
            url=data["url"],
            site=data["site"],
            platform=data.get("platform") or "generic",
            canonical_url=data.get("canonical_url"),
            title=data.get("title"),
            description=data.get("description"),
            authors=tuple(
                Author(name=a["name"], url=a.get("url")) for a in data.get("authors") or ()
            ),
            published_at=_parse_iso(data.get("published_at")),
            published_precision=data.get("published_precision"),
            updated_at=_parse_iso(data.get("updated_at")),
            reading_time_minutes=data.get("reading_time_minutes"),
            language=data.get("language"),
            tags=tuple(data.get("tags") or ()),
            image=data.get("image"),
            sections=tuple(
                Section(
                    heading=s.get("heading"),
                    level=s.get("level"),
                    markdown=s.get("markdown", ""),
                    text=s.get("text", ""),
                )
                for s in data.get("sections") or ()
            ),
            related_links=tuple(
                RelatedLink(
                    text=r["text"],
                    url=r["url"],
                    section=int(r.get("section", 0)),
                    kind=r.get("kind") or "inline",
                )
                for r in data.get("related_links") or ()
            ),
            products=tuple(
                Product(
                    name=p["name"],
                    price=p.get("price"),
                    currency=p.get("currency"),
                    url=p.get("url"),
                    cta=p.get("cta"),
                    image=p.get("image"),
                    description=p.get("description"),
                )
                for p in data.get("products") or ()
            ),
            images=tuple(
                Image(src=i["src"], alt=i.get("alt"), caption=i.get("caption"))
                for i in data.get("images") or ()
            ),
            body_markdown=data.get("body_markdown") or "",
            body_text=data.get("body_text") or "",
            word_count=int(data.get("word_count") or 0),
            fetched_at=_parse_iso(data.get("fetched_at")),
        )

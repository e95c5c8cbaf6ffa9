"""Hand-built posts and pages for the storage tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from scraper.model import Author, Image, Post, Product, RelatedLink, Section
from scraper.records import FetchedPage, FrontierItem, Outcome
from storage import Database

SITE = "https://blog.example.com"
T0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
T1 = datetime(2024, 5, 2, 8, 0, tzinfo=UTC)
T2 = datetime(2024, 5, 3, 8, 0, tzinfo=UTC)

JANE = Author("Jane Baker", f"{SITE}/author/jane/")
OMAR = Author("Omar Field")
KNIFE = Product("Bread Knife", "24.00", "USD", "https://shop.example.com/knife", "Buy Now")


def url(slug: str) -> str:
    return f"{SITE}/{slug}/"


def make_post(slug: str, **changes: Any) -> Post:
    """A believable post at ``SITE/slug/``; keyword arguments replace fields."""
    body = (
        f"Notes on {slug.replace('-', ' ')}. The starter was bubbling by morning.\n\n"
        "Fold the dough every half hour, then shape it gently."
    )
    fields: dict[str, Any] = {
        "url": url(slug),
        "site": SITE,
        "platform": "wordpress",
        "canonical_url": url(slug),
        "title": slug.replace("-", " ").title(),
        "description": f"About {slug}",
        "authors": (JANE,),
        "published_at": datetime(2024, 3, 10, 9, 30, tzinfo=UTC),
        "published_precision": "exact",
        "reading_time_minutes": 4,
        "language": "en",
        "tags": ("Bread", "Sourdough"),
        "image": f"https://cdn.example.com/{slug}.jpg",
        "sections": (
            Section(None, None, f"Notes on {slug}.", f"Notes on {slug}."),
            Section("Shaping", 2, "Shape it gently.", "Shape it gently."),
        ),
        "related_links": (),
        "products": (),
        "images": (Image(f"https://cdn.example.com/{slug}.jpg", "A loaf", None),),
        "body_markdown": body,
        "body_text": body,
        "word_count": len(body.split()),
        "fetched_at": T0,
    }
    fields.update(changes)
    return Post(**fields)


def page_for(post: Post, at: datetime = T0, body: bytes | None = None, **extra: Any) -> FetchedPage:
    content = body if body is not None else f"<html><h1>{post.title}</h1></html>".encode()
    return FetchedPage(
        url=post.url,
        final_url=post.url,
        status=200,
        body=content,
        fetched_at=at,
        content_type="text/html; charset=utf-8",
        **extra,
    )


def save(db: Database, post: Post, *, run: int | None = None, at: datetime = T0) -> Outcome:
    """Save ``post`` through the crawler's path (a run, a 200 page)."""
    run_id = run if run is not None else db.begin_run(post.site)
    return db.save_page(run_id, FrontierItem(post.url, kind="post"), page_for(post, at), post)


def linking(slug: str, *targets: str) -> Post:
    return make_post(
        slug,
        related_links=tuple(RelatedLink(f"see {t}", url(t), 0, "inline") for t in targets),
    )

"""Hand-built posts that link to each other, with products, tags, authors and a gone one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from archive import ArchiveEntry
from scraper.model import Author, Image, Post, Product, RelatedLink, Section

SITE = "https://blog.example.com"
ALICE = Author("Alice Example", "https://blog.example.com/author/alice/")
BOB = Author("Bob O'Brien")
MUG = Product("Stoneware Mug", "18.00", "USD", "https://shop.example.com/mug", "Buy Now")
KIT = Product('Glaze Kit: "Blue"', "7.50", "EUR", "https://shop.example.com/kit?ref=blog")
FREE = Product("Free Pattern", "0.00", None, None)


def _post(slug: str, title: str, day: int | None, **kwargs: object) -> Post:
    published = datetime(2024, 3, day, 9, 30, tzinfo=UTC) if day else None
    return Post(
        url=f"{SITE}/{slug}/",
        site=SITE,
        platform="wordpress",
        title=title,
        published_at=published,
        published_precision="exact" if published else None,
        **kwargs,  # type: ignore[arg-type]
    )


def build_posts() -> list[ArchiveEntry]:
    throwing = _post(
        "throwing-a-mug",
        "Throwing a Mug",
        4,
        canonical_url=f"{SITE}/throwing-a-mug",
        authors=(ALICE,),
        tags=("pottery", "wheel"),
        reading_time_minutes=5,
        description="How I throw a mug: centering, opening, pulling.",
        image="https://cdn.example.com/mug.jpg",
        updated_at=datetime(2024, 3, 6, 12, 0, tzinfo=UTC),
        sections=(
            Section(
                None,
                None,
                "Start with **clay**. See [glazing](https://BLOG.example.com/glazing-basics#blue).",
                "Start with clay. See glazing.",
            ),
            Section(
                "Centering",
                2,
                "Keep your elbows in.\n\n![wheel](https://cdn.example.com/wheel.png)",
                "Keep your elbows in.",
            ),
            Section(
                "Pulling the walls",
                2,
                "Slow and steady; read [the trimming post](http://blog.example.com/trimming).",
                "Slow and steady; read the trimming post.",
            ),
        ),
        related_links=(
            RelatedLink("glazing", f"{SITE}/glazing-basics/", 0),
            RelatedLink("the trimming post", f"{SITE}/trimming/", 2),
            RelatedLink("Kiln day", f"{SITE}/kiln-day/", 2, "card"),
        ),
        products=(MUG, KIT),
        images=(Image("https://cdn.example.com/wheel.png", "wheel"),),
    )
    glazing = _post(
        "glazing-basics",
        "Glazing Basics: dip, pour & brush",
        2,
        authors=(ALICE, BOB),
        tags=("pottery", "glaze"),
        sections=(
            Section(None, None, "Glaze is glass.", "Glaze is glass."),
            Section(
                "Dipping",
                2,
                "Back to [throwing](https://blog.example.com/throwing-a-mug).",
                "Back to throwing.",
            ),
            Section(
                "Outside links",
                3,
                "See [a shop](https://shop.example.com/kit) and [elsewhere](https://other.example.org/post/).",
                "See a shop and elsewhere.",
            ),
        ),
        related_links=(RelatedLink("throwing", f"{SITE}/throwing-a-mug/", 1),),
        products=(KIT,),
    )
    trimming = _post(
        "trimming",
        "Trimming",
        8,
        authors=(BOB,),
        tags=("wheel",),
        body_markdown="Trim when leather hard. Compare [glazing](/glazing-basics/).",
        products=(FREE,),
    )
    kiln = _post(
        "kiln-day",
        "Kiln day",
        1,
        authors=(BOB,),
        sections=(Section(None, None, "The kiln is gone, like this post.", "The kiln is gone."),),
    )
    undated = _post(
        "notes",
        "Notes without a date",
        None,
        sections=(Section("Loose notes", 2, "Nothing dated here.", "Nothing dated here."),),
    )
    return [
        ArchiveEntry(throwing, post_id=1),
        ArchiveEntry(glazing, post_id=2),
        ArchiveEntry(trimming, post_id=3),
        ArchiveEntry(kiln, post_id=4, gone=True, first_seen=datetime(2024, 3, 1, tzinfo=UTC)),
        ArchiveEntry(undated, post_id=5),
    ]


@pytest.fixture
def entries() -> list[ArchiveEntry]:
    return build_posts()

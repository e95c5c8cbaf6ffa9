"""A product the post shows in its body is rendered once, as the archive's card, in place."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive import ArchiveEntry, ExportOptions, export_markdown
from scraper.model import Post, Product, Section

from .helpers import read_export

URL = "https://shop.example.com/post/kiln-tips"
MUG = Product("Speckled Mug", "7.50", "USD", "https://shop.example.com/product-page/mug", "Buy Now")
BOOK = Product("Glaze Book", "0.00", "USD", "https://shop.example.com/product-page/book", "Buy Now")


def _post() -> Post:
    lead = (
        "Before the products.\n\n[Speckled Mug](https://shop.example.com/product-page/mug) — $7.50"
    )
    return Post(
        url=URL,
        site="https://shop.example.com",
        platform="wix",
        title="Kiln tips",
        published_at=datetime(2024, 5, 1, 9, 0, tzinfo=UTC),
        sections=(
            Section(None, None, lead, "Before the products."),
            Section("After", 2, "Closing words.", "Closing words."),
        ),
        products=(MUG, BOOK),
        body_markdown=lead + "\n\n## After\n\nClosing words.",
    )


@pytest.mark.parametrize("flavor", ["plain", "hugo"])
def test_product_shown_once_in_place(tmp_path: Path, flavor: str) -> None:
    report = export_markdown([ArchiveEntry(_post())], tmp_path, ExportOptions(flavor=flavor))  # type: ignore[arg-type]
    [path] = [p for p in report.files if p.name.endswith("kiln-tips.md")]
    _, body = read_export(path)
    assert body.count("Speckled Mug") == 1
    assert "— $7.50" not in body
    # the mug's card sits where the post showed it, before the next section
    assert body.index("Speckled Mug") < body.index("After")
    # the book was not in the body: its card is appended at the end
    assert body.count("Glaze Book") == 1 and body.index("Glaze Book") > body.index("Closing words")
    if flavor == "hugo":
        assert "{{< product " in body

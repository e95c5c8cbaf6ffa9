"""A quality floor over every recorded fixture, in the terms of the issue's targets.

The golden test holds each page to its expected JSON exactly; this one measures how close
the extractor comes, field by field, over all fixtures together, so a regression shows as
a score and not only as a diff: title, first author, published date (to the minute, with
its offset), reading time, headings, related links and products are each right on at least
95 % of the pages that have them, and the body's word-level F1 averages at least 0.95."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from scraper.extract import extract_post

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"
PAGES = sorted(p for p in FIXTURES.glob("*.html") if p.with_suffix(".json").exists())
FLOOR = 0.95
_WORD = re.compile(r"\w+")


def _minute(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed.replace(second=0, microsecond=0)


def _fields(post: dict[str, Any]) -> dict[str, object]:
    """The compared value of each field, or None when the page does not have it."""
    authors = post.get("authors") or []
    sections = post.get("sections") or []
    return {
        "title": post.get("title"),
        "first author": authors[0]["name"] if authors else None,
        "published": _minute(post.get("published_at")),
        "published offset": (
            _minute(post["published_at"]).utcoffset() if post.get("published_at") else None
        ),
        "reading time": post.get("reading_time_minutes"),
        "headings": [s["heading"] for s in sections if s.get("heading")] or None,
        "related links": [link["url"] for link in post.get("related_links") or []] or None,
        "products": [(p["name"], p.get("price"), p.get("currency")) for p in post["products"]]
        or None,
    }


def body_f1(got: str, expected: str) -> float:
    """Word-multiset F1 of two texts (1.0 when both are empty)."""
    a, b = Counter(_WORD.findall(got.lower())), Counter(_WORD.findall(expected.lower()))
    if not a and not b:
        return 1.0
    common = sum((a & b).values())
    if common == 0:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def test_body_f1_is_symmetric_and_bounded() -> None:
    assert body_f1("a b c", "a b c") == 1.0
    assert body_f1("a b", "c d") == 0.0
    assert abs(body_f1("a b c d", "a b") - 2 / 3) < 1e-9
    assert body_f1("", "") == 1.0


def test_every_field_clears_the_floor_over_all_fixtures() -> None:
    assert len(PAGES) >= 4
    right: Counter[str] = Counter()
    having: Counter[str] = Counter()
    misses: list[str] = []
    f1s: list[float] = []
    for page in PAGES:
        expected = json.loads(page.with_suffix(".json").read_text("utf-8"))
        fetched = expected["fetched_at"]
        got = extract_post(
            page.read_bytes(),
            expected["url"],
            datetime.fromisoformat(fetched) if fetched else None,
        ).to_dict()
        want, have = _fields(expected), _fields(got)
        for name, value in want.items():
            if value is None:
                continue
            having[name] += 1
            if have[name] == value:
                right[name] += 1
            else:
                misses.append(f"{page.stem}: {name} {have[name]!r} != {value!r}")
        f1s.append(body_f1(got["body_text"], expected["body_text"]))
    scores = {name: right[name] / having[name] for name in having}
    assert {"title", "first author", "published", "headings"} <= set(scores)
    low = {name: score for name, score in scores.items() if score < FLOOR}
    assert not low, (low, misses)
    assert sum(f1s) / len(f1s) >= FLOOR, f1s

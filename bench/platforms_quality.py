"""Per-platform accuracy on the saved real blog pages in ../shared/data/platforms/.

Checks each "post" page of truth.json: title, author (displayed name), published (same
instant, to the minute, with the page's UTC offset), reading time, in-body headings and
the standalone related-post cards. The URL passed is the page's canonical/og:url.

Usage: .venv/bin/python bench/platforms_quality.py [--verbose]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from scraper.extract import extract_post
from scraper.model import Post

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "platforms"
FIELDS = ("title", "author", "published", "reading_time", "headings", "related")


def page_url(html: str) -> str:
    tree = LexborHTMLParser(html)
    node = tree.css_first('link[rel="canonical"]') or tree.css_first('meta[property="og:url"]')
    if node is not None:
        url = node.attributes.get("href") or node.attributes.get("content")
        if url:
            return url
    return "https://example.com/post"


def _minute(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    offset = parsed.strftime("%z") if parsed.tzinfo else ""
    return parsed.strftime("%Y-%m-%dT%H:%M"), offset


def check(post: Post, truth: dict[str, Any]) -> dict[str, bool]:
    authors = ", ".join(a.name for a in post.authors) or None
    cards = [(r.text, r.url) for r in post.related_links if r.kind == "card"]
    want_cards = [(r["text"], r["url"]) for r in truth.get("related_links", [])]
    published = post.published_at.isoformat() if post.published_at else None
    return {
        "title": post.title == truth["title"],
        "author": authors == truth["author"],
        "published": _minute(published) == _minute(truth["published"]),
        "reading_time": post.reading_time_minutes == truth["reading_time_min"],
        "headings": [s.heading for s in post.sections if s.heading] == truth["headings"],
        "related": cards == want_cards,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    truth_all = json.loads((DATA / "truth.json").read_text("utf-8"))
    per_platform: dict[str, list[dict[str, bool]]] = defaultdict(list)
    for name, truth in truth_all.items():
        if name.startswith("_") or truth.get("page_type") != "post":
            continue
        html = (DATA / name).read_text("utf-8", "replace")
        post = extract_post(html, page_url(html))
        result = check(post, truth)
        per_platform[name.split("/")[0]].append(result)
        missed = [f for f, ok in result.items() if not ok]
        print(f"{name:48s} {'ok' if not missed else 'MISSED ' + ', '.join(missed)}")
        if args.verbose and missed:
            published = post.published_at.isoformat() if post.published_at else None
            got = {
                "title": post.title, "author": [a.name for a in post.authors],
                "published": published, "reading_time": post.reading_time_minutes,
                "headings": [s.heading for s in post.sections if s.heading],
                "related": [(r.text, r.url, r.kind) for r in post.related_links],
            }  # fmt: skip
            for field in missed:
                print(f"    {field}: got {got[field]!r}")
    print()
    print(f"{'platform':12s} {'pages':>5s} " + " ".join(f"{f:>12s}" for f in FIELDS))
    totals = defaultdict(int)
    count = 0
    for platform, results in sorted(per_platform.items()):
        row = []
        for field in FIELDS:
            hits = sum(r[field] for r in results)
            totals[field] += hits
            row.append(f"{hits}/{len(results):<10d}")
        count += len(results)
        print(f"{platform:12s} {len(results):5d} " + " ".join(f"{c:>12s}" for c in row))
    print(f"{'all':12s} {count:5d} " + " ".join(f"{totals[f] / count:12.0%}" for f in FIELDS))


if __name__ == "__main__":
    main()

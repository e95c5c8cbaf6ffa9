"""First-author accuracy on the WCXB dev pages (../shared/data/wcxb-dev-articles).

For each page whose ground truth names an author, the first author ``extract_post`` gives is
compared with the truth string (case, Unicode form and spacing folded). A truth that lists
several people ("A, B and C") counts as a miss even when the first of them is found. Pages
whose truth has no author are counted apart: how many of them get an author anyway.

Usage:
    .venv/bin/python bench/wcxb_authors.py [--show N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import unicodedata
from pathlib import Path

from scraper.errors import ExtractionError
from scraper.extract import extract_post

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "wcxb-dev-articles"


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--show", type=int, default=0, help="list N misses")
    args = parser.parse_args()
    exact = named = none = invented = unnamed = 0
    misses: list[tuple[str, str, str | None]] = []
    for path in sorted((args.data / "ground-truth").glob("*.json")):
        item = json.loads(path.read_text("utf-8"))
        truth = item["ground_truth"].get("author")
        html = gzip.decompress((args.data / "html" / f"{path.stem}.html.gz").read_bytes())
        try:
            post = extract_post(html, item.get("url") or f"https://example.com/{path.stem}")
        except ExtractionError:
            continue
        got = post.authors[0].name if post.authors else None
        if not truth:
            unnamed += 1
            invented += got is not None
            continue
        wanted = truth if isinstance(truth, str) else truth[0]
        named += 1
        none += got is None
        if got is not None and _fold(got) == _fold(wanted):
            exact += 1
        else:
            misses.append((path.stem, wanted, got))
    print(f"first author exact: {exact}/{named} ({exact / max(1, named):.3f}); "
          f"no author given: {none}")  # fmt: skip
    print(f"pages without an author in the truth: {unnamed}, given one anyway: {invented}")
    for page, wanted, got in misses[: args.show]:
        print(f"  {page}: truth {wanted!r}, got {got!r}")


if __name__ == "__main__":
    main()

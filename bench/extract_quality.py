"""Body-text quality of blogbinder's extractor and trafilatura on the same pages.

Scores article bodies with ../shared/data/score_body.py (word 4-gram shingle F1, the
Zyte article-extraction-benchmark metric). Both extractors run in this one process on
the same pages; predictions are written to PRED_DIR/<extractor>/<id>.json.

Usage:
    .venv/bin/python bench/extract_quality.py [--data ../shared/data/aeb-dev]
        [--out /tmp/bb-quality] [--only ours|trafilatura] [--worst N] [--limit N]
    (--data ../shared/data/wcxb-dev-articles reads the WCXB layout.)
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def ours(html: bytes, url: str) -> str:
    from scraper.errors import ExtractionError
    from scraper.extract import extract_post

    try:
        return extract_post(html, url).body_text
    except ExtractionError:
        return ""


def trafilatura_body(html: bytes, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url) or ""


def load_truth(data: Path) -> dict[str, dict[str, str]]:
    """``{page_id: {"articleBody", "url"}}`` for the Zyte layout (ground-truth.json) or the
    WCXB layout (ground-truth/<id>.json with ground_truth.main_content)."""
    single = data / "ground-truth.json"
    if single.exists():
        truth: dict[str, dict[str, str]] = json.loads(single.read_text("utf-8"))
        return truth
    out = {}
    for path in sorted((data / "ground-truth").glob("*.json")):
        item = json.loads(path.read_text("utf-8"))
        body = (item.get("ground_truth") or {}).get("main_content") or ""
        out[path.stem] = {"articleBody": body, "url": item.get("url") or ""}
    return out


def load(data: Path, truth: dict[str, dict[str, str]]) -> list[tuple[str, str, bytes]]:
    pages = []
    for page_id, item in truth.items():
        path = data / "html" / f"{page_id}.html.gz"
        html = gzip.decompress(path.read_bytes())
        pages.append((page_id, item.get("url") or "https://example.com/", html))
    return pages


def run(
    name: str, func: Callable[[bytes, str], str], pages: list[tuple[str, str, bytes]], out: Path
) -> tuple[float, str]:
    target = out / name
    target.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for page_id, url, html in pages:
        body = func(html, url)
        (target / f"{page_id}.json").write_text(json.dumps({"articleBody": body}), "utf-8")
    elapsed = time.perf_counter() - start
    score = subprocess.run(
        [sys.executable, str(SHARED / "score_body.py"), str(target), "--gt",
         str(out / "_gt.json")],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    return elapsed, score


def worst(out: Path, name: str, gt: dict[str, dict[str, str]], count: int) -> None:
    sys.path.insert(0, str(SHARED))
    from score_body import page_counts  # type: ignore[import-not-found]

    rows = []
    for page_id, item in gt.items():
        pred = json.loads((out / name / f"{page_id}.json").read_text("utf-8"))["articleBody"]
        tp, fp, fn = page_counts(item["articleBody"], pred)
        rows.append((tp, fp, fn, page_id, item.get("url", "")))
    for tp, fp, fn, page_id, url in sorted(rows)[:count]:
        print(f"  {page_id[:12]} tp={tp:.2f} fp={fp:.2f} fn={fn:.2f} {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED / "aeb-dev")
    parser.add_argument("--out", type=Path, default=Path("/tmp/bb-quality"))
    parser.add_argument("--only", choices=["ours", "trafilatura"])
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages of ours")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    args = parser.parse_args()
    gt = load_truth(args.data)
    if args.limit:
        gt = dict(list(gt.items())[: args.limit])
    pages = load(args.data, gt)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "_gt.json").write_text(json.dumps(gt), "utf-8")
    print(f"{len(pages)} pages from {args.data}")
    extractors: list[tuple[str, Callable[[bytes, str], str]]] = [
        ("ours", ours),
        ("trafilatura", trafilatura_body),
    ]
    for name, func in extractors:
        if args.only and name != args.only:
            continue
        elapsed, score = run(name, func, pages, args.out)
        print(f"{name:12s} {score}  ({len(pages) / elapsed:.0f} pages/s)")
    if args.worst:
        worst(args.out, "ours", gt, args.worst)


if __name__ == "__main__":
    main()

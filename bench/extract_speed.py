"""Speed of full extraction: blogbinder's extract_post vs trafilatura on the same pages.

trafilatura runs as ``extract(html, url=..., with_metadata=True, output_format="markdown")``
(its closest equivalent of a full post). Both see the same decoded-bytes input, in one
process, after one warm-up pass, taking turns pass by pass; the best pass of each counts.
``--memory N`` then runs N extractions and reports the resident set size along the way (it
must level off, not grow).

Usage:
    .venv/bin/python bench/extract_speed.py [--data ../shared/data/aeb-dev] [--rounds 3]
        [--memory 10000] [--only ours|trafilatura]
"""

from __future__ import annotations

import argparse
import gc
import gzip
import importlib
import resource
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def load(data: Path, limit: int) -> list[tuple[bytes, str]]:
    files = sorted((data / "html").glob("*.html.gz"))
    if limit:
        files = files[:limit]
    return [(gzip.decompress(f.read_bytes()), f"https://example.com/{f.stem}") for f in files]


def ours(html: bytes, url: str) -> object:
    from scraper.errors import ExtractionError
    from scraper.extract import extract_post

    try:
        return extract_post(html, url)
    except ExtractionError:
        return None


def trafilatura_full(html: bytes, url: str) -> object:
    import trafilatura

    return trafilatura.extract(html, url=url, with_metadata=True, output_format="markdown")


def best_rates(
    funcs: dict[str, Callable[[bytes, str], object]], pages: list[tuple[bytes, str]], rounds: int
) -> dict[str, float]:
    """Pages per second of each function, best of ``rounds`` passes over ``pages``; the
    tools take turns pass by pass, so a change in the machine's load hits them alike."""
    for func in funcs.values():
        for html, url in pages[:10]:
            func(html, url)  # warm-up (imports, caches)
    best = dict.fromkeys(funcs, 0.0)
    for _ in range(rounds):
        for name, func in funcs.items():
            gc.collect()
            start = time.perf_counter()
            for html, url in pages:
                func(html, url)
            best[name] = max(best[name], len(pages) / (time.perf_counter() - start))
    return best


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        resident = int(fh.read().split()[1])
    return resident * resource.getpagesize() / 2**20


def memory(pages: list[tuple[bytes, str]], count: int) -> None:
    marks = {count // 10 * i for i in range(1, 11)}
    readings = []
    for i in range(1, count + 1):
        html, url = pages[i % len(pages)]
        ours(html, url)
        if i in marks:
            readings.append((i, rss_mb()))
    for i, mb in readings:
        print(f"  after {i:6d} extractions: RSS {mb:7.1f} MB")
    first, last = readings[0][1], readings[-1][1]
    print(f"  growth from 10% to 100%: {last - first:+.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED / "aeb-dev")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory", type=int, default=0)
    parser.add_argument("--only", choices=["ours", "trafilatura"])
    args = parser.parse_args()
    pages = load(args.data, args.limit)
    size = sum(len(h) for h, _ in pages) / len(pages) / 1024
    print(f"{len(pages)} pages from {args.data} (mean {size:.0f} KB), best of {args.rounds}")
    from scraper import _compiled

    helpers = []
    for name, module in (("C tree walks", "_walk"), ("C scans", "_scan")):
        try:
            native = importlib.import_module(f"scraper.extract.{module}").NATIVE
            helpers.append(f"{name}: {'on' if native else 'off'}")
        except ImportError:  # (an older checkout, run for comparison)
            helpers.append(f"{name}: none")
    print(f"blogbinder's extraction modules: {_compiled.MODE}, {', '.join(helpers)} (see setup.py)")
    tools = {"ours": ours, "trafilatura": trafilatura_full}
    funcs = {name: f for name, f in tools.items() if not args.only or args.only == name}
    results = best_rates(funcs, pages, args.rounds)
    for name, rate in results.items():
        print(f"  {name:12s} {rate:7.1f} pages/s")
    if len(results) == 2:
        print(f"  ratio ours/trafilatura: {results['ours'] / results['trafilatura']:.1f}x")
    if args.memory:
        print(f"memory over {args.memory} extractions (ours):")
        memory(pages, args.memory)


if __name__ == "__main__":
    main()

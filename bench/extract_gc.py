"""What the garbage-collector pause in ``extract_post`` is worth: the extraction pipeline
itself (``scraper.extract.pipeline.extract``, which does not pause the collector) over the
same pages with the collector on and off, taking turns pass by pass (best pass of each),
and how many objects the extractions leave in reference cycles.

Usage:
    .venv/bin/python bench/extract_gc.py [--data ../shared/data/aeb-dev] [--rounds 6]
"""

from __future__ import annotations

import argparse
import gc
import time
from pathlib import Path

from extract_speed import SHARED, load


def main() -> None:
    from scraper.errors import ExtractionError
    from scraper.extract.options import DEFAULT_OPTIONS
    from scraper.extract.pipeline import extract

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED / "aeb-dev")
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    pages = load(args.data, 0)

    def one_pass() -> float:
        start = time.perf_counter()
        for html, url in pages:
            try:
                extract(html, url, None, DEFAULT_OPTIONS)
            except ExtractionError:
                pass
        return len(pages) / (time.perf_counter() - start)

    one_pass()  # warm-up
    best = {"on": 0.0, "off": 0.0}
    for _ in range(args.rounds):
        gc.enable()
        gc.collect()
        best["on"] = max(best["on"], one_pass())
        gc.disable()
        best["off"] = max(best["off"], one_pass())
        gc.enable()
    gc.collect()
    gc.disable()
    one_pass()
    cycles = gc.collect()
    gc.enable()
    print(f"{len(pages)} pages from {args.data}, best of {args.rounds}")
    print(f"  collector on   {best['on']:7.1f} pages/s")
    print(f"  collector off  {best['off']:7.1f} pages/s  ({best['off'] / best['on'] - 1:+.1%})")
    print(
        f"  objects in reference cycles after one pass: {cycles} ({cycles / len(pages):.1f} a page)"
    )


if __name__ == "__main__":
    main()

"""N passes of ``extract_post`` over the AEB pages, for instruction counts and for
comparing two checkouts: callgrind counts instructions, which the machine's load does not
change (these machines have no hardware counters for ``perf stat``).

Usage:
    valgrind --tool=callgrind .venv/bin/python bench/extract_passes.py 2
    valgrind --tool=callgrind .venv/bin/python bench/extract_passes.py 0   # start-up only
    .venv/bin/python bench/extract_passes.py 3 --root /path/to/other/checkout  # best pages/s

Start-up (imports, loading the pages, 10 warm-up extractions) is the ``0`` run; a pass is
(N-pass count - 0-pass count) / N.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("passes", type=int)
    parser.add_argument("--root", type=Path, help="a checkout to import scraper from")
    parser.add_argument("--data", type=Path, default=SHARED / "aeb-dev")
    args = parser.parse_args()
    if args.root:
        sys.path.insert(0, str(args.root))
    from scraper import _compiled
    from scraper.errors import ExtractionError
    from scraper.extract import extract_post

    files = sorted((args.data / "html").glob("*.html.gz"))
    pages = [(gzip.decompress(f.read_bytes()), f"https://example.com/{f.stem}") for f in files]
    for html, url in pages[:10]:
        extract_post(html, url)
    best = 0.0
    for _ in range(args.passes):
        gc.collect()
        start = time.perf_counter()
        for html, url in pages:
            try:
                extract_post(html, url)
            except ExtractionError:
                pass
        best = max(best, len(pages) / (time.perf_counter() - start))
    print(f"{_compiled.MODE}: {len(pages)} pages, best pass {best:.1f} pages/s")


if __name__ == "__main__":
    main()

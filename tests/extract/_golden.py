"""Write the expected JSON for a fixture page from the current extractor output.

Usage: .venv/bin/python tests/extract/_golden.py tests/fixtures/html/<name>.html URL FETCHED_AT

Only for new fixtures: read the output line by line and correct it by hand where the
extractor is wrong; the golden test then holds the extractor to the corrected file.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

from scraper.extract import extract_post


def main() -> None:
    page, url, fetched = Path(sys.argv[1]), sys.argv[2], datetime.fromisoformat(sys.argv[3])
    post = extract_post(page.read_bytes(), url, fetched)
    out = page.with_suffix(".json")
    out.write_text(json.dumps(post.to_dict(), indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(out)


if __name__ == "__main__":
    main()

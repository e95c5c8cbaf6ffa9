"""Serve the sample blog until interrupted: ``python -m scraper.sample [PORT]``."""

from __future__ import annotations

import sys
import threading

from .server import serve_sample_blog


def main(argv: list[str]) -> int:
    port = int(argv[0]) if argv else 0
    with serve_sample_blog(port) as server:
        print(f"Sample blog at {server.base_url}/blog (Ctrl-C to stop)", file=sys.stderr)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""The sample blog served from a separate process, for timing measurements.

A server thread inside the test process shares the GIL with the crawler, so a page
being parsed delays when the server *notices* a request and skews the measured gaps
between request starts. In its own process the server's clock is honest.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_CHILD = """
import json, sys
from scraper.sample import serve_sample_blog
with serve_sample_blog() as server:
    print(server.base_url, flush=True)
    sys.stdin.readline()
    log = [[r.path, r.started, r.in_flight, r.status] for r in server.requests()]
    print(json.dumps(log), flush=True)
"""


@dataclass(frozen=True, slots=True)
class Hit:
    path: str
    started: float
    in_flight: int
    status: int


class RemoteBlog:
    def __init__(self, proc: subprocess.Popen[str], base_url: str) -> None:
        self.proc = proc
        self.base_url = base_url

    def url(self, path: str) -> str:
        return self.base_url + path

    def stop(self) -> list[Hit]:
        """Stop the server and return its request log, ordered by start time."""
        out, _ = self.proc.communicate("stop\n", timeout=20)
        rows = json.loads(out.strip().splitlines()[-1])
        return sorted((Hit(*row) for row in rows), key=lambda h: h.started)


@contextmanager
def remote_sample_blog() -> Iterator[RemoteBlog]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    try:
        assert proc.stdout is not None
        yield RemoteBlog(proc, proc.stdout.readline().strip())
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)

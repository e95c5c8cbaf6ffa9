"""Extraction off the event loop: worker processes for fast crawls.

``extract_post`` is mostly Python (it holds the GIL), so threads do not help; worker
processes do. Each worker is a child Python reading length-prefixed pickled jobs on its
stdin and answering on its stdout, in order; the crawl talks to it through asyncio
pipes, so no helper thread competes with the event loop for the GIL. A worker extracts
the post and, when the store hands over its snapshot compressor, also hashes and
compresses the raw body, so the crawl process only fetches and writes.

The crawl uses workers only when it asked for speed (no delay, wide concurrency) and
has enough pages for their start-up (~0.5 s) to pay off; ``BLOGBINDER_EXTRACT_WORKERS``
forces the count (``0``: extract in-process). A worker that dies is not replaced: its
pages and the rest of the crawl are extracted in-process.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import gc
import hashlib
import logging
import os
import pickle
import struct
import sys
from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import BinaryIO, NamedTuple

from .errors import ExtractionError
from .extract import extract_post
from .model import Post

__all__ = [
    "ENV_WORKERS",
    "ExtractPool",
    "Prepared",
    "extract_page",
    "pool_size",
    "serve",
    "tune_gc",
]

log = logging.getLogger("blogbinder.crawl")

ENV_WORKERS = "BLOGBINDER_EXTRACT_WORKERS"
MIN_PAGES = 200  # smaller crawls extract in-process
Compressor = Callable[[bytes], bytes]
_HEADER = struct.Struct(">Q")
_JOB = struct.Struct(">QQ")  # a job: sizes of its pickled (url, fetched_at) and of its body
_PIPE_SIZE = 1 << 20
_Result = tuple[Post | None, str, "Prepared | None"]


class Prepared(NamedTuple):
    """A body's sha256 (hex), its compressed form (by the store's compressor) and its
    size: all the store needs of the body."""

    digest: str
    blob: bytes
    size: int


def pool_size(delay: float, concurrency: int, frontier: int) -> int:
    """How many extraction processes a crawl should use (0: none)."""
    forced = os.environ.get(ENV_WORKERS, "").strip()
    if forced.isdigit():
        return int(forced)
    if delay > 0 or concurrency < 8 or frontier < MIN_PAGES:
        return 0  # a polite or small crawl waits on the network, not on extraction
    return max(1, min(4, os.cpu_count() or 1))


def extract_page(body: bytes, url: str, fetched_at: datetime) -> Post:
    """``extract_post`` that turns an extractor crash into an ExtractionError."""
    try:
        return extract_post(body, url, fetched_at)
    except ExtractionError:
        raise
    except Exception as exc:  # an extractor bug must not stop the crawl
        log.exception("extractor crashed on %s", url)
        raise ExtractionError(f"extractor crashed ({type(exc).__name__}: {exc})", url) from exc


def _job(body: bytes, url: str, fetched_at: datetime, compress: Compressor | None) -> _Result:
    """(post, "", prepared) or (None, error message, None): exceptions whose __init__
    takes other arguments than ``args`` do not survive pickling, so errors travel as text."""
    try:
        post = extract_page(body, url, fetched_at)
    except ExtractionError as exc:
        return None, exc.message, None
    prepared = None
    if compress is not None:
        prepared = Prepared(hashlib.sha256(body).hexdigest(), compress(body), len(body))
    return post, "", prepared


def _read_frame(stream: BinaryIO) -> bytes | None:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    payload = stream.read(size)
    return payload if len(payload) == size else None


def tune_gc() -> None:
    """Garbage collection for a process that will crawl or extract many pages: what is
    loaded so far (modules, the schema) is frozen out of every later collection, and the
    youngest generation is collected every 20,000 net allocations instead of 700 (pages
    make many short-lived objects and few cycles). About 6 % of a fast crawl's time."""
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)


def serve() -> None:
    """A worker's main loop: the compressor first, then jobs until stdin closes."""
    inbox = os.fdopen(os.dup(0), "rb")
    outbox = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints go to stderr, never into the answers
    first = _read_frame(inbox)
    if first is None:
        return
    compress: Compressor | None = pickle.loads(first)
    tune_gc()
    while (job := _read_job(inbox)) is not None:
        body, url, fetched_at = job
        answer = pickle.dumps(_job(body, url, fetched_at, compress), pickle.HIGHEST_PROTOCOL)
        outbox.write(_HEADER.pack(len(answer)))
        outbox.write(answer)
        outbox.flush()


def _read_job(stream: BinaryIO) -> tuple[bytes, str, datetime] | None:
    """A job: the body travels as it is, outside the pickle (no copy of it is made to
    send it, and one read takes it in)."""
    header = stream.read(_JOB.size)
    if len(header) < _JOB.size:
        return None
    meta_size, body_size = _JOB.unpack(header)
    meta = stream.read(meta_size)
    body = stream.read(body_size)
    if len(meta) != meta_size or len(body) != body_size:
        return None
    url, fetched_at = pickle.loads(meta)
    return body, url, fetched_at


def _frame(payload: bytes) -> bytes:
    return _HEADER.pack(len(payload)) + payload


def _pipe() -> tuple[int, int]:
    """A pipe grown to 1 MiB (Linux) so a page goes through in one write, not in 64 KiB
    slices with the event loop woken for each. Made here, not by the event loop: uvloop
    gives a subprocess a socket pair for PIPE, whose buffer cannot be grown this way."""
    read_end, write_end = os.pipe()
    size_op = getattr(fcntl, "F_SETPIPE_SZ", None)
    if size_op is not None:
        with contextlib.suppress(OSError):  # above /proc/sys/fs/pipe-max-size
            fcntl.fcntl(write_end, size_op, _PIPE_SIZE)
    return read_end, write_end


class _Channel(NamedTuple):
    """The crawl's ends of a worker's pipes: jobs go out, answers come back."""

    jobs: asyncio.StreamWriter
    answers: asyncio.StreamReader
    answers_end: asyncio.ReadTransport


async def _spawn(code: str) -> tuple[asyncio.subprocess.Process, _Channel]:
    """A child Python running ``code`` with its stdin and stdout on our own pipes."""
    loop = asyncio.get_running_loop()
    job_read, job_write = _pipe()
    answer_read, answer_write = _pipe()
    try:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-c", code, stdin=job_read, stdout=answer_write
        )
    except BaseException:
        for fd in (job_write, answer_read):
            os.close(fd)
        raise
    finally:
        os.close(job_read)  # the child holds its own copies
        os.close(answer_write)
    answers = asyncio.StreamReader(limit=_PIPE_SIZE, loop=loop)
    answers_end, _ = await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(answers, loop=loop), os.fdopen(answer_read, "rb", 0)
    )
    transport, protocol = await loop.connect_write_pipe(
        lambda: _WriteProtocol(loop), os.fdopen(job_write, "wb", 0)
    )
    jobs = asyncio.StreamWriter(transport, protocol, None, loop)
    return proc, _Channel(jobs, answers, answers_end)


class _WriteProtocol(asyncio.streams.FlowControlMixin, asyncio.Protocol):
    """The protocol behind a StreamWriter on a pipe (what asyncio's subprocess uses)."""


class _Worker:
    def __init__(self, proc: asyncio.subprocess.Process, channel: _Channel) -> None:
        self.proc = proc
        self.channel = channel
        self.waiting: deque[asyncio.Future[_Result]] = deque()
        self.alive = True
        self.reader = asyncio.create_task(self._read(), name="extract-worker-reader")

    async def _read(self) -> None:
        stdout = self.channel.answers
        try:
            while True:
                header = await stdout.readexactly(_HEADER.size)
                payload = await stdout.readexactly(_HEADER.unpack(header)[0])
                result: _Result = pickle.loads(payload)
                future = self.waiting.popleft()
                if not future.done():
                    future.set_result(result)
        except (asyncio.IncompleteReadError, ConnectionError, pickle.UnpicklingError):
            pass
        finally:
            self._fail()

    def _fail(self) -> None:
        self.alive = False
        while self.waiting:
            future = self.waiting.popleft()
            if not future.done():
                future.set_exception(_WorkerDied())

    async def submit(self, head: bytes, body: bytes) -> _Result:
        stdin = self.channel.jobs
        if stdin.is_closing():
            raise _WorkerDied()
        future: asyncio.Future[_Result] = asyncio.get_running_loop().create_future()
        self.waiting.append(future)
        try:
            stdin.write(head)
            stdin.write(body)
            await stdin.drain()
        except (ConnectionError, RuntimeError):
            self._fail()
        return await future

    async def close(self) -> None:
        self.alive = False
        self.channel.jobs.close()  # (a second close does nothing)
        try:
            await asyncio.wait_for(self.proc.wait(), 5)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()
        self.reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.reader
        self.channel.answers_end.close()


class _WorkerDied(Exception):
    pass


class ExtractPool:
    """Worker processes extracting posts for one crawl; create with :meth:`start`."""

    def __init__(self, workers: list[_Worker]) -> None:
        self.workers = workers

    @classmethod
    async def start(cls, count: int, compress: Compressor | None) -> ExtractPool:
        code = "from scraper.crawl_pool import serve; serve()"
        intro = _frame(pickle.dumps(compress, pickle.HIGHEST_PROTOCOL))
        pool = cls([])
        try:
            for _ in range(count):
                proc, channel = await _spawn(code)
                channel.jobs.write(intro)
                pool.workers.append(_Worker(proc, channel))
        except OSError:
            await pool.close()
            raise
        return pool

    async def extract(
        self, body: bytes, url: str, fetched_at: datetime
    ) -> tuple[Post, Prepared | None]:
        """Extract in the least busy worker; raises ExtractionError."""
        alive = [w for w in self.workers if w.alive]
        if not alive:
            return extract_page(body, url, fetched_at), None
        worker = min(alive, key=lambda w: len(w.waiting))
        meta = pickle.dumps((url, fetched_at), pickle.HIGHEST_PROTOCOL)
        try:
            post, error, prepared = await worker.submit(
                _JOB.pack(len(meta), len(body)) + meta, body
            )
        except _WorkerDied:
            log.warning("an extraction worker died; extracting its pages in-process")
            return extract_page(body, url, fetched_at), None
        if post is None:
            raise ExtractionError(error, url)
        return post, prepared

    async def close(self) -> None:
        workers, self.workers = self.workers, []
        await asyncio.gather(*(w.close() for w in workers))

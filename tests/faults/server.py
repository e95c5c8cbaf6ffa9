"""A misbehaving HTTP server on 127.0.0.1 for fault tests, written on raw asyncio streams.

Each route is a coroutine given the parsed request and the stream writer, so it can
misbehave at the byte level: reset the connection, stall after the headers, send a
body shorter than its Content-Length, break chunked encoding, or stream a bomb.
Every request is counted per path (``hits``) with its headers kept (``requests``).
Every answer closes its connection, which keeps the byte-level faults independent.
"""

from __future__ import annotations

import asyncio
import socket
import struct
import threading
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import TracebackType

__all__ = ["FaultServer", "Handler", "Request", "respond"]


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    target: str
    headers: Mapping[str, str] = field(default_factory=dict)


Handler = Callable[[Request, asyncio.StreamWriter], Awaitable[None]]


def head(status: int, headers: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> bytes:
    items = headers.items() if isinstance(headers, Mapping) else headers
    lines = [f"HTTP/1.1 {status} X"] + [f"{k}: {v}" for k, v in items] + ["Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def respond(
    writer: asyncio.StreamWriter,
    body: bytes = b"",
    status: int = 200,
    content_type: str = "text/html; charset=utf-8",
    headers: Mapping[str, str] | None = None,
) -> None:
    """A well-formed answer with a correct Content-Length."""
    all_headers = {"Content-Type": content_type, "Content-Length": str(len(body))}
    all_headers.update(headers or {})
    writer.write(head(status, all_headers) + body)
    await writer.drain()


async def _not_found(_req: Request, writer: asyncio.StreamWriter) -> None:
    await respond(writer, b"not found", 404, "text/plain")


def reset_connection(writer: asyncio.StreamWriter) -> None:
    """Close with an RST instead of a FIN."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


class FaultServer:
    __test__ = False

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.routes: dict[str, Handler] = {}
        self.hits: Counter[str] = Counter()
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self.stopping: asyncio.Event | None = None
        self.port = 0

    # -- lifecycle -----------------------------------------------------------------------
    def __enter__(self) -> FaultServer:
        self._thread.start()
        fut = asyncio.run_coroutine_threadsafe(self._start(), self._loop)
        fut.result(5)
        return self

    async def _start(self) -> None:
        self.stopping = asyncio.Event()
        self._server = await asyncio.start_server(self._client, self.host, 0, limit=1 << 16)
        self.port = int(self._server.sockets[0].getsockname()[1])

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        async def stop() -> None:
            assert self.stopping is not None and self._server is not None
            self.stopping.set()
            self._server.close()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def clear_hits(self) -> None:
        with self._lock:
            self.hits.clear()
            self.requests.clear()

    def hit_count(self, path: str) -> int:
        with self._lock:
            return self.hits[path]

    # -- serving -------------------------------------------------------------------------
    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            raw = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            writer.close()
            return
        lines = raw.decode("latin-1").split("\r\n")
        method, target, _ = (lines[0].split(" ") + ["", ""])[:3]
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        request = Request(method, target, headers)
        with self._lock:
            self.hits[target] += 1
            self.requests.append(request)
        handler = self.routes.get(target, _not_found)
        try:
            await handler(request, writer)
            if not writer.is_closing():
                writer.close()
                await writer.wait_closed()
        except (ConnectionError, asyncio.CancelledError):
            writer.transport.abort()

"""The fetcher's transports: how :func:`scraper.fetch.make_client`'s client reaches a
server. Plain http (and https without HTTP/2) goes through aiohttp when httpx-aiohttp is
installed (less CPU per request), https with HTTP/2 through httpx's own transport; either
way connections go to the addresses an :class:`AddressBook` holds (the ones the
private-address check saw). TLS still names the host: httpcore hands ``server_hostname``
(SNI, certificate check) to ``start_tls`` from the request's origin, not from the address
connected to. Only :mod:`scraper.fetch` uses this module.
"""

from __future__ import annotations

import importlib.util
import socket
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from ._addresses import AddressBook
from .errors import UsageError

__all__ = ["build_transport", "pinned_sync_transport", "ssl_context"]

_READ_CHUNK = 256 * 1024  # bytes per body chunk asked of the aiohttp engine


def _pinned_resolver(book: AddressBook) -> Any:
    """An aiohttp resolver that answers from ``book``: connections go to the addresses the
    private-address check saw."""
    from aiohttp.abc import AbstractResolver, ResolveResult

    class PinnedResolver(AbstractResolver):
        async def resolve(
            self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
        ) -> list[ResolveResult]:
            addresses = await book.resolve(host)
            if not addresses:
                raise OSError(f"{host} does not resolve")
            return [
                {
                    "hostname": host,
                    "host": ip,
                    "port": port,
                    "family": socket.AF_INET6 if ":" in ip else socket.AF_INET,
                    "proto": 0,
                    "flags": socket.AI_NUMERICHOST,
                }
                for ip in addresses
            ]

        async def close(self) -> None:
            return None

    return PinnedResolver()


def _aiohttp_transport(
    limits: httpx.Limits, required: bool, book: AddressBook, context: ssl.SSLContext
) -> httpx.AsyncBaseTransport | None:
    try:
        from httpx_aiohttp import AiohttpTransport
        from httpx_aiohttp.transport import AiohttpResponseStream
    except ImportError:
        if required:
            raise UsageError(
                "engine 'aiohttp' needs the httpx-aiohttp package", "aiohttp"
            ) from None
        return None
    import aiohttp

    # Bodies come up through four async iterators (aiohttp, the transport, httpx, ours):
    # at the transport's 16 KiB a 300 KB page costs 20 trips through all of them.
    AiohttpResponseStream.CHUNK_SIZE = max(AiohttpResponseStream.CHUNK_SIZE, _READ_CHUNK)
    transport = AiohttpTransport(verify=context, limits=limits)

    def session() -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            resolver=_pinned_resolver(book),
            keepalive_timeout=limits.keepalive_expiry,
            ssl=transport.ssl_context,
            limit=limits.max_connections or 100,
        )
        client = aiohttp.ClientSession(connector=connector)
        # aiohttp silently resends an idempotent request once when the connection drops;
        # our own retries are the only ones, so a flaky server sees at most `retries` hits.
        if hasattr(client, "_retry_connection"):
            client._retry_connection = False
        return client

    transport.client = session
    result: httpx.AsyncBaseTransport = transport
    return result


def _h2_available() -> bool:
    """Whether the ``h2`` package (httpx's HTTP/2) is installed."""
    return importlib.util.find_spec("h2") is not None


def ssl_context(ca_file: str | None) -> ssl.SSLContext:
    """A fresh client context: trusting ``ca_file`` (PEM) only when given, else httpx's
    default trust (certifi, or ``SSL_CERT_FILE``/``SSL_CERT_DIR``). Fresh because httpcore
    sets the ALPN protocols on the context it is given."""
    if ca_file is None:
        return httpx.create_ssl_context()
    try:
        return ssl.create_default_context(cafile=ca_file)
    except OSError as exc:  # missing file, or no certificate in it (ssl.SSLError)
        raise UsageError(f"cannot load the CA file ({exc})", ca_file) from None


class _PinnedBackend(httpcore.AsyncNetworkBackend):
    """Connects to ``host`` by the addresses ``book`` holds for it, in order (an IP
    literal as it is); everything else is ``backend``'s (anyio's by default)."""

    def __init__(
        self, book: AddressBook, backend: httpcore.AsyncNetworkBackend | None = None
    ) -> None:
        self.book = book
        self._backend = backend if backend is not None else httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self.book.addresses(host)
        if not addresses:
            raise httpcore.ConnectError(f"{host} does not resolve")
        failure: httpcore.ConnectError | None = None
        for ip in addresses:  # the next address only when one refuses or is unreachable
            try:
                return await self._backend.connect_tcp(
                    ip,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectError as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return await self._backend.connect_unix_socket(
            path, timeout=timeout, socket_options=socket_options
        )

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


class _PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport, connecting through a :class:`_PinnedBackend` on ``book``."""

    def __init__(
        self,
        book: AddressBook,
        *,
        context: ssl.SSLContext,
        limits: httpx.Limits,
        http2: bool,
    ) -> None:
        super().__init__(verify=context, limits=limits, http2=http2)
        self.http2 = http2
        self.backend = _PinnedBackend(book)
        # httpx takes no network backend: the same pool httpx.AsyncHTTPTransport builds
        # (its no-proxy case, httpx 0.28), on ours. Refuse rather than go unpinned should
        # httpx keep its pool elsewhere one day.
        if not isinstance(getattr(self, "_pool", None), httpcore.AsyncConnectionPool):
            raise RuntimeError("cannot pin httpx's connections: its transport has no _pool")
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=http2,
            network_backend=self.backend,
        )


class _PinnedSyncBackend(httpcore.NetworkBackend):
    """:class:`_PinnedBackend` for blocking clients (``fetch_bytes``)."""

    def __init__(self, book: AddressBook) -> None:
        self.book = book
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self.book.addresses_blocking(host)
        if not addresses:
            raise httpcore.ConnectError(f"{host} does not resolve")
        failure: httpcore.ConnectError | None = None
        for ip in addresses:
            try:
                return self._backend.connect_tcp(
                    ip,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectError as exc:
                failure = exc
        assert failure is not None
        raise failure

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        return self._backend.connect_unix_socket(
            path, timeout=timeout, socket_options=socket_options
        )

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def pinned_sync_transport(book: AddressBook, ca_file: str | None) -> httpx.HTTPTransport:
    """A blocking httpx transport whose connections go to the addresses ``book`` holds."""
    context = ssl_context(ca_file)
    transport = httpx.HTTPTransport(verify=context)
    if not isinstance(getattr(transport, "_pool", None), httpcore.ConnectionPool):
        raise RuntimeError("cannot pin httpx's connections: its transport has no _pool")
    transport._pool = httpcore.ConnectionPool(
        ssl_context=context, http1=True, http2=False, network_backend=_PinnedSyncBackend(book)
    )
    return transport


class _SchemeRouter(httpx.AsyncBaseTransport):
    """Sends https requests through ``https`` and all others through ``http``."""

    def __init__(self, *, http: httpx.AsyncBaseTransport, https: httpx.AsyncBaseTransport) -> None:
        self.http = http
        self.https = https

    def for_scheme(self, scheme: str) -> httpx.AsyncBaseTransport:
        return self.https if scheme == "https" else self.http

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.for_scheme(request.url.scheme).handle_async_request(request)

    async def aclose(self) -> None:
        try:
            await self.https.aclose()
        finally:
            await self.http.aclose()


def build_transport(
    engine: str, http2: bool, ca_file: str | None, limits: httpx.Limits, book: AddressBook
) -> httpx.AsyncBaseTransport:
    """The transport for ``engine`` (auto | httpx | aiohttp), HTTP/2 over https when
    ``http2`` (and h2 is installed), trusting ``ca_file`` (PEM) when given."""
    http2 = http2 and _h2_available()
    plain = None
    if engine != "httpx":
        plain = _aiohttp_transport(limits, engine == "aiohttp", book, ssl_context(ca_file))
    if plain is not None and not http2:
        return plain
    context = ssl_context(ca_file)  # its own: httpcore sets ALPN on it
    pinned = _PinnedTransport(book, context=context, limits=limits, http2=http2)
    if plain is None:  # engine httpx (or no httpx-aiohttp): one transport for both schemes
        return pinned
    return _SchemeRouter(http=plain, https=pinned)

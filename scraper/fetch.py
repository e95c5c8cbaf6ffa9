"""HTTP fetching: with :mod:`scraper._transports`, the only module that imports httpx (and
httpcore, its engine).

:class:`Fetcher` wraps an injected ``httpx.AsyncClient`` (tests pass one built on
``httpx.MockTransport``; :func:`make_client` builds the real one, with a
pluggable transport: HTTP/2 over https where the server offers it, connections pinned
to the addresses the private-address check saw) and adds what a polite crawler needs:

* per-host politeness: at most ``concurrency`` requests in flight and at least
  ``delay`` seconds between request starts (raised to robots ``Crawl-delay``),
  slowing down further when latency or error rates rise;
* retries (tenacity): exponential backoff with jitter on timeouts, connection
  errors, 429 and 5xx, honouring ``Retry-After`` (seconds or HTTP date, capped);
* manual redirects (limit, loop detection, a ``guard`` called on every hop for
  scope and robots checks), a body size cap counted after decompression (our own
  capped decoders, see :mod:`scraper._inflate`), and conditional GET
  (``If-None-Match``/``If-Modified-Since`` -> status 304);
* safe defaults: http(s) only; once the first site fetched (the crawl's own, its
  "home") resolves to a public address, any hop resolving to a loopback, private,
  link-local or metadata address is refused (OutOfScope) unless ``allow_private``;
  the configured credentials (``headers``, ``cookies``) go to the home host only.

Failures raise the matching :mod:`scraper.errors` subclass, carrying the URL.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
)

from . import __version__
from ._addresses import (
    AddressBook,
    Resolver,
    host_of,
    is_public_ip,
    system_resolver,
)
from ._inflate import ACCEPT_ENCODING, CappedBody
from ._transports import build_transport, pinned_sync_transport, ssl_context
from .errors import (
    ConnectError,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    OutOfScope,
    RedirectError,
    TooLarge,
    UsageError,
)
from .politeness import HostGate, Sleep, retry_after_seconds
from .records import FetchedPage, Validators

__all__ = [
    "ENGINES",
    "FetchConfig",
    "Fetcher",
    "Guard",
    "HttpClient",
    "HttpTransport",
    "Resolver",
    "default_user_agent",
    "fetch_bytes",
    "make_client",
]

log = logging.getLogger("blogbinder.fetch")

HttpClient = httpx.AsyncClient
"""The client type callers inject (so they need not import httpx themselves)."""
HttpTransport = httpx.AsyncBaseTransport
Guard = Callable[[str], None]
"""Called with the first URL and every redirect target; raises to refuse it."""

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CLOSED = httpx.ByteStream(b"")  # what a read response keeps as its stream


def default_user_agent(contact: str | None = None) -> str:
    """``blogbinder/<version>``, plus ``(+<contact>)`` when a contact URL or e-mail is given."""
    base = f"blogbinder/{__version__}"
    return f"{base} (+{contact})" if contact else base


@dataclass(frozen=True, slots=True)
class FetchConfig:
    user_agent: str = default_user_agent()
    timeout: float = 30.0  # connect, and each read; a whole response gets DEADLINE_FACTOR x
    max_bytes: int = 20_000_000
    max_redirects: int = 10
    retries: int = 3  # attempts in all, >= 1
    concurrency: int = 2  # per host
    delay: float = 1.0  # seconds between request starts, per host
    adaptive: bool = True  # slow down when latency or errors rise
    max_delay: float = 60.0  # ceiling for the adaptive delay
    max_retry_after: float = 120.0  # longest Retry-After we are willing to wait
    backoff: float = 0.5  # first backoff in seconds (then doubling, with jitter)
    backoff_max: float = 30.0
    engine: str = "auto"  # auto | httpx | aiohttp (auto: aiohttp when httpx-aiohttp is installed)
    allow_private: bool = False  # let a public site lead to loopback/private/link-local hosts
    headers: tuple[tuple[str, str], ...] = ()  # credentials: sent to the home host only
    cookies: tuple[tuple[str, str], ...] = ()  # credentials: sent to the home host only
    resolver: Resolver = system_resolver  # host -> IPs, for the private-address check
    http2: bool = True  # https over HTTP/2 when the server offers it (and h2 is installed)
    ca_file: str | None = None  # PEM bundle to trust instead of the default CAs


ENGINES = ("auto", "httpx", "aiohttp")
# A whole request (headers and body) gets this many times ``timeout``: the per-read
# timeouts cannot catch a transport that stops waking up (aiohttp, now and then, after a
# broken chunked body) or a server that drips a byte just before each read timeout.
DEADLINE_FACTOR = 4


# The address book of each client whose connections are pinned to it (make_client's own).
_BOOKS: weakref.WeakKeyDictionary[httpx.AsyncClient, AddressBook] = weakref.WeakKeyDictionary()


def make_client(
    config: FetchConfig, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """A pooled client for ``config``. The HTTP engine is pluggable: ``transport`` wins
    (tests pass ``httpx.MockTransport``); otherwise ``config.engine`` picks httpx's own
    transport or the aiohttp one (about 3x the throughput on local 300 KB pages), and with
    ``config.http2`` (and h2 installed) https goes through httpx's transport speaking
    HTTP/2 where the server's TLS offers it, plain http through the engine. Either way
    connections go to the addresses the client's AddressBook holds, the ones the
    private-address check saw, and TLS trusts ``config.ca_file`` when it is given."""
    if config.engine not in ENGINES:
        raise UsageError(f"engine must be one of {', '.join(ENGINES)}", config.engine)
    pool = max(config.concurrency * 2, 10)
    limits = httpx.Limits(max_connections=pool, max_keepalive_connections=pool)
    book: AddressBook | None = None
    if transport is None:
        book = AddressBook(config.resolver)
        transport = build_transport(config.engine, config.http2, config.ca_file, limits, book)
    client = httpx.AsyncClient(
        headers={"User-Agent": config.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
        timeout=httpx.Timeout(config.timeout, connect=min(config.timeout, 15.0)),
        limits=limits,
        follow_redirects=False,
        transport=transport,
    )
    client._cookies = _Cookies()  # (httpx's setter would copy it into a plain Cookies)
    if book is not None:
        _BOOKS[client] = book
    return client


class _Cookies(httpx.Cookies):
    """httpx's cookie store without its cost per response: for every response, Set-Cookie
    or not, httpx builds urllib request and response adapters for the jar to look at
    (about 7 % of a fast crawl's event loop). Nearly every page of a crawl sets none."""

    def extract_cookies(self, response: httpx.Response) -> None:
        if "set-cookie" in response.headers:
            super().extract_cookies(response)


def _is_retryable(exc: BaseException) -> bool:
    return isinstance(exc, FetchError) and bool(exc.retryable)


class Fetcher:
    """Polite, retrying GETs over one shared ``httpx.AsyncClient``."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        config: FetchConfig | None = None,
        *,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.config = config or FetchConfig()
        self._sleep = sleep
        self._clock = clock
        self._gates: dict[str, HostGate] = {}
        self._retrying = AsyncRetrying(
            stop=stop_after_attempt(max(1, self.config.retries)),
            wait=self._wait,
            retry=retry_if_exception(_is_retryable),
            sleep=self._sleep,
            before_sleep=self._log_retry,
            reraise=True,
        )
        self.requests = 0  # HTTP requests sent, retries and redirect hops included
        self.home: str | None = None  # netloc of the crawl's own site (first URL fetched)
        self._home_private: bool | None = None
        # the client's own book when it has one (make_client's transports connect to what
        # it holds), else one for this fetcher
        self._addresses = _BOOKS.get(client) or AddressBook(self.config.resolver)

    def set_home(self, url: str) -> None:
        """Name the crawl's own site: credentials go to its host only, and whether it is
        itself on a private address decides if private addresses are acceptable. When
        not called, the first URL fetched is the home (a crawl starts with its own site)."""
        self.home = urlsplit(url).netloc.lower()
        self._home_private = None

    def _credentials(self, url: str) -> dict[str, str]:
        config = self.config
        if not (config.headers or config.cookies) or urlsplit(url).netloc.lower() != self.home:
            return {}
        extra = dict(config.headers)
        if config.cookies:
            extra["Cookie"] = "; ".join(f"{k}={v}" for k, v in config.cookies)
        return extra

    async def check_address(self, url: str) -> None:
        """Raise OutOfScope when ``url``'s host resolves to a non-public address and the
        home site is public (and ``allow_private`` is off). Unresolvable hosts pass: the
        connection itself will fail."""
        if self.config.allow_private:
            return
        if self._home_private is None:
            home_ips = await self._addresses.addresses(host_of("//" + (self.home or "")))
            self._home_private = any(not is_public_ip(ip) for ip in home_ips)
        if self._home_private:
            return
        host = host_of(url)
        for ip in await self._addresses.addresses(host):
            if not is_public_ip(ip):
                raise OutOfScope(f"{host} resolves to a non-public address ({ip})", url)

    def _gate(self, url: str) -> HostGate:
        # www.example.com and example.com are one server as far as politeness goes
        host = urlsplit(url).netloc.lower().removeprefix("www.")
        gate = self._gates.get(host)
        if gate is None:
            gate = self._gates[host] = HostGate(
                self.config.concurrency,
                self.config.delay,
                adaptive=self.config.adaptive,
                max_delay=self.config.max_delay,
                clock=self._clock,
                sleep=self._sleep,
            )
        return gate

    def set_crawl_delay(self, url: str, seconds: float | None) -> None:
        """Apply a robots.txt ``Crawl-delay`` to the host of ``url`` (never below ``delay``)."""
        if seconds is not None:
            self._gate(url).crawl_delay = min(float(seconds), self.config.max_delay)

    def host_delay(self, url: str) -> float:
        return self._gate(url).delay()

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome is not None else None
        if isinstance(exc, HTTPStatusError) and exc.retry_after is not None:
            return min(exc.retry_after, self.config.max_retry_after)
        # Exponential backoff with full jitter on top: 0.5, 1, 2, 4 ... (+ up to 0.5) seconds.
        step = self.config.backoff * float(2 ** (state.attempt_number - 1))
        return min(step, self.config.backoff_max) + random.uniform(0, self.config.backoff)

    def _log_retry(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome is not None else None
        log.info("retrying (attempt %d): %s", state.attempt_number + 1, exc)

    async def fetch(
        self,
        url: str,
        *,
        validators: Validators | None = None,
        guard: Guard | None = None,
    ) -> FetchedPage:
        """GET ``url`` following redirects; a 304 comes back as a page with status 304.

        Raises HTTPStatusError, FetchTimeout, ConnectError, TooLarge, RedirectError,
        OutOfScope or whatever ``guard`` raises (e.g. RobotsDisallowed).
        """
        if self.home is None:
            self.set_home(url)
        headers: dict[str, str] = {}
        if validators is not None:
            if validators.etag:
                headers["If-None-Match"] = validators.etag
            if validators.last_modified:
                headers["If-Modified-Since"] = validators.last_modified
        retrying = self._retrying.copy()
        try:
            page: FetchedPage = await retrying(self._follow, url, headers, guard)
        finally:
            # The copy's pending actions are its own bound methods: a reference cycle
            # per fetch, freed only by a full garbage collection (rare in a crawl).
            retrying.iter_state.reset()
        return page

    async def _follow(self, url: str, headers: dict[str, str], guard: Guard | None) -> FetchedPage:
        fetched_at = datetime.now(UTC)
        started = self._clock()
        seen = {url}
        current = url
        for _hop in range(self.config.max_redirects + 1):
            if not current.startswith(("http://", "https://")):
                raise OutOfScope("only http and https URLs are fetched", current)
            if guard is not None:
                guard(current)
            await self.check_address(current)
            response, body = await self._get(current, {**headers, **self._credentials(current)})
            if response.status_code in _REDIRECTS:
                location = response.headers.get("location")
                if not location:
                    raise RedirectError(f"redirect {response.status_code} without Location", url)
                target = urljoin(current, location.strip())
                if target in seen:
                    raise RedirectError(f"redirect loop via {target}", url)
                seen.add(target)
                current = target
                continue
            return self._page(url, current, response, body, fetched_at, self._clock() - started)
        raise RedirectError(f"more than {self.config.max_redirects} redirects", url)

    def _page(
        self,
        url: str,
        final_url: str,
        response: httpx.Response,
        body: bytes,
        fetched_at: datetime,
        elapsed: float,
    ) -> FetchedPage:
        status = response.status_code
        if status >= 400:
            retry_after = None
            if status == 429 or status >= 500:
                retry_after = retry_after_seconds(
                    response.headers.get("retry-after"), datetime.now(UTC)
                )
            raise HTTPStatusError(f"HTTP {status}", final_url, status, retry_after)
        rh = response.headers
        return FetchedPage(
            url=url,
            final_url=final_url,
            status=status,
            body=b"" if status == 304 else body,
            fetched_at=fetched_at,
            elapsed=elapsed,
            content_type=rh.get("content-type"),
            etag=rh.get("etag"),
            last_modified=rh.get("last-modified"),
            headers=dict(rh.items()),
        )

    async def _get(self, url: str, headers: dict[str, str]) -> tuple[httpx.Response, bytes]:
        gate = self._gate(url)
        await gate.acquire()
        started = self._clock()
        trouble = False
        elapsed: float | None = None
        try:
            self.requests += 1
            extensions = None
            if gate.delay() > 0:  # learn when the request is really sent (httpcore transports)

                async def trace(event: str, _info: dict[str, object]) -> None:
                    if event.endswith("send_request_headers.started"):
                        gate.sent(self._clock())

                extensions = {"trace": trace}
            request = self.client.build_request("GET", url, headers=headers, extensions=extensions)
            if "accept-encoding" not in request.headers:
                request.headers["Accept-Encoding"] = ACCEPT_ENCODING
            deadline = self.config.timeout * DEADLINE_FACTOR
            try:
                async with asyncio.timeout(deadline):
                    response, body = await self._exchange(url, request)
            except TimeoutError:
                trouble = True
                raise FetchTimeout(f"no complete response within {deadline:g} s", url) from None
            status = response.status_code
            trouble = status == 429 or status >= 500
            elapsed = self._clock() - started
            return response, body
        except httpx.TimeoutException as exc:
            trouble = True
            cause = exc.__cause__
            if isinstance(cause, OSError) and not isinstance(cause, TimeoutError):
                # the aiohttp engine reports a refused connection as a connect timeout
                raise ConnectError(f"connection failed ({cause})", url) from None
            raise FetchTimeout(f"timed out ({type(exc).__name__})", url) from None
        except (httpx.ConnectError, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            trouble = True
            raise ConnectError(f"connection failed ({exc or type(exc).__name__})", url) from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise OutOfScope(f"cannot fetch this URL ({exc})", url) from None
        except httpx.DecodingError as exc:
            raise FetchError(f"could not decode the response ({exc})", url) from None
        except Exception as exc:
            # The aiohttp engine lets some protocol errors (bad chunked encoding, data
            # after "Connection: close") escape unmapped; they are the server's fault.
            if not type(exc).__module__.startswith(("aiohttp", "httpx", "httpcore", "h11", "h2.")):
                raise
            trouble = True
            name = type(exc).__name__
            raise ConnectError(f"broken HTTP response ({name}: {exc})", url) from None
        finally:
            gate.release(elapsed, trouble)

    async def _exchange(self, url: str, request: httpx.Request) -> tuple[httpx.Response, bytes]:
        response = await self.client.send(request, stream=True, follow_redirects=False)
        try:
            status = response.status_code
            if status in _REDIRECTS or status == 304 or status >= 400:
                return response, b""
            return response, await self._read(url, response)
        finally:
            await response.aclose()
            # httpx binds the stream to its response (a reference cycle, with the
            # engine's response object behind it); a closed stream is not needed.
            response.stream = _CLOSED

    async def _read(self, url: str, response: httpx.Response) -> bytes:
        cap = self.config.max_bytes
        _check_declared(response.headers, cap, url)
        if response.is_stream_consumed:  # read (and decoded) already, e.g. by MockTransport
            return _capped(response.content, cap, url)
        body = CappedBody(response.headers.get("content-encoding"), url, cap)
        async for chunk in response.aiter_raw():
            body.add(chunk)
        return body.finish()


def _capped(content: bytes, cap: int, url: str) -> bytes:
    if len(content) > cap:
        raise TooLarge(f"body over the {cap}-byte cap (after decompression)", url)
    return content


def _check_declared(headers: Mapping[str, str], cap: int, url: str) -> None:
    declared = headers.get("content-length")
    if declared and declared.isdigit() and "content-encoding" not in headers:
        if int(declared) > cap:
            raise TooLarge(f"body of {declared} bytes is over the {cap}-byte cap", url)


def fetch_bytes(
    url: str, config: FetchConfig | None = None, *, transport: httpx.BaseTransport | None = None
) -> bytes:
    """Blocking GET of one resource (e.g. an image for an archive), with the same user
    agent, timeout, redirect limit, size cap and retries as the crawler. Raises the
    FetchError subclasses; never returns an error page. Unless ``allow_private`` is set
    or ``url`` itself is on a private address, no hop may lead to a non-public address."""
    config = config or FetchConfig()
    if not url.startswith(("http://", "https://")):
        raise OutOfScope("only http and https URLs are fetched", url)
    retrying = Retrying(
        stop=stop_after_attempt(max(1, config.retries)),
        wait=lambda s: min(config.backoff * float(2 ** (s.attempt_number - 1)), config.backoff_max),
        retry=retry_if_exception(_is_retryable),
        reraise=True,
    )

    book = AddressBook(config.resolver)  # the check and the connection share its answers

    def ips(u: str) -> list[str]:
        return book.addresses_blocking(host_of(u))

    private_start = config.allow_private or any(not is_public_ip(ip) for ip in ips(url))

    def check(request: httpx.Request) -> None:
        target = str(request.url)
        if not target.startswith(("http://", "https://")):
            raise OutOfScope("only http and https URLs are fetched", target)
        if not private_start:
            for ip in ips(target):
                if not is_public_ip(ip):
                    raise OutOfScope(f"redirect to a non-public address ({ip})", target)

    with httpx.Client(
        headers={"User-Agent": config.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
        timeout=httpx.Timeout(config.timeout),
        follow_redirects=True,
        max_redirects=config.max_redirects,
        verify=ssl_context(config.ca_file),
        transport=transport or pinned_sync_transport(book, config.ca_file),
        event_hooks={"request": [check]},
    ) as client:
        data: bytes = retrying(_get_blocking, client, url, config.max_bytes)
        return data


def _get_blocking(client: httpx.Client, url: str, cap: int) -> bytes:
    try:
        with client.stream("GET", url) as response:
            if response.status_code >= 400:
                retry_after = retry_after_seconds(
                    response.headers.get("retry-after"), datetime.now(UTC)
                )
                raise HTTPStatusError(
                    f"HTTP {response.status_code}", url, response.status_code, retry_after
                )
            _check_declared(response.headers, cap, url)
            if response.is_stream_consumed:
                return _capped(response.content, cap, url)
            body = CappedBody(response.headers.get("content-encoding"), url, cap)
            for chunk in response.iter_raw():
                body.add(chunk)
            return body.finish()
    except httpx.TooManyRedirects:
        raise RedirectError("too many redirects", url) from None
    except httpx.TimeoutException as exc:
        raise FetchTimeout(f"timed out ({type(exc).__name__})", url) from None
    except (httpx.ConnectError, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
        raise ConnectError(f"connection failed ({exc or type(exc).__name__})", url) from None
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise OutOfScope(f"cannot fetch this URL ({exc})", url) from None
    except httpx.DecodingError as exc:
        raise FetchError(f"could not decode the response ({exc})", url) from None

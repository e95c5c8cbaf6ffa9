"""The crawl's options: one frozen dataclass with defaults, validated on creation."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import UsageError
from .fetch import ENGINES, FetchConfig, default_user_agent

__all__ = ["MAX_PER_PATTERN", "SOURCES", "CrawlOptions"]

SOURCES = ("sitemap", "feed", "list", "links")
"""Discovery strategies, in the order they run."""


MAX_PER_PATTERN = 1000
"""Default bound on non-post pages reached by links per URL pattern (crawler traps)."""


@dataclass(frozen=True, slots=True)
class CrawlOptions:
    concurrency: int = 2  # requests in flight per host
    delay: float = 1.0  # seconds between request starts per host (robots Crawl-delay if larger)
    max_pages: int | None = None  # pages fetched per run (None: no limit)
    max_depth: int | None = None  # link hops from the seeds (None: no limit)
    # Non-post pages found by following links or pagination, per URL pattern (digits and
    # query values ignored; see scraper.urls.url_pattern): a bound on crawler traps such
    # as endless calendars. Posts and sitemap/feed URLs are never capped. None: no limit.
    max_per_pattern: int | None = MAX_PER_PATTERN
    include: tuple[str, ...] = ()  # regexes; when given, a URL must match one (re.search)
    exclude: tuple[str, ...] = ()  # regexes; a URL matching any is not crawled
    ignore_robots: bool = False
    user_agent: str | None = None  # None: "blogbinder/<version> (+contact)"
    contact: str | None = None  # URL or e-mail added to the default user agent
    timeout: float = 30.0  # seconds per request
    max_bytes: int = 20_000_000  # body cap after decompression
    retries: int = 3  # attempts per URL for timeouts, connection errors, 429 and 5xx
    sources: tuple[str, ...] = SOURCES  # discovery strategies to use
    max_redirects: int = 10
    adaptive: bool = True  # slow down when latency or errors rise
    skip_unchanged: bool = True  # skip URLs whose sitemap lastmod did not change
    conditional: bool = True  # send If-None-Match / If-Modified-Since
    extra_hosts: tuple[str, ...] = field(default=())  # other hosts counted as the same site
    engine: str = "auto"  # HTTP engine: auto | httpx | aiohttp (see scraper.fetch.make_client)
    allow_private: bool = False  # a public site may lead to loopback/private/link-local hosts
    headers: tuple[tuple[str, str], ...] = ()  # sent to the start host only, never stored
    cookies: tuple[tuple[str, str], ...] = ()  # sent to the start host only, never stored
    backoff: float = 0.5  # first retry wait in seconds (then doubling, with jitter)
    http2: bool = True  # https over HTTP/2 where the server offers it
    ca_file: str | None = None  # PEM bundle of CAs to trust instead of the default ones

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise UsageError("concurrency must be at least 1", str(self.concurrency))
        if self.delay < 0:
            raise UsageError("delay cannot be negative", str(self.delay))
        if self.timeout <= 0:
            raise UsageError("timeout must be positive", str(self.timeout))
        if self.retries < 1:
            raise UsageError("retries counts attempts and must be at least 1", str(self.retries))
        if self.max_pages is not None and self.max_pages < 1:
            raise UsageError("max_pages must be at least 1", str(self.max_pages))
        if self.max_depth is not None and self.max_depth < 0:
            raise UsageError("max_depth cannot be negative", str(self.max_depth))
        if self.max_per_pattern is not None and self.max_per_pattern < 1:
            raise UsageError("max_per_pattern must be at least 1", str(self.max_per_pattern))
        if self.backoff < 0:
            raise UsageError("backoff cannot be negative", str(self.backoff))
        if self.engine not in ENGINES:
            raise UsageError(f"engine must be one of {', '.join(ENGINES)}", self.engine)
        unknown = [s for s in self.sources if s not in SOURCES]
        if unknown or not self.sources:
            raise UsageError(f"discovery sources must be among {', '.join(SOURCES)}", str(unknown))

    @property
    def agent(self) -> str:
        return self.user_agent or default_user_agent(self.contact)

    def fetch_config(self) -> FetchConfig:
        return FetchConfig(
            user_agent=self.agent,
            timeout=self.timeout,
            max_bytes=self.max_bytes,
            max_redirects=self.max_redirects,
            retries=self.retries,
            concurrency=self.concurrency,
            delay=self.delay,
            adaptive=self.adaptive,
            engine=self.engine,
            allow_private=self.allow_private,
            headers=self.headers,
            cookies=self.cookies,
            backoff=self.backoff,
            http2=self.http2,
            ca_file=self.ca_file,
        )

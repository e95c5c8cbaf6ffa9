"""robots.txt rules (parsed by protego): allow/disallow, Crawl-delay and Sitemap lines.

Fetching robots.txt is the crawl's job; this module turns its answer into rules.
Following RFC 9309: a 4xx answer (no robots.txt) allows everything; a server
error or an unreachable file disallows everything unless the user passes
``--ignore-robots``. Only the first :data:`MAX_ROBOTS_CHARS` characters are parsed
(RFC 9309 asks for at least 500 KiB), so a huge file costs bounded time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from protego import Protego

__all__ = ["MAX_ROBOTS_CHARS", "RobotsRules", "robots_url", "user_agent_token"]

MAX_ROBOTS_CHARS = 512 * 1024


def robots_url(site_root: str) -> str:
    return site_root.rstrip("/") + "/robots.txt"


def user_agent_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched against (``blogbinder``)."""
    return user_agent.split("/", 1)[0].split(" ", 1)[0] or user_agent


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """What one site's robots.txt says for our user agent."""

    url: str
    status: int | None = None  # HTTP status of robots.txt, None when not fetched
    mode: str = "rules"  # rules | allow_all | disallow_all
    sitemaps: tuple[str, ...] = ()
    crawl_delay: float | None = None
    _parser: Any = field(default=None, repr=False, compare=False)
    _agent: str = "blogbinder"

    @classmethod
    def parse(cls, url: str, text: str, user_agent: str, status: int = 200) -> RobotsRules:
        if len(text) > MAX_ROBOTS_CHARS:  # cut at a line end, never mid-rule
            text = text[:MAX_ROBOTS_CHARS].rsplit("\n", 1)[0]
        parser = Protego.parse(text)
        agent = user_agent_token(user_agent)
        delay = parser.crawl_delay(agent)
        return cls(
            url=url,
            status=status,
            sitemaps=tuple(dict.fromkeys(str(s).strip() for s in parser.sitemaps if s)),
            crawl_delay=float(delay) if delay is not None else None,
            _parser=parser,
            _agent=agent,
        )

    @classmethod
    def allow_all(cls, url: str, status: int | None = None) -> RobotsRules:
        return cls(url=url, status=status, mode="allow_all")

    @classmethod
    def disallow_all(cls, url: str, status: int | None = None) -> RobotsRules:
        return cls(url=url, status=status, mode="disallow_all")

    def allowed(self, url: str) -> bool:
        if self.mode == "allow_all":
            return True
        if self.mode == "disallow_all":
            return url == self.url
        return bool(self._parser.can_fetch(url, self._agent))

    def to_dict(self) -> dict[str, object]:
        return {
            "url": self.url,
            "status": self.status,
            "mode": self.mode,
            "crawl_delay": self.crawl_delay,
            "sitemaps": list(self.sitemaps),
        }

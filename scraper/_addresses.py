"""Which network addresses a crawl may reach (used by ``scraper.fetch``).

A crawl that starts on a public site must not be bounced, by a redirect or a
link, onto a loopback, private, link-local (cloud metadata at 169.254.169.254)
or otherwise non-global address. The check is made on the resolved IP of every
hop. The resolver is injectable so tests can claim a local host is public.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

__all__ = [
    "AddressBook",
    "Resolver",
    "host_of",
    "is_public_ip",
    "literal_ip",
    "system_resolver",
]

Resolver = Callable[[str], Sequence[str]]
"""Host name -> its IP addresses (an empty list when it does not resolve)."""


def system_resolver(host: str) -> list[str]:
    """The operating system's answer for ``host`` (blocking; call it off the event loop)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class AddressBook:
    """Each host's addresses, asked of ``resolver`` once and kept for the client's life.

    The private-address check and the connection (the aiohttp engine's connector) both
    read this answer, so a name cannot answer the check with a public address and the
    connection with a private one (DNS rebinding)."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self._known: dict[str, list[str]] = {}

    async def resolve(self, host: str) -> list[str]:
        known = self._known.get(host)
        if known is None:
            answer = await asyncio.to_thread(self.resolver, host)
            known = self._known.setdefault(host, [str(a) for a in answer])
        return known

    def resolve_blocking(self, host: str) -> list[str]:
        """:meth:`resolve` for blocking code (one thread; the same kept answers)."""
        known = self._known.get(host)
        if known is None:
            known = self._known.setdefault(host, [str(a) for a in self.resolver(host)])
        return known

    async def addresses(self, host: str) -> list[str]:
        """Where ``host`` is: an IP literal as it is, a name as :meth:`resolve` answers."""
        literal = literal_ip(host)
        return [literal] if literal is not None else await self.resolve(host)

    def addresses_blocking(self, host: str) -> list[str]:
        """:meth:`addresses` for blocking code."""
        literal = literal_ip(host)
        return [literal] if literal is not None else self.resolve_blocking(host)


def host_of(url: str) -> str:
    """The host of ``url`` without brackets, port or user info (lower case)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def literal_ip(host: str) -> str | None:
    """``host`` itself when it is an IP literal, else None."""
    try:
        return str(ipaddress.ip_address(host.split("%", 1)[0]))
    except ValueError:
        return None


def is_public_ip(text: str) -> bool:
    """True for globally routable unicast addresses (IPv4-mapped IPv6 judged as IPv4)."""
    try:
        ip = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast

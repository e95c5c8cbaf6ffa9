"""URL normalisation, crawl scope and post/list classification by URL shape.

Everything here is pure string work: no network, no HTML. Two URLs that name
the same page normalise to the same string, which is what the frontier and the
store de-duplicate on.

:func:`normalize_url` leaves the generic encoding work to w3lib's
``safe_url_string``: IDNA (punycode) for non-ASCII host names and
percent-encoding, as UTF-8, of what may not stand in a path (spaces, non-ASCII
characters, ``|``...). The rest is ours and stays as it was, because the
frontier and the store are keyed by the normalised strings: w3lib's
``canonicalize_url`` would re-key stored URLs (it writes query spaces as ``+``,
turns a bare ``?key`` into ``?key=``, sorts on decoded keys and values, quotes
``'`` in queries, decodes reserved escapes such as ``%21`` in paths and keeps
default ports). Ours: default ports, trailing host dots, escape case and
decoding of escaped unreserved characters only (RFC 3986, 6.2.2), dot segments,
backslashes (a path character here, ``%5C``; a non-ASCII host holding one is
refused), the query (tracking parameters dropped, pairs sorted as written) and
fragments.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

from w3lib.url import safe_url_string

from .errors import OutOfScope, UsageError

__all__ = [
    "Scope",
    "UrlKind",
    "bare_host",
    "classify_url",
    "is_http_url",
    "looks_like_html",
    "normalize_url",
    "site_root",
    "try_normalize",
    "url_pattern",
]

UrlKind = Literal["post", "list", "unknown"]

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters left as they are in a path or query; everything else is percent-encoded.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = "/?:@!$'()*+,;=-._~%"  # '&' and '=' are split on, not quoted
# A path made only of letters, digits and _PATH_SAFE has nothing to encode and skips
# w3lib (tests/crawl/test_urls.py checks that w3lib would return it unchanged).
_PATH_CLEAN = re.compile(f"[A-Za-z0-9{re.escape(_PATH_SAFE)}]*")
_W3LIB_ROOT = "http://h"  # what a path is hung on to hand it to safe_url_string
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_TRACKING_EXACT = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "vero_id",
        "oly_anon_id",
        "oly_enc_id",
    }
)
_NON_HTML_EXT = frozenset(
    "jpg jpeg png gif webp avif svg ico bmp tif tiff css js mjs json xml rss atom txt csv "
    "pdf zip gz tgz rar 7z mp3 mp4 m4a m4v mov avi webm ogg wav flac woff woff2 ttf otf eot "
    "doc docx xls xlsx ppt pptx epub apk dmg exe".split()
)


def _escape_repl(m: re.Match[str]) -> str:
    char = chr(int(m.group(1), 16))
    return char if char in _UNRESERVED else "%" + m.group(1).upper()


def _normalize_escapes(text: str) -> str:
    """Decode escaped unreserved characters and upper-case the other escapes."""
    return _ESCAPE.sub(_escape_repl, text) if "%" in text else text


def _fix_escapes(text: str, safe: str) -> str:
    """Quote what must be quoted, decode escaped unreserved characters, upper-case the rest."""
    return _normalize_escapes(quote(text, safe=safe))


def _encode_path(path: str) -> str:
    """Percent-encode (UTF-8) whatever may not stand in a path as it is, with w3lib."""
    # w3lib reads a backslash as "/" (as browsers do) but it has always been kept as a
    # character here; the trailing "?" keeps w3lib from stripping trailing control
    # characters and goes away again (w3lib writes no empty query).
    url = safe_url_string(_W3LIB_ROOT + path.replace("\\", "%5C") + "?")
    return url[len(_W3LIB_ROOT) :]


def _remove_dot_segments(path: str) -> str:
    if "." not in path:
        return path
    out: list[str] = []
    segments = path.split("/")
    for i, seg in enumerate(segments):
        if seg == ".":
            if i == len(segments) - 1:
                out.append("")
            continue
        if seg == "..":
            if len(out) > 1:
                out.pop()
            if i == len(segments) - 1:
                out.append("")
            continue
        out.append(seg)
    result = "/".join(out)
    return result if result.startswith("/") else "/" + result


def _is_tracking(key: str) -> bool:
    name = unquote(key).lower()
    return name.startswith("utm_") or name in _TRACKING_EXACT


def _normalize_host(host: str) -> str:
    """Lower case, no trailing dot, IDNA (by w3lib) for a non-ASCII name; a name IDNA
    refuses (a label over 63 characters...) stays as it is."""
    host = host.rstrip(".").lower()
    return host if host.isascii() else _encode_host(host)


@functools.lru_cache(maxsize=1024)  # a crawl sees few hosts, and IDNA is slow pure Python
def _encode_host(host: str) -> str:
    if "\\" in unicodedata.normalize("NFKC", host):
        # w3lib (like browsers) would end the name at the backslash, and only its
        # newest versions refuse one made by NFKC (fullwidth "＼"): refuse both here.
        raise ValueError("backslash in a non-ASCII host name")
    encoded = safe_url_string(f"http://{host}/")
    # NFKC may end the name with a dot ("⒈" is "1."): strip it too, so that normalising
    # the result again gives the same string
    return encoded[len("http://") : -1].rstrip(".")


def normalize_url(url: str, base: str | None = None) -> str:
    """The canonical spelling of ``url`` (resolved against ``base`` if given).

    Lower-cases scheme and host (punycode for a non-ASCII name), drops the
    default port, the fragment and tracking parameters (``utm_*``, ``fbclid``...),
    sorts the query, removes dot segments and normalises percent-encoding.
    Raises :class:`UsageError` when the text cannot be read as an absolute URL.
    """
    text = url.strip()
    if base is not None:
        text = urljoin(base, text)
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise UsageError(f"not a valid URL ({exc})", url) from None
    scheme = parts.scheme.lower()
    if not scheme or not parts.netloc:
        raise UsageError("not an absolute URL", url)
    try:
        host = _normalize_host(parts.hostname or "")
    except ValueError as exc:  # a backslash, or another name w3lib refuses
        raise UsageError(f"not a valid URL ({exc})", url) from None
    if not host:
        raise UsageError("URL has no host", url)
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port is None or _DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    if parts.username is not None:
        userinfo = parts.username + (f":{parts.password}" if parts.password is not None else "")
        netloc = f"{userinfo}@{netloc}"
    try:
        path = parts.path
        if not _PATH_CLEAN.fullmatch(path):
            path = _encode_path(path)
        path = _remove_dot_segments(_normalize_escapes(path)) or "/"
        query = ""
        if parts.query:
            params = [
                p for p in parts.query.split("&") if p and not _is_tracking(p.split("=", 1)[0])
            ]
            query = "&".join(sorted(_fix_escapes(p, _QUERY_SAFE + "=") for p in params))
    except UnicodeError:  # a lone surrogate: text that is no UTF-8 at all
        raise UsageError("not a valid URL (characters that cannot be encoded)", url) from None
    return urlunsplit((scheme, netloc, path, query, ""))


def try_normalize(url: str, base: str | None = None) -> str | None:
    """``normalize_url`` for link harvesting: ``None`` for hrefs that are not http(s) URLs."""
    href = url.strip()
    if not href or href.startswith("#"):
        return None
    lowered = href[:11].lower()
    if lowered.startswith(("javascript:", "mailto:", "tel:", "data:", "sms:", "about:")):
        return None
    try:
        result = normalize_url(href, base)
    except UsageError:
        return None
    return result if is_http_url(result) else None


_DIGIT_RUN = re.compile(r"\d+")


def url_pattern(url: str) -> str:
    """The URL with every run of digits as ``#`` and the query reduced to its sorted keys:
    ``/calendar?m=7`` and ``/calendar?m=8`` share ``host/calendar?m``, as do
    ``/events/2024/05`` and ``/events/2024/06``. Crawler traps repeat one pattern."""
    parts = urlsplit(url)
    keys = sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair})
    return f"{parts.netloc}{_DIGIT_RUN.sub('#', parts.path)}?{'&'.join(keys)}"


def is_http_url(url: str) -> bool:
    return url.startswith(("http://", "https://"))


def bare_host(url: str) -> str:
    """Host (with a non-default port) without a leading ``www.``, for scope checks."""
    netloc = urlsplit(url).netloc.rsplit("@", 1)[-1].lower()
    return netloc[4:] if netloc.startswith("www.") else netloc


def site_root(url: str) -> str:
    """``scheme://host[:port]`` of a normalised URL: how a site is named in the store."""
    parts = urlsplit(normalize_url(url))
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"


def looks_like_html(url: str) -> bool:
    """False for links to images, feeds, archives and other files we never extract."""
    path = urlsplit(url).path
    last = path.rsplit("/", 1)[-1]
    if "." not in last:
        return True
    return last.rsplit(".", 1)[-1].lower() not in _NON_HTML_EXT


@dataclass(frozen=True, slots=True)
class Scope:
    """Which URLs a crawl may visit: the site's host (www-insensitive), http(s) only,
    matching one ``include`` pattern (if any) and no ``exclude`` pattern (``re.search``)."""

    hosts: frozenset[str]
    include: tuple[re.Pattern[str], ...] = ()
    exclude: tuple[re.Pattern[str], ...] = ()

    @classmethod
    def for_site(
        cls,
        start_url: str,
        include: Iterable[str] = (),
        exclude: Iterable[str] = (),
        extra_hosts: Iterable[str] = (),
    ) -> Scope:
        try:
            inc = tuple(re.compile(p) for p in include)
            exc = tuple(re.compile(p) for p in exclude)
        except re.error as err:
            raise UsageError(f"bad include/exclude pattern ({err})", str(err.pattern)) from None
        hosts = {bare_host(normalize_url(start_url))}
        hosts.update(h.lower().removeprefix("www.") for h in extra_hosts)
        return cls(frozenset(hosts), inc, exc)

    def on_site(self, url: str) -> bool:
        """http(s) on one of the site's hosts (ignores include/exclude)."""
        return is_http_url(url) and bare_host(url) in self.hosts

    def allows(self, url: str) -> bool:
        """On site, matching the include patterns (if any) and no exclude pattern."""
        if not self.on_site(url):
            return False
        if self.include and not any(p.search(url) for p in self.include):
            return False
        return not any(p.search(url) for p in self.exclude)

    def excluded(self, url: str) -> bool:
        return any(p.search(url) for p in self.exclude)

    def check(self, url: str) -> None:
        """Raise :class:`OutOfScope` unless the URL is on the site (used on redirects)."""
        if not self.on_site(url):
            raise OutOfScope("URL is outside the crawl scope", url)


# --- classification by URL shape (see ../shared/platforms/MARKUP.md) -------------------------

_POST_PATTERNS = tuple(
    re.compile(p)
    for p in (
        r"^(?:/[^/]+)?/post/[^/]+/?$",  # Wix /post/<slug>, /blog-1/post/<slug>
        r"^/single-post/(?:\d{4}/\d{1,2}/\d{1,2}/)?[^/]+/?$",  # older Wix
        r"^/\d{4}/\d{2}/[^/]+\.html$",  # Blogger /YYYY/MM/slug.html
        r"^(?:/[^/]+)?/\d{4}/\d{2}/\d{2}/[^/]+(?:\.html)?/?$",  # WordPress/Jekyll dated
        r"^/\d{4}/\d{2}/[^/]+/?$",  # WordPress /YYYY/MM/slug/
        r"^/p/[^/]+/?$",  # Ghost preview / Substack
        r"^/@[^/]+/[^/]+-[0-9a-f]{8,12}/?$",  # Medium
        r"^/(?:posts|articles)/[^/]+/?$",  # Hugo and friends
        r"^/blog/\d{4}/\d{1,2}/\d{1,2}/[^/]+/?$",  # Squarespace dated
    )
)
_LIST_PATTERNS = tuple(
    re.compile(p)
    for p in (
        r"^/$",
        r"^(?:/[^/]+)?/blog/?$",
        r"/page/?\d+/?$",  # /page/2/, /blog/page/3, Jekyll /page2/
        r"/(?:categories|category|tags|tag|hashtags|label|labels|author|authors|topics?)/",
        r"^/search(?:/|$)",
        r"^/(?:archives?|posts|articles)/?$",
        r"^/\d{4}(?:/\d{2}(?:/\d{2})?)?/?$",  # date archives
        r"^/(?:blog/)?(?:categories|tags|archive)/?$",
    )
)
_LIST_QUERY = re.compile(r"(?:^|&)(?:page|paged|offset|start-index|updated-max)=")
_RESERVED_SLUGS = frozenset({"page", "feed", "amp", "embed", "comments", "trackback", "rss"})


def classify_url(url: str) -> UrlKind:
    """``post``, ``list`` or ``unknown`` from the URL alone (normalised URL expected)."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query and _LIST_QUERY.search(parts.query):
        return "list"
    for pattern in _LIST_PATTERNS:
        if pattern.search(path):
            return "list"
    for pattern in _POST_PATTERNS:
        if pattern.search(path):
            last = path.rstrip("/").rsplit("/", 1)[-1]
            return "unknown" if last in _RESERVED_SLUGS else "post"
    return "unknown"

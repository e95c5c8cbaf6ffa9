"""Safe, stable file names from titles, slugs, tags and hosts.

Every name is NFKC-normalised, lowercased, made of letters, digits, ``-`` and
``_`` only (so no separators, dots, control or format characters), never a
reserved Windows device name, and at most :data:`MAX_NAME_BYTES` bytes of UTF-8
including the extension. Collisions (compared case-insensitively) are resolved
by a suffix from a hash of the item's identity, in an order that does not depend
on the order of the input.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from posixpath import splitext
from urllib.parse import unquote, urlsplit

__all__ = [
    "MAX_NAME_BYTES",
    "assign_names",
    "safe_host",
    "slug_for",
    "slugify",
]

MAX_NAME_BYTES = 120
_RESERVED = {"con", "prn", "aux", "nul", "clock$", "conin$", "conout$"} | {
    f"{dev}{n}" for dev in ("com", "lpt") for n in [*"123456789", "\u00b9", "\u00b2", "\u00b3"]
}
_PAGE_SUFFIXES = {".html", ".htm", ".php", ".asp", ".aspx", ".shtml", ".xhtml", ".jsp"}
_DASHES = re.compile(r"[-_]*-[-_]*")


def _keep(ch: str) -> bool:
    return ch in "-_" or unicodedata.category(ch)[0] in "LNM"


def slugify(text: str) -> str:
    """Letters and digits of ``text`` joined by single dashes; may be empty."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    for ch in text:
        if unicodedata.category(ch)[0] == "M":
            if out and out[-1] not in "-_":
                out.append(ch)  # a mark only ever follows the letter it belongs to
        elif _keep(ch):
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return _DASHES.sub("-", "".join(out)).strip("-_")


def slug_for(url: str, title: str | None) -> str:
    """The URL's last path segment (without a page suffix), else the title."""
    try:
        path = urlsplit(url).path
    except ValueError:
        path = ""
    segment = unquote(path.rstrip("/").rsplit("/", 1)[-1])
    stem, suffix = splitext(segment)
    if suffix.lower() in _PAGE_SUFFIXES:
        segment = stem
    for candidate in (segment, title or ""):
        slug = slugify(candidate)
        if slug:
            return slug
    return "post"


def safe_host(host: str) -> str:
    """A directory name for a host: ``[a-z0-9.-]`` plus ``_port``; never empty or dotted."""
    host = unicodedata.normalize("NFKC", host).lower().replace(":", "_")
    cleaned = "".join(
        ch if (ch.isascii() and (ch.isalnum() or ch in "-._")) else "-" for ch in host
    )
    cleaned = cleaned.strip(".-_")[:MAX_NAME_BYTES]
    if not cleaned or cleaned.split(".", 1)[0] in _RESERVED:
        return f"host-{_digest(host, 12)}"
    return cleaned


def _digest(identity: str, length: int) -> str:
    return hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def _fit(stem: str, suffix: str, ext: str) -> str:
    """``stem + suffix + ext`` cut (at a character boundary) to the byte limit."""
    budget = MAX_NAME_BYTES - len((suffix + ext).encode("utf-8"))
    raw = stem.encode("utf-8")[:budget].decode("utf-8", "ignore")
    raw = unicodedata.normalize("NFC", raw)
    while raw and unicodedata.category(raw[-1])[0] == "M" and len(raw) > 1:
        raw = raw[:-1]  # never end on a dangling mark cut from its base
    raw = raw.rstrip("-_")
    if not raw:
        raw = "untitled"
    if raw.split(".", 1)[0].lower() in _RESERVED:
        raw += "_"
    return f"{raw}{suffix}{ext}"


def assign_names(wanted: Mapping[str, str], ext: str = ".md") -> dict[str, str]:
    """File names for ``{identity: wanted stem}``, unique case-insensitively.

    Items are visited sorted by (stem, identity); the first keeps its plain name,
    later ones get ``-<hash of identity>``. The result depends only on the mapping.
    """
    taken: set[str] = set()
    names: dict[str, str] = {}
    for identity, stem in sorted(wanted.items(), key=lambda item: (item[1].casefold(), item[0])):
        for suffix in _suffixes(identity):
            name = _fit(stem, suffix, ext)
            if name.casefold() not in taken:
                break
        taken.add(name.casefold())
        names[identity] = name
    return names


def _suffixes(identity: str) -> Iterable[str]:
    yield ""
    for length in (8, 12, 16, 32, 64):
        yield f"-{_digest(identity, length)}"
    counter = 2
    while True:  # only reached if 64 hex digits of sha256 collide
        yield f"-{_digest(identity, 64)[:8]}-{counter}"
        counter += 1

"""Safe XML reading for sitemaps and feeds: no DTDs, no entity expansion.

expat builds an ElementTree, but any document that declares entities or carries
an internal DTD subset is refused (billion laughs, external entities). Only the
five predefined entities and character references are ever expanded. Gzipped
bodies are inflated with a size cap.
"""

from __future__ import annotations

import zlib
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

from ..errors import DiscoveryError, TooLarge

__all__ = ["attribute", "child_text", "gunzip_capped", "local", "parse_xml", "spans"]


class _Refused(Exception):
    pass


def _refuse(*_args: object) -> None:
    raise _Refused("DTD entity declarations are not accepted")


def _refuse_external(
    _context: str, _base: str | None, _sysid: str | None, _pubid: str | None
) -> int:
    raise _Refused("external entities are not accepted")


def gunzip_capped(body: bytes, max_bytes: int, url: str) -> bytes:
    """Inflate a gzip body (sitemap.xml.gz) if it is one, refusing more than ``max_bytes``."""
    if body[:2] != b"\x1f\x8b":
        return body
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, max_bytes + 1)
    except zlib.error as exc:
        raise DiscoveryError(f"bad gzip data ({exc})", url) from None
    if len(data) > max_bytes or inflater.unconsumed_tail:
        raise TooLarge(f"gzip body inflates past the {max_bytes}-byte cap", url)
    return data


def parse_xml(body: bytes, url: str) -> Element:
    """Parse ``body`` into an ElementTree root; tags keep their namespace as ``{uri}name``."""
    builder = TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def doctype(_name: str, _sysid: str | None, _pubid: str | None, internal: int) -> None:
        if internal:
            raise _Refused("DTD internal subsets are not accepted")

    def start(name: str, attrs: dict[str, str]) -> None:
        builder.start("{" + name if "}" in name else name, attrs)

    def end(name: str) -> None:
        builder.end("{" + name if "}" in name else name)

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse_external
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(body, True)
        root = builder.close()
    except _Refused as exc:
        raise DiscoveryError(str(exc), url) from None
    except (expat.ExpatError, AssertionError, IndexError) as exc:
        raise DiscoveryError(f"not well-formed XML ({exc})", url) from None
    return root


def local(tag: str) -> str:
    """Tag name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def child_text(element: Element, name: str) -> str | None:
    """Text of the first direct child called ``name`` (any namespace), stripped."""
    for child in element:
        if local(child.tag) == name:
            text = (child.text or "").strip()
            return text or None
    return None


# --- linear-time scanning of damaged documents ----------------------------------------------
# Regular expressions such as ``<loc>(.*?)</loc>`` rescan the rest of the document from every
# opening tag that has no closing one (quadratic on ``<loc><loc><loc>...``). These helpers use
# ``find`` and always move forward, so a scan costs time linear in the document.


def spans(body: bytes, opens: tuple[bytes, ...], closes: tuple[bytes, ...]) -> list[bytes]:
    """Text after each opener (``b"<loc>"``, or ``b"<item"`` + a non-name byte) up to the
    nearest closer, case-insensitively. Stops at the first opener without a closer."""
    lower = body.lower()
    out: list[bytes] = []
    at = 0
    while True:
        start, opener = -1, b""
        for candidate in opens:
            i = lower.find(candidate, at)
            while i >= 0 and not candidate.endswith(b">"):
                nxt = lower[i + len(candidate) : i + len(candidate) + 1]
                if not (nxt.isalnum() or nxt in (b"-", b"_", b":", b".")):
                    break
                i = lower.find(candidate, i + 1)
            if i >= 0 and (start < 0 or i < start):
                start, opener = i, candidate
        if start < 0:
            return out
        begin = start + len(opener)
        ends = [(j, c) for c in closes if (j := lower.find(c, begin)) >= 0]
        if not ends:
            return out
        end, closer = min(ends)
        out.append(body[begin:end])
        at = end + len(closer)


def attribute(tag: bytes, name: bytes) -> bytes | None:
    """Value of the first ``name="..."`` attribute in one tag's text (linear time)."""
    lower = tag.lower()
    needle = name.lower() + b'="'
    at = 0
    while (i := lower.find(needle, at)) >= 0:
        end = lower.find(b'"', i + len(needle))
        if end < 0:
            return None
        if i == 0 or lower[i - 1 : i].isspace():
            return tag[i + len(needle) : end]
        at = end + 1
    return None

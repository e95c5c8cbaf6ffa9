"""Content-Encoding decoding with a hard cap on the inflated size (used by ``scraper.fetch``).

httpx's own decoders inflate a whole network chunk at once: a 16 KB chunk of a
brotli bomb can become gigabytes before anyone counts. Here every decoder is
asked for at most ``STEP`` bytes at a time, so memory stays near the cap
whatever the compression ratio. Supported: identity, gzip, deflate (zlib or
raw) and br (when the ``brotli`` package is installed). Anything else is refused.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any, Protocol

from .errors import FetchError, TooLarge

__all__ = ["ACCEPT_ENCODING", "CappedBody", "Decoder", "decoders_for"]

STEP = 64 * 1024  # bytes of output asked of a decoder per call

try:
    import brotli as _brotli
except ImportError:  # pragma: no cover - brotli is a dependency; decode br only if present
    _brotli = None

ACCEPT_ENCODING = "gzip, deflate, br" if _brotli is not None else "gzip, deflate"


class Decoder(Protocol):
    def feed(self, data: bytes) -> Iterator[bytes]: ...

    def flush(self) -> Iterator[bytes]: ...


class _Zlib:
    def __init__(self, wbits: int, fallback_raw: bool = False) -> None:
        self._obj: Any = zlib.decompressobj(wbits)
        self._fallback_raw = fallback_raw
        self._started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        if not self._started and self._fallback_raw:
            self._started = True
            try:  # "deflate" is meant to be zlib-wrapped; some servers send raw deflate
                probe: Any = zlib.decompressobj(zlib.MAX_WBITS)
                probe.decompress(data[:2])
            except zlib.error:
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
        self._started = True
        while data:
            out = self._obj.decompress(data, STEP)
            data = self._obj.unconsumed_tail
            if out:
                yield out
            if self._obj.eof:
                return

    def flush(self) -> Iterator[bytes]:
        out = self._obj.flush()
        if out:
            yield out


class _Brotli:
    def __init__(self) -> None:
        assert _brotli is not None
        self._obj: Any = _brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        out = self._obj.process(data, output_buffer_limit=STEP)
        if out:
            yield out
        while not self._obj.can_accept_more_data():
            out = self._obj.process(b"", output_buffer_limit=STEP)
            if not out:
                break
            yield out

    def flush(self) -> Iterator[bytes]:
        return iter(())


def _decoder(name: str, url: str) -> Decoder:
    if name in ("gzip", "x-gzip"):
        return _Zlib(16 + zlib.MAX_WBITS)
    if name == "deflate":
        return _Zlib(zlib.MAX_WBITS, fallback_raw=True)
    if name == "br" and _brotli is not None:
        return _Brotli()
    raise FetchError(f"unsupported Content-Encoding {name!r}", url)


def decoders_for(content_encoding: str | None, url: str) -> list[Decoder]:
    """Decoders to apply, in order, for a ``Content-Encoding`` header value."""
    names = [n.strip().lower() for n in (content_encoding or "").split(",")]
    names = [n for n in names if n and n != "identity"]
    return [_decoder(n, url) for n in reversed(names)]


class CappedBody:
    """Collects a response body through its decoders, raising TooLarge past ``cap`` bytes."""

    def __init__(self, content_encoding: str | None, url: str, cap: int) -> None:
        self.url = url
        self.cap = cap
        self.size = 0
        self._chunks: list[bytes] = []
        self._decoders = decoders_for(content_encoding, url)

    def _through(self, pieces: Iterator[bytes], level: int) -> Iterator[bytes]:
        if level == len(self._decoders):
            yield from pieces
            return
        decoder = self._decoders[level]
        for piece in pieces:
            yield from self._through(decoder.feed(piece), level + 1)

    def _take(self, pieces: Iterator[bytes]) -> None:
        try:
            for out in pieces:
                self.size += len(out)
                if self.size > self.cap:
                    raise TooLarge(
                        f"body over the {self.cap}-byte cap (after decompression)", self.url
                    )
                self._chunks.append(out)
        except (zlib.error, ValueError) as exc:
            raise FetchError(f"could not decode the response ({exc})", self.url) from None
        except Exception as exc:
            if _brotli is not None and isinstance(exc, _brotli.error):
                raise FetchError(f"could not decode the response ({exc})", self.url) from None
            raise

    def add(self, raw: bytes) -> None:
        self._take(self._through(iter((raw,)), 0))

    def finish(self) -> bytes:
        for level, decoder in enumerate(self._decoders):
            self._take(self._through(decoder.flush(), level + 1))
        return b"".join(self._chunks)

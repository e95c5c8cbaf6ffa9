"""Route handlers that misbehave, for :class:`tests.faults.server.FaultServer`."""

from __future__ import annotations

import asyncio
import functools
import zlib
from email.utils import formatdate
from time import time

import brotli

from .server import Handler, Request, head, reset_connection, respond

MB = 1024 * 1024


def page(body: bytes, content_type: str = "text/html; charset=utf-8", status: int = 200) -> Handler:
    async def handler(_req: Request, writer: asyncio.StreamWriter) -> None:
        await respond(writer, body, status, content_type)

    return handler


def burst(failures: int, status: int, then: Handler, retry_after: str | None = None) -> Handler:
    """``status`` for the first ``failures`` requests, then ``then``."""
    count = 0

    async def handler(req: Request, writer: asyncio.StreamWriter) -> None:
        nonlocal count
        count += 1
        if count <= failures:
            headers = {"Retry-After": retry_after} if retry_after else {}
            await respond(writer, b"busy", status, "text/plain", headers)
        else:
            await then(req, writer)

    return handler


def retry_after_date(seconds: int) -> str:
    return formatdate(time() + seconds, usegmt=True)


async def reset(_req: Request, writer: asyncio.StreamWriter) -> None:
    reset_connection(writer)


async def stall_after_headers(_req: Request, writer: asyncio.StreamWriter) -> None:
    writer.write(head(200, {"Content-Type": "text/html", "Content-Length": "5000"}))
    writer.write(b"<html><body>")
    await writer.drain()
    await asyncio.sleep(3600)  # cancelled when the server stops


async def cut_short(_req: Request, writer: asyncio.StreamWriter) -> None:
    writer.write(head(200, {"Content-Type": "text/html", "Content-Length": "100000"}))
    writer.write(b"<html><body><p>only the beginning" + b" of it" * 20)
    await writer.drain()
    writer.close()


async def broken_chunked(_req: Request, writer: asyncio.StreamWriter) -> None:
    writer.write(head(200, {"Content-Type": "text/html", "Transfer-Encoding": "chunked"}))
    writer.write(b"10\r\n<html><body><p>ok\r\nZZZ\r\nnot a chunk size\r\n")
    await writer.drain()
    writer.close()


def short_length(body: bytes, declared: int) -> Handler:
    """Declares fewer bytes than it sends."""

    async def handler(_req: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(head(200, {"Content-Type": "text/html", "Content-Length": str(declared)}))
        writer.write(body)
        await writer.drain()

    return handler


def redirect(location: str, status: int = 302) -> Handler:
    async def handler(_req: Request, writer: asyncio.StreamWriter) -> None:
        await respond(writer, b"", status, "text/plain", {"Location": location})

    return handler


def encoded(data: bytes, encoding: str, content_type: str = "text/html") -> Handler:
    async def handler(_req: Request, writer: asyncio.StreamWriter) -> None:
        headers = {"Content-Encoding": encoding, "Content-Length": str(len(data))}
        writer.write(head(200, {"Content-Type": content_type, **headers}))
        for at in range(0, len(data), 64 * 1024):
            writer.write(data[at : at + 64 * 1024])
            await writer.drain()

    return handler


@functools.cache
def gzip_bomb(megabytes: int = 256) -> bytes:
    return _zlib_bomb(megabytes, 31)


@functools.cache
def deflate_bomb(megabytes: int = 256) -> bytes:
    return _zlib_bomb(megabytes, 15)


def _zlib_bomb(megabytes: int, wbits: int) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, wbits)
    zeros = bytes(MB)
    parts = [packer.compress(zeros) for _ in range(megabytes)]
    parts.append(packer.flush())
    return b"".join(parts)


@functools.cache
def brotli_bomb(megabytes: int = 1024) -> bytes:
    packer = brotli.Compressor(quality=5)
    zeros = bytes(MB)
    parts = [packer.process(zeros) for _ in range(megabytes)]
    parts.append(packer.finish())
    return b"".join(parts)


def huge(size: int, declare_length: bool, content_type: str = "text/html") -> Handler:
    """``size`` bytes of HTML, written 1 MB at a time (never held whole)."""
    chunk = b"<p>" + b"x" * (MB - 8) + b"</p>\n\n"

    async def handler(_req: Request, writer: asyncio.StreamWriter) -> None:
        headers = {"Content-Type": content_type}
        if declare_length:
            headers["Content-Length"] = str(size)
        writer.write(head(200, headers))
        sent = 0
        while sent < size:
            piece = chunk[: size - sent]
            writer.write(piece)
            await writer.drain()
            sent += len(piece)

    return handler


def nested_html(depth: int) -> bytes:
    return (
        b"<!doctype html><html><head><title>Deep</title></head><body><article><h1>Deep</h1>"
        + b"<div>" * depth
        + b"<p>bottom</p>"
        + b"</div>" * depth
        + b"</article></body></html>"
    )


def calendar(base: str) -> Handler:
    """``/calendar?m=N`` links to month N+1, forever (a crawler trap)."""

    async def handler(req: Request, writer: asyncio.StreamWriter) -> None:
        month = int(req.target.rsplit("=", 1)[-1]) if "=" in req.target else 0
        body = (
            f"<html><body><h1>Events, month {month}</h1>"
            f'<a href="{base}/calendar?m={month + 1}">next month</a>'
            f'<a href="{base}/calendar?m={month - 1}">previous month</a></body></html>'
        )
        await respond(writer, body.encode())

    return handler


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""


def laughs_sitemap(base: str) -> bytes:
    return BILLION_LAUGHS + (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>" + base.encode() + b"/post/laugh-&lol9;</loc></url></urlset>"
    )


def laughs_feed(base: str) -> bytes:
    return BILLION_LAUGHS.replace(b"lolz", b"rss") + (
        b'<rss version="2.0"><channel><title>&lol9;</title><item><title>x</title>'
        b"<link>" + base.encode() + b"/post/laugh-&lol9;</link></item></channel></rss>"
    )


def external_sitemap(base: str) -> bytes:
    return (
        b'<?xml version="1.0"?>\n<!DOCTYPE urlset [\n'
        b' <!ENTITY secret SYSTEM "file:///etc/passwd">\n'
        b' <!ENTITY remote SYSTEM "' + base.encode() + b'/xxe">\n]>\n'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>" + base.encode() + b"/post/&secret;&remote;</loc></url></urlset>"
    )


def external_feed(base: str) -> bytes:
    return (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "' + base.encode() + b'/xxe-dtd">\n'
        b'<rss version="2.0"><channel><title>t</title><item><title>&secret;</title>'
        b"<link>" + base.encode() + b"/post/xxe-&secret;</link></item></channel></rss>"
    )


def big_sitemap(base: str, first: list[str], count: int) -> bytes:
    paths = first + [f"/post/listed-{i:05d}" for i in range(count - len(first))]
    locs = "".join(f"<url><loc>{base}{p}</loc></url>" for p in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
    ).encode()


def big_robots(size: int) -> bytes:
    lines = ["User-agent: *", "Disallow: /private/"]
    lines += [f"Disallow: /archive/{i:07d}/never-a-post" for i in range(size // 36)]
    return ("\n".join(lines) + "\n").encode()[:size]

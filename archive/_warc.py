"""``write_warc``: raw HTTP responses into a gzipped WARC/1.0 file (via warcio)."""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.errors import ExportError

from ._files import atomic_stream

__all__ = ["WarcInput", "write_warc"]

# The body we hold is already decoded and whole, so these would lie about it.
_DROPPED = {"content-encoding", "transfer-encoding", "content-length"}


@dataclass(frozen=True, slots=True)
class WarcInput:
    """One fetched response: the final URL, status, response headers, decoded body."""

    url: str
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    fetched_at: datetime = datetime(1970, 1, 1, tzinfo=UTC)


def _warc_date(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _record_id(*parts: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, chr(10).join(parts))}>"


def _clean(text: str) -> str:
    return " ".join(text.replace("\r", " ").replace("\n", " ").split())


def _http_headers(record: WarcInput) -> StatusAndHeaders:
    try:
        reason = HTTPStatus(record.status).phrase
    except ValueError:
        reason = "Unknown"
    headers = [
        (_clean(name), _clean(value))
        for name, value in record.headers.items()
        if _clean(name) and _clean(name).lower() not in _DROPPED
    ]
    headers.append(("Content-Length", str(len(record.body))))
    return StatusAndHeaders(f"{record.status} {reason}", headers, protocol="HTTP/1.1")


def _write(writer: WARCWriter, record: WarcInput) -> None:
    date = _warc_date(record.fetched_at)
    digest = hashlib.sha256(record.body).hexdigest()
    warc_headers = {
        "WARC-Record-ID": _record_id("response", record.url, date, str(record.status), digest),
        "WARC-Date": date,
    }
    built = writer.create_warc_record(
        record.url,
        "response",
        payload=io.BytesIO(record.body),
        length=len(record.body),
        warc_headers_dict=warc_headers,
        http_headers=_http_headers(record),
    )
    writer.write_record(built)


def _warcinfo(writer: WARCWriter, filename: str, date: str) -> None:
    info = b"software: blogbinder\r\nformat: WARC File Format 1.0\r\n"
    headers = {
        "WARC-Record-ID": _record_id("warcinfo", filename, date),
        "WARC-Date": date,
        "WARC-Filename": filename,
    }
    built = writer.create_warc_record(
        "",
        "warcinfo",
        payload=io.BytesIO(info),
        length=len(info),
        warc_headers_dict=headers,
        warc_content_type="application/warc-fields",
    )
    writer.write_record(built)


def write_warc(records: Iterable[WarcInput], path: Path) -> int:
    """Write a warcinfo record and one gzipped ``response`` record per input, atomically.

    Same input, same bytes: record IDs derive from the content and WARC-Date is the
    fetch time. Bodies are stored decoded, so Content-Encoding/Transfer-Encoding are
    dropped and Content-Length is set to the body's size. Returns the response count.
    """
    path = Path(path)
    count = 0
    with atomic_stream(path) as handle:
        writer = WARCWriter(handle, gzip=True)
        for record in records:
            if not isinstance(record.body, bytes) or not 100 <= record.status <= 999:
                raise ExportError("not a valid HTTP response for WARC", record.url)
            if count == 0:
                _warcinfo(writer, path.name, _warc_date(record.fetched_at))
            _write(writer, record)
            count += 1
    return count

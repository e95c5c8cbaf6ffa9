"""LocalSiteServer: statuses, validators, gzip, route edits, the request log and shutdown."""

from __future__ import annotations

import gzip
import http.client
import threading
import time
from urllib.parse import quote

import pytest

from scraper.sample import LocalSiteServer, Route, post_paths

from ._http import request

KINTSUGI = "/post/" + quote("kintsugi-金継ぎ-mending-with-gold")


def test_serves_home_and_404(sample_server: LocalSiteServer) -> None:
    home = request(sample_server.base_url, "/")
    assert home.status == 200
    assert home.headers["content-type"] == "text/html; charset=utf-8"
    assert b"Wix.com Website Builder" in home.body
    missing = request(sample_server.base_url, "/post/no-such-post")
    assert missing.status == 404
    assert b"404" in missing.body


def test_every_post_path_answers_200(sample_server: LocalSiteServer) -> None:
    for path in post_paths():
        assert request(sample_server.base_url, path).status == 200, path


def test_non_ascii_path_in_any_spelling(sample_server: LocalSiteServer) -> None:
    upper = request(sample_server.base_url, KINTSUGI)
    lower = request(sample_server.base_url, KINTSUGI.lower())
    assert upper.status == lower.status == 200
    assert upper.body == lower.body
    assert b"Kintsugi: Mending a Broken Bowl with Gold" in upper.body


def test_head_sends_headers_without_body(sample_server: LocalSiteServer) -> None:
    get = request(sample_server.base_url, "/blog")
    head = request(sample_server.base_url, "/blog", method="HEAD")
    assert head.status == 200
    assert head.body == b""
    assert head.headers["content-length"] == str(len(get.body))
    assert head.headers["etag"] == get.headers["etag"]


def test_etag_and_if_none_match(sample_server: LocalSiteServer) -> None:
    first = request(sample_server.base_url, "/blog")
    etag = first.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')
    again = request(sample_server.base_url, "/blog", headers={"If-None-Match": etag})
    assert again.status == 304
    assert again.body == b""
    assert again.headers["etag"] == etag
    other = request(sample_server.base_url, "/blog", headers={"If-None-Match": '"nope"'})
    assert other.status == 200


def test_if_modified_since(sample_server: LocalSiteServer) -> None:
    path = "/post/what-cone-6-really-means"
    first = request(sample_server.base_url, path)
    last_modified = first.headers["last-modified"]
    assert last_modified == "Fri, 11 Aug 2023 13:20:00 GMT"  # the post's modified date
    same = request(sample_server.base_url, path, headers={"If-Modified-Since": last_modified})
    assert same.status == 304
    older = request(
        sample_server.base_url, path, headers={"If-Modified-Since": "Mon, 01 Aug 2022 00:00:00 GMT"}
    )
    assert older.status == 200
    assert older.body == first.body


def test_gzip_when_accepted(sample_server: LocalSiteServer) -> None:
    plain = request(sample_server.base_url, "/blog-feed.xml")
    packed = request(sample_server.base_url, "/blog-feed.xml", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["vary"] == "Accept-Encoding"
    assert gzip.decompress(packed.body) == plain.body
    assert packed.headers["etag"] != plain.headers["etag"]
    # either representation's ETag validates
    for etag in (plain.headers["etag"], packed.headers["etag"]):
        again = request(
            sample_server.base_url,
            "/blog-feed.xml",
            headers={"Accept-Encoding": "gzip", "If-None-Match": etag},
        )
        assert again.status == 304


def test_redirect_route(sample_server: LocalSiteServer) -> None:
    reply = request(sample_server.base_url, "/blog/page/1")
    assert reply.status == 301
    assert reply.headers["location"] == sample_server.base_url + "/blog"


def test_set_and_remove_route() -> None:
    with LocalSiteServer({"/a": Route.html("<p>one</p>")}) as server:
        first = request(server.base_url, "/a")
        server.set_route("/a", Route.html("<p>two</p>"))
        second = request(server.base_url, "/a")
        assert (first.body, second.body) == (b"<p>one</p>", b"<p>two</p>")
        assert first.headers["etag"] != second.headers["etag"]
        stale = request(server.base_url, "/a", headers={"If-None-Match": first.headers["etag"]})
        assert stale.status == 200
        server.set_route("/q?page=2", Route.text("page two"))
        assert request(server.base_url, "/q?page=2").body == b"page two"
        assert request(server.base_url, "/q").status == 404
        server.remove_route("/a")
        assert request(server.base_url, "/a").status == 404
        assert server.paths() == ["/q?page=2"]


def test_request_log_records_method_path_host_status() -> None:
    with LocalSiteServer({"/": Route.html("hi")}) as server:
        request(server.base_url, "/")
        request(server.base_url, "/missing", method="HEAD")
        log = server.requests()
        assert [(r.method, r.path, r.status) for r in log] == [
            ("GET", "/", 200),
            ("HEAD", "/missing", 404),
        ]
        assert all(r.host == f"127.0.0.1:{server.port}" for r in log)
        assert all(r.ended >= r.started for r in log)
        assert [r.in_flight for r in log] == [1, 1]
        assert server.max_in_flight() == 1
        assert server.request_count("/missing") == 1
        assert log[0].headers["Host"] == f"127.0.0.1:{server.port}"
        server.clear_log()
        assert server.requests() == []
        assert server.max_in_flight() == 0
        assert server.min_start_gap() == float("inf")


def test_in_flight_counts_concurrent_requests() -> None:
    routes = {
        f"/slow/{i}": Route(body=b"ok", content_type="text/plain", delay=0.3) for i in range(4)
    }
    with LocalSiteServer(routes) as server:
        barrier = threading.Barrier(4)
        statuses: list[int] = []

        def worker(i: int) -> None:
            barrier.wait()
            statuses.append(request(server.base_url, f"/slow/{i}").status)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert statuses == [200] * 4
        assert server.max_in_flight() == 4
        assert sorted(r.in_flight for r in server.requests()) == [1, 2, 3, 4]
        assert all(r.duration >= 0.29 for r in server.requests())
        assert server.in_flight() == 0


def test_sequential_requests_never_overlap_and_gap_is_measured() -> None:
    with LocalSiteServer({"/": Route.html("x")}, delay=0.02) as server:
        for _ in range(3):
            request(server.base_url, "/")
            time.sleep(0.1)
        assert server.max_in_flight() == 1
        assert server.min_start_gap() >= 0.1
        log = server.requests()
        assert all(a.ended <= b.started for a, b in zip(log, log[1:], strict=False))


def test_keep_alive_connection_and_clean_stop() -> None:
    before = threading.active_count()
    server = LocalSiteServer({"/": Route.html("x"), "/b": Route.html("y")}).start()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.request("GET", "/")
        first = conn.getresponse()
        assert first.read() == b"x"
        conn.request("GET", "/b")  # same connection, HTTP/1.1 keep-alive
        assert conn.getresponse().read() == b"y"
        started = time.monotonic()
        server.stop()  # must not wait for the idle kept-alive connection
        assert time.monotonic() - started < 2
    finally:
        conn.close()
        server.stop()
    assert threading.active_count() == before


def test_start_is_fast_and_port_is_free() -> None:
    started = time.monotonic()
    with LocalSiteServer({}) as one, LocalSiteServer({}) as two:
        assert one.port != two.port
        assert one.base_url.startswith("http://127.0.0.1:")
    assert time.monotonic() - started < 1


def test_base_url_before_start_is_an_error() -> None:
    with pytest.raises(RuntimeError):
        _ = LocalSiteServer({}).base_url


def test_serve_sample_blog_builds_routes_for_its_port(sample_server: LocalSiteServer) -> None:
    home = request(sample_server.base_url, "/").body.decode()
    assert f'href="{sample_server.base_url}/blog"' in home
    robots = request(sample_server.base_url, "/robots.txt").body.decode()
    assert f"Sitemap: {sample_server.base_url}/sitemap.xml" in robots

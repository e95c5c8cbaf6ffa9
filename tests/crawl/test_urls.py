from __future__ import annotations

import re
import string
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper import urls
from scraper.errors import OutOfScope, UsageError
from scraper.urls import (
    Scope,
    classify_url,
    looks_like_html,
    normalize_url,
    site_root,
    try_normalize,
    url_pattern,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTP://Example.COM:80/a", "http://example.com/a"),
        ("https://example.com:443", "https://example.com/"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("https://example.com/a#frag", "https://example.com/a"),
        ("https://example.com/a?utm_source=x&b=2&a=1&fbclid=z", "https://example.com/a?a=1&b=2"),
        ("https://example.com/a?UTM_Medium=x", "https://example.com/a"),
        ("https://example.com/%7euser/%2f", "https://example.com/~user/%2F"),
        ("https://example.com/a b", "https://example.com/a%20b"),
        ("https://example.com/post/先-sen", "https://example.com/post/%E5%85%88-sen"),
        ("https://example.com/post/%e5%85%88-sen", "https://example.com/post/%E5%85%88-sen"),
        ("https://example.com/a/./b/../c", "https://example.com/a/c"),
        ("https://bücher.example/", "https://xn--bcher-kva.example/"),
        ("https://example.com/?", "https://example.com/"),
    ],
)
def test_normalize_url(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


def test_normalize_is_idempotent_and_resolves_relative_links() -> None:
    url = normalize_url("../post/x?b=1&a=2#c", "https://example.com/blog/page/2")
    assert url == "https://example.com/blog/post/x?a=2&b=1"
    assert normalize_url(url) == url


def test_normalize_rejects_non_urls() -> None:
    with pytest.raises(UsageError):
        normalize_url("not a url")
    with pytest.raises(UsageError):
        normalize_url("http://example.com:99999/")


@pytest.mark.parametrize(
    "href", ["mailto:a@b.c", "javascript:void(0)", "#top", "", "tel:123", "ftp://example.com/f"]
)
def test_try_normalize_drops_non_http_links(href: str) -> None:
    assert try_normalize(href, "https://example.com/") is None


def test_site_root() -> None:
    assert site_root("HTTPS://WWW.Example.com:443/blog?x=1") == "https://www.example.com"


def test_scope_is_www_insensitive_and_http_only() -> None:
    scope = Scope.for_site("https://www.example.com/blog")
    assert scope.allows("https://example.com/post/a")
    assert scope.allows("http://www.example.com/post/a")
    assert not scope.allows("https://other.com/post/a")
    assert not scope.allows("https://sub.example.com/post/a")
    assert not scope.on_site("ftp://example.com/x")
    with pytest.raises(OutOfScope) as info:
        scope.check("https://evil.test/")
    assert info.value.url == "https://evil.test/"


def test_scope_include_and_exclude() -> None:
    scope = Scope.for_site("https://example.com", include=["/post/"], exclude=["draft"])
    assert scope.allows("https://example.com/post/a")
    assert not scope.allows("https://example.com/about")
    assert not scope.allows("https://example.com/post/draft-1")
    assert scope.excluded("https://example.com/post/draft-1")
    with pytest.raises(UsageError):
        Scope.for_site("https://example.com", include=["("])


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/post/when-your-best-isn-t-enough", "post"),
        ("/blog-1/post/slug", "post"),
        ("/single-post/2019/05/04/old-slug", "post"),
        ("/single-post/old-slug", "post"),
        ("/2016/05/greenpak4.html", "post"),
        ("/2023/01/15/hello-world/", "post"),
        ("/2023/01/hello-world/", "post"),
        ("/p/agency", "post"),
        ("/@someone/a-story-1a2b3c4d5e6f", "post"),
        ("/posts/python-envs/", "post"),
        ("/", "list"),
        ("/blog", "list"),
        ("/blog/page/3", "list"),
        ("/page/2/", "list"),
        ("/blog/categories/news", "list"),
        ("/tag/python/", "list"),
        ("/category/x/page/2/", "list"),
        ("/2023/01/", "list"),
        ("/2023/01/page/2/", "list"),
        ("/search/label/Go", "list"),
        ("/about", "unknown"),
        ("/blog/some-slug", "unknown"),
        ("/2023/01/feed/", "unknown"),
    ],
)
def test_classify_url(path: str, kind: str) -> None:
    assert classify_url("https://example.com" + path) == kind


def test_classify_list_queries() -> None:
    assert classify_url("https://example.com/blog?page=2") == "list"
    assert classify_url("https://example.com/?paged=3") == "list"
    assert classify_url("https://x.blogspot.com/search?updated-max=2020&max-results=7") == "list"


def test_looks_like_html() -> None:
    assert looks_like_html("https://example.com/post/a")
    assert looks_like_html("https://example.com/2016/05/a.html")
    assert not looks_like_html("https://example.com/img/a.JPG")
    assert not looks_like_html("https://example.com/feed.xml")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("https://b.test/calendar?m=7", "https://b.test/calendar?m=8", True),
        ("https://b.test/events/2024/05", "https://b.test/events/2025/11", True),
        ("https://b.test/c?y=2024&m=1", "https://b.test/c?m=3&y=1999", True),
        ("https://b.test/blog/page/2", "https://b.test/blog/page/300", True),
        ("https://b.test/tag/kilns", "https://b.test/tag/glazes", False),
        ("https://b.test/calendar?m=1", "https://b.test/calendar?d=1", False),
        ("https://b.test/calendar?m=1", "https://c.test/calendar?m=1", False),
    ],
)
def test_url_pattern_groups_urls_that_differ_only_in_numbers(a: str, b: str, same: bool) -> None:
    assert (url_pattern(a) == url_pattern(b)) is same


# --- what w3lib does now, and the key forms that must not move ------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # IDNA by w3lib: lower case, punycode, no trailing dot
        ("https://BÜCHER.example./post/x", "https://xn--bcher-kva.example/post/x"),
        ("https://пример.рф/", "https://xn--e1afmkfd.xn--p1ai/"),
        ("https://bücher.example/bücher", "https://xn--bcher-kva.example/b%C3%BCcher"),
        # a name IDNA refuses (a label over 63 characters) stays as it is
        ("https://" + "ü" * 64 + ".example/", "https://" + "ü" * 64 + ".example/"),
        # percent-encoding: unreserved decoded, the rest upper-cased, never decoded
        ("https://example.com/%7e%7Euser/%2f%2F", "https://example.com/~~user/%2F%2F"),
        ("https://example.com/a%3a%21%40", "https://example.com/a%3A%21%40"),
        ("https://example.com/%E9t%e9", "https://example.com/%E9t%E9"),  # not UTF-8: kept
        ("https://example.com/100%/%zz", "https://example.com/100%/%zz"),
        # non-ASCII as UTF-8, spaces and other characters a path may not hold
        ("https://example.com/café", "https://example.com/caf%C3%A9"),
        ("https://example.com/caf%c3%a9", "https://example.com/caf%C3%A9"),
        ("https://example.com/a b/ c", "https://example.com/a%20b/%20c"),
        ("https://example.com/a|b[c]^{d}", "https://example.com/a%7Cb%5Bc%5D%5E%7Bd%7D"),
        ("https://example.com/a\\b", "https://example.com/a%5Cb"),  # a character, not "/"
        ("https://example.com/a\x01", "https://example.com/a%01"),
        ("https://example.com/s?q=先", "https://example.com/s?q=%E5%85%88"),
        # default ports only
        ("http://example.com:80/", "http://example.com/"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:443/", "http://example.com:443/"),
        ("https://example.com:80/", "https://example.com:80/"),
        ("http://[::1]:80/a", "http://[::1]/a"),
        # empty queries
        ("https://example.com/a?", "https://example.com/a"),
        ("https://example.com/a?&&", "https://example.com/a"),
        ("https://example.com/a?utm_source=x", "https://example.com/a"),
        # dot segments, escaped ones too
        ("https://example.com/a/b/../../../c", "https://example.com/c"),
        ("https://example.com/a/%2e%2E/b", "https://example.com/b"),
        ("https://example.com/a/.", "https://example.com/a/"),
        ("https://example.com/a/b/..", "https://example.com/a/"),
    ],
)
def test_normalize_url_encoding(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected
    assert normalize_url(expected) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # w3lib's canonicalize_url would write each of these differently; stored frontiers
        # and posts are keyed by these spellings, so they stay
        ("https://example.com/?b=2&a=1&a-b=1", "https://example.com/?a-b=1&a=1&b=2"),
        ("https://example.com/q?s=a b&t=a+b&u=%7e", "https://example.com/q?s=a%20b&t=a+b&u=~"),
        ("https://example.com/q?flag&a=1", "https://example.com/q?a=1&flag"),
        ("https://example.com/q?x='y'", "https://example.com/q?x='y'"),
        ("https://example.com/a%21!|", "https://example.com/a%21!%7C"),
    ],
)
def test_normalized_keys_keep_their_spelling(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


@pytest.mark.parametrize(
    "url",
    ["https://a\uff3cb.example/", "https://bücher.example\\post"],  # fullwidth, plain
)
def test_non_ascii_host_with_a_backslash_is_refused(url: str) -> None:
    with pytest.raises(UsageError):
        normalize_url(url)
    assert try_normalize(url, "https://example.com/") is None


def test_host_ending_in_a_dot_after_nfkc_is_idempotent() -> None:
    once = normalize_url("https://a\u2488/")  # "⒈" is "1." under NFKC
    assert once == "https://a1/"
    assert normalize_url(once) == once


_CLEAN_PATHS = st.builds(
    lambda segments: "".join("/" + s for s in segments),
    st.lists(st.text(string.ascii_letters + string.digits + urls._PATH_SAFE, max_size=12)),
)


@settings(max_examples=1000, derandomize=True, deadline=None)
@given(_CLEAN_PATHS)
def test_w3lib_leaves_clean_paths_alone(path: str) -> None:
    """The fast path skips _encode_path exactly when this holds."""
    assert urls._PATH_CLEAN.fullmatch(path)
    assert urls._encode_path(path) == path


_URLS = st.builds(
    lambda scheme, host, path, query: f"{scheme}://{host}{path}?{query}#f",
    st.sampled_from(["http", "https", "HTTPS"]),
    st.sampled_from(["example.com", "Example.COM:443", "bücher.example", "u:p@x.test:8080"]),
    st.one_of(_CLEAN_PATHS, st.text(max_size=30).map(lambda t: "/" + t.replace("?", ""))),
    st.text(max_size=20),
)


@settings(max_examples=1000, derandomize=True, deadline=None)
@given(_URLS)
def test_fast_path_gives_what_w3lib_gives(url: str) -> None:
    fast = normalize_url(url)
    with mock.patch.object(urls, "_PATH_CLEAN", re.compile(r"(?!)")):  # always w3lib
        full = normalize_url(url)
    assert fast == full


def test_text_that_is_not_utf8_is_a_clean_error() -> None:
    # (a lone surrogate cannot be percent-encoded as UTF-8)
    with pytest.raises(UsageError, match="cannot be encoded"):
        normalize_url("https://a.example/x\udcff")
    assert try_normalize("https://a.example/x?q=\udcff") is None

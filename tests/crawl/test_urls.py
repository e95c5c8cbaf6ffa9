from __future__ import annotations

import pytest

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

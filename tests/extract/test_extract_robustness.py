"""Bad input: extract_post returns a Post or raises ExtractionError, and does so quickly."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scraper.errors import ExtractionError
from scraper.extract import extract_post
from scraper.model import Post

URL = "https://blog.example.com/post/x"
FETCHED = datetime(2026, 1, 1, tzinfo=UTC)
FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
PAGE = (
    "<html lang='fr'><head><meta charset='{charset}'><title>Étude | Blog</title></head><body>"
    "<article><h1>Étude</h1><p>Il y a 3 jours · {text}</p><p>Prix : 9,50 € - Acheter</p>"
    "</article></body></html>"
)


def _ok_or_extraction_error(data: str | bytes) -> Post | None:
    try:
        post = extract_post(data, URL, FETCHED)
    except ExtractionError as exc:
        assert exc.target == URL
        return None
    assert isinstance(post, Post)
    post.to_dict()
    return post


@FAST
@given(st.binary(max_size=4000))
def test_any_bytes(data: bytes) -> None:
    _ok_or_extraction_error(data)


@FAST
@given(st.text(max_size=3000))
def test_any_text(data: str) -> None:
    _ok_or_extraction_error(data)


@FAST
@given(
    st.sampled_from(["utf-8", "latin-1", "cp1252", "utf-16", "shift_jis", "koi8-r", "utf-32"]),
    st.text(alphabet=st.characters(codec="latin-1"), max_size=200),
)
def test_pages_in_any_encoding(encoding: str, text: str) -> None:
    page = PAGE.format(charset=encoding, text=text)
    data = page.encode(encoding, "replace")
    post = _ok_or_extraction_error(data)
    if encoding in ("utf-8", "cp1252", "latin-1", "utf-16", "utf-32"):
        assert post is not None and post.title == "Étude"


@FAST
@given(st.integers(min_value=0, max_value=2000), st.sampled_from(["utf-8", "utf-16"]))
def test_truncated_pages(cut: int, encoding: str) -> None:
    data = (PAGE.format(charset=encoding, text="x" * 50) * 3).encode(encoding)
    _ok_or_extraction_error(data[:cut])


@FAST
@given(st.lists(st.sampled_from(["<div>", "</div>", "<p>", "<b>", "</b>", "<table>", "<td>",
                                 "<a href='/post/y'>", "</a>", "text ", "<ul><li>", "<!--",
                                 "<script>", "</script>", "<h2>", "&amp;", "<br>", "<pre>"]),
                max_size=300))  # fmt: skip
def test_random_tag_soup(parts: list[str]) -> None:
    _ok_or_extraction_error("".join(parts))


@pytest.mark.parametrize(
    "data",
    [b"", b"   ", "", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10, b"\x00" * 5000,
     b"%PDF-1.7\n" + b"\xff" * 2000, b"PK\x03\x04" + b"\x01" * 1000],
)  # fmt: skip
def test_empty_and_binary_input_raises(data: str | bytes) -> None:
    with pytest.raises(ExtractionError) as info:
        extract_post(data, URL)
    assert info.value.target == URL


@pytest.mark.parametrize("tag", ["div", "span", "b", "table", "ul", "blockquote", "a"])
def test_deep_nesting_is_fast(tag: str) -> None:
    html = "<html><body>" + f"<{tag}>" * 100_000 + "deep"
    html += f"</{tag}>" * 100_000
    start = time.perf_counter()
    _ok_or_extraction_error(html)
    assert time.perf_counter() - start < 3.0


def test_unclosed_deep_nesting_is_fast() -> None:
    start = time.perf_counter()
    _ok_or_extraction_error("<div>" * 100_000 + "<p>text</p>")
    assert time.perf_counter() - start < 3.0


def test_very_large_page_is_linear() -> None:
    para = "<p>" + "word " * 50 + "<a href='/post/other-post'>link</a></p>"
    small = "<html><body><article>" + para * 200 + "</article></body></html>"
    large = "<html><body><article>" + para * 4000 + "</article></body></html>"
    start = time.perf_counter()
    extract_post(small, URL)
    t_small = time.perf_counter() - start
    start = time.perf_counter()
    post = extract_post(large, URL)
    t_large = time.perf_counter() - start
    assert post.word_count > 200_000
    assert t_large < max(40 * t_small, 0.5) and t_large < 5.0


def test_wrong_argument_types_raise_extraction_error() -> None:
    with pytest.raises(ExtractionError):
        extract_post(12345, URL)  # type: ignore[arg-type]


@pytest.mark.parametrize("label", ["iso-8859-1", "windows-1252", "iso-8859-15"])
def test_a_stale_single_byte_label_on_utf8_bytes_is_overruled(label: str) -> None:
    page = PAGE.format(charset=label, text="Forstærket håb — «Tatort» aus München")
    post = extract_post(page.encode("utf-8"), URL, FETCHED)
    assert post.title == "Étude"
    assert "Forstærket håb — «Tatort» aus München" in post.body_text


def test_a_single_byte_page_that_is_not_utf8_keeps_its_label() -> None:
    page = PAGE.format(charset="windows-1252", text="Forstærket håb")
    post = extract_post(page.encode("cp1252"), URL, FETCHED)
    assert "Forstærket håb" in post.body_text


def test_double_encoded_titles_and_names_are_read_again_as_utf8() -> None:
    broken = "A DIY Investor’s Guide".encode().decode("latin-1")  # "Investorâ\x80\x99s"
    page = (
        f"<html><head><meta charset='utf-8'><title>{broken}</title>"
        "<meta name='author' content='JÃ¼rgen MÃ¼ller'></head><body><article>"
        f"<h1>{broken}</h1><p>{'Plenty of words in a paragraph. ' * 12}</p></article>"
        "</body></html>"
    )
    post = extract_post(page.encode("utf-8"), URL, FETCHED)
    assert post.title == "A DIY Investor’s Guide"
    assert [a.name for a in post.authors] == ["Jürgen Müller"]

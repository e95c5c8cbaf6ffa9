"""UrlSet: a set of URLs by digest, for the crawl's run-long "seen before?" sets."""

from __future__ import annotations

import sys

from hypothesis import given
from hypothesis import strategies as st

from scraper.urlset import UrlSet


@given(
    st.lists(st.text(max_size=40), max_size=30),
    st.lists(st.text(max_size=40), max_size=10),
    st.text(max_size=40),
)
def test_answers_like_a_set_of_strings(added: list[str], removed: list[str], probe: str) -> None:
    urls, plain = UrlSet(added[:3]), set(added[:3])
    for url in added[3:]:
        urls.add(url)
        plain.add(url)
    urls.difference_update(removed[:5])
    plain.difference_update(removed[:5])
    for url in removed[5:]:
        urls.discard(url)
        plain.discard(url)
    urls.update(["https://blog.test/post/a"])
    plain.update(["https://blog.test/post/a"])
    assert len(urls) == len(plain)
    for url in [probe, *added, *removed, "https://blog.test/post/a"]:
        assert (url in urls) == (url in plain)
    assert 3 not in urls  # not a string: never in the set


def test_merged_digests_answer_like_a_set_of_strings() -> None:
    urls = [f"https://blog.test/post/{i}" for i in range(6000)]
    digests, plain = UrlSet(urls[:1500]), set(urls[:1500])
    for url in urls[1500:5000]:  # several merges of the recent additions into the array
        digests.add(url)
        plain.add(url)
    digests.add(urls[10])  # already there: no duplicate
    removed = urls[::7]  # from the array and from the recent set
    digests.difference_update(removed)
    plain.difference_update(removed)
    digests.update(urls[:3])
    plain.update(urls[:3])
    assert len(digests) == len(plain)
    assert [u in digests for u in urls] == [u in plain for u in urls]


def test_keeps_no_url_alive_and_is_a_tenth_of_the_strings() -> None:
    urls = [f"https://blog.test/post/a-rather-long-post-slug-{i:05d}" for i in range(20000)]
    digests = UrlSet(urls)
    before = sys.getrefcount(urls[0])
    digests.add(urls[0])
    after = sys.getrefcount(urls[0])
    assert after == before
    recent = digests._recent
    kept = sys.getsizeof(digests._sorted) + sys.getsizeof(recent)
    kept += sum(sys.getsizeof(d) for d in recent)
    plain = set(urls)
    strings = sys.getsizeof(plain) + sum(sys.getsizeof(u) for u in plain)
    assert kept < strings / 10

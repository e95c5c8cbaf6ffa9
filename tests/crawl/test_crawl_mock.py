"""The crawl loop over httpx.MockTransport: failures, redirects, duplicates, depth, scope."""

from __future__ import annotations

import asyncio
from datetime import datetime

import httpx
import pytest

import scraper.crawl
import scraper.crawl_pool
from scraper.crawl import CrawlOptions, CrawlProgress, CrawlSummary, crawl_site
from scraper.errors import ExtractionError
from scraper.extract import extract_post as real_extract
from scraper.fetch import make_client
from scraper.model import Post

from .mocksite import MockSite
from .store import SqliteStore

B = "https://blog.test"


def post(title: str, canonical: str | None = None, links: str = "") -> str:
    can = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        f'<html><head><meta property="og:type" content="article">{can}<title>{title}</title>'
        f"</head><body><h1>{title}</h1>{links}</body></html>"
    )


def home(*links: str) -> str:
    return (
        "<html><body>" + "".join(f'<h2><a href="{u}">x</a></h2>' for u in links) + "</body></html>"
    )


def run(site: MockSite, store: SqliteStore, **kw: object) -> CrawlSummary:
    options = CrawlOptions(**{"delay": 0.0, "retries": 2, "sources": ("list",), **kw})  # type: ignore[arg-type]
    events: list[CrawlProgress] = []

    async def go() -> CrawlSummary:
        async with make_client(options.fetch_config(), httpx.MockTransport(site)) as client:
            return await crawl_site(f"{B}/", store, options, client=client, progress=events.append)

    summary = asyncio.run(go())
    assert events[0].phase == "discovery" and events[-1].phase == "done"
    return summary


def test_failures_are_recorded_and_the_crawl_goes_on(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:

    def extract(html: str | bytes, url: str, fetched_at: datetime | None = None) -> Post:
        if url.endswith("/post/broken"):
            raise ExtractionError("no body found", url)
        if url.endswith("/post/crash"):
            raise RuntimeError("bug")
        return real_extract(html, url, fetched_at)

    monkeypatch.setattr(scraper.crawl_pool, "extract_post", extract)
    site = MockSite(
        {
            f"{B}/": home(
                "/post/ok", "/post/gone", "/post/flaky", "/post/away", "/post/broken", "/post/crash"
            ),
            f"{B}/post/ok": post("OK"),
            f"{B}/post/flaky": httpx.Response(502),
            f"{B}/post/away": httpx.Response(302, headers={"Location": "https://elsewhere.test/"}),
            f"{B}/post/broken": post("Broken"),
            f"{B}/post/crash": post("Crash"),
        }
    )
    summary = run(site, store)
    assert summary.status == "completed"
    assert store.post_urls() == {f"{B}/post/ok"}
    reasons = store.reasons(summary.run_id)
    assert reasons[f"{B}/post/gone"].startswith("http_status: HTTP 404")
    assert reasons[f"{B}/post/flaky"].startswith("http_status: HTTP 502")
    assert reasons[f"{B}/post/away"].startswith("out_of_scope")
    assert reasons[f"{B}/post/broken"].startswith("extraction: no body found")
    assert reasons[f"{B}/post/crash"].startswith("extraction: extractor crashed")
    assert summary.stats.failed == 5
    assert site.log.count(f"{B}/post/flaky") == 2  # retried, then recorded
    assert "https://elsewhere.test/" not in site.log


def test_a_bug_outside_the_extractor_fails_one_page_not_the_crawl(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_page = scraper.crawl.HtmlPage

    def page(body: bytes | str, url: str) -> object:
        if url.endswith("/list/bad"):
            raise RecursionError("maximum recursion depth exceeded")
        return real_page(body, url)

    monkeypatch.setattr(scraper.crawl, "HtmlPage", page)
    site = MockSite(
        {
            f"{B}/": home("/post/ok", "/list/bad", "/post/two"),
            f"{B}/post/ok": post("OK"),
            f"{B}/list/bad": home("/post/three"),
            f"{B}/post/two": post("Two"),
        }
    )
    summary = run(site, store, sources=("list", "links"))
    assert summary.status == "completed"
    assert store.post_urls() == {f"{B}/post/ok", f"{B}/post/two"}
    reason = store.reasons(summary.run_id)[f"{B}/list/bad"]
    assert reason.startswith("crawl: internal error (RecursionError: maximum recursion")
    assert f"{B}/list/bad" in reason
    assert summary.stats.failed == 1


def test_redirected_post_is_saved_under_its_final_url(store: SqliteStore) -> None:
    site = MockSite(
        {
            f"{B}/": home("/post/old"),
            f"{B}/post/old": httpx.Response(301, headers={"Location": "/post/new"}),
            f"{B}/post/new": post("New"),
        }
    )
    run(site, store)
    assert store.post_urls() == {f"{B}/post/new"}


def test_same_canonical_post_is_saved_once(store: SqliteStore) -> None:
    site = MockSite(
        {
            f"{B}/": home("/post/a", "/post/a?ref=home", "/post/b"),
            f"{B}/post/a": post("A", canonical=f"{B}/post/a"),
            f"{B}/post/a?ref=home": post("A", canonical=f"{B}/post/a"),
            f"{B}/post/b": post("B", canonical=f"{B}/"),  # a bad canonical is ignored
        }
    )
    summary = run(site, store, concurrency=1)
    assert store.post_urls() == {f"{B}/post/a", f"{B}/post/b"}
    assert store.reasons(summary.run_id)[f"{B}/post/a?ref=home"] == f"duplicate of {B}/post/a"


def test_max_depth_limits_link_following(store: SqliteStore) -> None:
    site = MockSite(
        {
            f"{B}/": home("/one"),
            f"{B}/one": post("One", links='<a href="/two">2</a>'),
            f"{B}/two": post("Two", links='<a href="/three">3</a>'),
            f"{B}/three": post("Three"),
        }
    )
    run(site, store, sources=("links",), max_depth=2)
    assert store.post_urls() == {f"{B}/one", f"{B}/two"}
    assert f"{B}/three" not in site.log


def test_include_and_exclude_patterns(store: SqliteStore) -> None:
    site = MockSite(
        {
            f"{B}/": home("/post/keep", "/post/draft-x", "/about"),
            f"{B}/post/keep": post("Keep"),
            f"{B}/post/draft-x": post("Draft"),
            f"{B}/about": post("About"),
        }
    )
    run(site, store, sources=("links",), include=("/post/",), exclude=("draft",))
    assert store.post_urls() == {f"{B}/post/keep"}
    assert f"{B}/about" not in site.log and f"{B}/post/draft-x" not in site.log


def test_non_html_pages_are_saved_without_extraction(store: SqliteStore) -> None:
    site = MockSite(
        {
            f"{B}/": home("/post/file"),
            f"{B}/post/file": httpx.Response(
                200, content=b"%PDF-1.4", headers={"Content-Type": "application/pdf"}
            ),
        }
    )
    summary = run(site, store)
    assert store.outcomes(summary.run_id)[f"{B}/post/file"] == "not_post"


def test_bad_options_are_usage_errors() -> None:
    from scraper.errors import UsageError

    for bad in ({"concurrency": 0}, {"delay": -1}, {"sources": ("magic",)}, {"retries": 0}):
        with pytest.raises(UsageError):
            CrawlOptions(**bad)


def test_start_url_moved_to_another_host_is_followed(store: SqliteStore) -> None:
    site = MockSite(
        {
            f"{B}/": httpx.Response(301, headers={"Location": "https://journal.test/blog"}),
            "https://journal.test/blog": home("/post/x"),
            "https://journal.test/post/x": post("X"),
        }
    )
    summary = run(site, store)
    assert summary.site == "https://journal.test"
    assert store.post_urls() == {"https://journal.test/post/x"}
    assert "https://journal.test/robots.txt" in site.log

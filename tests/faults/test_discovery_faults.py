"""Faults in what discovery reads (robots.txt, sitemaps, feeds) and crawler traps: the crawl
completes, the fault is reported, memory and requests stay bounded, posts are untouched."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

from scraper.crawl import CrawlOptions, discover

from . import faults, harness
from .report import Reliability
from .server import FaultServer

MB = 1024 * 1024


def _prepare(server: FaultServer, db_url: str) -> dict[str, object]:
    harness.install_blog(server)
    harness.crawl(server, db_url)
    before = harness.snapshot(db_url)
    assert len(before) == harness.POSTS
    server.clear_hits()
    return before


def _discovery_errors(server: FaultServer) -> str:
    """What ``blogbinder discover`` reports (it reads every advertised feed)."""
    found = asyncio.run(discover(server.url("/"), harness.OPTIONS))
    return " | ".join(found.errors)


def _unchanged(db_url: str, before: dict[str, object]) -> None:
    after = harness.snapshot(db_url)
    assert {url: after[url] for url in before} == before


def test_entity_bombs_and_external_entities(tmp_path: Path, reliability: Reliability) -> None:
    """Billion laughs and external entities in the sitemap and the feed are refused."""
    db_url = f"sqlite:///{tmp_path / 'x.db'}"
    with FaultServer() as server:
        before = _prepare(server, db_url)
        base = server.base_url
        sitemap = server.routes["/sitemap.xml"]
        server.routes["/sitemap.xml"] = faults.page(faults.laughs_sitemap(base), "text/xml")
        run = harness.crawl(server, db_url)
        errors = " | ".join(run.summary.discovery_errors)
        assert run.summary.status == "completed"
        assert "DTD" in errors and server.url("/sitemap.xml") in errors
        stored = harness.outcomes(tmp_path / "x.db", run.summary.run_id)
        outcome, kind, detail = stored[server.url("/sitemap.xml")]  # recorded with its reason
        assert (outcome, kind) == ("failed", "discovery") and "DTD" in detail
        assert run.summary.stats.errors.get("discovery") == 1
        server.routes["/sitemap.xml"] = sitemap
        server.routes["/feed.xml"] = faults.page(faults.laughs_feed(base), "text/xml")
        assert server.url("/feed.xml") in _discovery_errors(server)
        assert run.peak < 40 * MB
        _unchanged(db_url, before)
        reliability.add(
            "xml",
            "billion laughs in the sitemap and in the feed",
            "refused before expansion (DTD entity declarations not accepted); "
            "recorded as failed (kind discovery) with the reason; crawl completed",
            f"peak {run.peak / MB:.1f} MB",
        )

        server.routes["/sitemap.xml"] = faults.page(faults.external_sitemap(base), "text/xml")
        server.clear_hits()
        run = harness.crawl(server, db_url)
        errors = " | ".join(run.summary.discovery_errors)
        assert run.summary.status == "completed"
        assert server.url("/sitemap.xml") in errors
        server.routes["/sitemap.xml"] = sitemap
        server.routes["/feed.xml"] = faults.page(faults.external_feed(base), "text/xml")
        _discovery_errors(server)  # an external DTD is never fetched; "&secret;" stays text
        assert server.hit_count("/xxe") == 0 and server.hit_count("/xxe-dtd") == 0
        with (tmp_path / "x.db").open("rb") as handle:
            assert b"root:x:0:0" not in handle.read()  # /etc/passwd never read into the db
        _unchanged(db_url, before)
    reliability.add(
        "xml",
        "external entities (file:///etc/passwd, http URL, external DTD) in sitemap and feed",
        "refused; no request for the entity or DTD; nothing of the file stored",
        "0 hits on the entity URLs",
    )


def test_sitemap_of_50000_urls(tmp_path: Path, reliability: Reliability) -> None:
    db_url = f"sqlite:///{tmp_path / 's.db'}"
    with FaultServer() as server:
        before = _prepare(server, db_url)
        body = faults.big_sitemap(server.base_url, harness.posts(), 50_000)
        server.routes["/sitemap.xml"] = faults.page(body, "application/xml")
        options = replace(harness.OPTIONS, max_pages=20)
        run = harness.crawl(server, db_url, options)
        assert run.summary.status == "completed"
        assert run.summary.stats.discovered >= 50_000
        assert run.summary.stats.fetched + run.summary.stats.failed <= 20
        assert run.peak < 150 * MB, f"peak {run.peak / MB:.0f} MB"
        assert run.seconds < 40
        _unchanged(db_url, before)
    reliability.add(
        "sitemap",
        f"sitemap of 50,000 URLs ({len(body) / MB:.1f} MB)",
        "all 50,000 URLs queued in the frontier; --max-pages bounds the fetches",
        f"peak {run.peak / MB:.0f} MB; {run.seconds:.1f} s",
    )


def test_five_megabyte_robots_txt(tmp_path: Path, reliability: Reliability) -> None:
    db_url = f"sqlite:///{tmp_path / 'r.db'}"
    with FaultServer() as server:
        before = _prepare(server, db_url)
        text = faults.big_robots(5 * MB)
        server.routes["/robots.txt"] = faults.page(text, "text/plain")
        run = harness.crawl(server, db_url)
        assert run.summary.status == "completed"
        assert server.hit_count("/robots.txt") == 1
        assert run.peak < 120 * MB, f"peak {run.peak / MB:.0f} MB"
        assert run.seconds < 20
        _unchanged(db_url, before)
    reliability.add(
        "robots",
        "robots.txt of 5 MB (140,000 rules)",
        "only the first 512 KiB is parsed (RFC 9309 minimum is 500 KiB); crawl completed",
        f"1 hit; peak {run.peak / MB:.0f} MB; {run.seconds:.1f} s",
    )


def test_infinite_calendar_is_bounded(tmp_path: Path, reliability: Reliability) -> None:
    """A calendar whose every month links to the next: bounded by --max-depth/--max-pages."""
    db_url = f"sqlite:///{tmp_path / 'c.db'}"
    with FaultServer() as server:
        before = _prepare(server, db_url)
        harness.install_blog(server, extra=("/calendar?m=0",))
        trap = faults.calendar(server.base_url)
        for month in range(-200, 400):
            server.routes[f"/calendar?m={month}"] = trap
        options: CrawlOptions = replace(harness.OPTIONS, max_depth=15)
        run = harness.crawl(server, db_url, options)
        assert run.summary.status == "completed"
        calendar_hits = sum(n for path, n in server.hits.items() if path.startswith("/calendar"))
        assert calendar_hits <= 2 * 15 + 1
        budget = replace(harness.OPTIONS, max_pages=40)
        server.clear_hits()
        second = harness.crawl(server, db_url, budget)
        assert second.summary.status == "completed"
        assert sum(server.hits.values()) <= 40 + 10  # pages + robots, sitemaps, feed
        # Neither flag: the per-pattern cap (default 1000; 60 here to keep the test short)
        for month in range(-1000, 1000):
            server.routes[f"/calendar?m={month}"] = trap
        capped = replace(harness.OPTIONS, max_per_pattern=60)
        server.clear_hits()
        third = harness.crawl(server, db_url, capped)
        assert third.summary.status == "completed"
        pattern_hits = sum(n for path, n in server.hits.items() if path.startswith("/calendar"))
        assert 50 <= pattern_hits <= 60
        _unchanged(db_url, before)
    reliability.add(
        "trap",
        "infinite calendar (each month links to the next and previous)",
        "bounded by --max-depth (15 hops), --max-pages (40), and with neither by "
        "--max-per-pattern (default 1000 non-post pages per URL pattern; 60 in the test)",
        f"{calendar_hits} calendar pages at depth 15; {pattern_hits} under the pattern cap",
    )

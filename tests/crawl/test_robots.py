from __future__ import annotations

import httpx

from scraper.robots import RobotsRules, user_agent_token

from .mocksite import MockSite

ROBOTS = """\
User-agent: *
Disallow: /private/
Allow: /private/open
Crawl-delay: 3

User-agent: blogbinder
Disallow: /drafts/
Crawl-delay: 0.5

Sitemap: https://blog.test/sitemap_index.xml
"""


def test_rules_for_our_agent() -> None:
    rules = RobotsRules.parse("https://blog.test/robots.txt", ROBOTS, "blogbinder/0.1.0 (+x)")
    assert not rules.allowed("https://blog.test/drafts/a")
    assert rules.allowed("https://blog.test/private/a")  # our group replaces the * group
    assert rules.crawl_delay == 0.5
    assert rules.sitemaps == ("https://blog.test/sitemap_index.xml",)


def test_rules_for_other_agents_use_star_group() -> None:
    rules = RobotsRules.parse("https://blog.test/robots.txt", ROBOTS, "otherbot/1.0")
    assert not rules.allowed("https://blog.test/private/a")
    assert rules.allowed("https://blog.test/private/open")
    assert rules.crawl_delay == 3.0


def test_user_agent_token() -> None:
    assert user_agent_token("blogbinder/0.1.0 (+https://x)") == "blogbinder"


def test_missing_robots_allows_all_and_server_error_disallows() -> None:
    site = MockSite({"https://blog.test/": "<html><body>home</body></html>"})
    result = site.discover("https://blog.test/", sources=("list",))
    assert result.robots.mode == "allow_all" and result.robots.status == 404

    site = MockSite({"https://blog.test/robots.txt": httpx.Response(503)})
    result = site.discover("https://blog.test/", sources=("list",))
    assert result.robots.mode == "disallow_all"
    assert result.disallowed == ["https://blog.test/"]
    assert site.log == ["https://blog.test/robots.txt"]  # nothing else was fetched


def test_discovery_obeys_robots_and_reads_its_sitemaps() -> None:
    site = MockSite(
        {
            "https://blog.test/robots.txt": "User-agent: *\nDisallow: /secret/\n"
            "Sitemap: https://blog.test/maps/main.xml\n",
            "https://blog.test/maps/main.xml": "<urlset><url><loc>https://blog.test/post/a</loc>"
            "</url><url><loc>https://blog.test/secret/b</loc></url></urlset>",
        }
    )
    result = site.discover("https://blog.test/", sources=("sitemap",))
    assert [f.url for f in result.found] == ["https://blog.test/post/a"]
    assert result.disallowed == ["https://blog.test/secret/b"]
    assert "https://blog.test/sitemap.xml" not in site.log


def test_crawl_delay_slows_the_fetcher_down() -> None:
    import asyncio

    from scraper.discover import run_discovery
    from scraper.fetch import FetchConfig, Fetcher, make_client
    from scraper.options import CrawlOptions

    site = MockSite({"https://blog.test/robots.txt": "User-agent: *\nCrawl-delay: 4\n"})
    config = FetchConfig(delay=0.5)

    now = [0.0]

    async def no_wait(seconds: float) -> None:
        now[0] += seconds  # a fake clock: spacing is measured elsewhere

    async def go() -> float:
        async with make_client(config, httpx.MockTransport(site)) as client:
            fetcher = Fetcher(client, config, sleep=no_wait, clock=lambda: now[0])
            options = CrawlOptions(sources=("sitemap",), delay=0.0)
            await run_discovery(fetcher, "https://blog.test/", options, walk=False)
            return fetcher.host_delay("https://blog.test/post/a")

    assert asyncio.run(go()) == 4.0

"""The Scrapy peer for bench/crawl_throughput.py: sitemap spider, same extraction, JSON lines.

Run as: python bench/_scrapy_spider.py BASE_URL OUT.jsonl CONCURRENCY
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.spiders import SitemapSpider

from scraper import extract_post


class BlogSpider(SitemapSpider):
    name = "blog"

    def parse(self, response: Any) -> Any:
        post = extract_post(response.body, response.url, datetime.now(UTC))
        yield post.to_dict()


def main() -> None:
    base, out, concurrency = sys.argv[1], sys.argv[2], int(sys.argv[3])
    process = CrawlerProcess(
        settings={
            "CONCURRENT_REQUESTS": concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
            "DOWNLOAD_DELAY": 0,
            "ROBOTSTXT_OBEY": True,
            "LOG_LEVEL": "WARNING",
            "TELNETCONSOLE_ENABLED": False,
            "FEEDS": {out: {"format": "jsonlines", "overwrite": True}},
            "DOWNLOAD_MAXSIZE": 20_000_000,
        }
    )
    process.crawl(BlogSpider, sitemap_urls=[f"{base}/robots.txt"])
    process.start()


if __name__ == "__main__":
    main()

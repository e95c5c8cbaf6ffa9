"""The query commands over a crawled sample blog: filters, formats, show, history, products."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from scraper.cli import cli
from scraper.sample import expected_posts
from scraper.sample.server import LocalSiteServer, serve_sample_blog


@pytest.fixture(scope="module")
def blog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LocalSiteServer, str]]:
    db = f"sqlite:///{tmp_path_factory.mktemp('q') / 'q.db'}"
    with serve_sample_blog() as server:
        result = CliRunner().invoke(
            cli, ["--quiet", "crawl", server.base_url + "/", "--db", db, "--delay", "0"]
        )
        assert result.exit_code == 0, result.output
        yield server, db


def _json(args: list[str]) -> object:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_posts_filters(blog: tuple[LocalSiteServer, str]) -> None:
    server, db = blog
    truth = expected_posts(server.base_url)
    author = truth[0]["authors"][0]["name"]
    rows = _json(["posts", "--db", db, "--json", "--author", author])
    assert isinstance(rows, list) and rows
    expected_urls = {t["url"] for t in truth if author in [a["name"] for a in t["authors"]]}
    assert {r["url"] for r in rows} == expected_urls

    newest = _json(["posts", "--db", db, "--json", "--limit", "3", "--order", "newest"])
    assert isinstance(newest, list) and len(newest) == 3
    dates = [r["published_at"] for r in newest]
    assert dates == sorted(dates, reverse=True)

    word = truth[0]["title"].split()[-1].strip("()?!.,:")
    found = _json(["posts", "--db", db, "--json", "--search", word])
    assert isinstance(found, list) and truth[0]["url"] in {r["url"] for r in found}

    since = _json(["posts", "--db", db, "--json", "--since", "2100-01-01"])
    assert since == []


def test_posts_csv_and_nl(blog: tuple[LocalSiteServer, str]) -> None:
    _, db = blog
    result = CliRunner().invoke(cli, ["posts", "--db", db, "--csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(expected_posts(blog[0].base_url))
    assert set(rows[0]) >= {"title", "url", "published_at"}
    result = CliRunner().invoke(cli, ["posts", "--db", db, "--nl"])
    lines = result.stdout.strip().splitlines()
    assert len(lines) == len(rows) and all(json.loads(line)["url"] for line in lines)


def test_show_products_links_authors_runs(blog: tuple[LocalSiteServer, str]) -> None:
    server, db = blog
    truth = next(t for t in expected_posts(server.base_url) if len(t["products"]) >= 3)
    shown = _json(["show", truth["url"], "--db", db])
    assert isinstance(shown, dict)
    assert shown["post"]["title"] == truth["title"]
    assert [p["name"] for p in shown["post"]["products"]] == [p["name"] for p in truth["products"]]
    body = CliRunner().invoke(cli, ["show", str(shown["id"]), "--db", db, "--markdown"])
    assert body.exit_code == 0 and body.stdout.strip() == shown["post"]["body_markdown"].strip()

    products = _json(["products", "--db", db, "--json"])
    assert isinstance(products, list)
    names = {p["name"] for p in products}
    assert {p["name"] for p in truth["products"]} <= names

    links = _json(["links", "--db", db, "--json"])
    assert isinstance(links, list) and any(link["target_id"] for link in links)

    authors = _json(["authors", "--db", db, "--json"])
    assert isinstance(authors, list) and sum(a["posts"] for a in authors) >= len(authors)

    runs = _json(["runs", "--db", db, "--json"])
    assert isinstance(runs, list) and runs[0]["status"] == "completed"


def test_show_unknown_post_is_one_line(blog: tuple[LocalSiteServer, str]) -> None:
    _, db = blog
    result = CliRunner().invoke(cli, ["show", "https://nowhere.example/post/x", "--db", db])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) == 1


def test_changed_post_makes_one_version_and_history_diff(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'h.db'}"
    with serve_sample_blog() as server:
        crawl = ["--quiet", "crawl", server.base_url + "/", "--db", db, "--delay", "0"]
        assert CliRunner().invoke(cli, crawl).exit_code == 0
        assert CliRunner().invoke(cli, crawl).exit_code == 0  # nothing changed
        base = server.base_url
        truth = expected_posts(base)[0]
        path = truth["url"].removeprefix(server.base_url)
        route = server.route(path)
        assert route is not None
        first_paragraph = truth["paragraphs"][0]
        edited = route.body.replace(
            first_paragraph.encode()[:40],
            b"A freshly edited opening. " + first_paragraph.encode()[:40],
            1,
        )
        assert edited != route.body
        server.set_route(path, replace(route, body=edited))
        # as a real site does, the sitemap announces the edit with a newer lastmod
        sitemap = server.route("/blog-posts-sitemap.xml")
        assert sitemap is not None
        text = sitemap.body.decode()
        start = text.index(f"<loc>{truth['url']}</loc><lastmod>") + len(truth["url"]) + 20
        end = text.index("</lastmod>", start)
        text = text[:start] + "2030-01-01T00:00:00.000Z" + text[end:]
        server.set_route("/blog-posts-sitemap.xml", replace(sitemap, body=text.encode()))
        assert CliRunner().invoke(cli, crawl).exit_code == 0
    versions = _json(["history", truth["url"], "--db", db, "--json"])
    assert isinstance(versions, list) and len(versions) == 2
    history = CliRunner().invoke(cli, ["history", truth["url"], "--db", db])
    assert "+" in history.stdout and "A freshly edited opening." in history.stdout
    rows = _json(["posts", "--db", db, "--json"])
    assert isinstance(rows, list) and len(rows) == len(expected_posts(base))

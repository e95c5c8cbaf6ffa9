"""The plain flavor: what the Markdown says, and that its links lead somewhere."""

from __future__ import annotations

from pathlib import Path

import yaml

from archive import ArchiveEntry, ExportOptions, export_markdown
from archive._urls import url_key
from scraper.model import Post

from .conftest import SITE
from .helpers import parse_markdown, read_export, resolve

HOST = "blog.example.com"


def _export(entries: list[ArchiveEntry], out: Path) -> dict[str, Path]:
    """Export and map each post URL to its file (found through front matter)."""
    report = export_markdown(entries, out, ExportOptions())
    assert report.posts == len(entries)
    by_url: dict[str, Path] = {}
    for path in (out / HOST / "posts").iterdir():
        data, _ = read_export(path)
        by_url[data["url"]] = path
    assert set(by_url) == {e.post.url for e in entries}
    return by_url


def test_layout_and_file_names(entries: list[ArchiveEntry], tmp_path: Path) -> None:
    files = _export(entries, tmp_path)
    names = {url.removeprefix(SITE): path.name for url, path in files.items()}
    assert names == {
        "/throwing-a-mug/": "2024-03-04-throwing-a-mug.md",
        "/glazing-basics/": "2024-03-02-glazing-basics.md",
        "/trimming/": "2024-03-08-trimming.md",
        "/kiln-day/": "2024-03-01-kiln-day.md",
        "/notes/": "undated-notes.md",
    }
    site = tmp_path / HOST
    for page in ("index.md", "products.md", "authors/alice-example.md", "tags/pottery.md"):
        assert (site / page).is_file(), page


def test_front_matter_round_trips(entries: list[ArchiveEntry], tmp_path: Path) -> None:
    files = _export(entries, tmp_path)
    data, _ = read_export(files[f"{SITE}/throwing-a-mug/"])
    assert data == {
        "title": "Throwing a Mug",
        "authors": ["Alice Example"],
        "date": "2024-03-04T09:30:00+00:00",
        "updated": "2024-03-06T12:00:00+00:00",
        "url": f"{SITE}/throwing-a-mug/",
        "canonical_url": f"{SITE}/throwing-a-mug",
        "tags": ["pottery", "wheel"],
        "reading_time": 5,
        "description": "How I throw a mug: centering, opening, pulling.",
        "image": "https://cdn.example.com/mug.jpg",
        "products": [
            {
                "name": "Stoneware Mug",
                "price": "18.00",
                "currency": "USD",
                "url": "https://shop.example.com/mug",
            },
            {
                "name": 'Glaze Kit: "Blue"',
                "price": "7.50",
                "currency": "EUR",
                "url": "https://shop.example.com/kit?ref=blog",
            },
        ],
        "related": [f"{SITE}/glazing-basics/", f"{SITE}/trimming/", f"{SITE}/kiln-day/"],
    }
    gone, _ = read_export(files[f"{SITE}/kiln-day/"])
    assert gone["gone"] is True
    undated, _ = read_export(files[f"{SITE}/notes/"])
    assert "date" not in undated and "gone" not in undated


def test_hostile_title_survives_front_matter(tmp_path: Path) -> None:
    title = (
        'Key: "value" # not a comment\n- list? {a: b} [c] & *ref !tag \\ \t\x07 \u2028 \U0001f600'
    )
    post = Post(
        url="https://x.example/p/",
        site="https://x.example",
        title=title,
        description=title,
        tags=("yes", "no", "1.0", "null", "~"),
    )
    export_markdown([ArchiveEntry(post)], tmp_path)
    data, _ = read_export(next((tmp_path / "x.example" / "posts").iterdir()))
    assert data["description"] == title
    assert data["title"] == " ".join(title.split())  # the display title is one line
    assert data["tags"] == ["yes", "no", "1.0", "null", "~"]


def test_body_matches_post(entries: list[ArchiveEntry], tmp_path: Path) -> None:
    files = _export(entries, tmp_path)
    by_file = {path: url for url, path in files.items()}
    archived = {url_key(e.post.url): e.post.url for e in entries}
    archived.update(
        {url_key(e.post.canonical_url): e.post.url for e in entries if e.post.canonical_url}
    )
    for entry in entries:
        post = entry.post
        path = files[post.url]
        _, body = read_export(path)
        got = parse_markdown(body)
        source_md = (
            "\n\n".join(
                (("#" * (s.level or 2) + " " + s.heading + "\n\n") if s.heading else "")
                + s.markdown
                for s in post.sections
            )
            or post.body_markdown
        )
        want = parse_markdown(source_md)
        assert got.headings == want.headings, post.url
        # Every paragraph of the post is there, in order (cards and notes may be added).
        it = iter(got.text)
        assert all(any(t == g for g in it) for t in want.text), (want.text, got.text)
        assert got.images == want.images
        # Links keep their text; archived targets became relative paths to that post.
        cards = {r.text for r in post.related_links if r.kind == "card"}
        got_links = [link for link in got.links if "shop." not in link[1] and link[0] not in cards]
        wanted = [link for link in want.links if "shop." not in link[1]]
        assert len(got_links) == len(wanted), post.url
        for (want_text, want_href), (got_text, got_href) in zip(wanted, got_links, strict=True):
            assert got_text == want_text
            if got_href.startswith("http"):
                assert got_href == want_href
                assert url_key(want_href, post.url) not in archived
                continue
            target = resolve(path, got_href)
            assert target.is_file(), got_href
            assert archived[url_key(want_href, post.url)] == by_file[target]
    _, throwing = read_export(files[f"{SITE}/throwing-a-mug/"])
    links = dict((t, h) for t, h in parse_markdown(throwing).links)
    assert links["glazing"] == "2024-03-02-glazing-basics.md#blue"
    assert links["the trimming post"] == "2024-03-08-trimming.md"  # http:// and no slash
    assert links["Kiln day"] == "2024-03-01-kiln-day.md"  # a card, not in the section text
    _, glazing = read_export(files[f"{SITE}/glazing-basics/"])
    outside = dict((t, h) for t, h in parse_markdown(glazing).links)
    assert outside["elsewhere"] == "https://other.example.org/post/"
    _, trimming = read_export(files[f"{SITE}/trimming/"])
    assert ("glazing", "2024-03-02-glazing-basics.md") in parse_markdown(trimming).links


def test_every_related_link_resolves(entries: list[ArchiveEntry], tmp_path: Path) -> None:
    files = _export(entries, tmp_path)
    urls = {e.post.url for e in entries}
    checked = 0
    for entry in entries:
        path = files[entry.post.url]
        _, body = read_export(path)
        hrefs = {text: href for text, href in parse_markdown(body).links}
        for link in entry.post.related_links:
            assert link.url in urls
            target = resolve(path, hrefs[link.text])
            assert target == files[link.url]
            checked += 1
    assert checked == 4


def test_pages_link_to_existing_files(entries: list[ArchiveEntry], tmp_path: Path) -> None:
    files = _export(entries, tmp_path)
    site = tmp_path / HOST
    for page in sorted(site.rglob("*.md")):
        data, body = read_export(page)
        assert isinstance(data["title"], str)
        for _, href in parse_markdown(body).links:
            if not href.startswith("http"):
                assert resolve(page, href).is_file(), (page, href)
    _, index = read_export(site / "index.md")
    listed = [href for _, href in parse_markdown(index).links if href.startswith("posts/")]
    assert listed == [
        "posts/2024-03-08-trimming.md",
        "posts/2024-03-04-throwing-a-mug.md",
        "posts/2024-03-02-glazing-basics.md",
        "posts/2024-03-01-kiln-day.md",
        "posts/undated-notes.md",
    ]
    assert "gone from the site" in index
    _, bob = read_export(site / "authors/bob-o-brien.md")
    assert {resolve(site / "authors/bob-o-brien.md", h) for _, h in parse_markdown(bob).links} == {
        files[f"{SITE}/glazing-basics/"],
        files[f"{SITE}/trimming/"],
        files[f"{SITE}/kiln-day/"],
    }


def test_products_page(entries: list[ArchiveEntry], tmp_path: Path) -> None:
    _export(entries, tmp_path)
    page = tmp_path / HOST / "products.md"
    _, body = read_export(page)
    parsed = parse_markdown(body)
    assert [h for _, h in parsed.headings] == ["Free Pattern", 'Glaze Kit: "Blue"', "Stoneware Mug"]
    assert "Stoneware Mug · 18.00 USD · Buy Now" in parsed.text
    assert 'Glaze Kit: "Blue" · 7.50 EUR · View product' in parsed.text
    kit_mentions = body.split('## Glaze Kit: "Blue"')[1].split("## Stoneware")[0]
    assert "2024-03-04-throwing-a-mug.md" in kit_mentions
    assert "2024-03-02-glazing-basics.md" in kit_mentions
    assert ("Buy Now", "https://shop.example.com/mug") in parsed.links


def test_product_card_is_the_same_in_post_and_products_page(
    entries: list[ArchiveEntry], tmp_path: Path
) -> None:
    files = _export(entries, tmp_path)
    card = "> **Stoneware Mug** · 18.00 USD · [Buy Now](https://shop.example.com/mug)"
    assert card in files[f"{SITE}/throwing-a-mug/"].read_text()
    assert card in (tmp_path / HOST / "products.md").read_text()


def test_gone_posts_are_kept(entries: list[ArchiveEntry], tmp_path: Path) -> None:
    files = _export(entries, tmp_path)
    gone = files[f"{SITE}/kiln-day/"]
    report = export_markdown(entries[:2], tmp_path, ExportOptions())
    assert gone.is_file()  # never deleted, even when storage stops handing it over
    assert report.removed == 0
    assert export_markdown(entries, tmp_path, ExportOptions()).removed == 1


def test_since_filters_by_day(entries: list[ArchiveEntry], tmp_path: Path) -> None:
    from datetime import date

    report = export_markdown(entries, tmp_path, ExportOptions(since=date(2024, 3, 4)))
    names = sorted(p.name for p in (tmp_path / HOST / "posts").iterdir())
    assert names == ["2024-03-04-throwing-a-mug.md", "2024-03-08-trimming.md"]
    assert report.posts == 2
    data, _ = read_export(tmp_path / HOST / "posts" / "2024-03-04-throwing-a-mug.md")
    assert yaml.safe_load(yaml.safe_dump(data)) == data

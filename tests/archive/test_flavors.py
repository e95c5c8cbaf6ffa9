"""Hugo, Jekyll and Obsidian layouts, and downloaded images."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from archive import ArchiveEntry, ExportOptions, export_markdown
from scraper.model import Post, Section

from .helpers import parse_markdown, read_export, resolve

HOST = "blog.example.com"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def test_hugo_layout(entries: list[ArchiveEntry], tmp_path: Path) -> None:
    export_markdown(entries, tmp_path, ExportOptions(flavor="hugo"))
    site = tmp_path / HOST
    for name in (
        "hugo.toml",
        "layouts/shortcodes/product.html",
        "layouts/_default/single.html",
        "layouts/_default/list.html",
        "content/_index.md",
        "content/products.md",
        "content/posts/2024-03-04-throwing-a-mug.md",
    ):
        assert (site / name).is_file(), name
    data, body = read_export(site / "content/posts/2024-03-04-throwing-a-mug.md")
    assert data["source_url"] == "https://blog.example.com/throwing-a-mug/"
    assert "url" not in data  # Hugo reserves it for the page's own path
    card = (
        '{{< product name="Stoneware Mug" price="18.00" currency="USD" '
        'url="https://shop.example.com/mug" cta="Buy Now" >}}'
    )
    assert card in body
    assert card in (site / "content/products.md").read_text()


def _hugo_entries(entries: list[ArchiveEntry]) -> list[ArchiveEntry]:
    """Add text that would break a careless Hugo export: shortcode-like text, odd names."""
    tricky = Post(
        url="https://blog.example.com/hugo-notes/",
        site="https://blog.example.com",
        title='Writing {{< shortcodes >}} & "quotes"',
        sections=(
            Section(
                None, None, "Use `{{< figure >}}` or {{% note %}}x{{% /note %}} or {{< open", ""
            ),
        ),
        products=(dataclasses.replace(entries[0].post.products[1], name='Kit \\ "x" >}}'),),
    )
    return [*entries, ArchiveEntry(tricky)]


@pytest.mark.skipif(shutil.which("hugo") is None, reason="hugo is not installed")
def test_hugo_builds_the_site(entries: list[ArchiveEntry], tmp_path: Path) -> None:
    export_markdown(_hugo_entries(entries), tmp_path / "export", ExportOptions(flavor="hugo"))
    public = tmp_path / "public"
    build = subprocess.run(
        ["hugo", "--source", str(tmp_path / "export" / HOST), "--destination", str(public)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    page = public / "posts" / "2024-03-04-throwing-a-mug" / "index.html"
    html = page.read_text()
    assert "<h1>Throwing a Mug</h1>" in html
    assert 'href="/posts/2024-03-02-glazing-basics/#blue"' in html  # .md link resolved
    assert 'href="/posts/2024-03-01-kiln-day/"' in html
    assert '<div class="product">' in html and "18.00 USD" in html
    for slug in ("2024-03-02-glazing-basics", "2024-03-08-trimming", "undated-notes"):
        assert (public / "posts" / slug / "index.html").is_file()
    home = (public / "index.html").read_text()
    assert home.count('href="/posts/') == 6
    assert (public / "products" / "index.html").is_file()
    tricky = (public / "posts" / "undated-hugo-notes" / "index.html").read_text()
    assert "{{&lt; figure &gt;}}" in tricky and "{{% note %}}" in tricky
    assert "<strong>Kit \\ &#34;x&#34; &gt;}}</strong>" in tricky


def test_jekyll_layout(entries: list[ArchiveEntry], tmp_path: Path) -> None:
    export_markdown(entries, tmp_path, ExportOptions(flavor="jekyll"))
    site = tmp_path / HOST
    posts = sorted(p.name for p in (site / "_posts").iterdir())
    assert posts == [
        "2024-03-01-kiln-day.md",
        "2024-03-02-glazing-basics.md",
        "2024-03-04-throwing-a-mug.md",
        "2024-03-08-trimming.md",
    ]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d-.+\.md", name) for name in posts)
    assert (site / "undated" / "undated-notes.md").is_file()  # _posts needs a date
    config = yaml.safe_load((site / "_config.yml").read_text())
    assert config["title"] == HOST
    data, _ = read_export(site / "_posts" / "2024-03-04-throwing-a-mug.md")
    assert data["render_with_liquid"] is False and data["url"].startswith("https://")
    _, index = read_export(site / "index.md")
    for _, href in parse_markdown(index).links:
        assert resolve(site / "index.md", href).is_file()


@pytest.mark.skipif(shutil.which("jekyll") is None, reason="jekyll is not installed")
def test_jekyll_builds_the_site(entries: list[ArchiveEntry], tmp_path: Path) -> None:
    liquid = Post(
        url="https://blog.example.com/liquid/",
        site="https://blog.example.com",
        title="Liquid {{ site.title }}",
        published_at=entries[0].post.published_at,
        sections=(Section(None, None, "Literal {{ page.title }} and {% raw %} tags.", ""),),
    )
    export_markdown(
        [*entries, ArchiveEntry(liquid)], tmp_path / "export", ExportOptions(flavor="jekyll")
    )
    public = tmp_path / "public"
    build = subprocess.run(
        [
            "jekyll",
            "build",
            "--source",
            str(tmp_path / "export" / HOST),
            "--destination",
            str(public),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    html = (public / "2024" / "03" / "04" / "throwing-a-mug.html").read_text()
    assert 'href="/2024/03/02/glazing-basics.html#blue"' in html  # jekyll-relative-links
    assert "Buy Now" in html
    assert (public / "undated" / "undated-notes.html").is_file()
    literal = (public / "2024" / "03" / "04" / "liquid.html").read_text()
    assert "Literal {{ page.title }} and {% raw %} tags." in literal
    home = (public / "index.html").read_text()
    assert home.count('.html"') >= 5


def test_obsidian_uses_wikilinks(entries: list[ArchiveEntry], tmp_path: Path) -> None:
    export_markdown(entries, tmp_path, ExportOptions(flavor="obsidian"))
    site = tmp_path / HOST
    _, body = read_export(site / "posts" / "2024-03-04-throwing-a-mug.md")
    assert "[[posts/2024-03-02-glazing-basics|glazing]]" in body
    assert "[[posts/2024-03-08-trimming|the trimming post]]" in body
    _, glazing = read_export(site / "posts" / "2024-03-02-glazing-basics.md")
    assert "[elsewhere](https://other.example.org/post/)" in glazing  # outside stays a link
    targets = 0
    for page in site.rglob("*.md"):
        for target in re.findall(r"\[\[([^|\]]+)(?:\|[^\]]*)?\]\]", page.read_text()):
            assert (site / f"{target}.md").is_file(), (page, target)
            targets += 1
    assert targets > 15


def test_download_images(entries: list[ArchiveEntry], tmp_path: Path) -> None:
    calls: list[str] = []

    def fetch(url: str) -> bytes:
        calls.append(url)
        if "broken" in url:
            raise OSError("connection reset")
        return PNG

    broken = dataclasses.replace(
        entries[2].post, body_markdown="![x](https://cdn.example.com/broken.gif)"
    )
    entries[2] = dataclasses.replace(entries[2], post=broken)
    options = ExportOptions(images="download", fetch_image=fetch)
    report = export_markdown(entries, tmp_path, options)
    assert sorted(calls) == [
        "https://cdn.example.com/broken.gif",
        "https://cdn.example.com/wheel.png",
    ]
    assert report.warnings == (
        "image not downloaded: https://cdn.example.com/broken.gif: connection reset",
    )
    post_file = tmp_path / HOST / "posts" / "2024-03-04-throwing-a-mug.md"
    _, body = read_export(post_file)
    ((alt, src),) = parse_markdown(body).images
    assert alt == "wheel" and src.startswith("../assets/") and src.endswith(".png")
    assert resolve(post_file, src).read_bytes() == PNG
    assert Path(src).stem == hashlib.sha256(PNG).hexdigest()[:24]  # named by content
    _, trimming = read_export(tmp_path / HOST / "posts" / "2024-03-08-trimming.md")
    assert "https://cdn.example.com/broken.gif" in trimming
    calls.clear()
    again = export_markdown(entries, tmp_path, options)
    assert calls == ["https://cdn.example.com/broken.gif"]  # the saved image is not fetched again
    assert again.new == again.changed == 0


def test_one_image_under_two_urls_is_one_file(entries: list[ArchiveEntry], tmp_path: Path) -> None:
    twice = dataclasses.replace(
        entries[2].post,
        body_markdown="![a](https://cdn.example.com/a.png)\n\n![b](https://mirror.example.org/b.png)",
    )
    entries[2] = dataclasses.replace(entries[2], post=twice)
    export_markdown(entries, tmp_path, ExportOptions(images="download", fetch_image=lambda u: PNG))
    assets = tmp_path / HOST / "assets"
    assert sorted(p.name for p in assets.iterdir()) == [
        ".sources.json",
        hashlib.sha256(PNG).hexdigest()[:24] + ".png",
    ]
    sources = json.loads((assets / ".sources.json").read_text())
    assert set(sources) == {
        "https://cdn.example.com/a.png",
        "https://cdn.example.com/wheel.png",
        "https://mirror.example.org/b.png",
    }
    assert len(set(sources.values())) == 1


def test_hugo_images_use_static_folder(entries: list[ArchiveEntry], tmp_path: Path) -> None:
    options = ExportOptions(flavor="hugo", images="download", fetch_image=lambda url: PNG)
    export_markdown(entries, tmp_path, options)
    _, body = read_export(tmp_path / HOST / "content/posts/2024-03-04-throwing-a-mug.md")
    ((_, src),) = parse_markdown(body).images
    assert src.startswith("/images/")
    assert (tmp_path / HOST / "static" / src.lstrip("/")).read_bytes() == PNG

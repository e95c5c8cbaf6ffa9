"""Link rewriting inside Markdown: what is touched and what is left alone."""

from __future__ import annotations

from pathlib import Path

from archive import ArchiveEntry, ExportOptions, export_markdown
from archive._markup import Link, escape_inline, neutralize_hugo_shortcodes, rewrite_links
from scraper.model import Post, RelatedLink, Section

from .helpers import parse_markdown, read_export, resolve


def _to_x(link: Link) -> str | None:
    return "X" if "a.example" in link.dest else None


def test_code_is_left_alone() -> None:
    markdown = (
        "[in](https://a.example/1) `[code](https://a.example/2)`\n\n"
        "```\n[fenced](https://a.example/3)\n```\n\n    [indented prose](https://b.example/)\n"
    )
    out = rewrite_links(markdown, _to_x)
    assert out.startswith("[in](X) `[code](https://a.example/2)`")
    assert "[fenced](https://a.example/3)" in out


def test_link_forms() -> None:
    markdown = (
        '[t](https://a.example/1 "title") [p](<https://a.example/with space>) '
        "![img](https://a.example/i.png) [![nested](https://b.example/n.png)](https://a.example/2)\n"
        "<https://a.example/auto>\n\n[ref]: https://a.example/ref\n"
    )
    out = rewrite_links(markdown, _to_x)
    assert out == (
        '[t](X "title") [p](X) ![img](X) [![nested](https://b.example/n.png)](X)\n'
        "[https://a.example/auto](X)\n\n[ref]: X\n"
    )


def test_escape_inline_is_literal() -> None:
    text = "*not* _em_ [link](x) <b> # {{< sc >}} & \\"
    parsed = parse_markdown(escape_inline(text))
    assert parsed.text == [text] and parsed.links == []


def test_hugo_shortcodes_are_neutralized() -> None:
    assert neutralize_hugo_shortcodes("a {{< x >}} b") == "a {{</* x */>}} b"
    assert "{{<" not in neutralize_hugo_shortcodes("a {{< unclosed").replace("{{</*", "")


def _two_hosts() -> list[ArchiveEntry]:
    a = Post(
        url="https://a.example/one/",
        site="https://a.example",
        title="One",
        sections=(
            Section(
                None,
                None,
                "See [two](https://b.example/two) and\n\n```\n[one](https://a.example/one/)\n```",
                "",
            ),
        ),
        related_links=(RelatedLink("two", "https://b.example/two", 0),),
    )
    b = Post(url="https://b.example/two", site="https://b.example", title="Two")
    return [ArchiveEntry(a), ArchiveEntry(b)]


def test_cross_host_links(tmp_path: Path) -> None:
    export_markdown(_two_hosts(), tmp_path / "plain", ExportOptions())
    source = tmp_path / "plain" / "a.example" / "posts" / "undated-one.md"
    _, body = read_export(source)
    ((text, href),) = parse_markdown(body).links
    assert href == "../../b.example/posts/undated-two.md"
    assert resolve(source, href) == tmp_path / "plain" / "b.example" / "posts" / "undated-two.md"
    assert "[one](https://a.example/one/)" in body  # inside a code block: untouched
    # Each host is its own Hugo site, so links across hosts stay absolute there.
    export_markdown(_two_hosts(), tmp_path / "hugo", ExportOptions(flavor="hugo"))
    hugo = tmp_path / "hugo" / "a.example" / "content" / "posts" / "undated-one.md"
    assert "[two](https://b.example/two)" in hugo.read_text()

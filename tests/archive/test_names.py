"""Hostile titles and slugs become safe, distinct, stable file names."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from archive import MAX_NAME_BYTES, ArchiveEntry, ExportOptions, export_markdown
from archive._names import assign_names, safe_host, slug_for, slugify
from scraper.model import Post

RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?", re.I)
HOSTILE_TITLES = [
    "../../etc/passwd",
    "..",
    "CON",
    "nul.txt",
    "COM1",
    "x" * 500,
    "ü" * 300,
    "🎉🎉🎉",
    "",
    ".hidden",
    "Café",  # NFC
    "Cafe\u0301",  # NFD: the same text
    "CAFÉ",
    "café",
    'a/b\\c:d*e?f"g<h>i|j',
    "tab\tnull\x00esc\x1b",
    "right-to-left \u202etxt.exe",
    "ﬁ ligature",  # NFKC: fi
    "ＦＵＬＬ width",
]


def _check_name(name: str) -> None:
    assert name.endswith(".md")
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert "/" not in name and "\\" not in name and ".." not in name
    assert not name.startswith(".")
    assert not any(unicodedata.category(ch)[0] == "C" for ch in name)
    assert unicodedata.normalize("NFC", name) == name
    assert not RESERVED.fullmatch(name.removesuffix(".md"))
    stem = name.removesuffix(".md")
    assert all(ch in "-_" or unicodedata.category(ch)[0] in "LNM" for ch in stem), name
    assert unicodedata.category(stem[0])[0] in "LN", name


def _entries(order: int = 1) -> list[ArchiveEntry]:
    posts = [
        Post(url=f"https://h.example/?p={i}", site="https://h.example", title=title)
        for i, title in enumerate(HOSTILE_TITLES)
    ]
    # Slugs from URL paths too: a traversal, a reserved name, case/Unicode twins.
    for i, segment in enumerate(["..%2F..%2Fetc%2Fpasswd", "CON", "Straße", "STRASSE", "%2e%2e"]):
        posts.append(Post(url=f"https://h.example/{i}/{segment}", site="https://h.example"))
    return [ArchiveEntry(p) for p in posts][::order]


def test_hostile_names_are_safe_distinct_and_stable(tmp_path: Path) -> None:
    report = export_markdown(_entries(), tmp_path / "a", ExportOptions())
    posts = tmp_path / "a" / "h.example" / "posts"
    names = sorted(p.name for p in posts.iterdir())
    assert len(names) == len(_entries())
    assert len({n.casefold() for n in names}) == len(names)
    for name in names:
        _check_name(name)
    for path in report.files:
        assert path.resolve().is_relative_to((tmp_path / "a").resolve())
    export_markdown(_entries(-1), tmp_path / "b", ExportOptions())
    assert sorted(p.name for p in (tmp_path / "b" / "h.example" / "posts").iterdir()) == names
    again = export_markdown(_entries(), tmp_path / "a", ExportOptions())
    assert again.new == again.changed == 0


def test_slug_sources() -> None:
    assert slug_for("https://x.example/2024/01/my-post/", "Ignored") == "my-post"
    assert slug_for("https://x.example/2024/01/my-post.html", None) == "my-post"
    assert slug_for("https://x.example/?p=12", "Hello, World!") == "hello-world"
    assert slug_for("https://x.example/", None) == "post"
    assert slug_for("https://x.example/a/%F0%9F%8E%89", "🎉 Party") == "party"
    assert slugify("Cafe\u0301") == slugify("Café") == "café"
    assert slugify("..") == ""


def test_collisions_get_hash_suffixes_independent_of_order() -> None:
    wanted = {"https://a/1": "same", "https://a/2": "SAME", "https://a/3": "same"}
    names = assign_names(wanted)
    assert names["https://a/1"] == "same.md"
    assert len({n.casefold() for n in names.values()}) == 3
    assert assign_names(dict(reversed(list(wanted.items())))) == names
    assert assign_names({"k": "con"}) == {"k": "con_.md"}


def test_hosts() -> None:
    assert safe_host("Blog.Example.COM") == "blog.example.com"
    assert safe_host("example.com:8080") == "example.com_8080"
    assert safe_host("..").startswith("host-")
    assert safe_host("con").startswith("host-")


@given(st.text(max_size=300))
def test_any_text_gives_a_safe_name(text: str) -> None:
    name = assign_names({"id": slugify(text) or "post"})["id"]
    _check_name(name)

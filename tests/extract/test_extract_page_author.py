"""The last-resort byline: an author-classed element anywhere in the post, far from the
title, when nothing else names the author."""

from __future__ import annotations

from scraper.extract import extract_post

URL = "https://blog.example.org/2025/03/spring-pruning"
BODY = "<p>" + "Pruning in early spring gives roses a head start on the season. " * 12 + "</p>"


def _page(byline: str, sidebar: str = "") -> str:
    return f"""<!doctype html><html lang="en"><head><title>Spring pruning | Garden notes</title>
    </head><body><div class="wrap"><aside class="widget-area">{sidebar}</aside>
    <main><div class="hero"><div class="hero-inner"><div class="hero-text">
    <h1>Spring pruning</h1></div></div></div>
    <div class="content">{BODY}{BODY}</div>
    <div class="blog_author-box"><div class="blog_author-wrapper">{byline}</div></div>
    <section class="more"><h2>More posts</h2><div class="card"><h3><a href="/p/x">Mulch</a>
    </h3><span class="card-author">Peter Lindqvist</span></div></section>
    </main></div></body></html>"""


def test_an_author_element_far_from_the_title_names_the_author() -> None:
    page = _page('<div class="blog_author-label">The Author</div>'
                 '<div class="blog_author-text">Lauren Vetter</div>')  # fmt: skip
    post = extract_post(page, URL)
    assert [a.name for a in post.authors] == ["Lauren Vetter"]


def test_sidebars_teasers_and_labels_do_not_name_the_author() -> None:
    sidebar = (
        '<ul class="recentcomments"><li><span class="comment-author-link">Kris Bock</span>'
        " on <a href='/p/y'>Roses</a></li></ul>"
        '<div class="widget-author">Mary Jones</div>'
    )
    page = _page('<div class="blog_author-text">Staff Writer</div>', sidebar)
    post = extract_post(page, URL)
    assert post.authors == ()


def test_a_link_to_an_author_archive_names_the_author() -> None:
    byline = (
        '<p class="meta">Posted in <a href="/category/roses/">Roses</a> by '
        '<a href="/author/lauren-vetter/">Lauren Vetter</a></p>'
    )
    post = extract_post(_page(byline), URL)
    assert [(a.name, a.url) for a in post.authors] == [
        ("Lauren Vetter", "https://blog.example.org/author/lauren-vetter/")
    ]


def test_author_archive_links_in_sidebars_or_for_roles_do_not_count() -> None:
    sidebar = '<a href="/author/mary-jones/">Mary Jones</a>'
    byline = '<a href="/author/team/">Editorial Team</a>'
    post = extract_post(_page(byline, sidebar), URL)
    assert post.authors == ()


def test_a_by_line_opening_the_body_names_the_author_and_leaves_the_body() -> None:
    page = f"""<html><head><title>Spring pruning</title></head><body><article>
    <h1>Spring pruning</h1><p>By <a href="/about/lauren">Lauren Vetter</a></p>
    {BODY}{BODY}</article></body></html>"""
    post = extract_post(page, URL)
    assert [(a.name, a.url) for a in post.authors] == [
        ("Lauren Vetter", "https://blog.example.org/about/lauren")
    ]
    assert not post.body_text.startswith("By ")


def test_a_by_line_naming_a_role_is_not_an_author() -> None:
    page = f"""<html><head><title>Spring pruning</title></head><body><article>
    <h1>Spring pruning</h1><p>By The Editorial Team</p>{BODY}{BODY}</article></body></html>"""
    assert extract_post(page, URL).authors == ()

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


def _headed(meta: str) -> str:
    """A page whose only byline is a line under the title, with no author class."""
    return f"""<!doctype html><html lang="en"><head><title>Spring pruning | Garden notes</title>
    </head><body><main><header class="page-header"><h1>Spring pruning</h1>
    <div class="page-header__meta">{meta}</div></header>
    <div class="content">{BODY}{BODY}</div></main></body></html>"""


def test_a_by_line_under_the_title_names_the_author_with_its_link() -> None:
    meta = '<span class="inline-item">By <a href="/people/lauren-vetter">Lauren Vetter</a></span>'
    post = extract_post(_headed(meta), URL)
    assert [(a.name, a.url) for a in post.authors] == [
        ("Lauren Vetter", "https://blog.example.org/people/lauren-vetter")
    ]


def test_a_label_above_the_name_or_a_date_after_it_still_reads_as_a_byline() -> None:
    label = (
        '<div class="col"><p class="small">Written by</p><p class="grey">Lauren Vetter</p></div>'
    )
    assert [a.name for a in extract_post(_headed(label), URL).authors] == ["Lauren Vetter"]
    dated = "<p class='lead'>by: <!-- -->Lauren Vetter<!-- -->, <!-- -->Mar 17, 2025</p>"
    assert [a.name for a in extract_post(_headed(dated), URL).authors] == ["Lauren Vetter"]
    # the date's line running into the name's ("By Lauren Vetter Thursday, March 6, 2025")
    run_on = "<p>By Lauren Vetter</p><p>Thursday, March 6, 2025</p>"
    assert [a.name for a in extract_post(_headed(run_on), URL).authors] == ["Lauren Vetter"]


def test_co_authors_linked_one_by_one_in_a_by_line_are_two_authors() -> None:
    meta = (
        "<span>Written by: <ul class='comma-list'>"
        "<li><a href='/people/lauren-vetter/'>Lauren Vetter</a></li>"
        "<li><a href='/people/omar-haddad/'>Omar Haddad</a></li></ul></span>"
    )
    post = extract_post(_headed(meta), URL)
    assert [a.name for a in post.authors] == ["Lauren Vetter", "Omar Haddad"]


def test_lines_that_only_look_like_bylines_name_no_one() -> None:
    for meta in (
        "<p>By Garden Team</p>",  # a role, not a person
        "<p>By the way, Lauren Vetter says prune early</p>",
    ):
        assert extract_post(_headed(meta), URL).authors == (), meta


def test_names_after_a_by_line_comma_are_co_authors() -> None:
    post = extract_post(_headed("<p>By Lauren Vetter, Omar Haddad</p>"), URL)
    assert [a.name for a in post.authors] == ["Lauren Vetter", "Omar Haddad"]


def test_a_by_line_beats_an_author_tag_naming_only_the_site() -> None:
    tags = (
        '<meta name="author" content="Garden Notes">'
        '<meta property="og:site_name" content="Garden Notes">'
    )
    by_person = _headed("<span>by Lauren Vetter</span>").replace("</head>", tags + "</head>")
    assert [a.name for a in extract_post(by_person, URL).authors] == ["Lauren Vetter"]
    # "Garden Notes Sponsored" is still the site, not a person
    by_site = _headed("<span>By Garden Notes Sponsored</span>").replace("</head>", tags + "</head>")
    assert [a.name for a in extract_post(by_site, URL).authors] == ["Garden Notes"]

"""The labelled byline anywhere in the post ("Posted by Ann Lee on ...", "Written by"
above the name, "This post was written by Ann Lee, Head of Marketing"): the last resort
when no author element, byline near the title or author link names the writer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scraper.extract import extract_post

URL = "https://notes.example.net/2025/12/moving-workflows"
PROSE = "<p>" + "We moved every build workflow to the new runner in one afternoon. " * 10 + "</p>"


def _page(line: str, aside: str = "", generator: str = "") -> str:
    meta = f'<meta name="generator" content="{generator}">' if generator else ""
    return f"""<!doctype html><html lang="en"><head><title>Moving workflows</title>{meta}
    </head><body><header><a href="/">Notes</a></header>
    <article><div class="hero"><div><div><h1>Moving workflows</h1></div></div></div>
    {PROSE}{PROSE}{PROSE}
    <footer>{line}</footer></article>
    <aside>{aside}</aside>
    <footer><p>Powered by Pelican and m.css.</p></footer></body></html>"""


def _under_title(markup: str) -> str:
    """A page with no byline line but ``markup`` right under its title."""
    return _page("<p>Filed under builds</p>").replace("</h1>", "</h1>" + markup)


def _authors(page: str) -> list[tuple[str, str | None]]:
    return [(a.name, a.url) for a in extract_post(page, URL).authors]


def test_a_posted_by_line_in_the_articles_footer_names_the_author_with_its_link() -> None:
    line = (
        '<p>Posted by <a href="/author/colin-watson/">Colin Watson</a> on '
        '<time>2025-12-18</time> in <a href="/category/debusine/">debusine</a>.</p>'
    )
    assert _authors(_page(line)) == [
        ("Colin Watson", "https://notes.example.net/author/colin-watson/")
    ]


def test_a_written_by_label_above_the_name_names_the_author() -> None:
    line = ('<div class="box"><div class="small">Written by</div>'
            '<div class="big">Jack Shepherd</div><p>Hi! I run the studio.</p></div>')  # fmt: skip
    assert _authors(_page(line)) == [("Jack Shepherd", None)]


def test_a_linked_name_after_by_is_the_author_whatever_follows_it() -> None:
    line = ('<p>By <a href="/contributors/aj-neal">A. J. Neal</a> '
            '<a href="/digital">View In Digital Edition</a></p>')  # fmt: skip
    assert _authors(_page(line)) == [
        ("A. J. Neal", "https://notes.example.net/contributors/aj-neal")
    ]


@pytest.mark.parametrize(
    "line",
    [
        # a heading in an author box
        '<h2 class="text-3xl">Article by</h2><div class="text-xl">Jack Shepherd</div>',
        "<h3>Written by Jack Shepherd</h3><p>Jack Shepherd runs the studio.</p>",
        # a label word with a colon, in the line or in its own element before the name
        "<div><strong>Contributors:</strong>\n Jack Shepherd </div>",
        "<p><span class='label'>Autor:</span> Jack Shepherd</p>",
        "<p>Author: Jack Shepherd</p>",
        "<div><b>By</b> Jack Shepherd</div>",
    ],
)
def test_labelled_headings_and_label_words_name_the_author(line: str) -> None:
    assert _authors(_page(line)) == [("Jack Shepherd", None)]


def test_an_editorial_desk_after_the_label_is_no_author() -> None:
    assert _authors(_page("<p><span>Autor:</span> Multimedia Redaktion</p>")) == []


def test_a_role_after_the_name_is_left_out() -> None:
    line = "<div>This post was written by Danielle Padula, Head of Marketing</div>"
    assert _authors(_page(line)) == [("Danielle Padula", None)]


@pytest.mark.parametrize(
    "line",
    [
        "<p>Photo by Jane Doe on a sunny morning</p>",  # a credit, not a byline
        "<p>By clicking accept you agree to our terms.</p>",  # not a name
        "<p>Written by the editorial team</p>",  # a role
    ],
)
def test_lines_that_do_not_name_a_writer_give_no_author(line: str) -> None:
    assert _authors(_page(line)) == []


def test_bylines_of_teasers_and_sidebars_are_not_the_authors() -> None:
    aside = ('<div class="card"><h3><a href="/p/other">Other post</a></h3>'
             "<p>Posted by Mary Jones on 2025-11-02</p></div>")  # fmt: skip
    assert _authors(_page("<p>Filed under builds</p>", aside)) == []


def test_builders_that_mark_bylines_up_take_no_free_by_line() -> None:
    line = "<p>by Ea Murphy</p>"
    assert _authors(_page(line, generator="Wix.com Website Builder")) == []
    assert _authors(_page(line)) == [("Ea Murphy", None)]


BIO = "<p>{} has written about audio software and game engines for a decade.</p>"
BOXES = [
    (
        '<div class="blog-author"><img src="/b.jpg" alt=""><div><h4>Bence Kovács</h4>'
        + BIO.format("Bence")
        + "</div></div>",
        ["Bence Kovács"],
    ),
    ('<div class="post-author"><h3>About Alexa</h3>' + BIO.format("Alexa") + "</div>", ["Alexa"]),
    ('<div class="post-author"><strong>Reviewed by</strong><p>Our panel of 12.</p></div>', []),
]


@pytest.mark.parametrize(("box", "expected"), BOXES)
def test_an_author_box_with_a_bio_gives_the_name_in_its_heading(
    box: str, expected: list[str]
) -> None:
    page = _page("<p>Filed under builds</p>").replace("<aside>", f"<aside></aside>{box}<aside>")
    assert [name for name, _ in _authors(page)] == expected


def test_form_labels_and_placeholders_in_author_elements_are_not_names() -> None:
    box = '<div class="post-author-box"><span>Our Expert</span><br>Reviewed in 2025</div>'
    page = _under_title(box)
    assert _authors(page) == []


def test_a_google_blog_post_on_blogger_gives_name_day_and_labels() -> None:
    """Blogger's company-blog theme: the title in ``.post h2.title``, the date only as
    ``span.publishdate`` text, the author only as a "Posted by Name, Role" body line."""
    page = """<!DOCTYPE html><html><head><meta content='blogger' name='generator'/>
    <title>Data Blog: New horizons for the data team</title></head><body>
    <div class="header"><h1><a href="/">Data Blog</a></h1></div>
    <div class="post" itemscope itemtype="http://schema.org/BlogPosting">
    <h2 class="title" itemprop="name"><a href="/2017/03/new-horizons.html">New horizons for
    the data team</a></h2><div class="post-header"><div class="published">
    <span class="publishdate" itemprop="datePublished">Wednesday, March 8, 2017</span>
    </div></div><div class="post-body"><div class="post-content" itemprop="articleBody">
    <span class="byline-author">Posted by Jane Smith, Product Manager, Data Team</span>
    <br><br><p>Today we are announcing new tools for teams who run analytics at scale
    across many regions and projects, with lower cost for most of them.</p>
    <h3>What changes</h3><p>Queries now run closer to the data, which reduces cost and
    latency for teams using the platform every day.</p></div></div>
    <div class="post-footer"><span class="labels">Labels: <a href="/search/label/BigQuery">
    BigQuery</a></span></div></div></body></html>"""
    post = extract_post(page, "https://data.googleblog.com/2017/03/new-horizons.html")
    assert post.platform == "blogger"
    assert post.title == "New horizons for the data team"
    assert [a.name for a in post.authors] == ["Jane Smith"]
    assert (post.published_at, post.published_precision) == (
        datetime(2017, 3, 8, tzinfo=UTC),
        "day",
    )
    assert post.tags == ("BigQuery",)
    assert [s.heading for s in post.sections] == [None, "What changes"]
    assert not post.body_text.startswith("Posted by")


BUSINESS_INSIDER = '<a href="https://news.example.com/">Business Insider</a>'
FIRST_LINES = [
    # the name on the first line, a date on the next
    ('<p class="author">Andrew Gerrand<br>4 August 2010</p>', ("Andrew Gerrand", None)),
    # a date (or a bare label) before the name is passed over
    (
        '<div class="dateAndAuthorContainer"><span>Dec 17, 2025</span>'
        "<span>Julian Arni</span></div>",
        ("Julian Arni", None),
    ),
    (
        '<div class="teaser-small__metadata"><p class="byline__author">VON '
        '<a href="/autoren/gathmann-moritz">MORITZ GATHMANN</a> am 21. April 2020</p></div>',
        ("MORITZ GATHMANN", "https://notes.example.net/autoren/gathmann-moritz"),
    ),
    # its own link only: the publication's after the comma is not hers
    (
        f'<ul><li class="publication-author">Charlie Wood, {BUSINESS_INSIDER}</li></ul>',
        ("Charlie Wood", None),
    ),
    (
        '<ul><li class="publication-author"><a href="/authors/charlie-wood">Charlie Wood</a>, '
        f"{BUSINESS_INSIDER}</li></ul>",
        ("Charlie Wood", "https://notes.example.net/authors/charlie-wood"),
    ),
]


@pytest.mark.parametrize(("markup", "author"), FIRST_LINES)
def test_an_author_element_gives_the_name_on_its_first_line(
    markup: str, author: tuple[str, str | None]
) -> None:
    assert _authors(_under_title(markup)) == [author]


def test_an_id_holding_author_marks_an_author_element() -> None:
    header = '<div id="author_header">Gunter Frank</div>'
    page = _page("<p>Filed under builds</p>").replace("<article>", header + "<article>")
    assert _authors(page) == [("Gunter Frank", None)]


@pytest.mark.parametrize(
    ("line", "lang", "names"),
    [
        ("<p><i>von Daniela Obers</i></p>", "de", ["Daniela Obers"]),
        ("<p>par Jean Dupont</p>", "fr", ["Jean Dupont"]),
        ("<p>por Juan Pérez</p>", "es", ["Juan Pérez"]),
        ("<p>Autor: Peter Maahn/SP-X</p>", "de", ["Peter Maahn"]),  # an agency after a slash
        (
            "<div class='meta'><span class='label'>Datum:</span> 19.11.2021<br>"
            "<span class='label'>Autor:</span> Fritz Imhof<br>"
            "<span class='label'>Quelle:</span> Livenet<br></div>",
            "de",
            ["Fritz Imhof"],
        ),
        (
            "<div><h5>Datum:</h5>03.11.2021<br><h5>Autor:</h5>Peter Maahn/SP-X</div>",
            "de",
            ["Peter Maahn"],
        ),
        ("<p>von Daniela Obers</p>", "en", []),  # "von" is a label on German pages only
        ("<p>Di Maria Rossi</p>", "en", []),
    ],
)
def test_the_word_for_by_in_the_pages_language_labels_a_byline(
    line: str, lang: str, names: list[str]
) -> None:
    page = _page(line).replace('<html lang="en">', f'<html lang="{lang}">')
    assert [name for name, _ in _authors(page)] == names


def test_two_names_joined_by_and_after_a_label_are_co_authors() -> None:
    line = "<p>Written by Moses Kim and Kate Shokurova</p>"
    assert _authors(_page(line)) == [("Moses Kim", None), ("Kate Shokurova", None)]


@pytest.mark.parametrize(
    ("href", "names"),
    [
        ("/author/amanda/", ["Amanda"]),  # one word, linked to an author page: a name
        ("/category/romance/", []),  # one word linked elsewhere: not enough
    ],
)
def test_one_word_under_the_title_is_a_name_when_it_links_to_an_author_page(
    href: str, names: list[str]
) -> None:
    line = (
        f"<div class='entry-meta'><p>by <a href='{href}'>Amanda</a> · Dec 20, 2025 at 3:00 am"
        " · One comment so far</p></div>"
    )
    assert [name for name, _ in _authors(_under_title(line))] == names

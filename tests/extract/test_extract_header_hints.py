"""Header fallbacks and filters on small pages of our own: dates in loosely named elements
and the URL, timestamps of comments and embeds, UTC versus local day, byline labels,
teaser bylines, placeholder authors and headline kickers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from scraper.extract import extract_post
from scraper.extract._document import Document
from scraper.extract.datehints import naive_local_offset, outside_post, url_day
from scraper.extract.dates import is_naive_iso, parse_iso
from scraper.extract.header import choose_published
from scraper.extract.metadata import DateCandidate, clean_author_name, read_metadata

PARAGRAPHS = "<p>Plenty of words in one paragraph so that the body looks like content.</p>" * 5
WORDPRESS = '<meta name="generator" content="WordPress 6.4">'


def _page(header: str, head: str = "", after: str = "", title: str = "Ferry timetables") -> str:
    return (
        f"<html lang='en'><head><title>{title} | Harbour Notes</title>{head}</head><body>"
        f"<article><header><h1>{title}</h1>{header}</header>"
        f"<div class='entry-content'>{PARAGRAPHS}</div></article>{after}</body></html>"
    )


# -- dates -------------------------------------------------------------------------------


def test_date_in_a_loosely_named_meta_element() -> None:
    html = _page("<div class='article-head__meta-line'>Posted 14.03.2021 in Ferries</div>")
    post = extract_post(html, "https://harbour.example/ferries/timetables")
    assert post.published_at == datetime(2021, 3, 14, tzinfo=UTC)
    assert post.published_precision == "day"


def test_german_byline_paragraph_date() -> None:
    html = _page("<p class='story-byline'>Von Jana Roth, 29. Juni 2017, 23:39</p>")
    post = extract_post(html, "https://harbour.example/faehren")
    assert post.published_at == datetime(2017, 6, 29, tzinfo=UTC)


def test_url_date_is_the_last_resort() -> None:
    post = extract_post(_page(""), "https://harbour.example/2019/07/04/ferry-timetables/")
    assert post.published_at == datetime(2019, 7, 4, tzinfo=UTC)
    assert post.published_precision == "day"


def test_no_date_anywhere_stays_null() -> None:
    post = extract_post(_page("<span class='meta-tags'>Ferries</span>"), "https://h.example/a")
    assert post.published_at is None and post.published_precision is None


def test_url_day_patterns() -> None:
    assert url_day("https://a.example/2023/11/08/slug/") == date(2023, 11, 8)
    assert url_day("https://a.example/news/2022-01-31-slug") == date(2022, 1, 31)
    assert url_day("https://a.example/2023/13/45/slug") is None
    assert url_day("https://a.example/products/1234/56/78") is None
    assert url_day("https://a.example/20200428/meet-the-swede") == date(2020, 4, 28)
    assert url_day("https://a.example/news/2012-06/04/c_1.htm") == date(2012, 6, 4)
    assert url_day("https://a.example/newsroom/23-01-2022-wierer-wins") == date(2022, 1, 23)
    assert url_day("https://a.example/item/20201399/") is None  # month 13
    assert url_day("https://a.example/id/202004281234/") is None  # not a whole segment


def _undated(body: str, title: str = "Harbour ferries return") -> str:
    # No date in the markup: no <time>, no date-classed element, a URL without a date.
    return (
        f"<html><head><title>{title}</title></head><body><nav>Home · 01.02.2003 10:00</nav>"
        f"<h1>{title}</h1>{body}{PARAGRAPHS}<script>var date = '2001-01-01';</script>"
        "</body></html>"
    )


def test_dateline_right_after_the_headline() -> None:
    html = _undated("<div><div>02.02.2022 • Press office, Harbour Board</div></div>")
    post = extract_post(html, "https://harbour.example/news/ferries-return")
    assert post.published_at == datetime(2022, 2, 2, tzinfo=UTC)
    assert post.published_precision == "day"


def test_date_after_a_publication_label() -> None:
    html = _undated(
        "<p>By the harbour board, with a long introduction that runs on past the dateline "
        "window under the headline and mentions nothing of any date at all here.</p>"
        "<table><tr><td>Ort</td><td>Kiel</td></tr><tr><td>Datum</td><td>28.01.2022</td></tr>"
        "</table>"
    )
    post = extract_post(html, "https://harbour.example/news/ferries-return", datetime(2026, 1, 1))
    assert post.published_at == datetime(2022, 1, 28, tzinfo=UTC)


def test_labelled_dates_in_the_future_or_in_scripts_are_ignored() -> None:
    html = _undated(
        "<p>A long introduction that runs on past the dateline window under the headline and"
        " names no date whatsoever, as some pages do.</p><p>Published: 3 March 2031</p>"
    )
    post = extract_post(html, "https://harbour.example/news/x", datetime(2026, 1, 1, tzinfo=UTC))
    # without a label, a date written with a clock time is taken (here, the nav's)
    assert post.published_at == datetime(2003, 2, 1, tzinfo=UTC)
    html = html.replace("Home · 01.02.2003 10:00", "Home")
    post = extract_post(html, "https://harbour.example/news/x", datetime(2026, 1, 1, tzinfo=UTC))
    assert post.published_at is None


def test_comment_timestamps_do_not_outvote_the_post_date() -> None:
    comments = (
        "<div id='comments' class='comments-area'><ol class='comment-list'>"
        + "".join(
            f"<li class='comment'><div class='comment-metadata'><time datetime="
            f"'2019-11-2{i}T08:00:00+00:00'>November 2{i}, 2019</time></div><p>Thanks!</p></li>"
            for i in range(4)
        )
        + "</ol></div>"
    )
    head = (
        WORDPRESS + '<meta property="article:published_time" content="2019-05-16T10:00:00+02:00">'
    )
    post = extract_post(_page("", head, comments), "https://harbour.example/ferries/")
    assert post.published_at is not None
    assert post.published_at.isoformat() == "2019-05-16T10:00:00+02:00"


def test_embedded_tweet_time_is_not_the_post_date() -> None:
    tweet = (
        "<blockquote class='twitter-tweet'><p>Ferry is late again</p>"
        "<a href='https://twitter.example/x/status/1'><time datetime='2020-02-16T23:00:00Z'>"
        "February 16, 2020</time></a></blockquote>"
    )
    header = (
        "<span class='posted-on'><time datetime='2020-02-17T09:00:00-05:00'>Feb 17</time></span>"
    )
    post = extract_post(_page(header, WORDPRESS, tweet), "https://harbour.example/late/")
    assert post.published_at is not None and post.published_at.date() == date(2020, 2, 17)


def test_outside_post_spots_comment_and_embed_containers() -> None:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(
        "<div class='comment-count'><time id='a'>x</time></div>"
        "<section class='related-posts'><time id='b'>x</time></section>"
        "<blockquote class='instagram-media'><time id='c'>x</time></blockquote>"
        "<div class='entry-meta'><time id='d'>x</time></div>"
    )
    verdicts = {n.attributes["id"]: outside_post(n) for n in tree.css("time")}
    assert verdicts == {"a": False, "b": True, "c": True, "d": False}


def test_utc_timestamp_gives_way_to_the_url_day() -> None:
    head = '<meta property="article:published_time" content="2023-11-09T05:30:59Z">'
    post = extract_post(_page("", head), "https://news.example/2023/11/08/late-ferry/")
    assert post.published_at == datetime(2023, 11, 8, tzinfo=UTC)
    assert post.published_precision == "day"


def test_utc_timestamp_matching_the_url_day_stays_exact() -> None:
    head = '<meta property="article:published_time" content="2023-11-08T15:30:59Z">'
    post = extract_post(_page("", head), "https://news.example/2023/11/08/late-ferry/")
    assert post.published_at == datetime(2023, 11, 8, 15, 30, 59, tzinfo=UTC)
    assert post.published_precision == "exact"


def test_naive_markup_time_tells_the_local_offset() -> None:
    head = WORDPRESS + '<meta property="article:published_time" content="2023-11-09T05:30:59Z">'
    header = "<time class='entry-date' datetime='2023-11-08 23:30:59'>November 8, 2023</time>"
    post = extract_post(_page(header, head), "https://news.example/late-ferry/")
    assert post.published_at is not None
    assert post.published_at.isoformat() == "2023-11-08T23:30:59-06:00"
    assert post.published_precision == "exact"


def test_choose_published_with_a_hint_one_day_off() -> None:
    parsed = parse_iso("2021-03-02T01:15:00Z")
    assert parsed is not None
    chosen = choose_published(
        [DateCandidate(parsed[0], True, "jsonld")], None, None, hint=date(2021, 3, 1)
    )
    assert chosen == (datetime(2021, 3, 1, tzinfo=UTC), "day")
    # an offset timestamp is the page's own local time: kept as it is
    parsed = parse_iso("2021-03-02T01:15:00+01:00")
    assert parsed is not None
    value, precision = choose_published(
        [DateCandidate(parsed[0], True, "jsonld")], None, None, hint=date(2021, 3, 1)
    )
    assert value == parsed[0] and precision == "exact"


def test_naive_iso_and_offset_helpers() -> None:
    assert is_naive_iso("2023-11-08 23:30:59")
    assert not is_naive_iso("2023-11-08T23:30:59Z")
    assert not is_naive_iso("2023-11-08")
    naive = datetime(2023, 11, 8, 23, 30, 59, tzinfo=UTC)
    aware = datetime(2023, 11, 9, 5, 30, 59, tzinfo=UTC)
    assert naive_local_offset(naive, aware) == timezone(timedelta(hours=-6))
    assert naive_local_offset(naive, naive) is None
    assert naive_local_offset(naive, aware + timedelta(minutes=7)) is None


# -- authors -----------------------------------------------------------------------------


def test_screen_reader_label_left_out_of_the_byline() -> None:
    header = (
        "<ul class='post-meta'><li class='post-author meta-wrapper'>"
        "<span class='meta-icon'><span class='screen-reader-text'>Post author</span></span>"
        "<span class='meta-text'>By <a href='/author/mara/'>Mara Lindqvist</a></span></li></ul>"
    )
    post = extract_post(_page(header), "https://harbour.example/ferries/")
    assert [(a.name, a.url) for a in post.authors] == [
        ("Mara Lindqvist", "https://harbour.example/author/mara/")
    ]


def test_author_box_link_label_is_stripped() -> None:
    box = "<div class='bio'><a rel='author' href='/t/'>View all posts by Tomas Berg</a></div>"
    post = extract_post(_page("", after=box), "https://harbour.example/ferries/")
    assert [a.name for a in post.authors] == ["Tomas Berg"]
    assert clean_author_name("More from Ines Ortega") == "Ines Ortega"
    assert clean_author_name("Posts by Ines Ortega") == "Ines Ortega"


def test_author_class_near_the_title() -> None:
    header = (
        "<div class='head-info'><a class='article-author-name' href='/p/ola'>Ola Nordmann</a></div>"
    )
    post = extract_post(_page(header), "https://harbour.example/ferries/")
    assert [(a.name, a.url) for a in post.authors] == [
        ("Ola Nordmann", "https://harbour.example/p/ola")
    ]


def test_teaser_bylines_are_not_co_authors() -> None:
    header = "<span class='byline'>By <a href='/author/ann/'>Ann Vik</a></span>"
    teasers = "".join(
        f"<li><h4><a href='/post-{i}/'>Other post {i}</a></h4>"
        f"<span class='byline'>By <a href='/author/{i}/'>Writer Number{chr(65 + i)}</a></span></li>"
        for i in range(3)
    )
    html = _page(header, after=f"<aside><ul class='latest'>{teasers}</ul></aside>")
    post = extract_post(html, "https://harbour.example/ferries/")
    assert [a.name for a in post.authors] == ["Ann Vik"]


def test_placeholder_meta_author_is_not_a_name() -> None:
    for word in ("publisher", "Editor", "Team"):
        post = extract_post(
            _page("", f'<meta name="author" content="{word}">'), "https://h.example/a"
        )
        assert post.authors == ()


# -- titles ------------------------------------------------------------------------------


def test_roofline_span_left_out_of_the_title() -> None:
    html = _page("").replace(
        "<h1>Ferry timetables</h1>",
        "<h1 class='article-title'><span class='article-title__roofline'>Winter service</span>"
        " New ferry timetables from Monday</h1>",
    )
    post = extract_post(html, "https://harbour.example/ferries/")
    assert post.title == "New ferry timetables from Monday"


def test_leading_small_and_trailing_subtitle_left_out() -> None:
    html = _page("").replace(
        "<h1>Ferry timetables</h1>",
        "<h1><small>Week 12</small><br>Ferry timetables change"
        "<span class='headline-subtitle'>What the new plan means</span></h1>",
    )
    assert extract_post(html, "https://harbour.example/f").title == "Ferry timetables change"


def test_kicker_text_before_the_og_title_is_dropped() -> None:
    head = '<meta property="og:title" content="Night crossing returns after three years">'
    html = _page("", head).replace(
        "<h1>Ferry timetables</h1>", "<h1>Good news: Night crossing returns after three years</h1>"
    )
    post = extract_post(html, "https://harbour.example/night")
    assert post.title == "Night crossing returns after three years"


def test_short_dateline_next_to_the_title() -> None:
    header = "<p><span>Harbour office</span> &bull; <span>02.02.2022</span></p>"
    post = extract_post(_page(header), "https://harbour.example/ferries/")
    assert post.published_at == datetime(2022, 2, 2, tzinfo=UTC)


def test_dates_in_the_body_text_are_not_taken_for_the_dateline() -> None:
    html = _page("").replace(PARAGRAPHS, PARAGRAPHS + "<p>" + "On 3 May 2020 we sailed. " * 8)
    assert extract_post(html, "https://harbour.example/ferries/").published_at is None


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ('"David Kim"', "David Kim"),
        ("\u201cDavid Kim\u201d", "David Kim"),
        ("\u00abDavid Kim\u00bb", "David Kim"),
        ("By 'Ann Lee'", "Ann Lee"),
        ("Conan O'Brien", "Conan O'Brien"),
        ('"Ann" Lee', '"Ann" Lee'),  # not wrapped: left alone
        ('""', '""'),
    ],
)
def test_author_names_lose_wrapping_quotes(raw: str, name: str) -> None:
    assert clean_author_name(raw) == name


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Ann Lee - Staff Writer", "Ann Lee"),
        ("Ann Lee | The Harbour Times", "Ann Lee"),
        ("Ann Lee \u2014 FullStack Editorial Team", "Ann Lee"),
        ("Ann Lee Senior Tech Reporter", "Ann Lee"),
        ("Ann Lee Writer", "Ann Lee"),
        ("Julian K. Arni Contributing Writer", "Julian K. Arni"),
        ("Mary-Kate Olsen", "Mary-Kate Olsen"),  # no spaces around the dash
        ("Ann Lee and Tomas Berg", "Ann Lee and Tomas Berg"),
        ("The Editor", "The Editor"),  # two words: not a name plus a title
        ("Letters To The Editor", "Letters To The Editor"),  # a column, not a name
        ("2024 - Staff Writer", "2024 - Staff Writer"),  # no name before the dash
        ("Posted by Jane Smith, Product Manager, Google Cloud", "Jane Smith"),
        ("STEVE PEOPLES, AP National Political Writer", "STEVE PEOPLES"),
        ("Analysis by Chris Cillizza, CNN Editor-at-large", "Chris Cillizza"),
        ("Matt Check Head Winemaker, Co-Founder", "Matt Check"),
        ("Cara Dumaplin RN, Founder", "Cara Dumaplin"),
        ("Ann Lee, MD", "Ann Lee, MD"),  # a credential alone is part of how she signs
        ("Martin Luther King, Jr.", "Martin Luther King, Jr."),
        ("Ann Lee, Tomas Berg", "Ann Lee, Tomas Berg"),  # co-authors, not a title
        ("Mary Lead Smith", "Mary Lead Smith"),  # a job word as the last name stays
        ("Markus Steinrisser Motorsport-Magazin.com Redakteur", "Markus Steinrisser"),
        ("Claire Dubois Rédactrice", "Claire Dubois"),
        ("FOCUS-Online-Experte Robin Tschöpe", "Robin Tschöpe"),  # a job before the name
        ("Reporter Ann Lee", "Ann Lee"),
        ("Editor", "Editor"),
        ("Colleen Barry, The Associated Press", "Colleen Barry"),  # a publication after it
        ("The Harbour Times", "The Harbour Times"),
    ],
)
def test_author_names_lose_job_titles(raw: str, name: str) -> None:
    assert clean_author_name(raw) == name


@pytest.mark.parametrize(
    ("byline", "url", "names"),
    [
        ("Rob Picheta, CNN", "https://edition.cnn.com/2024/royal/", ["Rob Picheta"]),
        ("harbournotes - Ines Ortega", "https://www.harbournotes.example/a/", ["Ines Ortega"]),
        ("Ines Ortega | Harbour Notes", "https://news.example/a/", ["Ines Ortega"]),  # og
        ("Harbour Notes", "https://news.example/a/", ["Harbour Notes"]),  # only the site
        ("Ines Ortega, Tomas Berg", "https://news.example/a/", ["Ines Ortega, Tomas Berg"]),
    ],
)
def test_the_site_name_beside_a_byline_is_dropped(byline: str, url: str, names: list[str]) -> None:
    head = "<meta property='og:site_name' content='Harbour Notes'>"
    post = extract_post(_page(f"<span class='author'>{byline}</span>", head=head), url)
    assert [a.name for a in post.authors] == names


def test_a_site_name_as_author_gives_way_to_the_byline() -> None:
    head = (
        "<meta property='og:site_name' content='Harbour Notes'>"
        '<script type=\'application/ld+json\'>{"@type": "NewsArticle", '
        '"headline": "Ferry timetables", "author": "Harbour  notes"}</script>'
    )
    byline = "<div class='byline'>By <a class='author' href='/people/ines'>Ines Ortega</a></div>"
    post = extract_post(_page(byline, head=head), "https://harbour.example/ferries/")
    assert [(a.name, a.url) for a in post.authors] == [
        ("Ines Ortega", "https://harbour.example/people/ines")
    ]
    alone = extract_post(_page("", head=head), "https://harbour.example/ferries/")
    assert [a.name for a in alone.authors] == ["Harbour notes"]  # nothing better: kept


@pytest.mark.parametrize(
    ("author", "kept"),
    [
        ("page.head.extra.author", False),
        ("{{ post.author }}", False),
        ("${author}", False),
        ("undefined", False),  # a script's placeholder
        ("mdelatorreq6vkpg2ma0ci", False),  # a generated user id
        ("johnsmith2024", True),  # a handle someone chose
        ("null", False),
        ("sara.r.peter", True),  # a handle with dots is still someone
        ("Ann Lee", True),
    ],
)
def test_unfilled_template_authors_are_dropped(author: str, kept: bool) -> None:
    head = f"<meta name='author' content='{author}'>"
    post = extract_post(_page("", head=head), "https://harbour.example/ferries/")
    assert (author in [a.name for a in post.authors]) is kept


@pytest.mark.parametrize(
    "head",
    [
        "<meta name='publication_date' content='2022-02-08T14:00:00'>",
        "<meta name='citation_publication_date' content='2022-02-08'>",
        "<meta name='publish_date' content='2022-02-08'>",
    ],
)
def test_more_meta_names_give_the_publication_date(head: str) -> None:
    post = extract_post(_page("", head=head), "https://harbour.example/ferries/")
    assert post.published_at is not None and post.published_at.date() == date(2022, 2, 8)


def test_an_itemprop_date_written_out_in_words() -> None:
    after = "<footer><p><span itemprop='datePublished'>28. Dezember 2022</span></p></footer>"
    html = _page("", after=after).replace("lang='en'", "lang='de'")
    post = extract_post(html, "https://harbour.example/ferries/")
    assert post.published_at == datetime(2022, 12, 28, tzinfo=UTC)
    assert post.published_precision == "day"


def test_a_dateline_inside_the_headline_with_indented_markup() -> None:
    pad = "\n" + " " * 60
    header = (
        f"<h1>Ferry timetables<br><small><span class='glyphicon glyphicon-calendar'></span>"
        f"&nbsp; 02.02.2022 &bull;{pad}<span>{pad}<a href='/c/a'>Ferries</a>{pad}</span>,"
        f"{pad}<span>{pad}<a href='/c/b'>Timetables</a>{pad}</span>{pad}</small></h1>"
    )
    html = (
        "<html lang='de'><head><title>Ferry timetables</title></head><body>"
        + "<nav class='crumbs'>Home &gt; Ferry timetables</nav>"  # the title, but no date
        + "<nav>"
        + "<a href='/x'>Harbour news and notices</a> " * 20
        + "</nav>"
        + f"<div class='article'>{header}<div class='text'>{PARAGRAPHS}</div></div></body></html>"
    )
    post = extract_post(html, "https://harbour.example/aktuell/ferries")
    assert post.published_at == datetime(2022, 2, 2, tzinfo=UTC)


def test_an_images_own_date_is_not_the_posts() -> None:
    head = (
        '<script type=\'application/ld+json\'>{"@type": "ImageObject", '
        '"contentUrl": "/ferry.jpg", "datePublished": "2019-05-01"}</script>'
        "<meta name='dc.date' content='2023-11-07T07:30+01:00'>"
    )
    post = extract_post(_page("", head=head), "https://harbour.example/ferries/")
    assert post.published_at == datetime(2023, 11, 7, 7, 30, tzinfo=timezone(timedelta(hours=1)))
    doc = Document.parse(_page("", head=head), "https://harbour.example/ferries/")
    assert [c.source for c in read_metadata(doc).published] == ["dc.date"]


def test_a_teaser_heading_link_still_marks_a_teaser_byline() -> None:
    teaser = (
        "<div class='card'><h3><a href='/blog/other-post'>Other post</a></h3>"
        "<p>by: Bo Chen, Dec 1, 2025</p></div>"
    )
    html = (
        "<html><head><title>Mini engines</title></head><body><div>"
        f"<h1>Mini engines</h1>{teaser}{PARAGRAPHS}</div></body></html>"
    )
    post = extract_post(html, "https://lab.example/blog/mini-engines")
    assert post.authors == ()


def test_date_then_name_in_one_text_with_an_on_behalf_clause() -> None:
    byline = (
        "<div class='publish-date-author'>Dec. 19, 2025 &middot; Niko Matsakis\n"
        "  on behalf of <a href='https://team.example/vision'>Vision Doc group</a></div>"
    )
    post = extract_post(_page(byline), "https://blog.example/2025/12/19/love/")
    assert [(a.name, a.url) for a in post.authors] == [("Niko Matsakis", None)]
    assert clean_author_name("Ann Lee on behalf of the Board") == "Ann Lee"


@pytest.mark.parametrize(
    ("href", "parts"),
    [
        ("#part-{i}", 3),  # a heading's own permalink, in a short post
        ("https://shop{i}.example/", 6),  # a listicle's headings linking out, a long post
    ],
)
def test_a_posts_own_heading_links_do_not_make_its_byline_a_teaser(href: str, parts: int) -> None:
    sections = "".join(
        f"<h2><a href='{href.format(i=i)}'>Part {i}</a></h2>{PARAGRAPHS}" for i in range(parts)
    )
    html = (
        "<html><head><title>New shops downtown</title></head><body><main><div class='row'>"
        "<h1>New shops downtown</h1>"
        "<div class='post-detail-byline-date'>By Haley Hoekstra &bull; "
        f"<span>March 12, 2025</span></div>{sections}</div></main></body></html>"
    )
    post = extract_post(html, "https://downtown.example/post/new-shops")
    assert [a.name for a in post.authors] == ["Haley Hoekstra"]


def test_an_email_address_is_no_author_name() -> None:
    bio = (
        "<p class='byline'>Ines Ortega (<a href='mailto:ines@harbour.example'>"
        "ines@harbour.example</a>) is the editor of Harbour Notes.</p>"
    )
    html = (
        "<html><head><title>Ferry timetables</title></head><body><table><tr><td>"
        "<h1>Ferry timetables</h1><h3 class='byline'>by Ines Ortega<br>"
        f"<span class='datetime'>June 3, 2024</span></h3>{PARAGRAPHS}{bio}"
        "</td></tr></table></body></html>"
    )
    post = extract_post(html, "https://harbour.example/ferries/")
    assert [a.name for a in post.authors] == ["Ines Ortega"]


def test_a_visible_name_beats_a_login_name_in_the_structured_data() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "BlogPosting", "headline": "Ferry '
        'timetables", "author": {"@type": "Person", "name": "ines.ortega"}}</script>'
    )
    byline = "<div class='author-info'><span class='author'>Ines Ortega</span></div>"
    post = extract_post(_page(byline, head=head), "https://harbour.example/ferries/")
    assert [a.name for a in post.authors] == ["Ines Ortega"]


def test_image_licence_credits_and_language_links_are_not_bylines() -> None:
    credit = (
        "<figure><img src='/harbour.jpg'><span class='author-name'>"
        "<a class='license-author' href='https://commons.example/File:Harbour.jpg'>"
        "Lord Belbury</a></span></figure>"
    )
    byline = (
        "<div class='author'>Autor Ines Ortega: <a href='https://en.harbour.example/'>EN</a>"
        " Übersetzung Bo Chen</div>"
    )
    post = extract_post(_page(byline + credit), "https://harbour.example/ferries/")
    names = [a.name for a in post.authors]
    assert "Lord Belbury" not in names and "EN" not in names


def test_a_meta_title_cut_short_by_an_unescaped_quote_gives_way_to_the_whole_title() -> None:
    html = (
        '<html><head><title>Senator calls the bill "reckless"</title>'
        '<meta property="og:title" content="Senator calls the bill "reckless"" />'
        f"</head><body><div><a id='headline'>Senator calls the bill</a>{PARAGRAPHS}</div>"
        "</body></html>"
    )
    post = extract_post(html, "https://news.example/senator")
    assert post.title == 'Senator calls the bill "reckless"'


def test_a_headline_with_characters_lost_to_question_marks_takes_the_meta_title() -> None:
    head = "<meta property='og:title' content=\"Event Planning: Beginner's Guide\">"
    html = (
        f"<html><head>{head}</head><body><article><h1>Event Planning? Beginner? Guide</h1>"
        f"{PARAGRAPHS}</article></body></html>"
    )
    assert extract_post(html, "https://news.example/guide").title == (
        "Event Planning: Beginner's Guide"
    )
    question = "<html><body><article><h1>Why do ferries run late?</h1></article></body></html>"
    assert extract_post(question, "https://news.example/late").title == "Why do ferries run late?"


def test_json_ld_with_a_stray_closing_brace_is_still_read() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Ferry '
        'timetables", "datePublished": "2020-10-26T18:10:00+01:00"}\n}\n</script>'
    )
    post = extract_post(_page("", head=head), "https://harbour.example/ferries/")
    assert post.published_at == datetime(2020, 10, 26, 18, 10, tzinfo=timezone(timedelta(hours=1)))


@pytest.mark.parametrize(
    "line",
    [
        "<p class='time'>Aktuelle Zeit: 14.10.2020, 12:18</p>",
        "<p class='time'>It is currently Wed Oct 14, 2020 12:18 pm</p>",
        "<dd class='profile-joined'><strong>Registriert:</strong> 18.09.2008, 05:56</dd>",
    ],
)
def test_the_pages_clock_and_a_members_sign_up_date_are_not_the_post_date(line: str) -> None:
    post = extract_post(_page(line), "https://forum.example/viewtopic.php?t=167")
    assert post.published_at is None


@pytest.mark.parametrize("account", ["KatieS", "NOC Admin", "jsmith42"])
def test_a_byline_under_the_title_beats_an_account_name_in_the_metadata(account: str) -> None:
    head = f"<meta name='author' content='{account}'>"
    post = extract_post(_page("<p>By Ines Ortega</p>", head=head), "https://harbour.example/a/")
    assert [a.name for a in post.authors] == ["Ines Ortega"]


def test_a_role_shown_on_the_page_does_not_beat_a_persons_name() -> None:
    head = "<meta name='author' content='Jay Berstein'>"
    byline = "<span class='author'>Harbour Staff</span>"
    post = extract_post(_page(byline, head=head), "https://harbour.example/a/")
    assert [a.name for a in post.authors] == ["Jay Berstein"]


def test_a_cards_category_link_in_a_byline_row_is_no_author() -> None:
    cards = "".join(
        "<div class='card'><div class='byline'><a href='/tag/personal-finance'>Personal finance"
        f"</a> January {day}, 2025</div></div>"
        for day in (3, 17)
    )
    post = extract_post(_page("", after=cards), "https://harbour.example/a/")
    assert post.authors == ()


@pytest.mark.parametrize(
    "tag", ["davidbau.com Vibe Coding", "davidbau.com // » Vibe Coding", "Vibe Coding"]
)
def test_the_sites_domain_before_the_title_is_left_out(tag: str) -> None:
    html = (
        f"<html><head><title>{tag}</title></head><body><p>{'Some words. ' * 30}</p></body></html>"
    )
    assert extract_post(html, "https://davidbau.com/archives/vibe.html").title == "Vibe Coding"
    only = "<html><head><title>davidbau.com</title></head><body></body></html>"
    assert extract_post(only, "https://davidbau.com/").title == "davidbau.com"


def test_a_news_dateline_opening_a_paragraph_gives_the_day() -> None:
    body = (
        "<p>Zum Tag des Gedenkens erinnern die Wirtschaftsweiber an verfolgte Lesben und "
        "ehren in Köln Dr. Hertha Kraus mit der Verlegung eines Stolpersteins, wie jedes Jahr "
        "seit langem, und mit vielen Gästen aus der ganzen Stadt und dem Umland.</p>"
        "<p>27.1.2022 - Bei der Erinnerung an die Verfolgten des NS-Regimes geht es heute um "
        "mehr als ein Datum.</p>"
    )
    html = _page(body).replace("<html lang='en'>", "<html lang='de'>")
    post = extract_post(html, "https://news.example/gedenken")
    assert post.published_at == datetime(2022, 1, 27, tzinfo=UTC)
    ranged = _page(body.replace("27.1.2022 - Bei", "Tickets 27.1.2022 - 30.1.2022. Bei"))
    assert extract_post(ranged, "https://news.example/tickets").published_at is None


@pytest.mark.parametrize(
    ("meta", "names"),
    [
        ("L-MAG – Das Magazin für Lesben", ["Ines Ortega"]),  # a publisher: the byline wins
        ("Harbour Media GmbH", ["Ines Ortega"]),
        ("Ann Lee, MS, RD", ["Ann Lee, MS, RD"]),  # a person with credentials stays
    ],
)
def test_a_publisher_named_as_author_gives_way_to_a_labelled_byline(
    meta: str, names: list[str]
) -> None:
    html = _page("", head=f"<meta name='author' content='{meta}'>").replace(
        "</article>", "<p>Von Ines Ortega</p></article>"
    )
    post = extract_post(html.replace("lang='en'", "lang='de'"), "https://harbour.example/a/")
    assert [a.name for a in post.authors] == names


def test_an_author_given_as_json_in_a_meta_tag_is_read() -> None:
    head = """<meta name="author" content='{ "@type":"Person", "name":"Alice Wu" }'>"""
    post = extract_post(_page("", head=head), "https://harbour.example/a/")
    assert [a.name for a in post.authors] == ["Alice Wu"]


def test_a_middle_title_part_holding_the_sites_name_cuts_the_slogan_after_it() -> None:
    tag = "Das schönste Video der Welt : Krimiblog-Archiv | Ermittlungen zum Genre | Seit 2005"
    html = f"<html><head><title>{tag}</title></head><body><p>{'Worte. ' * 40}</p></body></html>"
    post = extract_post(html, "https://archiv.krimiblog.de/2895/")
    assert post.title == "Das schönste Video der Welt"
    mirror = html.replace("Krimiblog-Archiv", "krimiblog.de")  # a bare domain of another site
    assert extract_post(mirror, "https://mirror.example/2895/").title == tag.replace(
        "Krimiblog-Archiv", "krimiblog.de"
    )


def test_an_h1_that_only_links_home_is_the_sites_name_not_the_title() -> None:
    html = (
        "<html><head><title>Four Years Remaining &raquo; Blog Archive &raquo; Interning of "
        "Small Integers</title></head><body><h1><a href='https://fouryears.example/'>Four Years"
        " Remaining</a></h1><div class='post'><h2><a href='/2019/10/interning/'>Interning of "
        f"Small Integers</a></h2>{PARAGRAPHS}</div></body></html>"
    )
    post = extract_post(html, "https://fouryears.example/2019/10/interning/")
    assert post.title == "Interning of Small Integers"

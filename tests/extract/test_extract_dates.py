"""Date parsing and the published-date decision, on inline values and small pages."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from scraper.extract import extract_post
from scraper.extract.dates import parse_iso, parse_relative, parse_visible_date
from scraper.extract.header import choose_published
from scraper.extract.metadata import DateCandidate

FETCHED = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "2019-06-17T18:28:00+0200",
            datetime(2019, 6, 17, 18, 28, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("2022-10-02T13:08:09.815Z", datetime(2022, 10, 2, 13, 8, 9, 815000, tzinfo=UTC)),
        (
            "2020-04-07 10:10:46-07:00",
            datetime(2020, 4, 7, 10, 10, 46, tzinfo=timezone(timedelta(hours=-7))),
        ),
        (
            "2021-07-01T02:26:54+02",
            datetime(2021, 7, 1, 2, 26, 54, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("2020-01-10", datetime(2020, 1, 10, tzinfo=UTC)),
    ],
)
def test_parse_iso_is_lenient(raw: str, expected: datetime) -> None:
    parsed = parse_iso(raw)
    assert parsed is not None
    assert parsed[0] == expected
    assert parsed[0].utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    "raw", ["", "yesterday", "2020-13-45T99:00", "x" * 100, None, "2020-02-30"]
)
def test_parse_iso_rejects_garbage(raw: object) -> None:
    assert parse_iso(raw) is None


def test_parse_iso_reads_epoch_milliseconds() -> None:
    parsed = parse_iso(1444875555607)
    assert parsed is not None and parsed[0] == datetime(2015, 10, 15, 2, 19, 15, 607000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "delta"),
    [
        ("3 days ago", timedelta(days=3)),
        ("2 hours ago", timedelta(hours=2)),
        ("an hour ago", timedelta(hours=1)),
        ("just now", timedelta(0)),
        ("yesterday", timedelta(days=1)),
        ("1 week ago", timedelta(weeks=1)),
        ("vor 3 Tagen", timedelta(days=3)),
        ("vor einer Stunde", timedelta(hours=1)),
        ("gestern", timedelta(days=1)),
        ("il y a 3 jours", timedelta(days=3)),
        ("hier", timedelta(days=1)),
        ("hace 3 días", timedelta(days=3)),
        ("ayer", timedelta(days=1)),
        ("5 min ago", timedelta(minutes=5)),
        ("3 giorni fa", timedelta(days=3)),
        ("un'ora fa", timedelta(hours=1)),
        ("ieri", timedelta(days=1)),
        ("há 2 semanas", timedelta(weeks=2)),
        ("ontem", timedelta(days=1)),
        ("3 dagen geleden", timedelta(days=3)),
        ("eergisteren", timedelta(days=2)),
    ],
)
def test_relative_dates_resolve_against_fetch_time(text: str, delta: timedelta) -> None:
    assert parse_relative(text, FETCHED) == FETCHED - delta


def test_relative_dates_need_a_fetch_time() -> None:
    assert parse_relative("3 days ago", None) is None
    assert parse_relative("a sunny afternoon", FETCHED) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Aug 11, 2023", date(2023, 8, 11)),
        ("2. Okt. 2022", date(2022, 10, 2)),
        ("Sunday, May 8, 2016", date(2016, 5, 8)),
        ("4.02.2022", date(2022, 2, 4)),
        ("11 août 2023", date(2023, 8, 11)),
        ("3 de marzo de 2021", date(2021, 3, 3)),
        ("March 9th, 2017", date(2017, 3, 9)),
        ("2023-08-11", date(2023, 8, 11)),
        ("12 maggio 2020", date(2020, 5, 12)),
        ("3 de março de 2021", date(2021, 3, 3)),
        ("5 mei 2019", date(2019, 5, 5)),
        ("15 августа 2016, 13:43", date(2016, 8, 15)),
        ("5 травня 2020", date(2020, 5, 5)),
        ("27 października 2022", date(2022, 10, 27)),
        ("Party, 30.10.23", date(2023, 10, 30)),  # a two-digit year after dots
        ("20 septembrie 2020 16:20", date(2020, 9, 20)),
        ("20. září 2020", date(2020, 9, 20)),
        ("20 Eylül 2020", date(2020, 9, 20)),
        ("20 syyskuuta 2020", date(2020, 9, 20)),
        ("5 maj 2021", date(2021, 5, 5)),
        ("20 Σεπτεμβρίου 2020", date(2020, 9, 20)),
        ("13.10.98 14:22", date(1998, 10, 13)),
    ],
)
def test_visible_calendar_dates(text: str, expected: date) -> None:
    assert parse_visible_date(text, "en") == expected


@pytest.mark.parametrize("text", ["10/30/23", "Version 1.2.23.4", "v1.2.23", "30.02.23"])
def test_short_years_only_in_the_dotted_day_month_form(text: str) -> None:
    assert parse_visible_date(text, "de") is None


def test_month_day_without_year_uses_fetch_year() -> None:
    assert parse_visible_date("Jun 17", "en", FETCHED) == date(2025, 6, 17)
    assert parse_visible_date("Feb 1", "en", FETCHED) == date(2026, 2, 1)


def _cand(raw: str, source: str) -> DateCandidate:
    parsed = parse_iso(raw)
    assert parsed is not None
    return DateCandidate(parsed[0], parsed[1], source)


def test_jsonld_date_wins_when_it_matches_the_visible_date() -> None:
    # Medium: article:published_time is the latest re-publish.
    chosen, precision = choose_published(
        [_cand("2015-10-15T02:19:15.607Z", "jsonld"), _cand("2015-12-11T14:28:34.438Z", "meta")],
        date(2015, 10, 15),
        None,
    )
    assert chosen == datetime(2015, 10, 15, 2, 19, 15, 607000, tzinfo=UTC)
    assert precision == "exact"


def test_majority_beats_a_wrong_jsonld_offset() -> None:
    # AMP plugin: JSON-LD carries a wrong offset; meta and <time> agree.
    chosen, _ = choose_published(
        [
            _cand("2020-04-07T17:10:46-07:00", "jsonld"),
            _cand("2020-04-07T17:10:46+00:00", "meta"),
            _cand("2020-04-07T10:10:46-07:00", "markup"),
        ],
        date(2020, 4, 7),
        None,
    )
    assert chosen is not None and chosen.isoformat() == "2020-04-07T17:10:46+00:00"


def test_meta_beats_theme_time_with_wrong_dst() -> None:
    chosen, _ = choose_published(
        [
            _cand("2017-03-09T23:16:02+00:00", "meta"),
            _cand("2017-03-09T18:16:02-04:00", "itemprop"),
            _cand("2017-03-09T18:16:02-04:00", "markup"),
        ],
        date(2017, 3, 9),
        None,
        trust_jsonld=False,
    )
    assert chosen is not None and chosen.isoformat() == "2017-03-09T23:16:02+00:00"


def _page(head: str, byline: str) -> str:
    return (
        f"<html><head>{head}</head><body><article><h1>A title here</h1>"
        f"<div class='byline'>{byline}</div><div class='post-content'>"
        + "<p>Some words in a paragraph that is long enough to count as content.</p>" * 5
        + "</div></article></body></html>"
    )


def test_relative_visible_date_without_machine_date() -> None:
    html = _page("", "<span class='date'>3 days ago</span>")
    post = extract_post(html, "https://blog.example.com/post/a", FETCHED)
    assert post.published_at == FETCHED - timedelta(days=3)
    assert post.published_precision == "relative"


def test_relative_date_stays_null_without_fetch_time() -> None:
    post = extract_post(_page("", "<span class='date'>vor 2 Tagen</span>"), "https://x.example/a")
    assert post.published_at is None and post.published_precision is None


def test_calendar_day_only_gives_day_precision() -> None:
    post = extract_post(_page("", "<span class='date'>March 3, 2024</span>"), "https://x.example/a")
    assert post.published_at == datetime(2024, 3, 3, tzinfo=UTC)
    assert post.published_precision == "day"


def test_machine_date_beats_relative_text() -> None:
    head = '<meta property="article:published_time" content="2026-03-07T09:00:00+01:00">'
    post = extract_post(
        _page(head, "<span class='date'>3 days ago</span>"), "https://x.example/a", FETCHED
    )
    assert post.published_at is not None
    assert post.published_at.isoformat() == "2026-03-07T09:00:00+01:00"
    assert post.published_precision == "exact"


def test_cdata_wrapped_jsonld_and_graph() -> None:
    head = (
        '<script type="application/ld+json">//<![CDATA[\n{"@context":"https://schema.org",'
        '"@graph":[{"@type":"WebSite","name":"S"},{"@type":"BlogPosting","headline":"H",'
        '"datePublished":"2021-05-04T10:00:00+02:00","dateModified":"2021-05-05T10:00:00+02:00",'
        '"author":{"@type":"Person","name":"Ann Lee"}}]}\n//]]></script>'
    )
    post = extract_post(_page(head, ""), "https://x.example/a")
    assert post.published_at is not None
    assert post.published_at.isoformat() == "2021-05-04T10:00:00+02:00"
    assert (
        post.updated_at is not None and post.updated_at.isoformat() == "2021-05-05T10:00:00+02:00"
    )
    assert [a.name for a in post.authors] == ["Ann Lee"]


def test_blogger_abbr_published() -> None:
    byline = (
        "<span class='post-author vcard'>Posted by <span class='fn' itemprop='author'>"
        "<span itemprop='name'>Ida Moss</span></span></span>"
        "<abbr class='published' itemprop='datePublished' title='2016-05-08T00:55:00-07:00'>"
        "12:55 AM</abbr>"
    )
    head = "<meta content='blogger' name='generator'/>"
    post = extract_post(_page(head, byline), "https://ida.blogspot.com/2016/05/x.html")
    assert post.platform == "blogger"
    assert post.published_at is not None
    assert post.published_at.isoformat() == "2016-05-08T00:55:00-07:00"
    assert [a.name for a in post.authors] == ["Ida Moss"]


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ('<meta name="w-published-date" content="2025-05-27T06:03:43Z">', "2025-05-27T06:03:43"),
        ('<meta name="published" content="July 17, 2025">', "2025-07-17T00:00:00"),
        ('<meta name="published_at" content="2025-02-03">', "2025-02-03T00:00:00"),
        # a numeric day and month in an unknown order: left to the page's other signs
        ('<meta name="pub-date" content="03-09-2025">', None),
        ('<meta name="publisher" content="July 17, 2025">', None),  # not a date's name
    ],
)
def test_a_sites_own_meta_name_for_the_publication_date(meta: str, expected: str | None) -> None:
    post = extract_post(_page(meta, ""), "https://x.example/a")
    shown = post.published_at.isoformat()[:19] if post.published_at else None
    assert shown == expected


def _ld(value: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(value)}</script>'


def test_a_post_nested_in_its_blogs_structured_data_dates_the_page() -> None:
    post = {
        "@type": "BlogPosting",
        "headline": "A title here",
        "datePublished": "2025-12-19T20:20:42Z",
    }
    blog = {"@context": "https://schema.org", "@type": "Blog", "name": "Notes", "blogPost": [post]}
    found = extract_post(_page(_ld(blog), ""), "https://x.example/a")
    assert found.published_at == datetime(2025, 12, 19, 20, 20, 42, tzinfo=UTC)
    page = {"@context": "https://schema.org", "@type": "WebPage", "mainEntity": post}
    found = extract_post(_page(_ld(page), ""), "https://x.example/a")
    assert found.published_at == datetime(2025, 12, 19, 20, 20, 42, tzinfo=UTC)
    # a blog listing several posts says nothing about this page's date
    other = {**post, "headline": "Another", "datePublished": "2024-01-02T03:04:05Z"}
    listing = {**blog, "blogPost": [post, other]}
    assert extract_post(_page(_ld(listing), ""), "https://x.example/a").published_at is None


def test_slash_and_dot_separated_timestamps_parse_like_iso() -> None:
    assert parse_iso("2020/10/04 15:05:21") == (datetime(2020, 10, 4, 15, 5, 21, tzinfo=UTC), True)
    assert parse_iso("2020.10.04") == (datetime(2020, 10, 4, tzinfo=UTC), False)


def test_json_ld_with_javascript_comments_is_still_read() -> None:
    page = """<html><head><title>Chip makers apply to keep supplying | Money</title>
    <script type="application/ld+json">{
        "@context": "http://schema.org", "@type": "NewsArticle",
        "url": "https://money.example.tw/story/1",
        //"interactionCount": "", // not used
        "headline": "Chip makers apply to keep supplying",
        "datePublished": "2020-10-04T15:05:21+08:00", /* first version */
        "image": {"@type": "ImageObject", "height": "1000", // px
                  "url": "https://img.example.tw/a.jpg"}
    }</script></head><body><p>Text.</p></body></html>"""
    post = extract_post(page, "https://money.example.tw/story/1")
    assert post.published_at == datetime(
        2020, 10, 4, 15, 5, 21, tzinfo=timezone(timedelta(hours=8))
    )
    assert post.title == "Chip makers apply to keep supplying"


def test_date_elements_without_a_date_do_not_use_up_the_search() -> None:
    teasers = "".join(
        f'<li><a href="/n/{i}">Teaser {i}</a> <span class="date">0{i}:30</span></li>'
        for i in range(5)
    )
    page = f"""<html><head><title>Morning programme</title></head><body>
    <ul class="ticker">{teasers}</ul><article><h1>Morning programme</h1>
    <div class="published"><span class="date"><time datetime="2020-06-22T09:30:00+02:00">
    28 minutes ago</time></span></div><p>{"The programme starts at nine. " * 10}</p>
    </article></body></html>"""
    post = extract_post(page, "https://radio.example.hr/a/1")
    assert post.published_at == datetime(2020, 6, 22, 7, 30, tzinfo=UTC)


_WP = "<meta name='generator' content='WordPress 6.8'>"
_TEASERS = (
    "<aside class='more'><div class='card'><p class='date'>Jul 31, 2024</p></div>"
    "<div class='card'><p class='date'>Aug 17, 2025</p></div></aside>"
)


def test_update_line_does_not_outvote_the_structured_publication_date() -> None:
    # Wirecutter-style: only the update is shown; JSON-LD keeps the first publication.
    ld = {"@type": "Article", "datePublished": "2017-04-03"}
    head = f"{_WP}<script type='application/ld+json'>{json.dumps(ld)}</script>"
    byline = "Updated <time datetime='2026-02-12T12:07:55-05:00'>February 12, 2026</time>"
    post = extract_post(_page(head, byline), "https://blog.example.com/earbuds", FETCHED)
    assert post.published_at == datetime(2017, 4, 3, tzinfo=UTC)
    assert post.published_precision == "day"
    assert post.updated_at is not None
    assert post.updated_at.isoformat() == "2026-02-12T12:07:55-05:00"


def test_update_line_first_keeps_teaser_dates_out() -> None:
    # The date line holds the update; the next ".date" belongs to a related-post card and
    # must not move the JSON-LD publication time by a day.
    ld = {"@type": "Article", "datePublished": "2024-08-01T16:53:14+00:00"}
    head = f"{_WP}<script type='application/ld+json'>{json.dumps(ld)}</script>"
    byline = "<p class='date'>Updated on November 18, 2025</p>"
    html = _page(head, byline).replace("</article>", f"</article>{_TEASERS}")
    post = extract_post(html, "https://blog.example.com/tutoring", FETCHED)
    assert post.published_at == datetime(2024, 8, 1, 16, 53, 14, tzinfo=UTC)
    assert post.updated_at == datetime(2025, 11, 18, tzinfo=UTC)


@pytest.mark.parametrize(
    "line",
    [
        "<span>Last updated:</span> "
        "<span><time datetime='2026-01-12'>January 12, 2026</time></span>",
        "<span class='date'>Zuletzt aktualisiert am 12. Januar 2026</span>",
        "<span class='date'>Mis à jour le 12 janvier 2026</span>",
    ],
)
def test_a_page_showing_only_its_update_takes_that_date(line: str) -> None:
    # Readers take the only date a page shows for its date; teasers further down do not
    # replace it.
    html = _page("", line).replace("</article>", f"</article>{_TEASERS}")
    post = extract_post(html, "https://blog.example.com/telescopes", FETCHED)
    assert post.published_at == datetime(2026, 1, 12, tzinfo=UTC)
    assert post.published_precision == "day"


def test_publication_date_before_an_update_label_in_one_line() -> None:
    line = "<span class='date'>Jan 3, 2024 · Updated Feb 5, 2026</span>"
    post = extract_post(_page("", line), "https://blog.example.com/guide", FETCHED)
    assert post.published_at == datetime(2024, 1, 3, tzinfo=UTC)


def test_evening_post_keeps_its_time_in_the_page_offset() -> None:
    # meta gives UTC (already the next day), the theme's microdata the same instant in the
    # site's offset, and the reader sees July 4: the time stays, in the offset shown.
    chosen, precision = choose_published(
        [
            _cand("2025-07-05T00:04:00+00:00", "meta"),
            _cand("2025-07-04T20:04:00-04:00", "itemprop"),
        ],
        date(2025, 7, 4),
        None,
    )
    assert chosen is not None and chosen.isoformat() == "2025-07-04T20:04:00-04:00"
    assert precision == "exact"


def test_evening_post_without_its_offset_falls_back_to_the_shown_day() -> None:
    chosen, precision = choose_published(
        [_cand("2025-07-05T00:04:00+00:00", "meta")], date(2025, 7, 4), None
    )
    assert chosen == datetime(2025, 7, 4, tzinfo=UTC)
    assert precision == "day"

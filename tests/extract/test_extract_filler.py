"""Ad-slot labels, a comment thread and end matter (related posts, the author's bio, a
newsletter form) left at the end of the body are not the post."""

from __future__ import annotations

import pytest

from scraper.extract import extract_post

URL = "https://kiln.example.org/2025/04/firing-schedules"
PARA = "<p>{} A slow ramp through quartz inversion keeps thick pots whole in the kiln.</p>"


def _paras(first: int, last: int) -> str:
    return "".join(PARA.format(f"Step {i}.") for i in range(first, last + 1))


def _page(middle: str, tail: str = "") -> str:
    return f"""<!doctype html><html lang="en"><head><title>Firing schedules</title></head>
    <body><article><h1>Firing schedules</h1>{_paras(1, 6)}{middle}{_paras(7, 12)}{tail}
    </article></body></html>"""


def test_ad_labels_between_paragraphs_are_dropped() -> None:
    post = extract_post(_page("<p>Advertisement</p><div>ADVERTISEMENT</div><p>Anzeige</p>"), URL)
    assert "advertisement" not in post.body_text.casefold()
    assert "Anzeige" not in post.body_markdown
    assert post.body_text.count("Step ") == 12


def test_a_comment_thread_closing_the_body_is_dropped() -> None:
    thread = (
        "<h3>3 Comments</h3><p>Great post, thanks!</p>"
        "<p>I tried this and it worked for my stoneware.</p><h3>Leave a Reply</h3>"
    )
    post = extract_post(_page("", thread), URL)
    assert [s.heading for s in post.sections] == [None]
    assert "Great post" not in post.body_text
    assert post.body_text.rstrip().endswith("whole in the kiln.")


def test_a_comments_heading_that_opens_much_of_the_post_stays() -> None:
    # "Comments" over half of the text: a section of the post, not a thread after it.
    post = extract_post(_page("<h2>Comments</h2>"), URL)
    assert [s.heading for s in post.sections] == [None, "Comments"]
    post = extract_post(_page("", "<h2>Comments on the draft</h2><p>Short.</p>"), URL)
    assert [s.heading for s in post.sections] == [None, "Comments on the draft"]


@pytest.mark.parametrize(
    "heading",
    ["Related Articles", "You May Also Like", "More posts by Ann Lee", "About the Author",
     "Join our newsletter", "Recommended reading:", "Other posts you’ll love",
     "Das könnte Sie auch interessieren!", "À lire aussi", "Artículos relacionados",
     "You’ll Also Love..."],
)  # fmt: skip
def test_end_matter_closing_the_body_is_dropped_with_its_links(heading: str) -> None:
    tail = (
        f"<h3>{heading}</h3>"
        '<p><a href="/2025/03/glaze-tests">Glaze tests</a></p>'
        '<p><a href="/2025/02/cone-packs">Cone packs</a></p>'
    )
    post = extract_post(_page("", tail), URL)
    assert [s.heading for s in post.sections] == [None]
    assert "Glaze tests" not in post.body_text
    assert post.related_links == ()
    assert post.body_text.count("Step ") == 12


@pytest.mark.parametrize(
    "heading", ["Further reading", "More useful posts about kilns", "Related work"]
)
def test_a_reading_list_of_the_author_stays(heading: str) -> None:
    tail = f'<h3>{heading}</h3><p><a href="/2025/03/glaze-tests">Glaze tests</a></p>'
    post = extract_post(_page("", tail), URL)
    assert [s.heading for s in post.sections] == [None, heading]
    assert [link.url for link in post.related_links] == [
        "https://kiln.example.org/2025/03/glaze-tests"
    ]


def test_end_matter_heading_over_much_of_the_post_stays() -> None:
    # A "Related posts" heading before over a quarter of the text opens a section of it.
    post = extract_post(_page("<h2>Related posts</h2>"), URL)
    assert [s.heading for s in post.sections] == [None, "Related posts"]


def test_a_comment_thread_longer_than_the_post_is_still_not_the_post() -> None:
    reply = (
        '<li class="comment depth-1"><article class="comment"><footer class="comment-meta">'
        '<span class="comment-name">Reader</span></footer><div class="comment-content">'
        "<p>{} I fired my stoneware on a slower ramp last week, and the bowls came out "
        "without a single crack, which has never happened before in this kiln of mine.</p>"
        + "<p>Thanks, and more of these, please, with photos of the cones next time.</p>" * 8
        + "</div></article></li>"
    )
    thread = (
        '<div id="comments" class="comments-wrapper"><h3>59 Comments on "Firing"</h3>'
        '<ol class="commentlist">'
        + "".join(reply.format(f"Reader {i}:") for i in range(40))
        + "</ol></div>"
    )
    page = f"""<!doctype html><html><head><title>Firing schedules</title></head><body>
    <div class="postarea"><h1>Firing schedules</h1><div class="meta">Posted on May 2</div>
    {_paras(1, 12)}{thread}</div></body></html>"""
    post = extract_post(page, URL)
    assert "Reader" not in post.body_text
    assert post.body_text.count("Step ") == 12


def test_a_second_copy_of_the_post_is_dropped_but_a_repeated_refrain_stays() -> None:
    long = [
        PARA.format(f"Part {i} of the firing log, written down in full detail.") for i in range(4)
    ]
    refrain = "<p>Remember: never open a kiln above 150 degrees, whatever the schedule says.</p>"
    body = refrain + "".join(long) + refrain
    # the layout's second copy of the same paragraphs (a mobile twin of the post)
    page = _page(body, "<div class='mobile'>" + "".join(long) + "</div>")
    post = extract_post(page, URL)
    assert post.body_text.count("Part 2 of the firing log") == 1
    assert post.body_text.count("never open a kiln") == 2  # on its own: a refrain, kept


def _guide(label: str, items: list[str]) -> str:
    # (items without links: a list of in-page links goes anyway, being all links)
    listing = "<ol>" + "".join(f"<li>{t}</li>" for t in items) + "</ol>"
    sections = "".join(
        f'<h2 id="s{i}">{i + 1}. {t}</h2>{PARA.format(t + ".")}'
        for i, t in enumerate(
            ["Choosing a clay", "Drying slowly", "The bisque firing", "The glaze firing"]
        )
    )
    return f"""<!doctype html><html lang="en"><head><title>Firing schedules</title></head>
    <body><article><h1>Firing schedules</h1>{_paras(1, 3)}{label}{listing}{sections}
    </article></body></html>"""


STEPS = ["Choosing a clay", "Drying slowly", "The bisque firing", "The glaze firing"]


@pytest.mark.parametrize(
    "label", ["<h2>Table of Contents</h2>", "<p>In this post:</p>", "<p>Inhaltsverzeichnis</p>"]
)
def test_a_labelled_table_of_contents_is_dropped(label: str) -> None:
    post = extract_post(_guide(label, STEPS), URL)
    assert [s.heading for s in post.sections] == [None] + [
        f"{i}. {t}" for i, t in enumerate(STEPS, 1)
    ]
    assert "Contents" not in post.body_text and "In this post" not in post.body_text
    assert post.body_text.count("Drying slowly") == 2  # the heading and its paragraph


def test_a_list_of_the_topics_without_a_label_stays() -> None:
    # A summary list ("We cover: ...") names the sections too, but is part of the post.
    post = extract_post(_guide("<p>We cover four steps:</p>", STEPS), URL)
    assert post.body_text.count("Drying slowly") == 3
    assert "We cover four steps:" in post.body_text


def test_a_labelled_list_that_is_not_the_headings_stays() -> None:
    items = ["A kiln", "Cones", "Gloves", "Patience"]
    post = extract_post(_guide("<h2>Contents</h2>", items), URL)
    assert "Patience" in post.body_text and "Contents" in post.body_text


def test_headings_left_empty_at_the_end_are_dropped() -> None:
    tail = '<h3>Tags</h3><h4><a href="/2025/03/glaze-tests">Related: Glaze tests</a></h4>'
    post = extract_post(_page("", tail), URL)
    assert [s.heading for s in post.sections] == [None]
    assert post.related_links == ()
    assert post.body_text.rstrip().endswith("whole in the kiln.")


def test_a_page_of_headings_only_keeps_them() -> None:
    page = """<html><head><title>Index</title></head><body><main>
    <h2>Glazes</h2><h2>Clays</h2></main></body></html>"""
    post = extract_post(page, URL)
    assert "Glazes" in post.body_text and "Clays" in post.body_text


def test_widget_labels_between_paragraphs_are_dropped() -> None:
    labels = "<p>Share this post</p><div>Show Caption</div><p>Table of Contents</p>"
    post = extract_post(_page(labels), URL)
    for label in ("Share", "Caption", "Contents"):
        assert label not in post.body_text
    assert post.body_text.count("Step ") == 12


@pytest.mark.parametrize(
    "tail",
    [["Last updated on June 2, 2025"], ["by Ann Lee", "Updated December 18, 2025"],
     ["Latest posts by Ann Lee (see all)"], ["Posted July 10, 2004",
     "© Copyright 2004-2025 Ann Lee. All Rights Reserved."], ["Back to top"],
     ["Enjoy the post? Pin it for later!"], ["Filed under: Glazes |"],
     ["Ann Lee contributed reporting from Hong Kong."],
     ["Reporting by Ann Lee; Editing by Bo Chen"],
     ["This article was edited by Ann Lee and Bo Chen."]],
)  # fmt: skip
def test_header_lines_and_furniture_closing_the_body_are_dropped(tail: list[str]) -> None:
    post = extract_post(_page("", "".join(f"<p>{line}</p>" for line in tail)), URL)
    assert post.body_text.rstrip().endswith("whole in the kiln.")
    assert post.body_text.count("Step ") == 12


def test_a_closing_sentence_with_a_date_stays() -> None:
    tail = "<p>We fired the kiln again on June 2, 2025, and it held.</p>"
    post = extract_post(_page("", tail), URL)
    assert post.body_text.rstrip().endswith("and it held.")


def test_blank_blocks_and_leading_line_breaks_leave_no_blank_lines() -> None:
    middle = "<p><br></p><div>&nbsp;<br></div><p><br>After a break.</p><p>Image 1 of 9</p>"
    post = extract_post(_page(middle), URL)
    assert "\n\n\n" not in post.body_text
    assert "\n\nAfter a break.\n\n" in post.body_text
    assert "Image 1 of 9" not in post.body_text
    for section in post.sections:
        assert "\n\n\n" not in section.text

"""Inline-HTML tests for reading time, products, related links, Markdown and detection."""

from __future__ import annotations

import json

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.extract import ExtractOptions, extract_post
from scraper.extract._images import promote_noscript_images
from scraper.extract.header import parse_reading_time, strip_site_name
from scraper.extract.links import is_post_url
from scraper.extract.products import parse_price

URL = "https://www.example-blog.com/post/this-post"


def _post_page(body: str, head: str = "", extra: str = "") -> str:
    return (
        f"<html lang='en'><head><title>This post | Example Blog</title>{head}</head><body>"
        "<nav><a href='/'>Home</a> <a href='/post/nav-post-link'>Nav post</a></nav>"
        f"<article><h1>This post</h1><div class='entry-content'>{body}</div></article>"
        f"{extra}<footer><a href='/post/footer-post-link'>Footer post</a></footer></body></html>"
    )


LONG = "<p>" + "A sentence with enough words to look like real content, for sure. " * 4 + "</p>"


# -- reading time -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "minutes"),
    [("3 min read", 3), ("18 min read", 18), ("21 minutes", 21), ("2 Minuten", 2),
     ("5 min", 5), ("Lesezeit: 4 min", 4), ("no time here", None), ("0 min read", None)],
)  # fmt: skip
def test_parse_reading_time(text: str, minutes: int | None) -> None:
    assert parse_reading_time(text) == minutes


def test_reading_time_from_yoast_meta() -> None:
    head = (
        '<meta name="twitter:label2" content="Geschätzte Lesezeit">'
        '<meta name="twitter:data2" content="2 Minuten">'
    )
    assert extract_post(_post_page(LONG, head), URL).reading_time_minutes == 2


def test_reading_time_from_byline_phrase() -> None:
    html = (
        "<html><body><article><header><h1>Story</h1><div>Ann · Follow · Oct 15, 2015 · "
        f"18 min read</div></header><section>{LONG * 3}</section></article></body></html>"
    )
    assert extract_post(html, URL).reading_time_minutes == 18


def test_no_reading_time_is_null() -> None:
    assert extract_post(_post_page(LONG), URL).reading_time_minutes is None


# -- titles and authors ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Post title | Example Blog", "Post title"),
        ("Post title - webpack - Medium", "Post title"),
        ("Example Blog — Post title", "Post title"),
        ("A - B: not a site", "A - B: not a site"),
        ("Post title | Example Blog | Stories worth telling", "Post title"),
        ("Example Blog | example.com - Post title", "example.com - Post title"),
        ("23.01.2022 - Post title", "Post title"),
        ("2022-01-23 | Post title", "Post title"),
        ("2024 - Post title", "2024 - Post title"),  # a year alone may be the title's
        ("Post title | Example Blogs", "Post title"),  # holds a site name
        ("Post title | Webpack Docs", "Post title"),
        ("Post title | Exam", "Post title | Exam"),  # too short to compare loosely
        ("Post title | FASSETTE.NET", "Post title"),  # a bare domain name
        ("Post title - News.yam.md", "Post title"),
        ("Benchmarks - Node.js", "Benchmarks - Node.js"),  # no top-level domain
        ("Release notes - v1.2.3", "Release notes - v1.2.3"),
        (
            "Post title | Example Blog posts for every season",
            "Post title | Example Blog posts for every season",
        ),  # fmt: skip
    ],
)
def test_strip_site_name(title: str, expected: str) -> None:
    assert strip_site_name(title, ["Example Blog", "webpack"]) == expected


def test_a_headline_carrying_the_site_name_loses_it() -> None:
    html = (
        "<html><head><title>Ferry timetables | Harbour Office</title>"
        "<meta property='og:site_name' content='Harbour Office'></head><body><main>"
        f"<h1>Ferry timetables | Harbour Office</h1>{LONG}</main></body></html>"
    )
    assert extract_post(html, "https://harbour-office.example/ferries").title == "Ferry timetables"


@pytest.mark.parametrize(
    ("head_title", "h1", "url"),
    [
        # a Jekyll theme's h1 is the blog's name; the post's title is an h2
        (
            "Kiln logs: Report #39",
            "Antje's Workshop Journal",
            "https://antje.example/2025/kiln-logs",
        ),
        # the h1 is a heading of the post's body; the title (before an unknown site name)
        # is an h2 in the page header
        (
            "What do people love about glazing? | Clay Notes",
            "But what they love is the sense of control over the surface",
            "https://www.example.org/2025/12/glazing",
        ),
    ],
)
def test_a_heading_reading_as_the_meta_title_beats_an_unrelated_h1(
    head_title: str, h1: str, url: str
) -> None:
    title = head_title.split(" | ")[0]
    html = (
        f"<html><head><title>{head_title}</title><meta name='generator' content='Jekyll v4.3.2'>"
        f"</head><body><header><h1>{h1}</h1></header>"
        f"<main><h2>{title}</h2>{LONG}<h3>More</h3>{LONG}</main></body></html>"
    )
    assert extract_post(html, url).title == title


def test_an_h1_unlike_the_meta_title_stays_when_no_heading_reads_as_it() -> None:
    html = (
        "<html><head><title>What is Social Commerce - A guided introduction</title></head>"
        "<body><main><h1>Selling where your customers already are, in 2026</h1>"
        f"{LONG}<h2>What is social commerce?</h2>{LONG}</main></body></html>"
    )
    post = extract_post(html, "https://www.example.com/blog/social-commerce")
    assert post.title == "Selling where your customers already are, in 2026"


@pytest.mark.parametrize(
    ("head_title", "url", "expected"),
    [
        ("Spring sale | Potterystore.com", "https://deals.potterystore.com/spring", "Spring sale"),
        ("Kiln tips | Clayworks", "https://blog.clayworks.co.uk/kiln-tips", "Kiln tips"),
        ("Kiln tips | Clayworks Studio", "https://clayworks.example/kiln-tips", "Kiln tips"),
    ],
)
def test_the_registered_domain_names_the_site(head_title: str, url: str, expected: str) -> None:
    html = f"<html><head><title>{head_title}</title></head><body><main>{LONG}</main></body></html>"
    assert extract_post(html, url).title == expected


def test_a_headline_in_capitals_takes_the_meta_titles_casing() -> None:
    html = (
        "<html><head><title>Kiln Tips for Winter | Clay Notes</title></head><body><main>"
        f"<h1>KILN TIPS FOR WINTER</h1>{LONG}</main></body></html>"
    )
    assert extract_post(html, "https://claynotes.example/kiln").title == "Kiln Tips for Winter"


def test_author_prefixes_removed_and_deduplicated() -> None:
    head = '<meta name="author" content="By Jane Roe">'
    extra = ""
    byline = "<a rel='author' href='/author/jane'>Writer: Jane Roe</a>"
    body = f"<span class='byline'>{byline}</span>{LONG}"
    post = extract_post(_post_page(body, head, extra), URL)
    assert [(a.name, a.url) for a in post.authors] == [
        ("Jane Roe", "https://www.example-blog.com/author/jane")
    ]


def test_a_papers_citation_tags_give_every_author_first_name_first() -> None:
    head = "".join(
        f'<meta name="citation_author" content="{name}">'
        for name in ("Okafor, Marta", "Shea, Declan J.", "Vidal-Park, Inés", "Lee, Ann, PhD")
    )
    post = extract_post(_post_page(LONG, head, ""), URL)
    assert [a.name for a in post.authors] == [
        "Marta Okafor",
        "Declan J. Shea",
        "Inés Vidal-Park",
        "Lee, Ann, PhD",  # two commas: not a plain "Last, First", left as it is
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Roy, Aniruddha", "Aniruddha Roy"),
        ("Ann Lee", "Ann Lee"),
        ("Ann Lee, MD", "Ann Lee, MD"),
        ("Lee,", "Lee,"),
    ],
)
def test_first_last(raw: str, expected: str) -> None:
    from scraper.extract.metadata import _first_last

    assert _first_last(raw) == expected


# -- prices and products ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("$7.50", "en", ("7.50", "USD")),
        ("$0.00", "en", ("0.00", "USD")),
        ("Free", "en", ("0.00", None)),
        ("24,90 €", "de", ("24.90", "EUR")),
        ("€1.299,00", "de", ("1299.00", "EUR")),
        ("£6.50", "en-GB", ("6.50", "GBP")),
        ("¥1200", "ja", ("1200.00", "JPY")),
        ("$15", "en-CA", ("15.00", "CAD")),
        ("USD 1,250.5", "en", ("1250.50", "USD")),
        ("no price", "en", (None, None)),
    ],
)
def test_parse_price(text: str, lang: str, expected: tuple[str | None, str | None]) -> None:
    assert parse_price(text, lang) == expected


def test_general_buy_button_rule() -> None:
    card = (
        "<div class='card'><h4>Handmade Mug</h4><span>$18.00</span>"
        "<a href='https://shop.example-blog.com/mug'>Buy Now</a></div>"
    )
    post = extract_post(_post_page(LONG + card + LONG), URL)
    assert [p.to_dict() for p in post.products] == [
        {"name": "Handmade Mug", "price": "18.00", "currency": "USD",
         "url": "https://shop.example-blog.com/mug", "cta": "Buy Now", "image": None,
         "description": None}
    ]  # fmt: skip
    assert "[Handmade Mug](https://shop.example-blog.com/mug) — $18.00" in post.body_markdown
    assert "Buy Now" not in post.body_markdown


def test_schema_org_product_jsonld() -> None:
    head = (
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product",'
        '"name":"Trail Guide","offers":{"@type":"Offer","price":"12.5","priceCurrency":"EUR",'
        '"url":"https://www.example-blog.com/product-page/trail-guide"}}</script>'
    )
    post = extract_post(_post_page(LONG, head), URL)
    assert [(p.name, p.price, p.currency, p.url) for p in post.products] == [
        ("Trail Guide", "12.50", "EUR", "https://www.example-blog.com/product-page/trail-guide")
    ]


def test_microdata_product() -> None:
    card = (
        "<div itemscope itemtype='https://schema.org/Product'><span itemprop='name'>Seeds</span>"
        "<div itemprop='offers' itemscope itemtype='https://schema.org/Offer'>"
        "<meta itemprop='priceCurrency' content='GBP'><span itemprop='price' content='3.00'>£3"
        "</span></div></div>"
    )
    post = extract_post(_post_page(LONG + card), URL)
    assert [(p.name, p.price, p.currency) for p in post.products] == [("Seeds", "3.00", "GBP")]


def test_a_woocommerce_block_on_a_generic_page_keeps_its_button() -> None:
    card = (
        '<ul class="wc-block-grid__products"><li class="wc-block-grid__product">'
        '<a href="/product/wheel/" class="wc-block-grid__product-link">'
        '<div class="wc-block-grid__product-title">Pottery Wheel</div></a>'
        '<div class="wc-block-grid__product-price price"><span class="amount"><bdi>'
        '<span class="woocommerce-Price-currencySymbol">$</span>349.00</bdi></span></div>'
        '<div class="wp-block-button wc-block-grid__product-add-to-cart">'
        '<a href="?add-to-cart=12" class="wp-block-button__link add_to_cart_button">'
        "Add to cart</a></div></li></ul>"
    )
    post = extract_post(_post_page(LONG + card + LONG), URL)
    assert [(p.name, p.price, p.currency, p.cta) for p in post.products] == [
        ("Pottery Wheel", "349.00", "USD", "Add to cart")
    ]


# -- related links -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example-blog.com/post/other-post", True),
        ("https://www.example-blog.com/2024/03/02/dated-slug/", True),
        ("https://www.example-blog.com/post/this-post", False),
        ("https://www.example-blog.com/post/this-post#comments", False),
        ("https://www.example-blog.com/product-page/mug", False),
        ("https://www.example-blog.com/blog/tags/news", False),
        ("https://www.example-blog.com/profile/abc/profile", False),
        ("https://www.example-blog.com/", False),
        ("https://other.example.org/post/other-post", False),
        ("https://www.example-blog.com/image.jpg", False),
    ],
)
def test_is_post_url(url: str, expected: bool) -> None:
    assert is_post_url(url.split("#")[0], URL) is expected


def test_related_links_only_from_the_body_in_order() -> None:
    body = (
        "<p>Intro with <a href='/post/first-one'>first one</a> and "
        "<a href='https://elsewhere.example.org/post/x'>outside</a>.</p>"
        "<h2>Part two</h2><p>See <a href='/blog/tags/fun'>fun</a> or "
        "<a href='https://example-blog.com/post/second-one'>second one</a>.</p>"
        "<figure data-hook='linkPreviewViewer'><a href='/post/third-one'><figcaption>"
        "<div>Third one</div><div>example-blog.com</div></figcaption></a></figure>"
        "<div class='sharedaddy'><a href='/post/shared-link'>Share</a></div>"
    )
    extra = "<aside class='recent-posts'><a href='/post/recent-one'>Recent</a></aside>"
    post = extract_post(_post_page(body + LONG, extra=extra), URL)
    assert [(r.text, r.url, r.section, r.kind) for r in post.related_links] == [
        ("first one", "https://www.example-blog.com/post/first-one", 0, "inline"),
        ("second one", "https://example-blog.com/post/second-one", 1, "inline"),
        ("Third one", "https://www.example-blog.com/post/third-one", 1, "card"),
    ]
    assert "[Third one](https://www.example-blog.com/post/third-one)" in post.body_markdown


def test_wordpress_embed_card_not_duplicated() -> None:
    body = (
        LONG + "<blockquote class='wp-embedded-content' data-secret='a1'><p>"
        "<a href='https://www.example-blog.com/2023/01/02/older-post/'>Older post</a></p>"
        "</blockquote>"
        "<iframe class='wp-embedded-content' data-secret='a1' "
        "src='https://www.example-blog.com/2023/01/02/older-post/embed/#?secret=a1'></iframe>"
    )
    post = extract_post(_post_page(body), URL)
    assert post.body_markdown.count("Older post") == 1
    assert [r.kind for r in post.related_links] == ["card"]


# -- markdown ------------------------------------------------------------------------------
def test_markdown_blocks() -> None:
    body = (
        "<p>Plain <b>bold</b> <i>it</i> <code>x_y</code> <a href='/a b'>link</a> 2*3</p>"
        "<h3>Sub <em>head</em></h3><ol start='3'><li>three</li>"
        "<li>four<ul><li>nested</li></ul></li></ol>"
        "<blockquote><p>quoted</p><p>twice</p></blockquote><pre><code class='language-py'>a = 1\n"
        "print(a)</code></pre><figure><img src='/i.png' alt='An image'><figcaption>Cap</figcaption>"
        "</figure><table><tr><th>k</th><th>v</th></tr><tr><td>a|b</td><td>1</td></tr></table>"
        "<p>&nbsp;</p><p><br></p><p>Line one<br>line two</p>"
    )
    post = extract_post(_post_page(body), URL)
    assert post.body_markdown == (
        "Plain **bold** *it* `x_y` [link](<https://www.example-blog.com/a b>) 2\\*3\n\n"
        "### Sub *head*\n\n"
        "3. three\n4. four\n   - nested\n\n"
        "> quoted\n>\n> twice\n\n"
        "```py\na = 1\nprint(a)\n```\n\n"
        "![An image](https://www.example-blog.com/i.png)\n\nCap\n\n"
        "| k | v |\n| --- | --- |\n| a\\|b | 1 |\n\n"
        "Line one\\\nline two"
    )
    assert [(s.heading, s.level) for s in post.sections] == [(None, None), ("Sub head", 3)]
    assert post.images[0].to_dict() == {
        "src": "https://www.example-blog.com/i.png", "alt": "An image", "caption": "Cap"
    }  # fmt: skip
    assert "Line one\nline two" in post.body_text
    assert post.word_count == len(post.body_text.split())


def test_code_lines_written_as_br_keep_their_line_breaks() -> None:
    body = LONG + (
        "<pre><code class='language-js'>module.exports = {<br>  plugins: [<br>"
        "<span>    new Plugin()</span><br>  ]<br>};</code></pre>"
    )
    post = extract_post(_post_page(body), URL)
    code = "module.exports = {\n  plugins: [\n    new Plugin()\n  ]\n};"
    assert f"```js\n{code}\n```" in post.body_markdown
    assert code in post.body_text


def test_body_starting_with_heading_has_no_lead_section() -> None:
    post = extract_post(_post_page("<h2>First</h2>" + LONG + "<h2>Second</h2>" + LONG), URL)
    assert [s.heading for s in post.sections] == ["First", "Second"]


def test_boilerplate_is_dropped() -> None:
    body = LONG + (
        "<div id='cookie-notice'>We use cookies</div><div class='share-buttons'>"
        "<a href='#'>Share on Facebook</a></div><div id='comments'>Leave a comment</div>"
    )
    post = extract_post(_post_page(body), URL)
    for noise in ("cookies", "Share on", "comment"):
        assert noise not in post.body_markdown


def test_options_can_turn_parts_off() -> None:
    body = "<p>See <a href='/post/first-one'>first one</a>.</p><img src='/x.png' alt='x'>" + LONG
    opts = ExtractOptions(include_images=False, include_links=False)
    post = extract_post(_post_page(body), URL, options=opts)
    assert post.images == () and post.related_links == ()
    assert "x.png" not in post.body_markdown


# -- platform detection ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("head", "platform"),
    [
        ('<meta name="generator" content="Wix.com Website Builder">', "wix"),
        ('<meta name="generator" content="WordPress 6.4">', "wordpress"),
        ('<link rel="stylesheet" href="https://x.com/wp-content/themes/a.css">', "wordpress"),
        ('<script src="https://static1.squarespace.com/static/a.js"></script>', "squarespace"),
        ('<meta name="generator" content="Ghost 5.0">', "ghost"),
        ("<meta content='blogger' name='generator'/>", "blogger"),
        ('<link rel="preconnect" href="https://substackcdn.com">', "substack"),
        ('<meta property="og:site_name" content="Medium">', "medium"),
        ('<meta name="generator" content="Hugo 0.120.0">', "hugo"),
        ("<!-- Begin Jekyll SEO tag v2.8.0 -->", "jekyll"),
        ("", "generic"),
    ],
)
def test_platform_detection(head: str, platform: str) -> None:
    assert extract_post(_post_page(LONG, head), URL).platform == platform


def test_medium_apollo_state_when_markup_is_missing() -> None:
    state = {
        "Post:abc123": {
            "__typename": "Post",
            "firstPublishedAt": 1444875555607,
            "latestPublishedAt": 1449844114438,
            "readingTime": 4.2,
            "content({})": {"bodyModel": {"paragraphs": [
                {"__ref": "Paragraph:p0"}, {"__ref": "Paragraph:p1"}, {"__ref": "Paragraph:p2"},
                {"__ref": "Paragraph:p3"}, {"__ref": "Paragraph:p4"}, {"__ref": "Paragraph:p5"},
            ]}},
        },
        "Post:other": {"__typename": "Post", "readingTime": 9.0, "firstPublishedAt": 1},
        "Paragraph:p0": {"type": "H3", "text": "Kites in winter", "markups": []},
        "Paragraph:p1": {"type": "H4", "text": "A subtitle", "markups": []},
        "Paragraph:p2": {"type": "P", "text": "Cold air is dense, so kites lift well.",
                         "markups": [{"type": "A", "start": 0, "end": 8,
                                      "href": "https://medium.com/@ann/summer-kites-0123456789ab"}]},
        "Paragraph:p3": {"type": "H3", "text": "Gear", "markups": []},
        "Paragraph:p4": {"type": "ULI", "text": "Gloves", "markups": []},
        "Paragraph:p5": {"type": "MIXTAPE_EMBED", "text": "Night flying\nWith lights",
                         "mixtapeMetadata": {"href": "https://medium.com/@ann/night-kites-ba9876543210"}},
    }  # fmt: skip
    html = (
        '<html><head><meta property="og:site_name" content="Medium">'
        '<meta property="article:published_time" content="2015-12-11T14:28:34.438Z">'
        "<title>Kites in winter | by Ann | Medium</title></head><body><div id='root'></div>"
        f"<script>window.__APOLLO_STATE__ = {json.dumps(state)}</script></body></html>"
    )
    post = extract_post(html, "https://medium.com/@ann/kites-in-winter-abc123")
    assert post.platform == "medium"
    assert post.published_at is not None
    assert post.published_at.isoformat() == "2015-10-15T02:19:15.607000+00:00"
    assert post.reading_time_minutes == 4
    assert [(s.heading, s.level) for s in post.sections] == [(None, None), ("Gear", 2)]
    assert post.body_markdown.startswith(
        "[Cold air](https://medium.com/@ann/summer-kites-0123456789ab) is dense"
    )
    assert [(r.text, r.kind, r.section) for r in post.related_links] == [
        ("Cold air", "inline", 0),
        ("Night flying", "card", 1),
    ]


def test_whole_card_link_with_hashed_classes() -> None:
    card = (
        "<div data-hook='rcv-block9'></div><a href='https://www.example-blog.com/product-page/"
        "calm-kit'><div class='x1'><div class='x2'>Calm Kit</div><div class='x3'>$0.00</div>"
        "<div class='x4'><span>Buy Now</span></div></div></a>"
    )
    text_link = (
        "<p>Our <a href='/product-page/sub'>subscription for $5 Buy Now</a> is in a sentence.</p>"
    )
    post = extract_post(_post_page(LONG + card + text_link), URL)
    assert [(p.name, p.price, p.currency, p.cta) for p in post.products] == [
        ("Calm Kit", "0.00", "USD", "Buy Now")
    ]


def test_byline_lines_are_trimmed_but_not_sentences_naming_the_author() -> None:
    head = '<meta name="author" content="Dana Whitfield">'
    body = "<p>By Dana Whitfield</p><p>Hi, I am Dana Whitfield and I fire kilns.</p>" + LONG
    text = extract_post(_post_page(body, head), URL).body_text
    assert text.startswith("Hi, I am Dana Whitfield and I fire kilns.")


def test_leading_byline_with_date_and_tag_row_are_trimmed() -> None:
    head = '<meta name="author" content="Ann Lee">'
    body = (
        "<p>by <a href='/author/ann'>Ann Lee</a><br>in <a href='/category/events/'>Events</a>"
        "<br>on Dec 17, 2025</p><p><a href='/tag/film/'>Film</a>, "
        "<a href='/tag/festivals/'>Festivals</a></p>" + LONG
    )
    text = extract_post(_post_page(body, head), URL).body_text
    assert text.startswith("A sentence with enough words")


def test_a_one_column_table_around_an_image_is_a_figure_not_a_table() -> None:
    body = (
        "<p>Before the picture we walked a long way along the marsh and counted birds.</p>"
        '<table class="tr-caption-container"><tbody><tr><td><a href="https://b.test/a.jpg">'
        '<img src="https://b.test/a.jpg" alt="curlew"></a></td></tr>'
        '<tr><td class="tr-caption">A curlew at the water\'s edge</td></tr></tbody></table>'
        "<p>After the picture we went home and wrote down what we had seen that day.</p>"
        "<table><tr><th>Bird</th><th>Count</th></tr><tr><td>Curlew</td><td>4</td></tr></table>"
    )
    html = f"<html><head><title>Waders</title></head><body><article>{body}</article></body></html>"
    post = extract_post(html, "https://b.test/2025/10/waders.html")
    assert "![curlew](https://b.test/a.jpg)" in post.body_markdown
    assert "| A curlew" not in post.body_markdown  # the caption is a paragraph
    assert "| Bird | Count |" in post.body_markdown  # a real table stays a table
    assert [(i.src, i.caption) for i in post.images] == [
        ("https://b.test/a.jpg", "A curlew at the water's edge")
    ]


def test_an_image_known_only_by_its_picture_sources_is_kept() -> None:
    body = (
        "<p>The first paragraph says enough about the picture below to be a real body.</p>"
        '<figure><picture><source srcset="https://b.test/a.webp 640w, https://b.test/b.webp '
        '1280w" type="image/webp"><img alt="a kiln" width="640"></picture>'
        "<figcaption>The kiln at dawn</figcaption></figure>"
        "<p>The second paragraph closes the post with a few more words about firing.</p>"
    )
    html = f"<html><head><title>Kiln</title></head><body><article>{body}</article></body></html>"
    post = extract_post(html, "https://b.test/p/kiln")
    assert [(i.src, i.alt, i.caption) for i in post.images] == [
        ("https://b.test/a.webp", "a kiln", "The kiln at dawn")
    ]
    assert "![a kiln](https://b.test/a.webp)" in post.body_markdown


# -- generic main-content detection ----------------------------------------------------------
def _section(index: int, layers: int) -> str:
    text = (
        f"<h2>Part {index}</h2><p>Section {index} opens with a sentence of its own, long enough"
        " to read like prose, and goes on a while.</p>"
        f"<p>It has a second paragraph too, with commas, clauses and a full stop {index}.</p>"
    )
    opening = "".join(f"<div class='layer-{k}'>" for k in range(layers))
    return opening + f"<div class='text-block'>{text}</div>" + "</div>" * layers


def _generic_page(main: str) -> str:
    return (
        "<html><head><title>Field notes</title></head><body><header><a href='/'>Home</a>"
        "</header><h1>Field notes</h1>"
        f"<main>{main}</main><footer>© Field notes, all rights reserved.</footer></body></html>"
    )


def test_sections_each_wrapped_in_many_layers_are_all_kept() -> None:
    # Page builders wrap each section in its own stack of divs: the sections are cousins,
    # not siblings, and the text blocks' common ancestor is seven levels up.
    post = extract_post(_generic_page("".join(_section(i, 6) for i in range(5))), URL)
    for i in range(5):
        assert f"Section {i} opens" in post.body_text
    assert [s.heading for s in post.sections] == [f"Part {i}" for i in range(5)]
    assert "rights reserved" not in post.body_text


def test_elementor_containers_are_content_not_widgets() -> None:
    widget = (
        "<div class='elementor-widget elementor-widget-text-editor'>"
        "<div class='elementor-widget-container'>{}</div></div>"
    )
    share = "<div class='elementor-widget-share-buttons'><a href='#'>Share</a></div>"
    body = "".join(widget.format(_section(i, 0)) for i in range(3)) + share
    page = (
        "<html><head><title>Field notes</title><meta name='generator' content='Elementor 3.2'>"
        f"</head><body><h1>Field notes</h1><div class='elementor-widget-wrap'>{body}</div>"
        "</body></html>"
    )
    post = extract_post(page, URL)
    for i in range(3):
        assert f"Section {i} opens" in post.body_text
    assert "Share" not in post.body_text


def test_a_layout_class_saying_there_is_no_sidebar_is_not_a_sidebar() -> None:
    """A Shopify theme marks every block of the post "sidebar-enabled--false"."""
    para = "<p>" + "Compost the kitchen scraps and the bin feeds the beds next spring. " * 3
    teasers = "".join(
        f"<article><h3><a href='/blogs/p{i}'>Another story number {i} about trees</a></h3>"
        f"<p>Short teaser for story {i}.</p></article>"
        for i in range(12)
    )
    page = (
        "<html><head><title>Less waste at home | Green Notes</title></head><body>"
        "<section class='blog-wrap'><h1>Less waste at home</h1>"
        "<div class='blog-article__main sidebar-enabled--false'><div class='rich-text-field'>"
        "<h3>Key takeaways</h3><ul><li>Carry a refillable bottle and a cloth bag.</li>"
        "<li>Plan meals for the week so that less food ends up in the bin.</li></ul></div></div>"
        f"<div class='blog-article__main sidebar-enabled--false'><div class='rte'>{para * 6}"
        f"</div></div><section class='blog-list'>{teasers}</section></section></body></html>"
    )
    post = extract_post(page, "https://greennotes.example/blogs/less-waste")
    assert "Key takeaways" in post.body_markdown
    assert "Carry a refillable bottle" in post.body_text
    assert "Compost the kitchen scraps" in post.body_text
    assert "Another story" not in post.body_text


def test_a_utility_class_value_naming_a_sidebar_is_not_a_sidebar() -> None:
    """Tailwind's arbitrary values ("md:[grid-template-areas:'sidebar_main']") are layout
    values: the article carrying one is not a sidebar, and all its sections are the post."""
    sections = "".join(
        f"<div class='my-8 scroll-m-28'><h2>Trend {i}</h2><div class='blog-rich-text'>"
        + f"<p>Trend {i} changes how caterers plan menus, staff and deliveries. " * 4
        + "</p></div></div>"
        for i in range(5)
    )
    page = (
        "<html><head><title>Catering trends | Otter</title></head><body><main>"
        '<article class="grid md:grid-cols-[360px_1fr] '
        "md:[grid-template-areas:'sidebar_main''sidebar2_main']\"><h1>Catering trends</h1>"
        f"<div class='border-b md:pb-12'>{sections}</div></article></main></body></html>"
    )
    post = extract_post(page, "https://catering.example/blog/trends")
    assert [s.heading for s in post.sections] == [f"Trend {i}" for i in range(5)]


def test_a_layout_wrapper_named_for_its_sidebar_still_counts_the_prose_inside() -> None:
    """ "page-paragraphs with-nav-sidebar" wraps the whole article (and a small nav): it
    holds most of the page, so the prose inside is the post's, not a sidebar's."""
    para = "<p>An LLC files its articles of organization with the state, then publishes. </p>"
    sections = "".join(
        f"<section class='toc-para'><h2>Step {i}</h2><div class='wrap'><div class='wysiwyg'>"
        f"{para * (4 if i == 0 else 3)}</div></div></section>"
        for i in range(4)
    )
    page = (
        "<html><head><title>Forming an LLC | State</title></head><body><main>"
        "<div class='page-paragraphs with-nav-sidebar'><nav><a href='#s0'>Steps</a></nav>"
        f"<div class='article-content'><h1>Forming an LLC</h1>{sections}</div></div>"
        "</main></body></html>"
    )
    post = extract_post(page, "https://state.example/forming-llc")
    assert [s.heading for s in post.sections] == [f"Step {i}" for i in range(4)]


def test_a_list_of_references_does_not_outrank_the_papers_paragraphs() -> None:
    """Citations are full of commas, which score like prose; a list without a paragraph
    loses to the page's real paragraphs."""
    sentence = "Regular practice, in small doses, may ease stress for some adults. "
    sections = "".join(
        f"<div class='row'><div class='col'><div id='s{i}'><h2>Part {i}</h2>"
        f"<div class='text'><p>Part {i} begins. {sentence * 4}</p><p>{sentence * 4}</p>"
        "</div></div></div></div>"
        for i in range(6)
    )
    refs = "".join(
        f"<li>Author{i} A, Writer B, Person C, et al. A study, of things, in people, over "
        f"years. Journal, {2000 + i};12(3):e{i}.</li>"
        for i in range(30)
    )
    page = (
        "<html><head><title>Meditation and mindfulness</title></head><body><main>"
        f"<h1>Meditation and mindfulness</h1>{sections}<div class='row'><div class='col'>"
        f"<h2>References</h2>{'<div>' * 8}<ul>{refs}</ul>{'</div>' * 8}</div></div>"
        "</main></body></html>"
    )
    post = extract_post(page, "https://health.example.gov/meditation")
    for i in range(6):
        assert f"Part {i} begins." in post.body_text


def test_content_parked_in_a_react_streaming_boundary_is_content() -> None:
    """React's streamed rendering sends late content in <div hidden id="S:0"> and moves it
    into place with a script; other hidden blocks stay out."""
    para = "<p>" + "Index funds follow a market index, so fees stay low for years. " * 4 + "</p>"
    disclosure = (
        "<p>" + "Past results, as always, do not promise future returns to you. " * 8 + "</p>"
    )
    page = (
        "<html><head><title>Index funds</title></head><body><main><h1>Index funds</h1>"
        "<div id='B:0'><p>Loading the article, one moment please.</p></div></main>"
        f"<div hidden id='S:0'><div class='prose'>{para * 5}</div></div>"
        "<div hidden id='menu'><p>Secret menu text that nobody is meant to read here.</p></div>"
        f"<div class='disclosure'>{disclosure * 3}</div></body></html>"
    )
    post = extract_post(page, "https://invest.example/index-funds")
    assert "Index funds follow a market index" in post.body_text
    assert "Secret menu" not in post.body_text


def test_a_long_list_of_names_in_one_paragraph_does_not_outrank_the_article() -> None:
    """Commas count as prose, but a "special thanks to" paragraph of 150 names is not 150
    times a sentence (the article sits in blocks that each score less)."""
    sentence = "The typeface grew, letter by letter, from a small set of shapes. "
    blocks = "".join(
        f"<section><div class='Grid'><div class='Column_wrapper'><div class='TextBlock_text'>"
        f"<h2>Problem {i}</h2>"
        + f"<p>Problem {i} starts here. {sentence * 4}</p>" * 4
        + "</div></div></div></section>"
        for i in range(6)
    )
    names = ", ".join(
        f"<a href='/people/{i}'>Person Number{i}</a>" if i % 2 == 0 else f"Person Number{i}"
        for i in range(150)
    )
    thanks = (
        "<section><div class='Grid'><div class='Column_wrapper'><div class='TextBlock_text'>"
        f"<p>Thanks to {names}.</p></div></div></div></section>"
    )
    page = (
        "<html><head><title>A typeface story</title></head><body><main><h1>A typeface story"
        f"</h1>{blocks}{thanks}</main></body></html>"
    )
    post = extract_post(page, "https://design.example/library/typeface")
    for i in range(6):
        assert f"Problem {i} starts here." in post.body_text


def test_climb_passes_mildly_negative_wrappers_when_prose_doubles() -> None:
    # HubSpot's layout grid ("widget-span") and an anchor target ("jump-section") wrap
    # each section; the article is their common ancestor.
    sections = "".join(
        f"<section class='jump-section'><div class='span12 widget-span widget-type-cell'>"
        f"{_section(i, 2)}</div></section>"
        for i in range(4)
    )
    post = extract_post(_generic_page(f"<div class='page'>{sections}</div>"), URL)
    for i in range(4):
        assert f"Section {i} opens" in post.body_text
    # ... while a block named by a strong word (related posts) stays out
    story = "".join(_section(i, 3) for i in range(4))
    related = "<div class='related-posts'>" + _section(9, 1) + "</div>"
    post = extract_post(_generic_page(f"<div class='page'>{story}{related}</div>"), URL)
    assert "Section 2 opens" in post.body_text and "Section 9" not in post.body_text


# -- lazy images ---------------------------------------------------------------------------
def test_noscript_image_replaces_its_placeholder() -> None:
    medium = (
        "<figure><div><img alt='Photo' src='https://cdn.example/max/44/1*abc.png?q=20'></div>"
        "<img alt='Photo' width='400'><noscript><img alt='Photo' "
        "src='https://cdn.example/max/800/1*abc.png' width='400'></noscript></figure>"
    )
    gatsby = (
        "<div class='image-wrapper'><img src='data:image/png;base64,AAAA' alt=''>"
        "<img data-src='https://cdn.example/shots/two.png?w=600' alt='Two'>"
        "<noscript><picture><img src='https://cdn.example/shots/two.png?w=600' alt='Two'>"
        "</picture></noscript></div>"
    )
    advert = (
        "<noscript><a href='https://ads.example/click'><img src='https://ads.example/"
        "view.php?zone=9' alt=''></a></noscript>"
    )
    post = extract_post(_post_page(LONG + medium + LONG + gatsby + advert + LONG), URL)
    assert [i.src for i in post.images] == [
        "https://cdn.example/max/800/1*abc.png",
        "https://cdn.example/shots/two.png?w=600",
    ]
    assert "q=20" not in post.body_markdown and "ads.example" not in post.body_markdown


def test_noscript_images_are_promoted_in_the_body_only() -> None:
    tree = LexborHTMLParser(
        "<html><head><noscript><link rel=stylesheet href='/no-js.css'></noscript></head>"
        "<body><div><img src='data:image/gif;base64,R0lGOD' alt='Kiln'><noscript>"
        "<img src='https://cdn.example/kiln.jpg' alt='Kiln'></noscript></div>"
        "<div><img src='https://cdn.example/bowl.jpg'></div></body></html>"
    )
    promote_noscript_images(tree)
    assert tree.body is not None and tree.head is not None
    srcs = [img.attributes.get("src") for img in tree.body.css("img")]
    assert srcs == ["https://cdn.example/kiln.jpg", "https://cdn.example/bowl.jpg"]
    assert tree.head.css_first("noscript link") is not None  # the head is left alone

"""Post upserts, versions, dedup of authors/products/tags, link resolution, re-extraction."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from scraper.model import Author, Product, RelatedLink
from scraper.records import FrontierItem
from storage import Database, PostNotFound, PostSummary

from .helpers import JANE, KNIFE, OMAR, SITE, T0, T1, T2, linking, make_post, page_for, save, url


def test_resaving_the_same_post_changes_nothing(db: Database) -> None:
    post = make_post("country-loaf", products=(KNIFE,), related_links=())
    assert save(db, post) == "new"
    before = db.get_post(post.url)
    assert save(db, post) == "unchanged"
    # fetched_at is not content: a later fetch of identical content is still unchanged
    assert save(db, replace(post, fetched_at=T1), at=T0) == "unchanged"
    after = db.get_post(post.url)
    assert after == before
    assert after.versions == 1
    assert len(db.history(post.url)) == 1
    assert len(db.products()[0].prices) == 1
    assert db.posts()[0].tags == ("Bread", "Sourdough")


def test_changed_content_adds_exactly_one_version(db: Database) -> None:
    post = make_post("focaccia", products=(KNIFE,))
    save(db, post, at=T0)
    edited = replace(
        post,
        title="Focaccia (updated)",
        tags=("Bread",),
        authors=(JANE, OMAR),
        products=(replace(KNIFE, price="19.00"),),
    )
    assert save(db, edited, at=T1) == "changed"
    assert save(db, edited, at=T2) == "unchanged"

    stored = db.get_post(post.url)
    assert stored.versions == 2
    assert stored.post == edited
    assert stored.first_seen == T0 and stored.last_seen == T2
    history = db.history(post.url)
    assert [v.number for v in history] == [1, 2]
    assert [v.post.title for v in history] == ["Focaccia", "Focaccia (updated)"]
    assert history[0].content_hash != history[1].content_hash
    assert history[0].created_at == T0 and history[1].created_at == T1
    summary = db.posts()[0]
    assert summary.title == "Focaccia (updated)"
    assert summary.tags == ("Bread",)
    assert summary.authors == ("Jane Baker", "Omar Field")
    [knife] = db.products()
    assert [(p.price, p.version) for p in knife.prices] == [("24.00", 1), ("19.00", 2)]


def test_reverting_content_is_a_new_version(db: Database) -> None:
    post = make_post("bagels")
    save(db, post, at=T0)
    save(db, replace(post, title="Bagels!"), at=T1)
    assert save(db, post, at=T2) == "changed"
    assert [v.post.title for v in db.history(post.url)] == ["Bagels", "Bagels!", "Bagels"]


def test_get_post_by_id_url_and_canonical(db: Database) -> None:
    post = make_post("pretzels", canonical_url=f"{SITE}/pretzels", url=f"{SITE}/pretzels/?amp=1")
    save(db, post)
    stored = db.get_post(f"{SITE}/pretzels")
    assert db.get_post(stored.id) == stored
    assert db.get_post(str(stored.id)) == stored
    assert db.get_post(post.url) == stored
    assert db.get_post("HTTP://Blog.Example.com/pretzels/") == stored
    assert stored.post.published_at == datetime(2024, 3, 10, 9, 30, tzinfo=UTC)
    with pytest.raises(PostNotFound):
        db.get_post(f"{SITE}/nothing-here")
    with pytest.raises(PostNotFound):
        db.get_post(999)
    with pytest.raises(PostNotFound):
        db.history(f"{SITE}/nothing-here")


def test_one_post_per_canonical_url(db: Database) -> None:
    first = make_post("brioche", url=f"{SITE}/brioche/?utm=x", canonical_url=url("brioche"))
    second = make_post("brioche", url=f"{SITE}/2024/brioche/", canonical_url=url("brioche"))
    save(db, first)
    assert save(db, second) == "changed"  # only `url` differs, and it is content
    assert len(db.posts()) == 1
    assert db.get_post(first.url).id == db.get_post(second.url).id


def test_authors_are_deduplicated_per_site(db: Database) -> None:
    save(db, make_post("a", authors=(JANE,)))
    save(db, make_post("b", authors=(Author("JANE  BAKER", JANE.url),)))
    save(db, make_post("c", authors=(OMAR, JANE)))
    save(db, make_post("d", authors=(Author("omar field"),)))
    save(db, make_post("e", authors=(Author("Jane Baker", f"{SITE}/author/jane"),)))
    other = make_post("f", site="https://other.example.org", url="https://other.example.org/f/",
                      canonical_url=None, authors=(OMAR,))  # fmt: skip
    save(db, other)
    authors = db.authors()
    assert [(a.site, a.name, a.posts) for a in authors] == [
        (SITE, "Jane Baker", 4),
        (SITE, "Omar Field", 2),
        ("https://other.example.org", "Omar Field", 1),
    ]
    assert len(db.authors(site="blog.example.com")) == 2
    assert [p.url for p in db.posts(author="omar field", site=SITE, order="oldest")] == [
        url("c"),
        url("d"),
    ]
    assert len(db.posts(author=JANE.url or "")) == 4


def test_products_are_deduplicated_with_price_history(db: Database) -> None:
    by_name = Product("Banneton Basket", "12.00", "EUR", None, "Shop")
    save(db, make_post("a", products=(KNIFE, by_name)), at=T0)
    save(db, make_post("b", products=(replace(KNIFE, name="Bread knife", price="22.00"),)), at=T1)
    save(db, make_post("c", products=(replace(by_name, name="banneton  basket"),)), at=T1)
    products = {p.name: p for p in db.products()}
    assert sorted(products) == ["Banneton Basket", "Bread Knife"]
    knife = products["Bread Knife"]
    assert [(p.price, p.currency, p.post_url) for p in knife.prices] == [
        ("24.00", "USD", url("a")),
        ("22.00", "USD", url("b")),
    ]
    assert knife.posts == (url("a"), url("b"))
    assert products["Banneton Basket"].posts == (url("a"), url("c"))
    assert products["Banneton Basket"].prices[0].seen_at == T0


def test_related_links_resolve_now_and_later(db: Database) -> None:
    save(db, make_post("starter"))
    save(db, linking("levain", "starter", "hydration"))
    links = {link.url: link for link in db.links()}
    assert links[url("starter")].target_url == url("starter")
    assert links[url("hydration")].target_id is None
    # the target arrives later, linked under another spelling of its URL
    target = make_post("hydration", url=f"{SITE}/hydration", canonical_url=f"{SITE}/hydration")
    save(db, target)
    links = {link.url: link for link in db.links()}
    assert links[url("hydration")].target_id == db.get_post(target.url).id
    assert [link.position for link in db.links()] == [0, 1]
    assert links[url("starter")].source_url == url("levain")


def test_link_to_http_spelling_resolves(db: Database) -> None:
    save(db, make_post("scoring"))
    post = make_post(
        "lame",
        related_links=(RelatedLink("scoring", "http://BLOG.example.com/scoring#top", 1, "card"),),
    )
    save(db, post)
    [link] = db.links()
    assert link.kind == "card" and link.section == 1
    assert link.target_url == url("scoring")


def slugs(rows: list[PostSummary]) -> list[str]:
    return [r.url.rstrip("/").rsplit("/", 1)[1] for r in rows]


def test_filters_and_order(db: Database) -> None:
    save(db, make_post("jan", published_at=datetime(2024, 1, 15, 23, 30, tzinfo=UTC),
                       tags=("Rye",)))  # fmt: skip
    save(db, make_post("feb", published_at=datetime(2024, 2, 1, 0, 30, tzinfo=UTC)))
    save(db, make_post("mar", published_at=datetime(2024, 3, 31, 12, 0, tzinfo=UTC)))
    save(db, make_post("undated", published_at=None, published_precision=None))
    assert slugs(db.posts()) == ["mar", "feb", "jan", "undated"]
    assert slugs(db.posts(order="oldest")) == ["jan", "feb", "mar", "undated"]
    assert slugs(db.posts(order="title")) == ["feb", "jan", "mar", "undated"]
    assert slugs(db.posts(limit=2)) == ["mar", "feb"]
    from datetime import date

    assert slugs(db.posts(since=date(2024, 2, 1))) == ["mar", "feb"]
    assert slugs(db.posts(until=date(2024, 1, 15))) == ["jan"]
    assert slugs(db.posts(since=date(2024, 1, 16), until=date(2024, 3, 30))) == ["feb"]
    assert slugs(db.posts(until=datetime(2024, 2, 1, 0, 30, tzinfo=UTC))) == ["feb", "jan"]
    assert slugs(db.posts(tag="rye")) == ["jan"]
    assert slugs(db.posts(tag="SOURDOUGH")) == ["mar", "feb", "undated"]
    assert db.posts(tag="nope") == []
    assert db.posts(site="https://elsewhere.example") == []
    assert len(db.posts(site="https://BLOG.example.com/any/path")) == 4


def test_summary_fields(db: Database) -> None:
    save(db, make_post("field-notes", reading_time_minutes=7, platform="ghost", language="de"))
    [row] = db.posts()
    assert row.site == SITE
    assert row.reading_time_minutes == 7
    assert row.platform == "ghost"
    assert row.word_count == make_post("field-notes").word_count
    assert row.gone is False
    data = row.to_dict()
    assert data["published_at"] == "2024-03-10T09:30:00+00:00"
    assert data["authors"] == ["Jane Baker"]


def test_iter_posts_is_stable_and_complete(db: Database) -> None:
    for n in range(230):  # more than one internal batch
        save(db, make_post(f"p{n:03d}"))
    ids = [p.id for p in db.iter_posts()]
    assert ids == sorted(ids) and len(ids) == 230
    assert [p.id for p in db.iter_posts()] == ids
    assert list(db.iter_posts(site="https://elsewhere.example")) == []
    assert len(list(db.iter_posts(since=datetime(2030, 1, 1, tzinfo=UTC)))) == 0


def test_reextract_adds_a_version_only_when_content_changes(db: Database) -> None:
    post = make_post("ciabatta")
    save(db, post)
    [snap] = list(db.iter_snapshots())
    assert snap.url == post.url and snap.body.startswith(b"<html>")
    assert db.save_reextracted(snap.post_id, post, snap.snapshot_hash) is False
    better = replace(post, title="Ciabatta", body_text=post.body_text + "\n\nBake hot.")
    assert db.save_reextracted(snap.post_id, better, snap.snapshot_hash) is True
    assert db.save_reextracted(snap.post_id, better, snap.snapshot_hash) is False
    history = db.history(snap.post_id)
    assert len(history) == 2 and history[1].snapshot_hash == snap.snapshot_hash
    assert db.posts(search="bake hot")[0].id == snap.post_id
    with pytest.raises(Exception, match="no stored post"):
        db.save_reextracted(12345, post, None)


def test_mark_gone(db: Database) -> None:
    for slug in ("kept", "dropped", "moved"):
        save(db, make_post(slug))
    assert db.mark_gone(SITE, [url("kept"), f"{SITE}/moved"]) == 1
    gone = {p.url: p.gone for p in db.posts()}
    assert gone == {url("kept"): False, url("dropped"): True, url("moved"): False}
    assert db.get_post(url("dropped")).gone is True
    save(db, make_post("dropped"), at=T1)  # seen again
    assert db.get_post(url("dropped")).gone is False


def test_sites_listing(db: Database) -> None:
    run = db.begin_run(SITE)
    db.save_page(run, FrontierItem(url("x")), page_for(make_post("x")), make_post("x"))
    [site] = db.sites()
    assert site.url == SITE and site.posts == 1 and site.last_run_at is not None


def test_bad_query_arguments(db: Database) -> None:
    from scraper.errors import UsageError

    with pytest.raises(UsageError):
        db.posts(order="random")  # type: ignore[arg-type]
    with pytest.raises(UsageError):
        db.posts(limit=-1)

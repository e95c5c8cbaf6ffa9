"""save_pages: many pages in one transaction, with the same effects as one by one."""

from __future__ import annotations

from dataclasses import replace

import pytest

from scraper.records import FetchedPage, FrontierItem
from storage import Database, StorageError

from .helpers import SITE, T0, T1, linking, make_post, page_for, url


def test_batch_outcomes_match_sequential_saves(db: Database) -> None:
    run = db.begin_run(SITE)
    first = make_post("batch-a")
    edited = replace(first, title="Batch A, edited")
    other = linking("batch-b", "batch-a", "batch-c")
    target = make_post("batch-c")
    listing = FetchedPage(url("archive"), url("archive"), 200, b"<ul></ul>", T0)
    entries = [
        (FrontierItem(first.url), page_for(first, T0), first),
        (FrontierItem(other.url), page_for(other, T0), other),
        (FrontierItem(first.url), page_for(first, T0), first),  # same again: unchanged
        (FrontierItem(url("archive"), kind="list"), listing, None),
        (FrontierItem(first.url), page_for(edited, T1, b"<p>v2</p>"), edited),  # changed
        (FrontierItem(target.url), page_for(target, T1), target),
    ]
    outcomes = db.save_pages(run, entries)
    assert outcomes == ["new", "new", "unchanged", "not_post", "changed", "new"]
    assert db.get_post(first.url).versions == 2
    assert db.get_post(first.url).post.title == "Batch A, edited"
    links = {link.url: link.target_url for link in db.links()}
    assert links == {url("batch-a"): url("batch-a"), url("batch-c"): url("batch-c")}
    stats = db.run_stats(run)
    assert (stats.discovered, stats.fetched, stats.new, stats.changed) == (4, 6, 2, 1)
    assert db.save_pages(run, []) == []


def test_batch_with_not_modified_and_shared_entities(db: Database) -> None:
    run = db.begin_run(SITE)
    posts = [make_post(f"shared-{n}") for n in range(30)]  # same authors, tags, images
    assert db.save_pages(run, [(FrontierItem(p.url), page_for(p), p) for p in posts]) == (
        ["new"] * 30
    )
    again = [
        (FrontierItem(p.url), FetchedPage(p.url, p.url, 304, b"", T1), None) for p in posts[:3]
    ]
    assert db.save_pages(run, again) == ["not_modified"] * 3
    assert db.get_post(posts[0].url).last_seen == T1
    assert len(db.authors()) == 1 and db.authors()[0].posts == 30
    assert len(db.posts(tag="sourdough")) == 30
    assert len(db.posts(search="starter bubbling")) == 30


def test_a_failing_batch_writes_nothing(db: Database) -> None:
    run = db.begin_run(SITE)
    good = make_post("good")
    entries = [(FrontierItem(good.url), page_for(good), good)]
    with pytest.raises(StorageError):
        db.save_pages(run + 999, entries)  # no such run: the frontier insert fails
    assert db.posts() == []
    assert db.save_pages(run, entries) == ["new"]

"""Concurrent writers: separate Database objects (own engines, own connections) saving
overlapping posts at the same moment still leave one row per post, author, tag, product."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from functools import partial

import storage
from scraper.model import Author, Product
from scraper.records import FrontierItem

from .helpers import SITE, make_post, page_for


def _race(workers: list[Callable[[], object]]) -> list[object]:
    """Run the callables in threads released together; re-raise the first failure."""
    barrier = threading.Barrier(len(workers))
    results: list[object] = [None] * len(workers)
    errors: list[BaseException] = []

    def run(index: int, work: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = work()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def test_two_writers_upserting_the_same_post(db_url: str) -> None:
    writers = [storage.open(db_url) for _ in range(2)]
    try:
        runs = [w.begin_run(SITE) for w in writers]
        assert runs[0] == runs[1]
        for round_ in range(8):
            post = make_post(
                f"race-{round_}",
                authors=(Author(f"New Author {round_}"), Author("Shared Writer", f"{SITE}/a/s")),
                tags=(f"tag-{round_}", "Shared"),
                products=(Product(f"Gadget {round_}", "1.00", "USD", None),),
            )
            item = FrontierItem(post.url)
            outcomes = _race(
                [
                    partial(w.save_page, r, item, page_for(post), post)
                    for w, r in zip(writers, runs, strict=True)
                ]
            )
            assert sorted(map(str, outcomes)) == ["new", "unchanged"]
        db = writers[0]
        posts = db.posts()
        assert len(posts) == 8
        assert all(db.get_post(p.id).versions == 1 for p in posts)
        names = [a.name for a in db.authors()]
        assert len(names) == len(set(names)) == 9
        assert len(db.products()) == 8
        assert {p.tags for p in posts} == {(f"tag-{n}", "Shared") for n in range(8)}
    finally:
        for writer in writers:
            writer.close()


def test_many_writers_with_different_content(db_url: str) -> None:
    writers = [storage.open(db_url) for _ in range(4)]
    try:
        run = writers[0].begin_run(SITE)
        base = make_post("contested")
        versions = [replace(base, title=f"Title {n}") for n in range(4)]
        _race(
            [
                partial(w.save_page, run, FrontierItem(p.url), page_for(p), p)
                for w, p in zip(writers, versions, strict=True)
            ]
        )
        stored = writers[0].get_post(base.url)
        history = writers[0].history(base.url)
        assert [v.number for v in history] == list(range(1, len(history) + 1))
        assert stored.versions == len(history)
        assert stored.post == history[-1].post
        assert len(writers[0].posts()) == 1
    finally:
        for writer in writers:
            writer.close()


def test_batches_in_opposite_orders(db_url: str) -> None:
    writers = [storage.open(db_url) for _ in range(2)]
    try:
        run = writers[0].begin_run(SITE)
        posts = [make_post(f"pair-{n}", tags=(f"t{n}", "Both")) for n in range(20)]
        forward = [(FrontierItem(p.url), page_for(p), p) for p in posts]
        backward = list(reversed(forward))
        for _ in range(3):
            _race([partial(writers[0].save_pages, run, forward),
                   partial(writers[1].save_pages, run, backward)])  # fmt: skip
        assert len(writers[0].posts()) == 20
        assert all(writers[0].get_post(p.url).versions == 1 for p in posts)
        assert writers[0].run_stats(run).discovered == 20
    finally:
        for writer in writers:
            writer.close()

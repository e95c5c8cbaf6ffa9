"""A CrawlStore for tests over stdlib sqlite3 (":memory:" or a file, so a killed
crawl can be resumed by another process). It keeps a log of every post save so
tests can check that no post was saved twice."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime

from scraper.errors import BlogbinderError
from scraper.model import Post
from scraper.records import FetchedPage, FrontierItem, Outcome, RunStats, Validators

_SCHEMA = """
create table if not exists runs (id integer primary key, site text, status text);
create table if not exists frontier (
    run_id integer, seq integer primary key autoincrement, url text, kind text, source text,
    depth integer, lastmod text, state text default 'pending', outcome text, reason text,
    unique (run_id, url));
create table if not exists pages (
    url text primary key, etag text, last_modified text, body_hash text, lastmod text);
create table if not exists posts (url text primary key, data text, body_hash text);
create table if not exists post_saves (url text, run_id integer);
"""


class SqliteStore:
    """``batch=True`` adds ``save_pages`` (many pages, one transaction), which the crawl
    uses when a store has it; ``batch=False`` leaves only the protocol's ``save_page``."""

    def __init__(self, path: str = ":memory:", *, batch: bool = True) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.executescript(_SCHEMA)
        self.batches: list[int] = []  # sizes of the save_pages calls
        if not batch:
            self.save_pages = None  # type: ignore[method-assign, assignment]

    def close(self) -> None:
        self.db.close()

    # -- CrawlStore -------------------------------------------------------------------------
    def begin_run(self, site: str) -> int:
        row = self.db.execute(
            "select id from runs where site = ? and status in ('running', 'interrupted') "
            "order by id desc limit 1",
            (site,),
        ).fetchone()
        if row:
            self.db.execute("update runs set status = 'running' where id = ?", (row[0],))
            return int(row[0])
        cur = self.db.execute("insert into runs (site, status) values (?, 'running')", (site,))
        assert cur.lastrowid is not None
        return cur.lastrowid

    def enqueue(self, run_id: int, items: Sequence[FrontierItem]) -> int:
        before = self.db.total_changes
        with self.db:
            self.db.executemany(
                "insert or ignore into frontier (run_id, url, kind, source, depth, lastmod) "
                "values (?, ?, ?, ?, ?, ?)",
                [
                    (
                        run_id,
                        i.url,
                        i.kind,
                        i.source,
                        i.depth,
                        i.lastmod.isoformat() if i.lastmod else None,
                    )
                    for i in items
                ],
            )
        return self.db.total_changes - before

    def pending(self, run_id: int, limit: int, new_first: bool = False) -> list[FrontierItem]:
        first = "(url in (select url from pages)), " if new_first else ""
        rows = self.db.execute(
            "select url, kind, source, depth, lastmod from frontier "
            f"where run_id = ? and state = 'pending' order by {first}seq limit ?",
            (run_id, limit),
        ).fetchall()
        return [
            FrontierItem(u, k, s, d, datetime.fromisoformat(m) if m else None)
            for u, k, s, d, m in rows
        ]

    def validators(self, url: str) -> Validators | None:
        row = self.db.execute(
            "select etag, last_modified, body_hash, lastmod from pages where url = ?", (url,)
        ).fetchone()
        if row is None:
            return None
        etag, last_modified, body_hash, lastmod = row
        return Validators(
            etag, last_modified, body_hash, datetime.fromisoformat(lastmod) if lastmod else None
        )

    def _done(self, run_id: int, url: str, outcome: str, reason: str | None = None) -> None:
        self.db.execute(
            "update frontier set state = 'done', outcome = ?, reason = ? "
            "where run_id = ? and url = ?",
            (outcome, reason, run_id, url),
        )

    def save_page(
        self, run_id: int, item: FrontierItem, page: FetchedPage, post: Post | None
    ) -> Outcome:
        with self.db:
            return self._save(run_id, item, page, post)

    def save_pages(
        self, run_id: int, pages: Sequence[tuple[FrontierItem, FetchedPage, Post | None]]
    ) -> list[Outcome]:
        self.batches.append(len(pages))
        with self.db:
            return [self._save(run_id, item, page, post) for item, page, post in pages]

    def _save(
        self, run_id: int, item: FrontierItem, page: FetchedPage, post: Post | None
    ) -> Outcome:
        outcome: Outcome
        if page.status == 304:
            outcome = "not_modified"
        else:
            self.db.execute(
                "insert or replace into pages values (?, ?, ?, ?, ?)",
                (
                    item.url,
                    page.etag,
                    page.last_modified,
                    page.body_hash,
                    item.lastmod.isoformat() if item.lastmod else None,
                ),
            )
            if post is None:
                outcome = "not_post"
            else:
                data = json.dumps(post.to_dict() | {"fetched_at": None}, sort_keys=True)
                old = self.db.execute(
                    "select data from posts where url = ?", (post.url,)
                ).fetchone()
                outcome = "new" if old is None else "unchanged" if old[0] == data else "changed"
                if outcome != "unchanged":
                    self.db.execute(
                        "insert or replace into posts values (?, ?, ?)",
                        (post.url, data, page.body_hash),
                    )
                self.db.execute("insert into post_saves values (?, ?)", (post.url, run_id))
        self._done(run_id, item.url, outcome)
        return outcome

    def save_skip(self, run_id: int, item: FrontierItem, reason: str) -> None:
        self._done(run_id, item.url, "skipped", reason)

    def save_failure(self, run_id: int, item: FrontierItem, error: BlogbinderError) -> None:
        self._done(run_id, item.url, "failed", f"{error.kind}: {error}")

    def run_stats(self, run_id: int) -> RunStats:
        stats = RunStats()
        rows = self.db.execute(
            "select state, outcome, reason from frontier where run_id = ?", (run_id,)
        ).fetchall()
        stats.discovered = len(rows)
        for _state, outcome, reason in rows:
            if outcome is None:
                continue
            if outcome in ("new", "changed", "unchanged", "not_modified", "not_post"):
                stats.fetched += 1
            if outcome in ("new", "changed", "unchanged", "not_modified", "failed", "skipped"):
                setattr(stats, outcome, getattr(stats, outcome) + 1)
            if outcome == "failed":
                kind = str(reason).split(":", 1)[0]
                stats.errors[kind] = stats.errors.get(kind, 0) + 1
        return stats

    def finish_run(self, run_id: int, status: str) -> RunStats:
        self.db.execute("update runs set status = ? where id = ?", (status, run_id))
        return self.run_stats(run_id)

    # -- for assertions -------------------------------------------------------------------
    def post_urls(self) -> set[str]:
        return {r[0] for r in self.db.execute("select url from posts")}

    def post_save_counts(self) -> dict[str, int]:
        rows = self.db.execute("select url, count(*) from post_saves group by url")
        return {u: int(n) for u, n in rows}

    def outcomes(self, run_id: int) -> dict[str, str]:
        rows = self.db.execute("select url, outcome from frontier where run_id = ?", (run_id,))
        return {u: o for u, o in rows}

    def reasons(self, run_id: int) -> dict[str, str]:
        rows = self.db.execute(
            "select url, reason from frontier where run_id = ? and reason is not null", (run_id,)
        )
        return {u: r for u, r in rows}

    def run_status(self, run_id: int) -> str:
        row = self.db.execute("select status from runs where id = ?", (run_id,)).fetchone()
        return str(row[0])

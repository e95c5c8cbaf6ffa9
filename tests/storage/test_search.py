"""Full-text search: FTS5 on SQLite, the GIN tsvector index on PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import create_engine, text

import storage
from storage import Database, PostSummary
from storage._search import fts5_query, search_clause

from .helpers import make_post, save

CORPUS = [
    ("rye", "Dark Rye Bread", "Caraway seeds and a long proof."),
    ("bagels", "Boiled Bagels", "Boil in malted water, then bake."),
    ("pizza", "Neapolitan Pizza", "A hot oven and a rested dough."),
    ("croissant", "Laminated Croissants", "Cold butter, many folds; the dough rests overnight."),
]


def _corpus(db: Database) -> None:
    for slug, title, body in CORPUS:
        save(db, make_post(slug, title=title, body_text=body))


def _slugs(rows: list[PostSummary]) -> list[str]:
    return sorted(r.url.rstrip("/").rsplit("/", 1)[1] for r in rows)


def test_search_matches_title_and_body(db: Database) -> None:
    _corpus(db)
    assert _slugs(db.posts(search="caraway")) == ["rye"]
    assert _slugs(db.posts(search="BAGELS")) == ["bagels"]
    assert _slugs(db.posts(search="dough")) == ["croissant", "pizza"]
    assert _slugs(db.posts(search="dough oven")) == ["pizza"]  # all words must match
    assert _slugs(db.posts(search="boiling")) == ["bagels"]  # English stemming
    assert _slugs(db.posts(search='"malted water"')) == ["bagels"]
    assert _slugs(db.posts(search='"water malted"')) == []
    assert _slugs(db.posts(search="caraway OR butter")) == ["croissant", "rye"]
    assert db.posts(search="sourdough-free zucchini") == []


def test_search_survives_punctuation_and_combines_with_filters(db: Database) -> None:
    _corpus(db)
    for query in ('"', "(", "AND", "NOT", "*", 'c++ "', "'; DROP TABLE posts; --", "  "):
        assert isinstance(db.posts(search=query), list)
    assert _slugs(db.posts(search="dough", tag="bread", limit=1)) in (["croissant"], ["pizza"])
    assert db.posts(search="dough", site="https://elsewhere.example") == []


def test_search_follows_the_current_version(db: Database) -> None:
    post = make_post("focaccia", title="Focaccia", body_text="Olive oil and rosemary.")
    save(db, post)
    assert _slugs(db.posts(search="rosemary")) == ["focaccia"]
    save(db, replace(post, body_text="Olive oil and flaky salt."))
    assert db.posts(search="rosemary") == []
    assert _slugs(db.posts(search="flaky")) == ["focaccia"]


def test_relevance_order(db: Database) -> None:
    once = "One mention of hydration here among other words."
    save(db, make_post("once", title="Notes", body_text=once))
    save(db, make_post("often", title="Hydration", body_text="Hydration, hydration, hydration."))
    rows = db.posts(search="hydration", order="relevance")
    assert [r.url.rstrip("/").rsplit("/", 1)[1] for r in rows] == ["often", "once"]


def test_fts5_query_translation() -> None:
    assert fts5_query("rye bread") == '"rye" "bread"'
    assert fts5_query('"malted water" boil*') == '"malted water" "boil"*'
    assert fts5_query("a OR b OR") == '"a" OR "b"'
    assert fts5_query("c++ AND (x)") == '"c" "AND" "x"'
    assert fts5_query('()"') is None


@pytest.mark.postgres
def test_postgres_search_uses_the_gin_index(pg_url: str) -> None:
    storage.upgrade(pg_url)
    engine = create_engine(pg_url)
    try:
        with engine.connect() as conn:
            indexdef = conn.execute(
                text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_post_versions_search'")
            ).scalar_one()
            assert "gin" in indexdef and "to_tsvector" in indexdef
            conn.execute(text("SET enable_seqscan = off"))
            clause = search_clause("postgresql", "bread")
            assert clause is not None and clause.where is not None
            compiled = clause.where.compile(
                dialect=conn.dialect, compile_kwargs={"literal_binds": True}
            )
            plan = "\n".join(
                row[0]
                for row in conn.execute(
                    text(f"EXPLAIN SELECT id FROM post_versions WHERE {compiled}")
                )
            )
            assert "ix_post_versions_search" in plan
    finally:
        engine.dispose()

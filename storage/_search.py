"""Full-text search: FTS5 on SQLite, the GIN tsvector expression index on PostgreSQL.

Both backends get the same query language: words (all must match), ``"quoted
phrases"`` and ``OR`` between terms. SQLite also accepts a trailing ``*`` as a prefix
match; PostgreSQL's ``websearch_to_tsquery`` also accepts ``-word`` to exclude.
Both stem English words (FTS5 ``porter``, PostgreSQL ``english``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Float, Integer, Subquery, func, literal_column, text

from ._models import SEARCH_DOCUMENT_SQL

__all__ = ["SearchClause", "fts5_query", "search_clause"]

_TOKEN = re.compile(r'"[^"]*"?|\S+')
_WORD = re.compile(r"\w+", re.UNICODE)


def fts5_query(query: str) -> str | None:
    """Translate user input into a safe FTS5 MATCH expression (None if it has no words)."""
    parts: list[str] = []
    for token in _TOKEN.findall(query):
        if token == "OR":
            if parts and parts[-1] != "OR":
                parts.append("OR")
            continue
        words = _WORD.findall(token)
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        if token.endswith("*") and not token.startswith('"'):
            term += "*"
        parts.append(term)
    while parts and parts[-1] == "OR":
        parts.pop()
    return " ".join(parts) if parts else None


@dataclass(frozen=True, slots=True)
class SearchClause:
    """What a posts query needs to search: a subquery of matching post ids to join on
    (SQLite) or a condition on the current version (PostgreSQL), plus a rank where a
    *smaller* value is better."""

    join: Subquery | None
    where: ColumnElement[bool] | None
    rank: ColumnElement[float]


def search_clause(dialect: str, query: str) -> SearchClause | None:
    """The search for ``query`` on ``dialect``; None when the query has no words."""
    if not _WORD.search(query):
        return None
    if dialect == "sqlite":
        match = fts5_query(query)
        if match is None:
            return None
        hits = (
            text(
                "SELECT v.post_id AS post_id, posts_fts.rank AS rank FROM posts_fts "
                "JOIN post_versions v ON v.id = posts_fts.rowid WHERE posts_fts MATCH :q"
            )
            .bindparams(q=match)
            .columns(post_id=Integer, rank=Float)
            .subquery("fts")
        )
        return SearchClause(join=hits, where=None, rank=hits.c.rank)
    document: ColumnElement[Any] = literal_column(SEARCH_DOCUMENT_SQL)
    tsquery = func.websearch_to_tsquery(literal_column("'english'"), query)
    where = document.bool_op("@@")(tsquery)
    rank: ColumnElement[float] = -func.ts_rank(document, tsquery, type_=Float)
    return SearchClause(join=None, where=where, rank=rank)

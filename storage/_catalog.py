"""Listing queries over a whole database: products, the link graph, authors, runs, sites."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import aliased

from . import _models as m
from ._crawl import run_stats
from ._queries import site_condition
from ._results import AuthorInfo, LinkInfo, PricePoint, ProductInfo, RunInfo, SiteInfo

__all__ = ["authors", "links", "products", "runs", "sites"]

PV = m.PostVersion


def products(conn: Connection, site: str | None) -> list[ProductInfo]:
    query = select(
        m.Product.id,
        m.Site.url,
        m.Product.name,
        m.Product.url,
        m.Product.image,
        m.Product.description,
    ).join(m.Site, m.Site.id == m.Product.site_id)
    if site:
        query = query.where(site_condition(site))
    items = conn.execute(query.order_by(m.Product.id)).all()
    mention = m.ProductMention
    prices: dict[int, list[PricePoint]] = defaultdict(list)
    current: dict[int, list[str]] = defaultdict(list)
    rows = conn.execute(
        select(
            mention.product_id,
            mention.price,
            mention.currency,
            mention.seen_at,
            mention.post_id,
            m.Post.url,
            PV.number,
            m.Post.current_version_id == mention.version_id,
        )
        .join(m.Post, m.Post.id == mention.post_id)
        .join(PV, PV.id == mention.version_id)
        .order_by(mention.product_id, mention.seen_at, mention.version_id, mention.position)
    )
    for product_id, price, currency, seen_at, post_id, post_url, number, is_current in rows:
        prices[product_id].append(PricePoint(price, currency, seen_at, post_id, post_url, number))
        if is_current and post_url not in current[product_id]:
            current[product_id].append(post_url)
    return [
        ProductInfo(
            id=pid,
            site=site_url,
            name=name,
            url=url,
            image=image,
            description=description,
            prices=tuple(prices.get(pid, ())),
            posts=tuple(current.get(pid, ())),
        )
        for pid, site_url, name, url, image, description in items
    ]


def links(conn: Connection, site: str | None) -> list[LinkInfo]:
    link = m.RelatedLink
    source = aliased(m.Post)
    target = aliased(m.Post)
    query = (
        select(
            link.post_id,
            source.url,
            link.position,
            link.text,
            link.url,
            link.section,
            link.kind,
            link.target_post_id,
            target.url,
        )
        .join(source, source.id == link.post_id)
        .outerjoin(target, target.id == link.target_post_id)
    )
    if site:
        query = query.join(m.Site, m.Site.id == source.site_id).where(site_condition(site))
    rows = conn.execute(query.order_by(link.post_id, link.position))
    return [LinkInfo(*row) for row in rows]


def authors(conn: Connection, site: str | None) -> list[AuthorInfo]:
    count = (
        select(func.count())
        .select_from(m.PostAuthor)
        .where(m.PostAuthor.author_id == m.Author.id)
        .scalar_subquery()
    )
    query = select(m.Author.id, m.Site.url, m.Author.name, m.Author.url, count).join(
        m.Site, m.Site.id == m.Author.site_id
    )
    if site:
        query = query.where(site_condition(site))
    rows = conn.execute(query.order_by(m.Site.url, func.lower(m.Author.name), m.Author.id))
    return [AuthorInfo(*row) for row in rows]


def runs(conn: Connection, limit: int | None, site: str | None) -> list[RunInfo]:
    run = m.CrawlRun
    query = select(run.id, m.Site.url, run.started_at, run.finished_at, run.status, run.stats).join(
        m.Site, m.Site.id == run.site_id
    )
    if site:
        query = query.where(site_condition(site))
    query = query.order_by(run.id.desc())
    if limit is not None:
        query = query.limit(limit)
    result: list[RunInfo] = []
    for rid, site_url, started, finished, status, stats in conn.execute(query).all():
        if stats is None or status == "running":
            stats = run_stats(conn, rid).to_dict()
        result.append(RunInfo(rid, site_url, started, finished, status, dict(stats)))
    return result


def sites(conn: Connection) -> list[SiteInfo]:
    count = (
        select(func.count())
        .select_from(m.Post)
        .where(m.Post.site_id == m.Site.id)
        .scalar_subquery()
    )
    last_run = (
        select(func.max(m.CrawlRun.started_at))
        .where(m.CrawlRun.site_id == m.Site.id)
        .scalar_subquery()
    )
    rows = conn.execute(
        select(m.Site.id, m.Site.url, m.Site.created, count, last_run).order_by(m.Site.url)
    )
    return [SiteInfo(*row) for row in rows]

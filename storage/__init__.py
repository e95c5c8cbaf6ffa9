"""blogbinder's database layer: the only package that imports SQLAlchemy.

::

    import storage

    with storage.open("sqlite:///blog.db") as db:      # or postgresql+psycopg://...
        run = db.begin_run("https://blog.example.com")   # the crawler's CrawlStore
        for summary in db.posts(search="sourdough", limit=10):
            print(summary.title, db.get_post(summary.id).post.word_count)

``open`` applies the packaged Alembic migrations on first use; :func:`upgrade` and
:func:`downgrade` move a database between revisions explicitly. Every failure is a
:class:`~scraper.errors.StorageError` naming the database URL (password masked).
"""

from __future__ import annotations

from scraper.errors import StorageError

from . import _engine, _migrate, _schedule  # noqa: F401  (_schedule: tables on the metadata)
from ._database import Database
from ._engine import mask_url
from ._hostgate import HostLease, SharedHostGate
from ._migrate import current_revision, downgrade, head_revision, upgrade
from ._queries import PostNotFound
from ._queue import JobCount, QueueStore
from ._registry import RunLockHandle, ScheduledSiteInfo, Scheduler, ScheduleReportInfo
from ._results import (
    AuthorInfo,
    LinkInfo,
    Order,
    PostSummary,
    PostVersionInfo,
    PricePoint,
    ProductInfo,
    RunInfo,
    SiteInfo,
    SnapshotInfo,
    StoredPost,
)

__all__ = [
    "AuthorInfo",
    "Database",
    "HostLease",
    "JobCount",
    "LinkInfo",
    "Order",
    "PostNotFound",
    "PostSummary",
    "PostVersionInfo",
    "PricePoint",
    "ProductInfo",
    "QueueStore",
    "RunInfo",
    "RunLockHandle",
    "ScheduleReportInfo",
    "ScheduledSiteInfo",
    "Scheduler",
    "SiteInfo",
    "SharedHostGate",
    "SnapshotInfo",
    "StorageError",
    "StoredPost",
    "current_revision",
    "downgrade",
    "head_revision",
    "mask_url",
    "open",
    "upgrade",
]


def open(database_url: str) -> Database:  # noqa: A001 - the natural name for the entry point
    """Open (and if needed create or migrate) the database at ``database_url``.

    ``sqlite:///path.db``, ``sqlite:///:memory:`` or ``postgresql+psycopg://user@host/db``
    (plain ``postgresql://`` means psycopg 3). Raises :class:`StorageError` naming the
    URL, password masked, when the URL is malformed or the database cannot be reached.
    """
    url = _engine.parse_url(database_url)
    masked = mask_url(database_url)
    engine = _engine.make_engine(url)
    try:
        with _engine.guard("opening the database", masked):
            _migrate.ensure_schema(engine)
    except BaseException:
        engine.dispose()
        raise
    return Database(engine, masked)

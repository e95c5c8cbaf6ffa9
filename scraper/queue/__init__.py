"""Crawling through a job queue (procrastinate on PostgreSQL), for many workers on many
machines. ``blogbinder crawl --enqueue`` puts one discovery job per site on the queue;
``blogbinder worker`` runs jobs; see :mod:`scraper.queue._jobs` for the job design and
``storage.SharedHostGate`` for politeness across workers."""

from __future__ import annotations

from ._app import (
    DISCOVER_TASK,
    PAGE_TASK,
    SCHEMA,
    WorkerConfig,
    apply_schema,
    enqueue_sites,
    libpq_url,
    make_app,
    run_worker,
)
from ._jobs import Runtime, gate_host
from ._ports import Frontier, SharedGate

__all__ = [
    "DISCOVER_TASK",
    "PAGE_TASK",
    "SCHEMA",
    "Frontier",
    "Runtime",
    "SharedGate",
    "WorkerConfig",
    "apply_schema",
    "enqueue_sites",
    "gate_host",
    "libpq_url",
    "make_app",
    "run_worker",
]

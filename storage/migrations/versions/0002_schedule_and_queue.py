"""scheduled runs and shared politeness

The site registry, the run lock, per-site reports of scheduled runs, and the per-host
politeness rows the queue workers share (see storage._schedule).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 00:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scheduled_sites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("every_seconds", sa.Integer(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_sites")),
        sa.UniqueConstraint("url", name=op.f("uq_scheduled_sites_url")),
    )
    op.create_table(
        "run_locks",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("holder_pid", sa.Integer(), nullable=False),
        sa.Column("holder_host", sa.Text(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_run_locks")),
    )
    op.create_table(
        "schedule_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_url", sa.Text(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("new", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("vanished", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["crawl_runs.id"],
            name=op.f("fk_schedule_reports_run_id_crawl_runs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_reports")),
    )
    op.create_index(
        op.f("ix_schedule_reports_site_url_started_at"),
        "schedule_reports",
        ["site_url", "started_at"],
        unique=False,
    )
    op.create_table(
        "crawl_hosts",
        sa.Column("host", sa.Text(), nullable=False),
        sa.Column("next_allowed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("crawl_delay", sa.Float(), nullable=True),
        sa.Column("starter", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("host", name=op.f("pk_crawl_hosts")),
    )
    op.create_table(
        "host_slots",
        sa.Column("host", sa.Text(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("holder", sa.String(length=32), nullable=True),
        sa.Column("busy_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["host"],
            ["crawl_hosts.host"],
            name=op.f("fk_host_slots_host_crawl_hosts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("host", "slot", name=op.f("pk_host_slots")),
    )


def downgrade() -> None:
    op.drop_table("host_slots")
    op.drop_table("crawl_hosts")
    op.drop_index(op.f("ix_schedule_reports_site_url_started_at"), table_name="schedule_reports")
    op.drop_table("schedule_reports")
    op.drop_table("run_locks")
    op.drop_table("scheduled_sites")

"""Projects, versions, the takes each version used, takes, jobs and pins.

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storyreel.store.schema import Json, Key

revision = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None

When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.String(64), nullable=False, unique=True),
        sa.Column("root", sa.Text(), nullable=False),
        sa.Column("created_at", When, nullable=False),
    )
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "project_id",
            sa.Integer(),
            sa.ForeignKey("projects.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("storyboard", Json, nullable=False),
        sa.Column("storyboard_key", Key, nullable=False),
        sa.Column("outputs", Json, nullable=False),
        sa.UniqueConstraint("project_id", "number"),
    )
    op.create_table(
        "version_takes",
        sa.Column(
            "version_id",
            sa.Integer(),
            sa.ForeignKey("versions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("shot_id", sa.String(200), primary_key=True),
        sa.Column("take_key", Key, nullable=False),
    )
    op.create_table(
        "takes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "project_id",
            sa.Integer(),
            sa.ForeignKey("projects.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("key", Key, nullable=False),
        sa.Column("shot_id", sa.String(200), nullable=False),
        sa.Column("engine", sa.String(200), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("frames", sa.Integer(), nullable=False),
        sa.Column("fps", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.UniqueConstraint("project_id", "key"),
    )
    op.create_index("ix_takes_shot_id", "takes", ["shot_id"])
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "project_id",
            sa.Integer(),
            sa.ForeignKey("projects.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("key", Key, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("shot_id", sa.String(200), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("queued_at", When, nullable=True),
        sa.Column("started_at", When, nullable=True),
        sa.Column("finished_at", When, nullable=True),
        sa.UniqueConstraint("project_id", "key"),
    )
    op.create_table(
        "pins",
        sa.Column(
            "project_id",
            sa.Integer(),
            sa.ForeignKey("projects.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("shot_id", sa.String(200), primary_key=True),
        sa.Column("take_key", Key, nullable=False),
        sa.Column("pinned_at", When, nullable=False),
    )


def downgrade() -> None:
    for table in ("pins", "jobs", "takes", "version_takes", "versions", "projects"):
        op.drop_table(table)

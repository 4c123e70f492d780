"""The studio server's rows: servers, Kling key pairs and Kling tasks.

Revision ID: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None

When = sa.DateTime(timezone=True)


def _server_id() -> sa.Column[int]:
    return sa.Column(
        "server_id",
        sa.Integer(),
        sa.ForeignKey("servers.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "servers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.String(64), nullable=False, unique=True),
        sa.Column("root", sa.Text(), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("kling_url_secret", sa.String(128), nullable=False),
    )
    op.create_table(
        "kling_keys",
        sa.Column("access_key", sa.String(64), primary_key=True),
        _server_id(),
        sa.Column("secret_key", sa.String(128), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("revoked_at", When, nullable=True),
    )
    op.create_index("ix_kling_keys_server_id", "kling_keys", ["server_id"])
    op.create_table(
        "kling_tasks",
        sa.Column("task_id", sa.String(64), primary_key=True),
        _server_id(),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("access_key", sa.String(64), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("status_msg", sa.Text(), nullable=False),
        sa.Column("external_task_id", sa.Text(), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("fps", sa.Integer(), nullable=False),
        sa.Column("callback_url", sa.Text(), nullable=True),
        sa.Column("base_url", sa.Text(), nullable=False),
        sa.UniqueConstraint("server_id", "access_key", "external_task_id"),
    )
    op.create_index("ix_kling_tasks_server_id", "kling_tasks", ["server_id"])


def downgrade() -> None:
    for table in ("kling_tasks", "kling_keys", "servers"):
        op.drop_table(table)

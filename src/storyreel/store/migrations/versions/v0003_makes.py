"""The studio server's makes: each one's process and the lease of the server watching it.

Revision ID: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "makes",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "server_id",
            sa.Integer(),
            sa.ForeignKey("servers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("project_id", sa.String(200), nullable=False),
        sa.Column("engine", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("finished_at", sa.Float(), nullable=True),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.Column("pid_started", sa.BigInteger(), nullable=True),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("lease_until", sa.Float(), nullable=False),
    )
    op.create_index("ix_makes_server_id", "makes", ["server_id"])


def downgrade() -> None:
    op.drop_table("makes")

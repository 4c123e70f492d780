"""What the checks found in each take, and the arena's votes.

Revision ID: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0005"
down_revision: str | None = "0004"
branch_labels = None
depends_on = None

When = sa.DateTime(timezone=True)
Json = sa.JSON().with_variant(JSONB(), "postgresql")


def _project_id() -> sa.Column[int]:
    return sa.Column(
        "project_id",
        sa.Integer(),
        sa.ForeignKey("projects.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "take_scores",
        sa.Column(
            "project_id",
            sa.Integer(),
            sa.ForeignKey("projects.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("take_key", sa.String(64), primary_key=True),
        sa.Column("check", sa.String(64), primary_key=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("applicable", sa.Boolean(), nullable=False),
        sa.Column("result", Json, nullable=False),
        sa.Column("checked_at", When, nullable=False),
    )
    op.create_table(
        "votes",
        sa.Column("id", sa.Integer(), primary_key=True),
        _project_id(),
        sa.Column("shot_id", sa.String(200), nullable=False),
        sa.Column("take_a", sa.String(64), nullable=False),
        sa.Column("take_b", sa.String(64), nullable=False),
        sa.Column("winner", sa.String(4), nullable=False),
        sa.Column("voter", sa.Text(), nullable=False),
        sa.Column("created_at", When, nullable=False),
    )
    op.create_index("ix_votes_project_id", "votes", ["project_id"])


def downgrade() -> None:
    op.drop_table("votes")
    op.drop_table("take_scores")

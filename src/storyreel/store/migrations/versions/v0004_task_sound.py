"""Kling tasks remember whether their film carries sound (`sound: "on"`).

Revision ID: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Tasks made before it were served without sound: they keep that.
    with op.batch_alter_table("kling_tasks") as table:
        table.add_column(
            sa.Column("sound", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("kling_tasks") as table:
        table.drop_column("sound")

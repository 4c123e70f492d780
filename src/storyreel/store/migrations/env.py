"""Alembic's entry point, run by `storyreel.store.db.migrate` with an open connection.

There is no alembic.ini: the store migrates itself when it opens. To write a new
migration, copy the newest file in versions/, bump `revision` and `down_revision`, and
let tests/store/test_store.py check that the migrated schema matches schema.py.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from storyreel.store.schema import Base

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("storyreel's migrations run through storyreel.store.db.migrate")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite alters tables by copying them; alembic's batch mode does that for us.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()

"""The store opens without alembic when the schema is current: the revision it
compares against must be the migrations folder's head."""

from __future__ import annotations

from alembic.config import Config
from alembic.script import ScriptDirectory

from storyreel.store.db import SCHEMA_REVISION


def test_schema_revision_is_the_newest_migration() -> None:
    config = Config()
    config.set_main_option("script_location", "storyreel.store:migrations")
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_REVISION

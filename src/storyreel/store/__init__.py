"""The store: projects, versions, takes (with their checks' scores), jobs, pins and
arena votes (SQLite by default, PostgreSQL by
URL). See `db.open_store`."""

from storyreel.store.db import Store, StoreError, database_url, open_store
from storyreel.store.records import (
    JobRecord,
    PinRecord,
    ScoreRecord,
    TakeRecord,
    VersionRecord,
    VoteRecord,
)

__all__ = [
    "JobRecord",
    "PinRecord",
    "ScoreRecord",
    "Store",
    "StoreError",
    "TakeRecord",
    "VersionRecord",
    "VoteRecord",
    "database_url",
    "open_store",
]

"""The store: projects, versions, takes, jobs and pins (SQLite by default, PostgreSQL by
URL). See `db.open_store`."""

from storyreel.store.db import Store, StoreError, database_url, open_store
from storyreel.store.records import JobRecord, PinRecord, TakeRecord, VersionRecord

__all__ = [
    "JobRecord",
    "PinRecord",
    "Store",
    "StoreError",
    "TakeRecord",
    "VersionRecord",
    "database_url",
    "open_store",
]

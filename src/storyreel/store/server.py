"""The studio server's own store: what belongs to the server rather than to a project
(the Kling-compatible API's key pairs, link secret and tasks; the makes it started).

    with open_server_store(Path("films")) as store:   # films/.studio/store.db
        store.add_key(record)

SQLite in the projects root's state folder (`<root>/.studio/store.db`) unless
STORYREEL_DATABASE_URL names another database; on PostgreSQL the server's tables sit
beside the projects' in the same database, its rows under a `servers` row of its own
(the id in `<root>/.studio/server-id`), so several studios can share one database.
The same migrations as the projects' store bring it to the newest schema on opening.

The database holds every key's secret: the SQLite file (and the WAL files SQLite
makes beside it, which take the file's mode) is 0600, its folder 0700.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from storyreel.store.db import DB_FILE, connect, migrate, resolve_url
from storyreel.store.identity import folder_uid
from storyreel.store.records import KlingKeyRecord, KlingTaskRecord, MakeRowRecord
from storyreel.store.schema import KlingKeyRow, KlingTaskRow, MakeRow, ServerRow, now

STATE_DIR = ".studio"
ID_FILE = "server-id"
# 32 random bytes: what an HMAC-SHA256 key wants.
_SECRET_BYTES = 32


def state_dir(root: Path) -> Path:
    """The server's private folder in the projects root, created 0700."""
    folder = Path(root) / STATE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder


def server_database_url(root: Path, url: str | None = None) -> str:
    """`url`, else $STORYREEL_DATABASE_URL, else the root's own SQLite file."""
    return resolve_url(url, lambda: state_dir(root) / DB_FILE)


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _private_file(path: Path) -> None:
    """Create `path` 0600 before SQLite does (SQLite gives its WAL files the database
    file's mode), and make an existing one 0600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Only when absent: closing any descriptor of a file drops every POSIX lock
        # this process holds on it, SQLite's included (another connection of this
        # process may be mid-transaction; make processes write the file meanwhile).
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    os.chmod(path, 0o600)


def open_server_store(root: Path, url: str | None = None) -> ServerStore:
    """The store of the studio server whose projects live in `root`, migrated and with
    the server's row in place."""
    chosen = server_database_url(root, url)
    try:
        file = _sqlite_file(chosen)
    except Exception:
        file = None  # not a URL: connect() says so, in its own words
    if file is not None:
        _private_file(file)
    engine = connect(chosen)
    try:
        migrate(engine)
        store = ServerStore(engine, folder_uid(state_dir(root) / ID_FILE), Path(root), file)
    except BaseException:
        engine.dispose()
        raise
    return store


def _insert(session: Session) -> Any:
    """The dialect's INSERT, for its ON CONFLICT DO NOTHING."""
    return (postgresql if session.get_bind().dialect.name == "postgresql" else sqlite).insert


class ServerStore:
    """One studio server's view of the database. Every method runs in its own
    transaction, so another process (`storyreel kling-keys` while the server runs)
    sees a change at once."""

    def __init__(self, engine: Engine, uid: str, root: Path, path: Path | None) -> None:
        self.engine = engine
        self.uid = uid
        # The SQLite file, or None for a database server.
        self.path = path
        # The projects root this server serves.
        self.root = Path(root)
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        with self.session() as session:
            # Insert-if-absent in one statement: servers starting together agree on one row.
            session.execute(
                _insert(session)(ServerRow)
                .values(
                    uid=uid,
                    root=str(root),
                    created_at=now(),
                    kling_url_secret=secrets.token_hex(_SECRET_BYTES),
                )
                .on_conflict_do_nothing(index_elements=["uid"])
            )
            row = session.scalars(select(ServerRow).where(ServerRow.uid == uid)).one()
            row.root = str(root)
            session.flush()
            self.server_id = row.id

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> ServerStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self._sessions.begin() as session:
            yield session

    # --- Kling keys -----------------------------------------------------------------------

    def kling_url_secret(self) -> str:
        with self.session() as session:
            row = session.get(ServerRow, self.server_id)
            assert row is not None, "the server's row is made when the store opens"
            return row.kling_url_secret

    def kling_keys(self) -> list[KlingKeyRecord]:
        """Every key pair, revoked ones included, oldest first."""
        query = (
            select(KlingKeyRow)
            .where(KlingKeyRow.server_id == self.server_id)
            .order_by(KlingKeyRow.created_at, KlingKeyRow.access_key)
        )
        with self.session() as session:
            return [KlingKeyRecord.model_validate(r) for r in session.scalars(query)]

    def add_kling_key(self, record: KlingKeyRecord) -> None:
        with self.session() as session:
            session.add(KlingKeyRow(server_id=self.server_id, **record.model_dump()))

    def revoke_kling_key(self, access_key: str, at: datetime) -> KlingKeyRecord | None:
        """Revoke the key (a revoked one keeps its first time); None when there is none."""
        with self.session() as session:
            row = session.get(KlingKeyRow, access_key)
            if row is None or row.server_id != self.server_id:
                return None
            if row.revoked_at is None:
                row.revoked_at = at
            session.flush()
            return KlingKeyRecord.model_validate(row)

    def import_kling_keys(self, url_secret: str, keys: Iterable[KlingKeyRecord]) -> None:
        """Take over keys kept elsewhere (the old key file), in one transaction; keys
        already here are left as they are, so importing twice changes nothing."""
        with self.session() as session:
            row = session.get(ServerRow, self.server_id)
            assert row is not None
            # Links signed before the import stay valid.
            row.kling_url_secret = url_secret
            for key in keys:
                session.execute(
                    _insert(session)(KlingKeyRow)
                    .values(server_id=self.server_id, **key.model_dump())
                    .on_conflict_do_nothing()
                )

    # --- Kling tasks ----------------------------------------------------------------------

    def add_kling_task(
        self, record: KlingTaskRecord, before_commit: Callable[[], None] = lambda: None
    ) -> None:
        """Insert the task, run `before_commit` (which may move its files into place),
        then commit: a failure of either leaves neither. Raises sqlalchemy's
        IntegrityError when the task's id, or its external id for its key, is taken."""
        with self.session() as session:
            session.add(KlingTaskRow(server_id=self.server_id, **record.model_dump(mode="json")))
            session.flush()
            before_commit()

    def import_kling_tasks(self, records: Iterable[KlingTaskRecord]) -> None:
        """Take over tasks kept elsewhere (old task files) in one transaction; tasks
        already here are left as they are, so importing twice changes nothing."""
        with self.session() as session:
            for record in records:
                session.execute(
                    _insert(session)(KlingTaskRow)
                    .values(server_id=self.server_id, **record.model_dump(mode="json"))
                    .on_conflict_do_nothing()
                )

    def update_kling_task(self, task_id: str, changes: Mapping[str, Any]) -> KlingTaskRecord:
        with self.session() as session:
            row = session.get(KlingTaskRow, task_id)
            if row is None or row.server_id != self.server_id:
                raise KeyError(task_id)
            for name, value in changes.items():
                setattr(row, name, value)
            session.flush()
            return KlingTaskRecord.model_validate(row)

    def update_kling_tasks(self, statuses: Sequence[str], changes: Mapping[str, Any]) -> int:
        """Change every task whose status is one of `statuses`; how many there were."""
        statement = (
            update(KlingTaskRow)
            .where(KlingTaskRow.server_id == self.server_id, KlingTaskRow.status.in_(statuses))
            .values(**changes)
        )
        with self.session() as session:
            return int(session.execute(statement).rowcount)  # type: ignore[attr-defined]

    def kling_task(self, task_id: str) -> KlingTaskRecord | None:
        with self.session() as session:
            row = session.get(KlingTaskRow, task_id)
            if row is None or row.server_id != self.server_id:
                return None
            return KlingTaskRecord.model_validate(row)

    def find_kling_task(
        self, access_key: str, ident: str, kind: str | None = None
    ) -> KlingTaskRecord | None:
        """The key's task whose task_id, or else external_task_id, is `ident`."""
        query = select(KlingTaskRow).where(
            KlingTaskRow.server_id == self.server_id,
            KlingTaskRow.access_key == access_key,
            or_(KlingTaskRow.task_id == ident, KlingTaskRow.external_task_id == ident),
        )
        if kind is not None:
            query = query.where(KlingTaskRow.kind == kind)
        with self.session() as session:
            rows = list(session.scalars(query))
        # A task_id match wins over another task's external id that happens to equal it.
        rows.sort(key=lambda r: r.task_id != ident)
        return KlingTaskRecord.model_validate(rows[0]) if rows else None

    def kling_tasks(
        self, access_key: str, kind: str, offset: int = 0, limit: int | None = None
    ) -> list[KlingTaskRecord]:
        """The key's tasks of one kind, newest first."""
        query = (
            select(KlingTaskRow)
            .where(
                KlingTaskRow.server_id == self.server_id,
                KlingTaskRow.access_key == access_key,
                KlingTaskRow.kind == kind,
            )
            .order_by(KlingTaskRow.created_at.desc(), KlingTaskRow.task_id.desc())
            .offset(offset)
            .limit(limit)
        )
        with self.session() as session:
            return [KlingTaskRecord.model_validate(r) for r in session.scalars(query)]

    # --- makes ----------------------------------------------------------------------------

    def add_make(self, record: MakeRowRecord) -> None:
        with self.session() as session:
            session.add(MakeRow(server_id=self.server_id, **record.model_dump()))

    def update_make(self, make_id: str, changes: Mapping[str, Any]) -> MakeRowRecord | None:
        """Change the make's row; None when there is none."""
        with self.session() as session:
            row = session.get(MakeRow, make_id)
            if row is None or row.server_id != self.server_id:
                return None
            for name, value in changes.items():
                setattr(row, name, value)
            session.flush()
            return MakeRowRecord.model_validate(row)

    def make(self, make_id: str) -> MakeRowRecord | None:
        with self.session() as session:
            row = session.get(MakeRow, make_id)
            if row is None or row.server_id != self.server_id:
                return None
            return MakeRowRecord.model_validate(row)

    def makes(
        self, statuses: Sequence[str] | None = None, limit: int | None = None
    ) -> list[MakeRowRecord]:
        """The server's makes, newest first; only those of `statuses` when given."""
        query = select(MakeRow).where(MakeRow.server_id == self.server_id)
        if statuses is not None:
            query = query.where(MakeRow.status.in_(statuses))
        query = query.order_by(MakeRow.created_at.desc()).limit(limit)
        with self.session() as session:
            return [MakeRowRecord.model_validate(r) for r in session.scalars(query)]

    def renew_leases(self, owner: str, until: float, statuses: Sequence[str]) -> None:
        """Extend the lease on every make of `statuses` that `owner` watches."""
        statement = (
            update(MakeRow)
            .where(
                MakeRow.server_id == self.server_id,
                MakeRow.owner == owner,
                MakeRow.status.in_(statuses),
            )
            .values(lease_until=until)
        )
        with self.session() as session:
            session.execute(statement)

    def claim_make(self, make_id: str, owner: str, until: float, now: float) -> bool:
        """Take over watching a make whose lease has lapsed; False when another server
        holds it (or took it first)."""
        statement = (
            update(MakeRow)
            .where(
                MakeRow.id == make_id,
                MakeRow.server_id == self.server_id,
                MakeRow.lease_until < now,
            )
            .values(owner=owner, lease_until=until)
        )
        with self.session() as session:
            return int(session.execute(statement).rowcount) == 1  # type: ignore[attr-defined]

    def kling_tasks_in(self, statuses: Sequence[str]) -> list[KlingTaskRecord]:
        """Every task of the server whose status is one of `statuses`, oldest first."""
        query = (
            select(KlingTaskRow)
            .where(KlingTaskRow.server_id == self.server_id, KlingTaskRow.status.in_(statuses))
            .order_by(KlingTaskRow.created_at, KlingTaskRow.task_id)
        )
        with self.session() as session:
            return [KlingTaskRecord.model_validate(r) for r in session.scalars(query)]

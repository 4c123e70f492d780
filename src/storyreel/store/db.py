"""The store: one project's takes, jobs, pins and versions in a SQL database.

    store = open_store(Project.at(Path("my-film")))

SQLite in the project folder (.storyreel/store.db) unless STORYREEL_DATABASE_URL names
another database, e.g. postgresql://user@host/storyreel (driven by psycopg 3). The
schema is migrated to the newest revision whenever a store is opened.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, delete, event, inspect, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from storyreel.errors import StoryreelError
from storyreel.events import JobEvent
from storyreel.project import STATE_DIR, Project
from storyreel.store.identity import project_uid
from storyreel.store.records import (
    JobRecord,
    PinRecord,
    ScoreRecord,
    TakeRecord,
    VersionRecord,
    VoteRecord,
)
from storyreel.store.schema import (
    JobRow,
    PinRow,
    ProjectRow,
    TakeRow,
    TakeScoreRow,
    VersionRow,
    VersionTakeRow,
    VoteRow,
    now,
)

URL_ENV = "STORYREEL_DATABASE_URL"
DB_FILE = "store.db"
# Serializes migrations of one PostgreSQL database across processes (any constant).
_MIGRATION_LOCK = 0x5709E1
# How long SQLite waits for another process's write before giving up, in seconds.
SQLITE_BUSY_TIMEOUT = 30


class StoreError(StoryreelError):
    """The store cannot be opened or used."""


def database_url(project: Project, url: str | None = None) -> str:
    """The URL to use: `url`, else $STORYREEL_DATABASE_URL, else the project's SQLite file.

    Plain postgresql:// (and postgres://) URLs are given the psycopg 3 driver, the one
    storyreel installs.
    """
    return resolve_url(url, lambda: project.state_dir / DB_FILE)


def resolve_url(url: str | None, default_file: Callable[[], Path]) -> str:
    """`url`, else $STORYREEL_DATABASE_URL, else SQLite in `default_file()` (called only
    then: it may create a folder); PostgreSQL URLs get the psycopg 3 driver."""
    chosen = url or os.environ.get(URL_ENV) or ""
    if not chosen:
        return f"sqlite:///{default_file()}"
    for prefix in ("postgres://", "postgresql://"):
        if chosen.startswith(prefix):
            return "postgresql+psycopg://" + chosen[len(prefix) :]
    return chosen


def has_store(project: Project, url: str | None = None) -> bool:
    """Whether opening the store would find one rather than create it: a server
    database always counts, a SQLite one only when its file exists. Asking makes no
    folder: `storyreel log` of a story never made leaves no project behind."""
    if not (url or os.environ.get(URL_ENV)):
        return (project.root / STATE_DIR / DB_FILE).exists()
    chosen = database_url(project, url)
    return not chosen.startswith("sqlite:///") or Path(chosen[len("sqlite:///") :]).exists()


def connect(url: str) -> Engine:
    """An engine for `url`, with SQLite set up for several processes at once."""
    try:
        parsed = make_url(url)
    except Exception as error:
        raise StoreError(f"{URL_ENV} or the store URL is not a database URL: {url!r}") from error
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy, not the sqlite3 module, decides when transactions begin (see below).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL: readers (a `storyreel log` while a make runs) never block the writer.
    _retry_while_locked(lambda: cursor.execute("PRAGMA journal_mode=WAL"))
    # In WAL mode, NORMAL syncs the log at checkpoints instead of at every commit: a
    # make commits each job event, take and score, and a sync each (milliseconds on a
    # disk) cost a matrix of films about a second. The database cannot be corrupted
    # this way; a power cut may lose the last commits, which the caches already
    # survive (a take whose record is lost is rendered again, see run/cache.py).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _retry_while_locked(statement: Callable[[], object]) -> None:
    """Run `statement`, retrying while another process holds the database.

    Switching a new database file to WAL needs it to itself, and SQLite answers
    "database is locked" at once rather than waiting out the busy timeout, so processes
    opening a new store together retry here, within that same timeout."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT
    while True:
        try:
            statement()
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _sqlite_begin(connection: Any) -> None:
    # IMMEDIATE takes the write lock up front, waiting up to the busy timeout; a
    # deferred transaction that later wants to write can fail at once instead. It
    # also makes migrations atomic and serialized between processes.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


# The newest migration's revision. A store already there opens without importing
# alembic (half a second of every command's start-up); tests check this matches the
# migrations folder's head.
SCHEMA_REVISION = "0005"


def _current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
        return None if row is None else str(row[0])


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema; a no-op when it is there already."""
    if _current_revision(engine) == SCHEMA_REVISION:
        return
    from alembic import command
    from alembic.config import Config
    from alembic.util.exc import CommandError

    config = Config()
    config.set_main_option("script_location", "storyreel.store:migrations")
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK})
        config.attributes["connection"] = connection
        try:
            command.upgrade(config, "head")
        except CommandError as error:
            raise StoreError(
                f"the store at {engine.url.render_as_string(hide_password=True)} was written "
                f"by a newer storyreel ({error}); upgrade storyreel to open it"
            ) from error


def open_store(project: Project, url: str | None = None) -> Store:
    """The store of `project`, migrated and with the project's row in place."""
    engine = connect(database_url(project, url))
    try:
        migrate(engine)
        store = Store(engine, project_uid(project), project.root)
    except BaseException:
        engine.dispose()
        raise
    return store


class Store:
    """One project's view of the database. Every method runs in its own transaction."""

    def __init__(self, engine: Engine, uid: str, root: Path) -> None:
        self.engine = engine
        self.uid = uid
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        with self._session() as session:
            # Insert-if-absent in one statement: processes opening a new project at the
            # same moment must not both insert it (select-then-insert races).
            dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
            session.execute(
                dialect.insert(ProjectRow)
                .values(uid=uid, root=str(root), created_at=now())
                .on_conflict_do_nothing(index_elements=["uid"])
            )
            row = session.scalars(select(ProjectRow).where(ProjectRow.uid == uid)).one()
            row.root = str(root)  # a moved project keeps its rows, under its new path
            session.flush()
            self.project_id = row.id

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    # --- takes ------------------------------------------------------------------------

    def record_take(self, take: TakeRecord) -> None:
        """Record a finished take; a take with the same key is replaced."""
        values = take.model_dump(exclude={"created_at"})
        with self._session() as session:
            row = session.scalar(self._take_query(take.key))
            if row is None:
                session.add(TakeRow(project_id=self.project_id, **values))
            else:
                for name, value in values.items():
                    setattr(row, name, value)
                row.created_at = now()

    def find_take(self, key: str) -> TakeRecord | None:
        with self._session() as session:
            row = session.scalar(self._take_query(key))
            return TakeRecord.model_validate(row) if row else None

    def find_takes(self, key_prefix: str) -> list[TakeRecord]:
        """Takes whose key starts with `key_prefix` (people type short keys)."""
        escaped = key_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = select(TakeRow).where(
            TakeRow.project_id == self.project_id, TakeRow.key.like(escaped + "%", escape="\\")
        )
        with self._session() as session:
            return [TakeRecord.model_validate(r) for r in session.scalars(query)]

    def takes(self, shot_id: str | None = None) -> list[TakeRecord]:
        """The project's takes (the shot's, given one), oldest first."""
        query = select(TakeRow).where(TakeRow.project_id == self.project_id)
        if shot_id is not None:
            query = query.where(TakeRow.shot_id == shot_id)
        query = query.order_by(TakeRow.created_at, TakeRow.id)
        with self._session() as session:
            return [TakeRecord.model_validate(r) for r in session.scalars(query)]

    def forget_take(self, key: str) -> None:
        with self._session() as session:
            session.execute(
                delete(TakeRow).where(TakeRow.project_id == self.project_id, TakeRow.key == key)
            )
            session.execute(
                delete(TakeScoreRow).where(
                    TakeScoreRow.project_id == self.project_id, TakeScoreRow.take_key == key
                )
            )

    def _take_query(self, key: str) -> Any:
        return select(TakeRow).where(TakeRow.project_id == self.project_id, TakeRow.key == key)

    # --- scores and votes ---------------------------------------------------------------

    def record_scores(self, take_key: str, scores: list[ScoreRecord]) -> None:
        """What the checks found in a take; a check run again replaces its row."""
        with self._session() as session:
            for score in scores:
                row = session.get(TakeScoreRow, (self.project_id, take_key, score.check))
                if row is None:
                    row = TakeScoreRow(project_id=self.project_id, take_key=take_key)
                    row.check = score.check
                    session.add(row)
                row.score, row.passed, row.applicable = score.score, score.passed, score.applicable
                row.result, row.checked_at = dict(score.result), now()

    def scores(self, take_keys: list[str]) -> dict[str, list[ScoreRecord]]:
        """The checks' results by take key, each take's in check order."""
        found: dict[str, list[ScoreRecord]] = {key: [] for key in take_keys}
        if not take_keys:
            return found
        query = (
            select(TakeScoreRow)
            .where(TakeScoreRow.project_id == self.project_id)
            .where(TakeScoreRow.take_key.in_(take_keys))
            .order_by(TakeScoreRow.take_key, TakeScoreRow.check)
        )
        with self._session() as session:
            for row in session.scalars(query):
                found[row.take_key].append(ScoreRecord.model_validate(row))
        return found

    def record_vote(self, vote: VoteRecord) -> VoteRecord:
        with self._session() as session:
            row = VoteRow(
                project_id=self.project_id,
                **vote.model_dump(exclude={"id", "created_at"}),
            )
            session.add(row)
            session.flush()
            return VoteRecord.model_validate(row)

    def votes(self) -> list[VoteRecord]:
        """Every vote of the project, oldest first."""
        query = select(VoteRow).where(VoteRow.project_id == self.project_id).order_by(VoteRow.id)
        with self._session() as session:
            return [VoteRecord.model_validate(r) for r in session.scalars(query)]

    # --- jobs ---------------------------------------------------------------------------

    def record_event(self, event: JobEvent) -> None:
        """Keep a job's status and times up to date; an `EventFn` for executors.

        Progress events are not stored (they are many and only of live interest). A job
        run again (same key) starts over: its error and finish time are cleared.
        """
        if event.event == "progress":
            return
        at = datetime.fromtimestamp(event.at, UTC)
        with self._session() as session:
            row = session.scalar(
                select(JobRow).where(JobRow.project_id == self.project_id, JobRow.key == event.key)
            )
            if row is None:
                row = JobRow(project_id=self.project_id, key=event.key, kind=event.kind)
                session.add(row)
            row.kind, row.shot_id, row.status = event.kind, event.shot_id, event.event
            if event.event == "queued":
                row.queued_at, row.started_at, row.finished_at, row.error = at, None, None, None
            elif event.event == "started":
                row.started_at, row.finished_at, row.error = at, None, None
            else:
                row.finished_at, row.error = at, event.error

    def job(self, key: str) -> JobRecord | None:
        with self._session() as session:
            row = session.scalar(
                select(JobRow).where(JobRow.project_id == self.project_id, JobRow.key == key)
            )
            return JobRecord.model_validate(row) if row else None

    def jobs(self, status: str | None = None) -> list[JobRecord]:
        query = select(JobRow).where(JobRow.project_id == self.project_id).order_by(JobRow.id)
        if status is not None:
            query = query.where(JobRow.status == status)
        with self._session() as session:
            return [JobRecord.model_validate(r) for r in session.scalars(query)]

    # --- pins ---------------------------------------------------------------------------

    def set_pin(self, shot_id: str, take_key: str) -> None:
        with self._session() as session:
            row = session.get(PinRow, (self.project_id, shot_id))
            if row is None:
                session.add(PinRow(project_id=self.project_id, shot_id=shot_id, take_key=take_key))
            else:
                row.take_key, row.pinned_at = take_key, now()

    def clear_pin(self, shot_id: str) -> bool:
        """Remove the shot's pin; False when it had none."""
        with self._session() as session:
            row = session.get(PinRow, (self.project_id, shot_id))
            if row is None:
                return False
            session.delete(row)
            return True

    def pins(self) -> dict[str, PinRecord]:
        query = select(PinRow).where(PinRow.project_id == self.project_id)
        with self._session() as session:
            return {r.shot_id: PinRecord.model_validate(r) for r in session.scalars(query)}

    # --- versions -----------------------------------------------------------------------

    def add_version(
        self,
        storyboard: dict[str, Any],
        storyboard_key: str,
        takes: Mapping[str, str],
        outputs: Mapping[str, Any],
        message: str = "",
    ) -> VersionRecord:
        """Record the next version (numbered after the project's last one)."""
        with self._session() as session:
            # On PostgreSQL, lock the project's row: two makes of one project in a shared
            # database (should the project lock be bypassed) still get distinct numbers.
            session.scalar(
                select(ProjectRow).where(ProjectRow.id == self.project_id).with_for_update()
            )
            last = session.scalar(
                select(VersionRow.number)
                .where(VersionRow.project_id == self.project_id)
                .order_by(VersionRow.number.desc())
                .limit(1)
            )
            row = VersionRow(
                project_id=self.project_id,
                number=(last or 0) + 1,
                message=message,
                storyboard=storyboard,
                storyboard_key=storyboard_key,
                outputs=dict(outputs),
            )
            session.add(row)
            session.flush()
            for shot_id, key in takes.items():
                session.add(VersionTakeRow(version_id=row.id, shot_id=shot_id, take_key=key))
            return self._version_record(row, dict(takes))

    def versions(self) -> list[VersionRecord]:
        """Every version, oldest first."""
        query = (
            select(VersionRow)
            .where(VersionRow.project_id == self.project_id)
            .order_by(VersionRow.number)
        )
        with self._session() as session:
            rows = list(session.scalars(query))
            takes = self._version_takes(session, [r.id for r in rows])
            return [self._version_record(r, takes.get(r.id, {})) for r in rows]

    def version(self, number: int) -> VersionRecord | None:
        query = select(VersionRow).where(
            VersionRow.project_id == self.project_id, VersionRow.number == number
        )
        with self._session() as session:
            row = session.scalar(query)
            if row is None:
                return None
            return self._version_record(row, self._version_takes(session, [row.id]).get(row.id, {}))

    @staticmethod
    def _version_takes(session: Session, ids: list[int]) -> dict[int, dict[str, str]]:
        found: dict[int, dict[str, str]] = {}
        if ids:
            query = select(VersionTakeRow).where(VersionTakeRow.version_id.in_(ids))
            for r in session.scalars(query):
                found.setdefault(r.version_id, {})[r.shot_id] = r.take_key
        return found

    @staticmethod
    def _version_record(row: VersionRow, takes: dict[str, str]) -> VersionRecord:
        return VersionRecord(
            number=row.number,
            created_at=row.created_at,
            message=row.message,
            storyboard=row.storyboard,
            storyboard_key=row.storyboard_key,
            outputs=row.outputs,
            takes=takes,
        )

"""The store's tables as a typed SQLAlchemy ORM.

Every project row belongs to a project, so one PostgreSQL database can serve many
projects; with SQLite each project has its own file and exactly one row in `projects`.
The server's rows (Kling key pairs and tasks) belong to a studio server in the same way
(`servers`; its SQLite file is `<root>/.studio/store.db`). Both kinds of database are
migrated by the one chain of migrations, so each has every table, some of them empty.
Changes to these classes ship as an alembic migration in `migrations/versions/`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# A job or take key: a SHA-256 hex digest.
Key = String(64)
# JSONB on PostgreSQL (indexable, compact); plain JSON text on SQLite.
Json = JSON().with_variant(JSONB(), "postgresql")


def now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: DateTime(timezone=True),
        dict[str, Any]: Json,
    }


class ProjectRow(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The id in the project folder (.storyreel/project-id): it survives moving the folder.
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    # Where the folder was when last opened; for people reading a shared database.
    root: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)


class VersionRow(Base):
    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("project_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    number: Mapped[int]  # 1, 2, 3... within the project
    created_at: Mapped[datetime] = mapped_column(default=now)
    message: Mapped[str] = mapped_column(Text, default="")
    storyboard: Mapped[dict[str, Any]]
    # digest() of the storyboard: "is storyboard.yaml one of the recorded versions?"
    storyboard_key: Mapped[str] = mapped_column(Key)
    # What the make wrote: {"film": "/abs/film.mp4", "subtitles": ...}.
    outputs: Mapped[dict[str, Any]] = mapped_column(default=dict)


class VersionTakeRow(Base):
    """The take a version used for each of its shots."""

    __tablename__ = "version_takes"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True
    )
    shot_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    take_key: Mapped[str] = mapped_column(Key)


class TakeRow(Base):
    __tablename__ = "takes"
    __table_args__ = (UniqueConstraint("project_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(Key)
    shot_id: Mapped[str] = mapped_column(String(200), index=True)
    engine: Mapped[str] = mapped_column(String(200))
    # Relative to the project's state folder, so the project folder can move.
    path: Mapped[str] = mapped_column(Text)
    frames: Mapped[int]
    fps: Mapped[int]
    width: Mapped[int]
    height: Mapped[int]
    seed: Mapped[int] = mapped_column(BigInteger)
    # Bytes on disk when the take was recorded: a file of another size is not this take.
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=now)


class TakeScoreRow(Base):
    """What one check found in one take (qa/): kept by take key, so a take keeps its
    scores through versions, pins and the cache, and loses them when pruned."""

    __tablename__ = "take_scores"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    take_key: Mapped[str] = mapped_column(Key, primary_key=True)
    check: Mapped[str] = mapped_column(String(64), primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    passed: Mapped[bool]
    applicable: Mapped[bool]
    # The rest of the check's result: notes, evidence frames, per-frame series.
    result: Mapped[dict[str, Any]]
    checked_at: Mapped[datetime] = mapped_column(default=now)


class VoteRow(Base):
    """One blind comparison in the arena: two takes of a shot, and which was better."""

    __tablename__ = "votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    shot_id: Mapped[str] = mapped_column(String(200))
    take_a: Mapped[str] = mapped_column(Key)
    take_b: Mapped[str] = mapped_column(Key)
    winner: Mapped[str] = mapped_column(String(4))  # "a", "b" or "tie"
    voter: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now)


class JobRow(Base):
    __tablename__ = "jobs"
    __table_args__ = (UniqueConstraint("project_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(Key)
    kind: Mapped[str] = mapped_column(String(20))
    shot_id: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))  # queued, started, done, failed
    error: Mapped[str | None] = mapped_column(Text)
    queued_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class PinRow(Base):
    __tablename__ = "pins"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    shot_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    take_key: Mapped[str] = mapped_column(Key)
    pinned_at: Mapped[datetime] = mapped_column(default=now)


class ServerRow(Base):
    """A studio server: its projects root, and the rows only the server has."""

    __tablename__ = "servers"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The id in the root's state folder (.studio/server-id): it survives moving the root.
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    root: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)
    # Signs the download links of finished Kling videos (HMAC); made with the row.
    kling_url_secret: Mapped[str] = mapped_column(String(128))


class KlingKeyRow(Base):
    """An access/secret key pair for the server's Kling-compatible API."""

    __tablename__ = "kling_keys"

    access_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    server_id: Mapped[int] = mapped_column(ForeignKey("servers.id", ondelete="CASCADE"), index=True)
    secret_key: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now)
    revoked_at: Mapped[datetime | None]


class KlingTaskRow(Base):
    """A Kling-style video task; its project and video stay in `<root>/.kling/<task_id>/`."""

    __tablename__ = "kling_tasks"
    # A client's external ids are unique to its key (NULLs never collide).
    __table_args__ = (UniqueConstraint("server_id", "access_key", "external_task_id"),)

    task_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    server_id: Mapped[int] = mapped_column(ForeignKey("servers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    access_key: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20))  # submitted, processing, succeed, failed
    status_msg: Mapped[str] = mapped_column(Text, default="")
    external_task_id: Mapped[str | None] = mapped_column(Text)
    # Milliseconds since the epoch, as Kling reports them.
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)
    seconds: Mapped[int]
    width: Mapped[int]
    height: Mapped[int]
    fps: Mapped[int]
    callback_url: Mapped[str | None] = mapped_column(Text)
    # Where the client reached the server: callbacks carry links on the same host.
    base_url: Mapped[str] = mapped_column(Text)
    # `sound: "on"`: the served film carries the story's sound.
    sound: Mapped[bool] = mapped_column(default=False)


class MakeRow(Base):
    """A make the studio server started: its process, and the lease of the server
    instance watching it (renewed every second; a lapsed lease means that server died
    and another may adopt the make)."""

    __tablename__ = "makes"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    server_id: Mapped[int] = mapped_column(ForeignKey("servers.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[str] = mapped_column(String(200))
    engine: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))  # queued, running, succeeded, failed, ...
    error: Mapped[str | None] = mapped_column(Text)
    # Seconds since the epoch.
    created_at: Mapped[float] = mapped_column(Float)
    finished_at: Mapped[float | None] = mapped_column(Float)
    # The make process (its own process group) on `host`; `pid_started` is its start
    # time in clock ticks since boot, so a reused pid is not mistaken for it.
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int | None]
    pid_started: Mapped[int | None] = mapped_column(BigInteger)
    # The server instance watching the make, and until when its watch holds.
    owner: Mapped[str] = mapped_column(String(64))
    lease_until: Mapped[float] = mapped_column(Float)

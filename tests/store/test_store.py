from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from storyreel.events import JobEvent
from storyreel.project import Project
from storyreel.store import Store, StoreError, TakeRecord, database_url, open_store
from storyreel.store.db import SCHEMA_REVISION, URL_ENV, has_store
from storyreel.store.schema import Base

KEY_A = "a1" * 32
KEY_B = "b2" * 32


def take(key: str, shot_id: str = "1", **changes: object) -> TakeRecord:
    fields: dict[str, object] = {
        "key": key,
        "shot_id": shot_id,
        "engine": "previs",
        "path": f"takes/{key[:2]}/{key}.mp4",
        "frames": 36,
        "fps": 24,
        "width": 1280,
        "height": 720,
        "seed": 2**31 - 2,
        "size": 12345,
    }
    fields.update(changes)
    return TakeRecord.model_validate(fields)


def test_migrations_build_the_schema_the_models_describe(store: Store) -> None:
    tables = set(inspect(store.engine).get_table_names())
    assert {"projects", "versions", "version_takes", "takes", "jobs", "pins"} <= tables
    with store.engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == SCHEMA_REVISION
        # The hand-written migration and schema.py agree, column for column.
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_reopening_migrates_nothing_and_finds_the_same_project(
    project: Project, database_url: str | None
) -> None:
    with open_store(project, database_url) as first:
        first.record_take(take(KEY_A))
        project_id = first.project_id
    with open_store(project, database_url) as again:
        assert again.project_id == project_id
        assert again.find_take(KEY_A) is not None


def test_many_processes_opening_a_new_store_at_once_agree(
    project: Project, database_url: str | None
) -> None:
    def open_and_close(_: int) -> int:
        with open_store(project, database_url) as store:
            return store.project_id

    with ThreadPoolExecutor(4) as pool:
        ids = set(pool.map(open_and_close, range(4)))
    assert len(ids) == 1


def test_takes_are_recorded_found_and_forgotten(store: Store) -> None:
    assert store.find_take(KEY_A) is None
    store.record_take(take(KEY_A, "1"))
    store.record_take(take(KEY_B, "1", seed=7))
    store.record_take(take("c3" * 32, "2"))
    found = store.find_take(KEY_A)
    assert found is not None and found.size == 12345 and found.seed == 2**31 - 2
    assert found.created_at is not None and found.created_at.tzinfo is not None
    assert [t.key for t in store.takes("1")] == [KEY_A, KEY_B]
    assert [t.key for t in store.find_takes("b2b2")] == [KEY_B]
    assert store.find_takes("b2%") == []  # LIKE wildcards are taken literally

    store.record_take(take(KEY_A, "1", size=999))  # the same key again replaces it
    again = store.find_take(KEY_A)
    assert again is not None and again.size == 999
    store.forget_take(KEY_A)
    assert store.find_take(KEY_A) is None


def test_job_events_become_job_rows(store: Store) -> None:
    def event(kind: str, **more: object) -> JobEvent:
        return JobEvent.model_validate(
            {"event": kind, "key": KEY_A, "kind": "render", "shot_id": "3", **more}
        )

    store.record_event(event("queued", at=100.0))
    job = store.job(KEY_A)
    assert job is not None and job.status == "queued" and job.started_at is None
    store.record_event(event("started", at=101.0))
    store.record_event(event("progress", fraction=0.5, at=102.0))
    store.record_event(event("failed", error="EngineError: out of memory", at=103.0))
    job = store.job(KEY_A)
    assert job is not None and job.status == "failed"
    assert job.error == "EngineError: out of memory"
    assert job.started_at is not None and job.finished_at is not None
    assert (job.finished_at - job.started_at).total_seconds() == pytest.approx(2.0)
    assert [j.key for j in store.jobs("failed")] == [KEY_A]

    store.record_event(event("queued", at=200.0))  # run again: the failure is history
    store.record_event(event("done", fraction=1.0, at=201.0))
    job = store.job(KEY_A)
    assert job is not None and job.status == "done" and job.error is None
    assert store.jobs("failed") == []


def test_pins_are_set_replaced_and_cleared(store: Store) -> None:
    assert store.pins() == {}
    store.set_pin("3", KEY_A)
    store.set_pin("3", KEY_B)
    assert store.pins()["3"].take_key == KEY_B
    assert store.clear_pin("3") is True
    assert store.clear_pin("3") is False
    assert store.pins() == {}


def test_versions_are_numbered_per_project(store: Store, project: Project, tmp_path: Path) -> None:
    first = store.add_version({"shots": []}, "k" * 64, {"1": KEY_A}, {"film": "a.mp4"})
    second = store.add_version({"shots": [1]}, "m" * 64, {"1": KEY_B}, {}, message="louder")
    assert (first.number, second.number) == (1, 2)
    assert [v.number for v in store.versions()] == [1, 2]
    found = store.version(2)
    assert found is not None and found.takes == {"1": KEY_B} and found.message == "louder"
    assert store.version(3) is None

    # Another project in the same database has versions of its own.
    other = Project.at(tmp_path / "other-film")
    url = store.engine.url.render_as_string(hide_password=False)
    same_database = url if not url.startswith("sqlite") else None
    if same_database is None:
        return  # SQLite: one file per project, nothing shared to test
    with open_store(other, same_database) as elsewhere:
        assert elsewhere.project_id != store.project_id
        assert elsewhere.versions() == []
        assert elsewhere.add_version({}, "k" * 64, {}, {}).number == 1


def test_sqlite_store_lives_in_the_project_in_wal_mode(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(URL_ENV, raising=False)
    with open_store(project) as store:
        assert store.engine.url.database == str(project.state_dir / "store.db")
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert (project.root / ".storyreel" / "store.db").is_file()


def test_database_url_comes_from_the_environment(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(URL_ENV, "postgresql://me@db.example/films")
    assert database_url(project) == "postgresql+psycopg://me@db.example/films"
    monkeypatch.setenv(URL_ENV, "postgres://me@db.example/films")
    assert database_url(project) == "postgresql+psycopg://me@db.example/films"
    assert database_url(project, "sqlite:///x.db") == "sqlite:///x.db"
    monkeypatch.delenv(URL_ENV)
    assert database_url(project).endswith(".storyreel/store.db")


def test_a_bad_url_is_one_clear_error(project: Project) -> None:
    with pytest.raises(StoreError, match="not a database URL"):
        open_store(project, "no scheme at all")


def test_has_store_finds_one_without_making_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(URL_ENV, raising=False)
    project = Project.at(tmp_path / "film")
    assert not has_store(project)
    assert not list(project.state_dir.glob("*.db*"))  # asking made nothing
    with open_store(project):
        pass
    assert has_store(project)
    assert has_store(project, "postgresql://db.example/films")  # a server is always there

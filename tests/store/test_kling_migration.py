"""The key file and task files of older versions are taken into the server's store on
the server's first start, then renamed `*.migrated`; a second start (or one after a
crash between the two) adds nothing. Run on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyreel.api import Settings, create_app
from storyreel.api.kling_keys import KeyStore, KeyStoreError
from storyreel.api.kling_tasks import KlingConfig
from storyreel.store.db import URL_ENV
from storyreel.store.server import open_server_store

URL_SECRET = "ab" * 32
LIVE = "ak" + "1" * 32
REVOKED = "ak" + "2" * 32
DONE = "d" * 32
RUNNING = "e" * 32


def write_old_files(root: Path) -> None:
    """What older versions left in a projects root, byte for byte in their format."""
    studio = root / ".studio"
    studio.mkdir(parents=True)
    keys = {
        "version": 1,
        "url_secret": URL_SECRET,
        "keys": [
            {
                "access_key": LIVE,
                "secret_key": "1" * 64,
                "name": "edit suite",
                "created_at": "2026-01-02T03:04:05.123456Z",
                "revoked_at": None,
            },
            {
                "access_key": REVOKED,
                "secret_key": "2" * 64,
                "name": "",
                "created_at": "2026-01-03T00:00:00Z",
                "revoked_at": "2026-02-01T00:00:00Z",
            },
        ],
    }
    (studio / "kling-keys.json").write_text(json.dumps(keys, indent=2) + "\n")
    for task_id, status, external in ((DONE, "succeed", "film-1"), (RUNNING, "processing", None)):
        folder = root / ".kling" / task_id
        (folder / "project").mkdir(parents=True)
        task = {
            "task_id": task_id,
            "kind": "text2video",
            "access_key": LIVE,
            "status": status,
            "status_msg": "",
            "external_task_id": external,
            "created_at": 1767322800000,
            "updated_at": 1767322860000,
            "seconds": 5,
            "width": 160,
            "height": 90,
            "fps": 8,
            "callback_url": None,
            "base_url": "http://127.0.0.1:8000",
        }
        (folder / "task.json").write_text(json.dumps(task, indent=2))
    # Skipped, as older versions skipped them: a broken file and a half-created task.
    (root / ".kling" / ("0" * 32)).mkdir()
    (root / ".kling" / ("0" * 32) / "task.json").write_text("{not json")
    (root / ".kling" / f".new-{'1' * 32}").mkdir()


def start(root: Path) -> None:
    """Start a server on `root` as `storyreel serve` does, and stop it again."""
    app = create_app(Settings(token="t" * 24, root=root), KlingConfig())
    with TestClient(app):  # its start-up resumes or fails the unfinished tasks
        pass
    app.state.kling.store.close()


@pytest.fixture
def root(tmp_path: Path, database_url: str | None, monkeypatch: pytest.MonkeyPatch) -> Path:
    if database_url is not None:
        monkeypatch.setenv(URL_ENV, database_url)
    folder = tmp_path / "films"
    write_old_files(folder)
    return folder


def check_rows(root: Path) -> None:
    with KeyStore.for_root(root) as keys:
        assert keys.url_secret() == URL_SECRET.encode()  # old links still verify
        assert keys.secrets() == {LIVE: "1" * 64}
        assert keys.revoked() == {REVOKED}
        assert [k.name for k in keys.records()] == ["edit suite", ""]
    with open_server_store(root) as store:
        tasks = store.kling_tasks(LIVE, "text2video")
        assert sorted(t.task_id for t in tasks) == [DONE, RUNNING]  # each once
        done = store.find_kling_task(LIVE, "film-1")
        assert done is not None and done.task_id == DONE and done.status == "succeed"
        assert done.base_url == "http://127.0.0.1:8000"
        # A task whose make died with the old server, and whose project is gone too,
        # cannot be queued again: it is failed.
        running = store.kling_task(RUNNING)
        assert running is not None and running.status == "failed"
        assert "submit it again" in running.status_msg
        assert store.kling_task("0" * 32) is None


def test_old_files_are_taken_over_once(root: Path) -> None:
    start(root)
    check_rows(root)
    assert not (root / ".studio" / "kling-keys.json").exists()
    assert (root / ".studio" / "kling-keys.json.migrated").is_file()
    for task_id in (DONE, RUNNING):
        assert not (root / ".kling" / task_id / "task.json").exists()
        assert (root / ".kling" / task_id / "task.json.migrated").is_file()
    # Left where they were: the unreadable file, and what is not a task.
    assert (root / ".kling" / ("0" * 32) / "task.json").is_file()
    assert (root / ".kling" / f".new-{'1' * 32}").is_dir()

    start(root)
    check_rows(root)


def test_a_crash_before_the_rename_adds_nothing_twice(root: Path) -> None:
    start(root)
    # As if the server died after the commit, before renaming the files.
    studio = root / ".studio"
    shutil.copy(studio / "kling-keys.json.migrated", studio / "kling-keys.json")
    for task_id in (DONE, RUNNING):
        folder = root / ".kling" / task_id
        shutil.copy(folder / "task.json.migrated", folder / "task.json")
    start(root)
    check_rows(root)
    assert not (studio / "kling-keys.json").exists()
    assert not (root / ".kling" / DONE / "task.json").exists()


def test_a_broken_key_file_is_one_clear_error(tmp_path: Path) -> None:
    studio = tmp_path / "films" / ".studio"
    studio.mkdir(parents=True)
    (studio / "kling-keys.json").write_text("{broken")
    with pytest.raises(KeyStoreError, match="kling-keys create"):
        KeyStore.for_root(tmp_path / "films")
    assert (studio / "kling-keys.json").is_file()  # nothing lost

"""The studio server's store: Kling key pairs and tasks, on SQLite in the projects root
and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from storyreel.store.records import KlingKeyRecord, KlingTaskRecord
from storyreel.store.server import open_server_store

WHEN = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def key(access: str, **changes: object) -> KlingKeyRecord:
    fields: dict[str, object] = {
        "access_key": access,
        "secret_key": "s" * 64,
        "name": "suite",
        "created_at": WHEN,
    }
    return KlingKeyRecord.model_validate({**fields, **changes})


def task(task_id: str, **changes: object) -> KlingTaskRecord:
    fields: dict[str, object] = {
        "task_id": task_id,
        "kind": "text2video",
        "access_key": "ak1",
        "created_at": 1_700_000_000_000,
        "updated_at": 1_700_000_000_000,
        "seconds": 5,
        "width": 160,
        "height": 90,
        "fps": 8,
        "base_url": "http://127.0.0.1:1",
    }
    return KlingTaskRecord.model_validate({**fields, **changes})


def test_kling_keys_round_trip(tmp_path: Path, database_url: str | None) -> None:
    root = tmp_path / "films"
    with open_server_store(root, database_url) as store:
        secret = store.kling_url_secret()
        assert len(secret) == 64
        store.add_kling_key(key("ak1", created_at=WHEN + timedelta(seconds=1)))
        store.add_kling_key(key("ak0", name="first"))
        revoked = store.revoke_kling_key("ak1", WHEN + timedelta(days=1))
        assert revoked is not None and not revoked.active
        # Revoking again keeps the first time; an unknown key is None, not an error.
        again = store.revoke_kling_key("ak1", WHEN + timedelta(days=2))
        assert again is not None and again.revoked_at == WHEN + timedelta(days=1)
        assert store.revoke_kling_key("ak-nobody", WHEN) is None
    with open_server_store(root, database_url) as reopened:
        assert reopened.kling_url_secret() == secret  # links outlive a restart
        keys = reopened.kling_keys()
    assert [(k.access_key, k.name, k.active) for k in keys] == [
        ("ak0", "first", True),
        ("ak1", "suite", False),
    ]
    assert keys[0].created_at == WHEN and keys[0].secret_key == "s" * 64


def test_kling_tasks_round_trip(tmp_path: Path, database_url: str | None) -> None:
    root = tmp_path / "films"
    with open_server_store(root, database_url) as store:
        moved: list[str] = []
        store.add_kling_task(task("t1", external_task_id="mine"), lambda: moved.append("t1"))
        store.add_kling_task(task("t2", created_at=1_700_000_000_001, status="processing"))
        store.add_kling_task(task("t3", kind="image2video", access_key="ak2"))
        assert moved == ["t1"]
        # An external id is unique to its key; the failed insert leaves nothing.
        with pytest.raises(IntegrityError):
            store.add_kling_task(task("t4", external_task_id="mine"), lambda: moved.append("t4"))
        assert moved == ["t1"] and store.kling_task("t4") is None
        store.add_kling_task(task("t5", access_key="ak2", external_task_id="mine"))

        updated = store.update_kling_task("t1", {"status": "succeed", "updated_at": 5})
        assert (updated.status, updated.updated_at) == ("succeed", 5)
        assert store.update_kling_tasks(["submitted", "processing"], {"status": "failed"}) == 3
    with open_server_store(root, database_url) as reopened:
        by_external = reopened.find_kling_task("ak1", "mine", "text2video")
        assert by_external is not None and by_external.task_id == "t1"
        assert reopened.find_kling_task("ak1", "t3") is None  # another key's task
        assert reopened.find_kling_task("ak1", "t1", "image2video") is None
        page = reopened.kling_tasks("ak1", "text2video")
        assert [t.task_id for t in page] == ["t2", "t1"]  # newest first
        assert [t.task_id for t in reopened.kling_tasks("ak1", "text2video", 1, 1)] == ["t1"]
        stored = reopened.kling_task("t2")
    assert stored is not None
    assert (
        stored.model_dump()
        == task("t2", created_at=1_700_000_000_001, status="failed").model_dump()
    )


def test_two_servers_in_one_database_keep_apart(tmp_path: Path, database_url: str | None) -> None:
    with open_server_store(tmp_path / "a", database_url) as a:
        a.add_kling_key(key("ak-a"))
        a.add_kling_task(task("ta"))
    with open_server_store(tmp_path / "b", database_url) as b:
        assert b.server_id != a.server_id or database_url is None
        assert b.kling_keys() == [] and b.kling_task("ta") is None
        assert b.kling_url_secret() != a.kling_url_secret()
        assert b.revoke_kling_key("ak-a", WHEN) is None
        with pytest.raises(KeyError):
            b.update_kling_task("ta", {"status": "failed"})


def test_the_sqlite_file_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STORYREEL_DATABASE_URL", raising=False)
    root = tmp_path / "films"
    with open_server_store(root) as store:
        store.add_kling_key(key("ak1"))
        assert store.path == root / ".studio" / "store.db"
        files = list(store.path.parent.glob("store.db*"))
        assert {f.name for f in files} >= {"store.db", "store.db-wal"}
        for file in files:
            assert file.stat().st_mode & 0o777 == 0o600, file
        assert store.path.parent.stat().st_mode & 0o777 == 0o700

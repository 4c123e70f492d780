"""The store's tests run twice: on SQLite in the project folder and on PostgreSQL.

PostgreSQL comes from $STORYREEL_TEST_POSTGRES (default: the server on 127.0.0.1:5432
as user postgres); each test gets a database of its own, dropped afterwards. Without a
server the PostgreSQL cases are skipped, except on CI ($CI set), where they fail.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from storyreel.project import Project
from storyreel.store import Store, open_store
from storyreel.store.db import URL_ENV

ADMIN_URL = os.environ.get(
    "STORYREEL_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _admin() -> psycopg.Connection[tuple[object, ...]]:
    try:
        return psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL at {ADMIN_URL}: {error}")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database, dropped after the test."""
    name = f"storyreel_test_{secrets.token_hex(6)}"
    with _admin() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    base = ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with _admin() as admin:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str | None:
    """None for the project's own SQLite file, or a PostgreSQL URL."""
    monkeypatch.delenv(URL_ENV, raising=False)
    if request.param == "sqlite":
        return None
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project.at(tmp_path / "film")


@pytest.fixture
def store(project: Project, database_url: str | None) -> Iterator[Store]:
    with open_store(project, database_url) as opened:
        yield opened

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storyreel.project import Project
from storyreel.store import Store, open_store
from storyreel.store.db import URL_ENV


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project.at(tmp_path / "film")


@pytest.fixture
def store(project: Project, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    # The caches keep their records in the project's SQLite store; tests/store runs
    # the store itself against PostgreSQL as well.
    monkeypatch.delenv(URL_ENV, raising=False)
    with open_store(project) as opened:
        yield opened

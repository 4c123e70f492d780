from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
# CI clones the repository with the shared example stories beside it.
STORIES = REPO_ROOT.parent / "shared" / "stories"


@pytest.fixture
def stories() -> Path:
    assert STORIES.is_dir(), f"example stories not found at {STORIES}"
    return STORIES

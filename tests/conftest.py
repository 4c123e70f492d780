"""What every test shares: nothing of the user's own is read or written."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Makes sign their films (the `c2pa` exporter) with a key made on first use in the
    user's config folder: in a test, a folder of the session's instead."""
    # Likewise the Kokoro voice keeps its rewritten graph in the user's cache folder.
    folders = {"STORYREEL_CONFIG_DIR": "storyreel-config", "STORYREEL_KOKORO_CACHE": "kokoro"}
    saved = {name: os.environ.get(name) for name in folders}
    for name, folder in folders.items():
        os.environ[name] = str(tmp_path_factory.mktemp(folder))
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value

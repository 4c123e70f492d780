from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storyreel.deliver.signing import CERT_ENV, CONFIG_ENV, KEY_ENV


@pytest.fixture(autouse=True)
def config_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """The installation's signing key in a folder of the test's, never the user's."""
    folder = tmp_path_factory.mktemp("config")
    monkeypatch.setenv(CONFIG_ENV, str(folder))
    monkeypatch.delenv(CERT_ENV, raising=False)
    monkeypatch.delenv(KEY_ENV, raising=False)
    yield folder

"""What every test shares: nothing of the user's own is read or written."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Makes sign their films (the `c2pa` exporter) with a key made on first use in the
    user's config folder: in a test, a folder of the session's instead."""
    saved = os.environ.get("STORYREEL_CONFIG_DIR")
    os.environ["STORYREEL_CONFIG_DIR"] = str(tmp_path_factory.mktemp("storyreel-config"))
    yield
    if saved is None:
        os.environ.pop("STORYREEL_CONFIG_DIR", None)
    else:
        os.environ["STORYREEL_CONFIG_DIR"] = saved

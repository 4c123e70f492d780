"""One local Kling contract server for the whole session, reset before each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .contract_server import KlingContractServer

ACCESS_KEY = "ak-storyreel-contract-0001"
# HS256 keys should be at least 32 bytes; Kling's are.
SECRET_KEY = "sk-storyreel-contract-secret-0123456789abcdef"


@pytest.fixture(scope="session")
def _server() -> Iterator[KlingContractServer]:
    server = KlingContractServer(ACCESS_KEY, SECRET_KEY)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def kling_server(_server: KlingContractServer) -> KlingContractServer:
    _server.reset()
    return _server

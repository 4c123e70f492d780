"""One real storyreel server with the Kling endpoints per test module, served by uvicorn
on a free port, with a key pair issued by its own key store; our own Kling client talks
to it over HTTP. Films are made tiny (160x90 at 8 fps) so a task takes seconds."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI

from storyreel.api import Settings, create_app
from storyreel.api.kling_keys import KeyRecord, KeyStore
from storyreel.api.kling_tasks import KlingConfig
from storyreel.kling.client import KlingClient, PollPolicy, RetryPolicy
from storyreel.retry import Backoff

from ..support import running_server

# 1280x720 * 0.125 = 160x90; 8 fps keeps a 10 s film at 80 frames.
CONFIG = KlingConfig(scale=0.125, fps=8, max_running=2, callback_timeout=2)


@dataclass
class Server:
    url: str
    root: Path
    app: FastAPI
    key: KeyRecord

    def client(self, access_key: str | None = None, secret_key: str | None = None) -> KlingClient:
        return KlingClient(
            self.url,
            access_key or self.key.access_key,
            secret_key or self.key.secret_key,
            # Failures are asserted, not retried; polls come fast since makes take seconds.
            retry=RetryPolicy(attempts=1),
            poll=PollPolicy(
                backoff=Backoff(initial=0.2, multiplier=1.3, maximum=0.5, jitter=0), timeout=90
            ),
            timeout=30,
        )


def kling_app(root: Path, callback_allow: str = "127.0.0.1") -> FastAPI:
    """The callback receivers of these tests listen on loopback, which the server
    reaches only because the allow-list names it."""
    settings = Settings(
        token="studio-token-0123456789",
        root=root,
        engine="previs",
        callback_allow=callback_allow,
    )
    return create_app(settings, CONFIG)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("kling") / "projects"
    app = kling_app(root)
    key = KeyStore.for_root(root).create("tests")
    with running_server(app) as url:
        yield Server(url, root, app, key)

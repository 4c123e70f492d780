"""The Kling endpoints under hostile input: malformed link signatures, callbacks aimed
at the server's own network, tokens that live too long, paths the server does not
implement, and images outside Kling's documented limits."""

from __future__ import annotations

import logging
import time

import httpx
import pytest

from .conftest import Server


def test_a_non_ascii_link_signature_is_a_403_without_a_traceback(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    for signature in ("%C3%A9", "%E2%82%AC" * 10, "%00%FF"):
        answer = httpx.get(
            f"{server.url}/v1/media/videos/{'a' * 32}.mp4"
            f"?expires={int(time.time()) + 60}&signature={signature}"
        )
        assert answer.status_code == 403, answer.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

"""The Kling endpoints under hostile input: malformed link signatures, callbacks aimed
at the server's own network, tokens that live too long, paths the server does not
implement, and images outside Kling's documented limits."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from storyreel.api.kling_keys import KeyStore
from storyreel.api.outbound import AllowList, outbound_client

from ..support import running_server
from .conftest import Server, kling_app
from .test_refusals import call, refused


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


# --- callbacks: the public internet only ------------------------------------------------


class Hook:
    """A loopback HTTP server that records what is POSTed to it, and answers with a
    redirect to `redirect` when one is set."""

    def __init__(self, redirect: str | None = None) -> None:
        self.bodies: list[bytes] = []
        bodies, target = self.bodies, redirect

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                bodies.append(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
                if target:
                    self.send_response(307)
                    self.send_header("Location", target)
                else:
                    self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._http.server_address[1]
        threading.Thread(target=self._http.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._http.shutdown()
        self._http.server_close()


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with no allow-list: the default an operator gets."""
    root = tmp_path_factory.mktemp("guarded") / "projects"
    app = kling_app(root, callback_allow="")
    key = KeyStore.for_root(root).create("tests")
    with running_server(app) as url:
        yield Server(url, root, app, key)


def test_a_callback_to_the_servers_own_network_is_refused(guarded: Server) -> None:
    hook = Hook()
    try:
        for url in (
            f"http://127.0.0.1:{hook.port}/internal-admin",
            f"http://localhost:{hook.port}/internal-admin",
            f"http://[::ffff:127.0.0.1]:{hook.port}/x",
            "http://169.254.169.254/latest/meta-data/",
            "http://10.1.2.3/hook",
            "http://[fd00::1]/hook",
            "file:///etc/passwd",
        ):
            answer = call(
                guarded,
                "POST",
                "/v1/videos/text2video",
                json={"prompt": "A boat.", "callback_url": url},
            )
            message = refused(answer, 1201, 400)
            assert "callback_url" in message, (url, message)
        assert hook.bodies == []
        tasks = call(guarded, "GET", "/v1/videos/text2video").json()["data"]
        assert tasks == []
    finally:
        hook.close()


async def _post(url: str, allow: AllowList) -> int:
    async with outbound_client(allow, 5.0) as client:
        return (await client.post(url, json={"task_id": "t"})).status_code


def test_each_redirect_is_checked_on_its_own() -> None:
    inside = Hook()
    outside = Hook(redirect=f"http://127.0.0.1:{inside.port}/internal-admin")
    try:
        # The receiver's host is allowed by name; where it redirects to is not.
        with pytest.raises(httpx.ConnectError, match="not a public address"):
            asyncio.run(
                _post(f"http://localhost:{outside.port}/hook", AllowList.parse("localhost"))
            )
        assert len(outside.bodies) == 1 and inside.bodies == []
        # Allowed by network, both hops go through.
        assert (
            asyncio.run(
                _post(f"http://localhost:{outside.port}/hook", AllowList.parse("127.0.0.0/8,::1"))
            )
            == 200
        )
        assert len(inside.bodies) == 1
    finally:
        inside.close()
        outside.close()


def test_the_allow_list_reads_hosts_and_networks() -> None:
    allow = AllowList.parse(" hooks.lan., 10.20.0.0/16 ,")
    assert allow.allows_host("HOOKS.lan")
    assert allow.allows(ipaddress.ip_address("10.20.3.4"))
    assert not allow.allows(ipaddress.ip_address("10.21.0.1"))

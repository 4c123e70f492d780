"""The Kling endpoints under hostile input: malformed link signatures, callbacks aimed
at the server's own network, tokens that live too long, paths the server does not
implement, and images outside Kling's documented limits."""

from __future__ import annotations

import asyncio
import base64
import io
import ipaddress
import logging
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from PIL import Image

from storyreel.api.errors import scrub_paths
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


# --- tokens, paths the server does not offer, images outside Kling's limits --------------


def _token(server: Server, **claims: Any) -> str:
    now = int(time.time())
    body = {"iss": server.key.access_key, "exp": now + 1800, "nbf": now - 5, **claims}
    return jwt.encode(body, server.key.secret_key, algorithm="HS256")


def test_a_token_that_lives_a_century_is_refused(server: Server) -> None:
    now = int(time.time())
    century = _token(server, exp=now + 100 * 365 * 86400)
    message = refused(call(server, "GET", "/v1/videos/text2video", token=century), 1002, 401)
    assert "at most 24 h" in message
    long_iat = _token(server, iat=now - 3 * 86400, exp=now + 600)
    refused(call(server, "GET", "/v1/videos/text2video", token=long_iat), 1002, 401)
    future_iat = _token(server, iat=now + 3600)
    refused(call(server, "GET", "/v1/videos/text2video", token=future_iat), 1003, 401)
    fine = _token(server, iat=now)
    assert call(server, "GET", "/v1/videos/text2video", token=fine).json()["code"] == 0


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/v1/videos/video-extend"),
        ("POST", "/v1/images/generations"),
        ("GET", "/v1/account/costs"),
        ("POST", "/v1/videos/text2video/" + "a" * 32),
        ("DELETE", "/v1/videos/text2video"),
    ],
)
def test_paths_the_server_does_not_offer_answer_in_klings_envelope(
    server: Server, method: str, path: str
) -> None:
    message = refused(call(server, method, path, json={}), 1202, 404)
    assert "text2video and image2video" in message


def _png(size: tuple[int, int]) -> str:
    out = io.BytesIO()
    Image.new("RGB", size, (90, 30, 160)).save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()


@pytest.mark.parametrize(
    ("size", "why"), [((64, 64), "at least 300 px"), ((3000, 400), "1:2.5 and 2.5:1")]
)
def test_images_outside_klings_limits_are_refused(
    server: Server, size: tuple[int, int], why: str
) -> None:
    body = {"image": _png(size), "prompt": "A kite.", "duration": "5"}
    message = refused(call(server, "POST", "/v1/videos/image2video", json=body), 1201, 400)
    assert why in message


def test_messages_do_not_show_the_servers_folders(tmp_path: Path) -> None:
    root = tmp_path / "films"
    project = f"{root}/the-kettle-3fa9c1/script.fountain:7: a line"
    task = f"{root}/.kling/{'a' * 32}/project/cast/mei/subject.yaml is broken"
    assert scrub_paths(project, root) == "script.fountain:7: a line"
    assert scrub_paths(task, root) == "cast/mei/subject.yaml is broken"
    assert str(root) not in scrub_paths(f"cannot write {root}", root)

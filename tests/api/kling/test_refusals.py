"""Refusals in Kling's terms: auth failures (no token, expired, wrong secret, revoked or
unknown key) and bad requests answer Kling's code and HTTP status in Kling's envelope;
bad input never produces a 5xx. Our Kling client reads them as the right errors."""

from __future__ import annotations

import base64
import time
from typing import Any

import httpx
import pytest

from storyreel.api.kling_keys import KeyStore
from storyreel.kling.auth import issue_token
from storyreel.kling.errors import KlingAuthError, KlingBadRequestError
from storyreel.kling.schemas import Text2VideoRequest

from .conftest import Server


def call(
    server: Server, method: str, path: str, *, token: str | None = "", **kwargs: Any
) -> httpx.Response:
    """`token` "" signs one with the test key; None sends no Authorization header."""
    if token == "":
        token = issue_token(server.key.access_key, server.key.secret_key)
    headers = dict(kwargs.pop("headers", {}))
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.request(method, f"{server.url}{path}", headers=headers, timeout=30, **kwargs)


def refused(answer: httpx.Response, code: int, status: int) -> str:
    body = answer.json()
    assert (answer.status_code, body["code"]) == (status, code), body
    assert body["data"] is None and len(body["request_id"]) == 32
    message: str = body["message"]
    assert message
    return message


# --- authentication -----------------------------------------------------------------------


def test_no_token_is_1001(server: Server) -> None:
    refused(call(server, "GET", "/v1/videos/text2video", token=None), 1001, 401)


def test_a_token_that_is_not_a_jwt_is_1002(server: Server) -> None:
    refused(call(server, "GET", "/v1/videos/text2video", token="not-a-jwt"), 1002, 401)


def test_an_expired_token_is_1004(server: Server) -> None:
    old = issue_token(server.key.access_key, server.key.secret_key, now=time.time() - 3600)
    message = refused(call(server, "GET", "/v1/videos/text2video", token=old), 1004, 401)
    assert "expired" in message


def test_a_token_not_yet_valid_is_1003(server: Server) -> None:
    early = issue_token(server.key.access_key, server.key.secret_key, now=time.time() + 600)
    refused(call(server, "GET", "/v1/videos/text2video", token=early), 1003, 401)


def test_a_wrong_secret_is_refused_through_our_client(server: Server) -> None:
    with server.client(secret_key="s" * 64) as kling, pytest.raises(KlingAuthError) as caught:
        kling.list_tasks("text2video")
    assert caught.value.code == 1002 and caught.value.http_status == 401


def test_an_unknown_access_key_is_1000(server: Server) -> None:
    token = issue_token("ak-nobody", "x" * 64)
    refused(call(server, "GET", "/v1/videos/text2video", token=token), 1000, 401)


def test_a_revoked_key_is_refused_at_once(server: Server) -> None:
    store = KeyStore.for_root(server.root)
    doomed = store.create("to revoke")
    token = issue_token(doomed.access_key, doomed.secret_key)
    assert call(server, "GET", "/v1/videos/text2video", token=token).json()["code"] == 0
    store.revoke(doomed.access_key)
    message = refused(call(server, "GET", "/v1/videos/text2video", token=token), 1000, 401)
    assert "revoked" in message


def test_the_key_file_is_private(server: Server) -> None:
    path = KeyStore.for_root(server.root).path
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700


# --- bad requests -------------------------------------------------------------------------

GOOD = {"prompt": "A kite over a hill.", "duration": "5"}
PNG_OF_JUNK = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"junk" * 50).decode()


@pytest.mark.parametrize(
    ("path", "body", "code", "words"),
    [
        ("/v1/videos/text2video", {**GOOD, "duration": "7"}, 1201, "duration"),
        ("/v1/videos/text2video", {**GOOD, "aspect_ratio": "4:3"}, 1201, "aspect_ratio"),
        ("/v1/videos/text2video", {"duration": "5"}, 1201, "prompt"),
        ("/v1/videos/text2video", {**GOOD, "prompt": "x" * 2501}, 1201, "prompt"),
        ("/v1/videos/text2video", {**GOOD, "model_name": "kling-v9"}, 1201, "kling-v9"),
        ("/v1/videos/text2video", {**GOOD, "mode": "ultra"}, 1201, "mode"),
        ("/v1/videos/text2video", {**GOOD, "callback_url": "ftp://x"}, 1201, "callback_url"),
        ("/v1/videos/text2video", {**GOOD, "surprise": 1}, 1201, "surprise"),
        ("/v1/videos/text2video", {**GOOD, "prompt": "   "}, 1201, "empty"),
        ("/v1/videos/text2video", [GOOD], 1200, "body"),
        ("/v1/videos/image2video", {"prompt": "MEI waves."}, 1201, "image"),
        (
            "/v1/videos/image2video",
            {"image": "https://example.com/a.png"},
            1201,
            "does not download",
        ),
        ("/v1/videos/image2video", {"image": "%%%not base64%%%"}, 1201, "base64"),
        ("/v1/videos/image2video", {"image": PNG_OF_JUNK}, 1201, "decoded"),
        (
            "/v1/videos/image2video",
            {**GOOD, "image": PNG_OF_JUNK, "model_name": "kling-v9"},
            1201,
            "kling-v9",
        ),
    ],
)
def test_bad_parameters_are_12xx(
    server: Server, path: str, body: Any, code: int, words: str
) -> None:
    message = refused(call(server, "POST", path, json=body), code, 400)
    assert words in message


@pytest.mark.parametrize("content", [b"{not json", b"\xa4<l\xff"])
def test_a_body_that_is_not_json_is_1200(server: Server, content: bytes) -> None:
    answer = call(
        server,
        "POST",
        "/v1/videos/image2video",
        content=content,
        headers={"Content-Type": "application/json"},
    )
    refused(answer, 1200, 400)


def test_a_bad_request_is_caught_by_our_client_before_sending(server: Server) -> None:
    # The same schemas guard both sides: the client refuses what the server would.
    with pytest.raises(ValueError, match="aspect_ratio"):
        Text2VideoRequest.model_validate({**GOOD, "aspect_ratio": "4:3"})


def test_an_unknown_task_is_1203_through_our_client(server: Server) -> None:
    with server.client() as kling, pytest.raises(KlingBadRequestError) as caught:
        kling.get_task("text2video", "0" * 32)
    assert (caught.value.code, caught.value.http_status) == (1203, 404)


def test_an_unknown_kind_is_1202(server: Server) -> None:
    refused(call(server, "GET", "/v1/videos/sound2video/abc"), 1202, 404)
    refused(call(server, "GET", "/v1/videos/sound2video"), 1202, 404)


@pytest.mark.parametrize(
    "query", ["pageNum=0", "pageSize=0", "pageSize=501", "pageNum=x", "pageSize=1.5"]
)
def test_bad_pages_are_1201(server: Server, query: str) -> None:
    refused(call(server, "GET", f"/v1/videos/text2video?{query}"), 1201, 400)


def test_video_links_without_a_signature_are_refused(server: Server) -> None:
    answer = httpx.get(f"{server.url}/v1/media/videos/{'a' * 32}.mp4")
    assert answer.status_code == 422
    signed = httpx.get(
        f"{server.url}/v1/media/videos/{'a' * 32}.mp4",
        params={"expires": str(int(time.time()) + 60), "signature": "0" * 64},
    )
    assert signed.status_code == 403

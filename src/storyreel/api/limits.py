"""A cap on every request body, enforced before the app reads it.

    app.add_middleware(BodyLimit, uploads=200 * MIB + SLACK, other=32 * MIB)

A body whose Content-Length is over the cap is answered 413 before a byte of it is
read; a body without one (chunked) is counted as it streams in, and the request fails
with 413 at the first chunk past the cap, so nothing past the cap is ever parsed or
written (the multipart parser spools a file to disk only as the chunks arrive).
Multipart bodies (uploads) have their own, larger cap; every other body (JSON) the
smaller one. FastAPI would otherwise parse the whole body, to memory or to a temporary
file, before any route or dependency could look at its length.
"""

from __future__ import annotations

import json
import uuid

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Multipart overhead on top of the file itself: the form fields and part headers.
FORM_SLACK = 64 * 1024
MIB = 1024 * 1024


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a streamed body passes its cap. An HTTPException, so
    FastAPI's body parsing passes it on as it is (it turns other errors into 400)."""

    def __init__(self, message: str) -> None:
        super().__init__(status_code=413, detail=message)


def too_large(limit: int, what: str) -> str:
    return (
        f"the {what} is larger than {limit / MIB:.1f} MB, this server's limit; send a "
        "smaller one (the limits are STORYREEL_MAX_IMAGE_BYTES, STORYREEL_MAX_CLIP_BYTES "
        "and STORYREEL_MAX_JSON_BYTES)"
    )


class BodyLimit:
    """ASGI middleware: at most `uploads` bytes in a multipart body, `other` in any
    other body."""

    def __init__(self, app: ASGIApp, uploads: int, other: int) -> None:
        self.app = app
        self.uploads = uploads
        self.other = other

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        content_type = headers.get(b"content-type", b"").decode("latin-1").lower()
        upload = content_type.startswith("multipart/")
        limit = self.uploads if upload else self.other
        what = "upload" if upload else "request body"
        declared = headers.get(b"content-length", b"").decode("latin-1").strip()
        if declared.isdigit() and int(declared) > limit:
            await _refuse(scope, send, too_large(limit, what))
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(too_large(limit, what))
            return message

        await self.app(scope, counted, send)


async def _refuse(scope: Scope, send: Send, message: str) -> None:
    """413 in the shape the path's clients read: Kling's envelope under /v1, the
    studio's `{detail, line}` elsewhere. The connection is closed, since the body
    was left unread."""
    if str(scope.get("path", "")).startswith("/v1/"):
        body = {"code": 1200, "message": message, "request_id": uuid.uuid4().hex, "data": None}
    else:
        body = {"detail": message, "line": None}
    raw = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(raw)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": raw})

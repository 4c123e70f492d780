"""What every resource shares: the error body and the error responses routes declare."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class ErrorPublic(BaseModel):
    """Every 4xx answer: what is wrong and how to fix it, in one sentence."""

    model_config = ConfigDict(extra="forbid")

    detail: str
    # The line of the script or storyboard file the problem is on, when there is one.
    line: int | None = None


_WHY = {
    400: "The body cannot be parsed (not UTF-8 JSON, or a broken form).",
    401: "The bearer token is missing or wrong.",
    404: "No such project, shot, take, version, subject or file.",
    409: "A make of this project is already running.",
    413: "The upload is larger than the server accepts.",
    415: "The upload is not an image or video that can be decoded.",
    416: "The requested byte range lies outside the file.",
    422: "The request is not valid; `detail` says which field and why.",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` entry for these error codes (400, 401 and 422 always: every
    route has auth and input)."""
    wanted = sorted({400, 401, 422, *codes})
    return {code: {"model": ErrorPublic, "description": _WHY[code]} for code in wanted}


def media(kind: str, description: str, *codes: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route answering a file of media type `kind` (with ranges)."""
    found = errors(404, *codes)
    found[200] = {
        "content": {kind: {"schema": {"type": "string", "format": "binary"}}},
        "description": description,
    }
    return found

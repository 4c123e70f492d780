"""storyreel's errors as HTTP answers: the status each kind of error means, and the
handlers that turn any StoryreelError (and a request that fails validation) into an
`ErrorPublic` body. Nothing a client sends should ever produce a 500."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from storyreel.cast.errors import CastError
from storyreel.errors import EngineError, StoryError, StoryreelError
from storyreel.run.lock import ProjectLocked
from storyreel.store.versions import UnknownShot, UnknownTake, UnknownVersion


class NotFound(StoryreelError):
    """A project, shot, subject, take or file the client named does not exist."""


class Conflict(StoryreelError):
    """The request clashes with the project's current state (a make is running)."""


class UploadTooLarge(StoryreelError):
    """An upload is larger than the configured limit."""


class UnsupportedUpload(StoryreelError):
    """An upload does not decode as the kind of file it was sent as."""


class RangeNotSatisfiable(StoryreelError):
    """A Range header asks for bytes the file does not have."""

    def __init__(self, message: str, size: int) -> None:
        super().__init__(message)
        self.size = size


# Most specific first: the first class an error is an instance of decides.
STATUS: Sequence[tuple[type[StoryreelError], int]] = (
    (NotFound, 404),
    (UnknownVersion, 404),
    (UnknownShot, 404),
    (UnknownTake, 404),
    (Conflict, 409),
    (ProjectLocked, 409),
    (UploadTooLarge, 413),
    (UnsupportedUpload, 415),
    (RangeNotSatisfiable, 416),
    (StoryError, 422),
    (CastError, 422),
    (EngineError, 422),
)


def status_for(error: StoryreelError) -> int:
    for kind, status in STATUS:
        if isinstance(error, kind):
            return status
    # Any other StoryreelError is, by definition, a message for the user about what
    # they asked for.
    return 422


def error_body(error: StoryreelError) -> dict[str, Any]:
    line = error.line if isinstance(error, StoryError) else None
    return {"detail": str(error), "line": line}


async def _storyreel_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StoryreelError)
    status = status_for(error)
    headers = {}
    if isinstance(error, RangeNotSatisfiable):
        headers["Content-Range"] = f"bytes */{error.size}"
    return JSONResponse(error_body(error), status_code=status, headers=headers)


def validation_message(problems: Sequence[Any]) -> str:
    """FastAPI's validation problems in one sentence: "body.width: Input should be a
    multiple of 2; query.a: Field required"."""
    parts = []
    for problem in problems[:5]:
        where = ".".join(str(p) for p in problem.get("loc", ()))
        parts.append(f"{where}: {problem.get('msg', 'invalid')}" if where else problem["msg"])
    if len(problems) > 5:
        parts.append(f"and {len(problems) - 5} more")
    return "; ".join(parts) or "the request is not valid"


async def _validation_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    return JSONResponse({"detail": validation_message(error.errors()), "line": None}, 422)


def install(app: FastAPI) -> None:
    app.add_exception_handler(StoryreelError, _storyreel_error)
    app.add_exception_handler(RequestValidationError, _validation_error)

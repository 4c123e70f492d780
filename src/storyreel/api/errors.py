"""storyreel's errors as HTTP answers: the status each kind of error means, and the
handlers that turn any StoryreelError (and a request that fails validation) into an
`ErrorPublic` body. Nothing a client sends should ever produce a 500."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
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


def scrub_paths(message: str, root: Path) -> str:
    """`message` with the server's folders taken out of its paths: a file of a project
    (or of a Kling task's hidden project) as the project knows it (`script.fountain`,
    `.storyreel/takes/...`), anything else under the root relative to the root. Where
    the server keeps its files is none of its clients' business."""
    bases = {str(Path(root).resolve())}
    if Path(root).is_absolute():
        bases.add(str(root))
    for base in sorted(bases, key=len, reverse=True):
        project = r"(?:\.kling/[0-9a-f]{32}/project/|[a-z0-9][a-z0-9-]*/)?"
        message = re.sub(re.escape(base.rstrip("/")) + "/" + project, "", message)
        message = message.replace(base, "the projects folder")
    return message


def error_body(error: StoryreelError, root: Path | None = None) -> dict[str, Any]:
    line = error.line if isinstance(error, StoryError) else None
    detail = str(error) if root is None else scrub_paths(str(error), root)
    return {"detail": detail, "line": line}


async def _storyreel_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StoryreelError)
    status = status_for(error)
    headers = {}
    if isinstance(error, RangeNotSatisfiable):
        headers["Content-Range"] = f"bytes */{error.size}"
    root = request.app.state.settings.root
    return JSONResponse(error_body(error, root), status_code=status, headers=headers)


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

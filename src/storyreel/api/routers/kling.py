"""Kling-compatible video endpoints: tools written for Kling's API get films from this
server's engine.

    POST /v1/videos/text2video | /v1/videos/image2video     create a task
    GET  /v1/videos/{kind}/{task_id or external_task_id}    one task
    GET  /v1/videos/{kind}?pageNum=1&pageSize=30            the key's tasks, newest first
    GET  /v1/media/videos/{task_id}.mp4?expires=&signature= the video (no token: signed)

Requests carry Kling's JWT (HS256), signed with a key pair this server issued
(`storyreel kling-keys create`). Every answer is Kling's envelope `{code, message,
request_id, data}`; refusals carry Kling's code and HTTP status, so a client's error
handling works unchanged. Mounted with `install(app, settings)`.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Coroutine, Sequence
from typing import Annotated, Any

import jwt
from fastapi import APIRouter, FastAPI, Path, Query, Request, Response, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPBearer
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from storyreel.api.errors import scrub_paths, validation_message
from storyreel.api.kling_keys import KeyStoreError
from storyreel.api.kling_tasks import (
    Image2VideoBody,
    KlingApiError,
    KlingConfig,
    KlingTasks,
    LinkRefused,
    OmniVideoBody,
    TaskBody,
)
from storyreel.api.outbound import AllowList
from storyreel.api.ranges import file_response
from storyreel.api.schemas import ErrorPublic
from storyreel.api.settings import Settings
from storyreel.errors import StoryreelError
from storyreel.kling.auth import TokenError, TokenUnknownIssuer, bearer_token, verify_token
from storyreel.kling.schemas import (
    CODES,
    MAX_PAGE_SIZE,
    KlingCode,
    TaskData,
    TaskKind,
    Text2VideoRequest,
)
from storyreel.kling.schemas import Envelope as KlingEnvelope

log = logging.getLogger(__name__)

TAG = {
    "name": "kling",
    "description": "Kling-compatible video tasks (JWT from `storyreel kling-keys create`).",
}
# Kling caps a reference image at 10 MB.
KLING_IMAGE_BYTES = 10 * 1024 * 1024

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class TaskEnvelope(KlingEnvelope[TaskData]):
    """One task, in Kling's envelope."""


class TaskListEnvelope(KlingEnvelope[list[TaskData]]):
    """A page of tasks, in Kling's envelope."""


class KlingErrorPublic(BaseModel):
    """A refusal: a non-zero Kling code, what is wrong, and no data."""

    code: int
    message: str
    request_id: str
    data: None = None


def _refusals(*codes: KlingCode) -> dict[int | str, dict[str, Any]]:
    out: dict[int | str, dict[str, Any]] = {}
    for code in codes:
        info = CODES[code]
        entry = out.setdefault(info.http_status, {"model": KlingErrorPublic, "description": ""})
        entry["description"] = "; ".join(
            filter(None, [entry["description"], f"{int(code)}: {info.meaning}"])
        )
    return out


_AUTH = (
    KlingCode.auth_failed,
    KlingCode.auth_empty,
    KlingCode.auth_invalid,
    KlingCode.token_not_yet_valid,
    KlingCode.token_expired,
)


# --- the envelope and the errors ----------------------------------------------------------


def envelope(
    request: Request, data: Any, code: KlingCode = KlingCode.ok, message: str = ""
) -> JSONResponse:
    body = {
        "code": int(code),
        "message": message or ("SUCCEED" if code == KlingCode.ok else CODES[code].meaning),
        "request_id": request.state.kling_request_id,
        "data": data,
    }
    return JSONResponse(body, status_code=CODES[code].http_status)


# Validation problems that mean the body as a whole is not a JSON object.
_NOT_AN_OBJECT = frozenset({"json_invalid", "model_attributes_type", "dict_type", "model_type"})


def validation_code(problems: Sequence[Any]) -> KlingCode:
    """1202 for a path that names no method, 1200 for a body that is not a JSON object,
    1201 for a field with a wrong value."""
    for problem in problems:
        loc = tuple(problem.get("loc", ()))
        if loc[:2] == ("path", "kind"):
            return KlingCode.method_not_allowed
        kind = problem.get("type")
        if kind in _NOT_AN_OBJECT or (loc == ("body",) and kind == "missing"):
            return KlingCode.bad_request
    return KlingCode.bad_parameter


def refusal(error: Exception) -> tuple[KlingCode, str]:
    """The Kling code and message an exception is answered with."""
    if isinstance(error, TokenError):
        return error.code, str(error)
    if isinstance(error, KlingApiError):
        return error.code, str(error)
    if isinstance(error, RequestValidationError):
        problems = error.errors()
        return validation_code(problems), validation_message(problems)
    if isinstance(error, HTTPException) and error.status_code < 500:
        # FastAPI's own refusal of a body it cannot read (not UTF-8, a broken form).
        return KlingCode.bad_request, str(error.detail)
    if isinstance(error, KeyStoreError):
        return KlingCode.server_error, str(error)
    if isinstance(error, StoryreelError):
        # The story, the cast or an option the request carried: the request is wrong.
        return KlingCode.bad_parameter, str(error)
    return KlingCode.server_error, f"the server failed unexpectedly ({type(error).__name__})"


class KlingRoute(APIRoute):
    """A route that authenticates first and answers every failure in Kling's envelope,
    bad JSON and failed validation included."""

    def get_route_handler(self) -> Handler:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            request.state.kling_request_id = uuid.uuid4().hex
            try:
                request.state.kling_access_key = authenticate(request)
                return await original(request)
            except Exception as error:
                code, message = refusal(error)
                if code == KlingCode.server_error and not isinstance(error, KeyStoreError):
                    log.exception("kling endpoint %s failed", request.url.path)
                message = scrub_paths(message, request.app.state.settings.root)
                return envelope(request, None, code, message)

        return handler


def _tasks(request: Request) -> KlingTasks:
    tasks: KlingTasks = request.app.state.kling
    return tasks


def authenticate(request: Request) -> str:
    """The access key of a valid bearer token signed by a live key of this server."""
    token = bearer_token(request.headers.get("authorization"))
    keys = _tasks(request).keys
    try:
        return verify_token(token, keys.secrets()).access_key
    except TokenUnknownIssuer:
        # verify_token read the claims already, so the token is a readable JWT.
        issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
        if issuer in keys.revoked():
            raise TokenUnknownIssuer(
                f"the access key {issuer!r} was revoked; create a new key pair with "
                "`storyreel kling-keys create`"
            ) from None
        raise


# --- the routes ---------------------------------------------------------------------------

# Documents the JWT; `KlingRoute` does the checking, so a refusal is Kling-shaped.
_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="KlingJWT",
    description="A JWT (HS256) with iss = access key, signed with its secret key.",
)

router = APIRouter(
    prefix="/v1/videos",
    tags=["kling"],
    route_class=KlingRoute,
    dependencies=[Security(_bearer)],
    responses=_refusals(*_AUTH, KlingCode.server_error),
)

Kind = Annotated[
    TaskKind,
    Path(description="text2video, image2video or omni-video.", examples=["text2video"]),
]


async def _create(request: Request, kind: TaskKind, body: TaskBody) -> JSONResponse:
    tasks = _tasks(request)
    base = str(request.base_url)
    if body.callback_url:
        await tasks.check_callback(body.callback_url)
    record = await asyncio.to_thread(
        tasks.prepare, kind, body, request.state.kling_access_key, base
    )
    tasks.start(record)
    return envelope(request, tasks.data(record, base).model_dump(mode="json"))


@router.post(
    "/text2video",
    summary="Create a text2video task: a one-scene film from the prompt",
    response_model=TaskEnvelope,
    responses=_refusals(KlingCode.bad_request, KlingCode.bad_parameter),
)
async def create_text2video(body: Text2VideoRequest, request: Request) -> JSONResponse:
    return await _create(request, "text2video", body)


@router.post(
    "/image2video",
    summary="Create an image2video task: the image is the cast reference of the prompt's "
    "subject (base64 or a data: URL; this server fetches no URLs)",
    response_model=TaskEnvelope,
    responses=_refusals(KlingCode.bad_request, KlingCode.bad_parameter),
)
async def create_image2video(body: Image2VideoBody, request: Request) -> JSONResponse:
    return await _create(request, "image2video", body)


@router.post(
    "/omni-video",
    summary="Create an omni-video task: with a video to edit (video_list, refer_type "
    "base; base64 or a data: URL, MP4 or MOV, 3-10 s, 720-2160 px, 24-60 fps, at most "
    "200 MB), a film of its length and shape from the prompt",
    response_model=TaskEnvelope,
    responses=_refusals(KlingCode.bad_request, KlingCode.bad_parameter),
)
async def create_omni_video(body: OmniVideoBody, request: Request) -> JSONResponse:
    return await _create(request, "omni-video", body)


@router.get(
    "/{kind}/{task_id}",
    summary="One task, by task_id or external_task_id",
    response_model=TaskEnvelope,
    responses=_refusals(KlingCode.method_not_allowed, KlingCode.resource_not_found),
)
async def get_task(
    kind: Kind,
    task_id: Annotated[str, Path(description="The task_id, or the external_task_id.")],
    request: Request,
) -> JSONResponse:
    tasks = _tasks(request)
    record = tasks.registry.find(request.state.kling_access_key, kind, task_id)
    return envelope(request, tasks.data(record, str(request.base_url)).model_dump(mode="json"))


@router.get(
    "/{kind}",
    summary="A page of this key's tasks, newest first",
    response_model=TaskListEnvelope,
    responses=_refusals(KlingCode.bad_parameter, KlingCode.method_not_allowed),
)
async def list_tasks(
    kind: Kind,
    request: Request,
    page_num: Annotated[int, Query(alias="pageNum", ge=1, description="From 1.")] = 1,
    page_size: Annotated[
        int, Query(alias="pageSize", ge=1, le=MAX_PAGE_SIZE, description="Tasks per page.")
    ] = 30,
) -> JSONResponse:
    tasks = _tasks(request)
    base = str(request.base_url)
    page = tasks.registry.page(request.state.kling_access_key, kind, page_num, page_size)
    return envelope(request, [tasks.data(r, base).model_dump(mode="json") for r in page])


# --- the videos -------------------------------------------------------------------------

media_router = APIRouter(prefix="/v1/media", tags=["kling"])
_MEDIA_WHY = {
    403: "The link's signature is wrong or it has expired; query the task again.",
    404: "The task has no video (yet).",
    416: "The requested byte range lies outside the file.",
    422: "expires or signature is missing or malformed.",
}
_MP4 = {"video/mp4": {"schema": {"type": "string", "format": "binary"}}}


@media_router.get(
    "/videos/{task_id}.mp4",
    summary="A task's video, by the signed link its task data lists (Range supported)",
    response_class=Response,
    responses={
        **{code: {"model": ErrorPublic, "description": why} for code, why in _MEDIA_WHY.items()},
        200: {"content": _MP4, "description": "The video."},
        206: {"content": _MP4, "description": "A byte range of it."},
    },
)
def get_video(
    task_id: Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="The task.")],
    expires: Annotated[int, Query(description="When the link expires (Unix seconds).")],
    signature: Annotated[
        str, Query(max_length=128, description="The link's HMAC, as the task data gave it.")
    ],
    request: Request,
) -> Response:
    try:
        path = _tasks(request).video_path(task_id, expires, signature)
    except LinkRefused as error:
        return JSONResponse({"detail": str(error), "line": None}, status_code=403)
    return file_response(request, path, "video/mp4")


# --- everything else under /v1 -----------------------------------------------------------

# Mounted last: any /v1 path and method the routes above do not take (Kling's
# video-extend, images/generations, a POST to a task...) answers 1202 in Kling's
# envelope, as Kling answers a method it does not offer, instead of FastAPI's 404/405.
fallback_router = APIRouter(prefix="/v1", route_class=KlingRoute, include_in_schema=False)


@fallback_router.api_route(
    "/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
)
async def not_offered(path: str, request: Request) -> JSONResponse:
    raise KlingApiError(
        KlingCode.method_not_allowed,
        f"this server does not offer {request.method} /v1/{path[:200]}; it takes "
        "text2video and image2video tasks (POST /v1/videos/<kind>, GET "
        "/v1/videos/<kind>[/<task_id>])",
    )


# --- mounting -----------------------------------------------------------------------------


def install(app: FastAPI, settings: Settings, config: KlingConfig | None = None) -> KlingTasks:
    """Mount the Kling endpoints on the studio's app (`create_app` does), sharing its
    make manager; `config` defaults to the `STORYREEL_KLING_*` variables."""
    tasks = KlingTasks(
        settings.root,
        app.state.makes,
        settings.engine,
        config or KlingConfig.from_env(),
        min(settings.max_image_bytes, KLING_IMAGE_BYTES),
        AllowList.parse(settings.callback_allow),
    )
    app.state.kling = tasks
    app.include_router(router)
    app.include_router(media_router)
    app.include_router(fallback_router)
    return tasks

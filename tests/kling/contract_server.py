"""A local server that follows Kling's documented video API, for the client's tests.

It is written from Kling's documentation alone and shares no code with storyreel.kling:
it checks tokens with PyJWT directly, validates bodies with its own rules, keeps its
own table of error codes and HTTP statuses, and answers in Kling's envelope. A bug in
our schemas or token code therefore shows up as a refusal here instead of being
mirrored.

Behaviour the tests script (see `Script`): how many polls a task takes, a task that
only finishes after some seconds, a task that fails, and error answers (any code, for
the first N calls of a route, with an optional Retry-After header). Every call is
recorded (`calls`), and so is every callback the server receives on its own
`/_test/callback` route.
"""

from __future__ import annotations

import base64
import binascii
import io
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import av
import httpx
import jwt
import numpy as np
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from PIL import Image

# Kling's documented HTTP status for each code.
HTTP_STATUS = {
    0: 200,
    1000: 401,
    1001: 401,
    1002: 401,
    1003: 401,
    1004: 401,
    1100: 429,
    1101: 429,
    1102: 429,
    1103: 403,
    1200: 400,
    1201: 400,
    1202: 404,
    1203: 404,
    1300: 400,
    1301: 400,
    1302: 429,
    1303: 429,
    1304: 429,
    5000: 500,
    5001: 503,
    5002: 504,
}

T2V_MODELS = {
    "kling-v1",
    "kling-v1-6",
    "kling-v2-master",
    "kling-v2-1-master",
    "kling-v2-5-turbo",
    "kling-v2-6",
    "kling-v3",
}
I2V_MODELS = T2V_MODELS | {"kling-v1-5", "kling-v2-1"}
V3_DURATIONS = {str(s) for s in range(3, 16)}

CLIP_FPS = 24
Route = Literal["create", "query", "list", "any"]


@dataclass
class Fault:
    """Answer `code` instead of serving the request, for the first `times` calls of
    `route` (every call when `times` is None)."""

    code: int
    route: Route = "any"
    times: int | None = 1
    message: str = "scripted failure"
    retry_after: str | None = None


@dataclass
class Script:
    # Queries of a task before it reports succeed (the first says submitted, the rest
    # until then processing).
    polls: int = 2
    # And not before this many seconds after its creation.
    ready_after: float = 0.0
    # How a finished task ends.
    outcome: Literal["succeed", "failed"] = "succeed"
    failure_message: str = "scripted: content risk control triggered"
    faults: list[Fault] = field(default_factory=list)


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    authorization: str | None
    at: float
    answered: int  # the Kling code answered


@dataclass
class ServerTask:
    kind: str
    task_id: str
    body: dict[str, Any]
    created: float
    queries: int = 0
    status: str = "submitted"
    video_seconds: int = 5
    size: tuple[int, int] = (160, 90)
    callback_sent: bool = False


class KlingError(Exception):
    def __init__(self, code: int, message: str, retry_after: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after


def make_clip(seconds: int, width: int, height: int) -> bytes:
    """A real H.264 MP4: frame k is flat grey at level 2k (mod 240), so a reader can
    tell which source frame it is looking at; a white bar crosses the bottom."""
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="mp4") as out:
        stream: Any = out.add_stream("libx264", rate=Fraction(CLIP_FPS))
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"preset": "ultrafast", "crf": "10", "bf": "0"}
        count = seconds * CLIP_FPS
        for k in range(count):
            rgb = np.full((height, width, 3), (2 * k) % 240, dtype=np.uint8)
            x = k * width // count
            rgb[height - 6 :, x : x + 4] = 255
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buffer.getvalue()


def _now_ms() -> int:
    return int(time.time() * 1000)


class KlingContractServer:
    def __init__(self, access_key: str, secret_key: str) -> None:
        self.access_key = access_key
        self.secret_key = secret_key
        self.script = Script()
        self.calls: list[Call] = []
        self.downloads: list[Call] = []
        self.callbacks: list[dict[str, Any]] = []
        self.tasks: dict[str, ServerTask] = {}
        self._clips: dict[tuple[int, int, int], bytes] = {}
        self._fault_hits: dict[int, int] = {}
        self._lock = threading.Lock()
        self.url = ""
        self.app = self._build_app()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle --------------------------------------------------------------------

    def start(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", lifespan="off", access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the contract server did not start")
            time.sleep(0.01)
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)

    def reset(self) -> None:
        with self._lock:
            self.script = Script()
            self.calls.clear()
            self.downloads.clear()
            self.callbacks.clear()
            self.tasks.clear()
            self._fault_hits.clear()

    def api_calls(self, route: str | None = None) -> list[Call]:
        """Calls to the video API, optionally only those whose path contains `route`."""
        return [c for c in self.calls if route is None or route in c.path]

    def wait_for_callbacks(self, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while len(self.callbacks) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return list(self.callbacks)

    # --- the contract -----------------------------------------------------------------

    def _authenticate(self, authorization: str | None) -> None:
        if not authorization:
            raise KlingError(1001, "Authorization header is empty")
        scheme, _, token = authorization.partition(" ")
        if scheme != "Bearer" or not token:
            raise KlingError(1002, "Authorization is invalid")
        try:
            claims = jwt.decode(
                token,
                self.secret_key,
                algorithms=["HS256"],
                options={"require": ["iss", "exp", "nbf"]},
            )
        except jwt.ExpiredSignatureError:
            raise KlingError(1004, "token expired") from None
        except jwt.ImmatureSignatureError:
            raise KlingError(1003, "token not yet valid") from None
        except jwt.PyJWTError as exc:
            raise KlingError(1002, f"Authorization is invalid: {exc}") from None
        if claims["iss"] != self.access_key:
            raise KlingError(1000, "unknown access key")
        if claims["exp"] - claims["nbf"] > 1800 + 5 + 60:
            raise KlingError(1002, "token lifetime longer than documented")

    def _scripted_fault(self, route: Route) -> None:
        for i, fault in enumerate(self.script.faults):
            if fault.route not in ("any", route):
                continue
            hits = self._fault_hits.get(i, 0)
            if fault.times is None or hits < fault.times:
                self._fault_hits[i] = hits + 1
                raise KlingError(fault.code, fault.message, fault.retry_after)

    def _validate(self, kind: str, body: Any) -> tuple[int, tuple[int, int]]:
        """Check a create body as the docs describe; the clip's length and size."""
        if not isinstance(body, dict):
            raise KlingError(1200, "request body must be a JSON object")
        model = body.get("model_name", "kling-v1")
        models = T2V_MODELS if kind == "text2video" else I2V_MODELS
        if model not in models:
            raise KlingError(1201, f"model_name is invalid: {model}")
        prompt = body.get("prompt")
        if kind == "text2video" and (not isinstance(prompt, str) or not prompt):
            raise KlingError(1201, "prompt is required")
        for name in ("prompt", "negative_prompt"):
            value = body.get(name)
            if value is not None and (not isinstance(value, str) or len(value) > 2500):
                raise KlingError(1201, f"{name} must be a string of at most 2500 characters")
        duration = body.get("duration", "5")
        allowed = V3_DURATIONS if model == "kling-v3" else {"5", "10"}
        if not isinstance(duration, str) or duration not in allowed:
            raise KlingError(1201, f"duration is invalid: {duration!r}")
        if body.get("mode", "std") not in ("std", "pro"):
            raise KlingError(1201, f"mode is invalid: {body.get('mode')!r}")
        cfg = body.get("cfg_scale")
        if cfg is not None and (not isinstance(cfg, int | float) or not 0 <= cfg <= 1):
            raise KlingError(1201, f"cfg_scale is invalid: {cfg!r}")
        callback = body.get("callback_url")
        if callback is not None and not (
            isinstance(callback, str) and callback.startswith(("http://", "https://"))
        ):
            raise KlingError(1201, "callback_url is invalid")
        size = (160, 90)
        if kind == "text2video":
            ratio = body.get("aspect_ratio", "16:9")
            sizes = {"16:9": (160, 90), "9:16": (90, 160), "1:1": (96, 96)}
            if ratio not in sizes:
                raise KlingError(1201, f"aspect_ratio is invalid: {ratio!r}")
            size = sizes[ratio]
        else:
            image = body.get("image")
            if image is None and body.get("image_tail") is None:
                raise KlingError(1201, "image is required")
            if image is not None:
                size = self._image_size(image)
            elements = body.get("element_list")
            if elements is not None:
                if model != "kling-v3":
                    raise KlingError(1201, f"element_list is not supported by {model}")
                ok = isinstance(elements, list) and 1 <= len(elements) <= 3
                if not ok or not all(
                    isinstance(e, dict) and isinstance(e.get("element_id"), int) for e in elements
                ):
                    raise KlingError(1201, "element_list is invalid")
        return int(duration), size

    @staticmethod
    def _image_size(image: Any) -> tuple[int, int]:
        if not isinstance(image, str) or image.startswith("data:"):
            raise KlingError(1201, "image must be a URL or base64 without a data: prefix")
        if image.startswith(("http://", "https://")):
            return (160, 90)
        try:
            data = base64.b64decode(image, validate=True)
            with Image.open(io.BytesIO(data)) as picture:
                kind, (w, h) = picture.format, picture.size
        except (binascii.Error, ValueError, OSError):
            raise KlingError(1201, "image is not valid base64 of a picture") from None
        if kind not in ("JPEG", "PNG") or min(w, h) < 300:
            raise KlingError(1201, "image must be a JPG or PNG of at least 300 px")
        # The clip keeps the picture's shape, at a tiny size.
        return (160, 90) if w > h * 1.2 else (90, 160) if h > w * 1.2 else (96, 96)

    def _advance(self, task: ServerTask) -> None:
        task.queries += 1
        script = self.script
        old = task.status
        ready = time.time() - task.created >= script.ready_after
        if task.queries >= script.polls and ready:
            task.status = script.outcome
        elif task.queries > 1:
            task.status = "processing"
        if task.status != old and task.status in ("succeed", "failed"):
            self._send_callback(task)

    def _task_data(self, task: ServerTask) -> dict[str, Any]:
        data: dict[str, Any] = {
            "task_id": task.task_id,
            "task_status": task.status,
            "task_status_msg": self.script.failure_message if task.status == "failed" else "",
            "task_info": {"external_task_id": task.body.get("external_task_id")},
            "created_at": int(task.created * 1000),
            "updated_at": _now_ms(),
        }
        if task.status == "succeed":
            data["final_unit_deduction"] = "1"
            data["task_result"] = {
                "videos": [
                    {
                        "id": f"video-{task.task_id}",
                        "url": f"{self.url}/files/{task.task_id}.mp4",
                        "duration": str(task.video_seconds),
                    }
                ]
            }
        return data

    def _send_callback(self, task: ServerTask) -> None:
        url = task.body.get("callback_url")
        if not url or task.callback_sent:
            return
        task.callback_sent = True
        payload = self._task_data(task)
        threading.Thread(target=httpx.post, args=(url,), kwargs={"json": payload}).start()

    def clip(self, task: ServerTask) -> bytes:
        key = (task.video_seconds, *task.size)
        if key not in self._clips:
            self._clips[key] = make_clip(task.video_seconds, *task.size)
        return self._clips[key]

    # --- the app ----------------------------------------------------------------------

    def _envelope(self, code: int, message: str, data: Any = None) -> dict[str, Any]:
        return {"code": code, "message": message, "request_id": uuid.uuid4().hex, "data": data}

    def _handle(self, request: Request, route: Route, kind: str, work: Any) -> JSONResponse:
        body: Any = None
        headers: dict[str, str] = {}
        code, message, data = 0, "SUCCEED", None
        try:
            with self._lock:
                if kind not in ("text2video", "image2video"):
                    raise KlingError(1202, f"no such method: {kind}")
                self._authenticate(request.headers.get("authorization"))
                self._scripted_fault(route)
                data = work()
        except KlingError as exc:
            code, message = exc.code, exc.message
            if exc.retry_after is not None:
                headers["Retry-After"] = exc.retry_after
        finally:
            body = getattr(request.state, "json", None)
            self.calls.append(
                Call(
                    request.method,
                    request.url.path,
                    dict(request.query_params),
                    body,
                    request.headers.get("authorization"),
                    time.monotonic(),
                    code,
                )
            )
        return JSONResponse(
            self._envelope(code, message, data), status_code=HTTP_STATUS[code], headers=headers
        )

    def _build_app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v1/videos/{kind}")
        async def create(kind: str, request: Request) -> JSONResponse:
            try:
                request.state.json = await request.json()
            except ValueError:
                request.state.json = None

            def work() -> dict[str, Any]:
                seconds, size = self._validate(kind, request.state.json)
                task = ServerTask(
                    kind=kind,
                    task_id=uuid.uuid4().hex,
                    body=request.state.json,
                    created=time.time(),
                    video_seconds=seconds,
                    size=size,
                )
                self.tasks[task.task_id] = task
                return self._task_data(task)

            return self._handle(request, "create", kind, work)

        @app.get("/v1/videos/{kind}/{task_id}")
        def query(kind: str, task_id: str, request: Request) -> JSONResponse:
            def work() -> dict[str, Any]:
                task = self.tasks.get(task_id)
                if task is None or task.kind != kind:
                    raise KlingError(1203, f"task not found: {task_id}")
                self._advance(task)
                return self._task_data(task)

            return self._handle(request, "query", kind, work)

        @app.get("/v1/videos/{kind}")
        def listing(kind: str, request: Request) -> JSONResponse:
            def work() -> list[dict[str, Any]]:
                try:
                    page = int(request.query_params.get("pageNum", "1"))
                    size = int(request.query_params.get("pageSize", "30"))
                except ValueError:
                    raise KlingError(1201, "pageNum and pageSize must be integers") from None
                if page < 1 or not 1 <= size <= 500:
                    raise KlingError(1201, "pageNum >= 1 and pageSize 1..500")
                mine = [t for t in self.tasks.values() if t.kind == kind]
                mine.sort(key=lambda t: t.created, reverse=True)
                return [self._task_data(t) for t in mine[(page - 1) * size : page * size]]

            return self._handle(request, "list", kind, work)

        @app.get("/files/{name}")
        def files(name: str, request: Request) -> Response:
            self.downloads.append(
                Call(
                    "GET",
                    request.url.path,
                    {},
                    None,
                    request.headers.get("authorization"),
                    time.monotonic(),
                    0,
                )
            )
            task = self.tasks.get(Path(name).stem)
            if task is None or task.status != "succeed":
                return Response(status_code=404)
            return Response(self.clip(task), media_type="video/mp4")

        @app.post("/_test/callback")
        async def callback(request: Request) -> dict[str, bool]:
            self.callbacks.append(await request.json())
            return {"ok": True}

        @app.api_route("/not-kling/{rest:path}", methods=["GET", "POST"])
        def not_kling(rest: str) -> Response:
            return Response("<html>proxy login</html>", media_type="text/html")

        return app

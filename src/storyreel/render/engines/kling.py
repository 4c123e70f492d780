"""The Kling engine: each shot rendered by Kling's hosted video API.

    export KLING_ACCESS_KEY=... KLING_SECRET_KEY=...   # from the Kling developer console
    storyreel make story.fountain --engine kling

A shot with a cast reference image becomes an image2video task (the first reference
image is the first frame), any other a text2video task. Subjects registered as Kling
elements (the `elements` option: subject name -> element id) ride along as
`element_list` on models that take elements (the 3.0 family), which is documented for
image2video only. The prompt is the shot's own, composed by the director.

An edited shot is re-rendered from its previous take (`reference_video`) as an
omni-video task that edits it (`video_list` with `refer_type: base`, the `omni_model`
option, Kling O1 by default): the take is sent as Kling takes a video to edit (scaled
to at least 720 px a side, at 24 fps or more), and the prompt says what the edit asked.
Kling edits only videos of 3 to 10 s; a shorter shot is made afresh.

Kling makes clips of fixed lengths: "5" or "10" seconds (3 to 15 on the 3.0 models).
The engine asks for the shortest one that covers the shot, or one at most 10 % shorter
(slowed down to fit: cheaper, and hard to see). It then conforms the clip to the
request: cropped to the request's aspect ratio (Kling makes 16:9, 9:16 and 1:1), scaled
to its size, resampled to its frame rate and cut to its exact frame count, as an H.264
MP4 with the same settings as every other take, so the cut joins takes without
re-encoding them.
"""

from __future__ import annotations

import base64
import io
import math
import os
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, Literal

import av
from PIL import Image
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from storyreel.cast.subject import SubjectRef, subject_key
from storyreel.errors import EngineError
from storyreel.files import atomic_path
from storyreel.kling.client import KlingClient, PollPolicy, RetryPolicy, kind_of
from storyreel.kling.errors import KlingError
from storyreel.kling.schemas import (
    ASPECT_RATIOS,
    BASE_URLS,
    MAX_PROMPT,
    VIDEO_FPS,
    VIDEO_SECONDS,
    VIDEO_SIDES,
    AspectRatio,
    ElementRef,
    Image2VideoRequest,
    Mode,
    OmniVideoRequest,
    TaskData,
    TaskRequest,
    TaskStatus,
    Text2VideoRequest,
    VideoRef,
    model_info,
)
from storyreel.media.encode import VideoSettings, VideoWriter
from storyreel.media.resample import resampled_frames
from storyreel.model import Prompt
from storyreel.render.engine import UNKEYED, Capabilities, PreviousTake, RenderRequest, Take
from storyreel.retry import Backoff

# Durations every classic model accepts; a model missing from the table gets these.
_CLASSIC_DURATIONS = ("5", "10")
# A clip up to this much shorter than the shot is slowed to fit rather than paying for
# the next length up.
_STRETCH = 1.1
# Kling's limits on a reference image.
_MIN_IMAGE_SIDE = 300
_MAX_IMAGE_BYTES = 10 * 1024 * 1024
_MAX_IMAGE_RATIO = 2.5
# element_list takes at most three elements per task.
_MAX_ELEMENTS = 3
# Progress: the task's wait fills up to here, the download to _DOWNLOADED, and
# conforming the clip the rest.
_WAITED = 0.8
_DOWNLOADED = 0.85
# Seconds over which the waiting part of the bar is half full: Kling takes minutes.
_HALF_WAIT = 60.0
_PROGRESS_EVERY = 12


class KlingOptions(BaseModel):
    """The Kling engine's settings; `--engine-option key=value` on the command line."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # "global" (Singapore), "china" (Beijing), or the URL of a Kling-compatible server.
    base_url: str = "global"
    # kling-v1-6 takes text and image, 5 and 10 s, std and pro, and cfg_scale.
    model_name: str = "kling-v1-6"
    # std is cheaper and faster; pro looks better.
    mode: Mode = "std"
    # How closely to follow the prompt (0..1); None leaves it to Kling. The 2.x models
    # do not take it.
    cfg_scale: float | None = Field(default=None, ge=0, le=1)
    # Environment variables holding the keys: secrets never sit in options or boards.
    access_key_env: str = Field(default="KLING_ACCESS_KEY", json_schema_extra=UNKEYED)
    secret_key_env: str = Field(default="KLING_SECRET_KEY", json_schema_extra=UNKEYED)
    # Where Kling POSTs each task's status as it changes (a webhook you run).
    callback_url: str | None = Field(default=None, json_schema_extra=UNKEYED)
    # Subjects registered as Kling elements, by name: {"Mei": 123456}.
    elements: dict[str, int] = {}
    # The Omni model that edits a shot's previous take (an edited shot).
    omni_model: Literal["kling-video-o1", "kling-v3-omni"] = "kling-video-o1"
    # Polling: first wait between looks (growing 1.5x to poll_max_interval), and how
    # long to wait for one task in all. Kling usually takes one to five minutes.
    poll_interval: float = Field(default=2.0, gt=0, json_schema_extra=UNKEYED)
    poll_max_interval: float = Field(default=15.0, gt=0, json_schema_extra=UNKEYED)
    poll_timeout: float = Field(default=900.0, gt=0, json_schema_extra=UNKEYED)
    # Retries of refusals that pass (rate limit, concurrency limit, server errors):
    # tries in all, and the first wait (doubling up to 30 s).
    retry_attempts: int = Field(default=6, ge=1, le=20, json_schema_extra=UNKEYED)
    retry_backoff: float = Field(default=1.0, ge=0, json_schema_extra=UNKEYED)
    # HTTP timeout of one request, in seconds.
    request_timeout: float = Field(default=60.0, gt=0, json_schema_extra=UNKEYED)

    @field_validator("base_url")
    @classmethod
    def _known_host(cls, value: str) -> str:
        if value not in BASE_URLS and not value.startswith(("http://", "https://")):
            raise ValueError(f"must be {' or '.join(BASE_URLS)} or an http(s) URL, not {value!r}")
        return value

    @field_validator("access_key_env", "secret_key_env")
    @classmethod
    def _env_name(cls, value: str) -> str:
        if not value or not value.replace("_", "a").isalnum():
            raise ValueError(f"{value!r} is not an environment variable name")
        return value

    @field_validator("callback_url")
    @classmethod
    def _callback(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"must be an http(s) URL, not {value!r}")
        return value

    @model_validator(mode="after")
    def _fits_the_model(self) -> KlingOptions:
        info = model_info(self.model_name)
        if info is None:
            return self
        if self.cfg_scale is not None and not info.cfg_scale:
            raise ValueError(f"{self.model_name} does not take cfg_scale; leave it unset")
        if self.elements and not info.elements:
            raise ValueError(
                f"{self.model_name} does not take elements; use a 3.0 model (kling-v3) "
                "or leave elements unset"
            )
        return self


class KlingEngine:
    name: ClassVar[str] = "kling"
    capabilities: ClassVar[Capabilities] = Capabilities(
        text_to_video=True,
        image_to_video=True,
        max_duration=10,
        needs_gpu=False,
        needs_network=True,
        lip_sync=False,
        reference_video=True,
    )
    Options: ClassVar[type[KlingOptions]] = KlingOptions

    def __init__(self, options: KlingOptions | None = None) -> None:
        # Cheap on purpose: listing or validating engines must not touch the network.
        self.options = options or KlingOptions()

    @staticmethod
    def check_ready(options: KlingOptions | None) -> None:
        """Refuse before a make starts when the keys are not there (EngineError), so a
        server without them says so at submission rather than in a failed make."""
        _keys(options or KlingOptions())

    def model_identity(self) -> str:
        """Which Kling model and mode make the takes: changing either re-renders."""
        return f"{self.options.model_name}/{self.options.mode}"

    def render(self, request: RenderRequest) -> Take:
        options = self.options
        settings = request.take_settings
        task = build_task(request, options)
        access_key, secret_key = _keys(options)
        progress = _Progress(request.on_progress)
        out = Path(request.out_path)
        # Beside the take and hidden, so a crash leaves nothing that looks like one.
        raw = out.with_name(f".{out.stem}.kling-{uuid.uuid4().hex[:8]}.mp4")
        client = KlingClient(
            options.base_url,
            access_key,
            secret_key,
            retry=RetryPolicy(
                attempts=options.retry_attempts,
                backoff=Backoff(initial=options.retry_backoff, maximum=30.0),
            ),
            poll=PollPolicy(
                backoff=Backoff(
                    initial=options.poll_interval,
                    multiplier=1.5,
                    maximum=max(options.poll_interval, options.poll_max_interval),
                    jitter=0.2,
                ),
                timeout=options.poll_timeout,
            ),
            timeout=options.request_timeout,
        )
        try:
            with client:
                created = client.create_task(task)
                progress(0.02)
                done = client.wait(kind_of(task), created.task_id, on_status=progress.waiting)
                assert done.task_result is not None  # wait() checks it lists a video
                client.download(done.task_result.videos[0].url, raw)
            progress(_DOWNLOADED)
            conform(raw, out, settings, request.frame_count, request.seconds, progress)
        except KlingError as exc:
            raise type(exc)(
                f"shot {request.shot.id}: {exc.detail}",
                code=exc.code,
                request_id=exc.request_id,
                http_status=exc.http_status,
                retry_after=exc.retry_after,
            ) from exc
        finally:
            raw.unlink(missing_ok=True)
        return Take.made_for(request, self.name)


# --- building the task ----------------------------------------------------------------


def _keys(options: KlingOptions) -> tuple[str, str]:
    access = os.environ.get(options.access_key_env, "").strip()
    secret = os.environ.get(options.secret_key_env, "").strip()
    missing = [
        name
        for name, value in ((options.access_key_env, access), (options.secret_key_env, secret))
        if not value
    ]
    if missing:
        raise EngineError(
            f"the kling engine needs Kling API keys: set {' and '.join(missing)} to the "
            "access and secret keys from the Kling developer console (or point the "
            "access_key_env / secret_key_env options at the variables that hold them)"
        )
    return access, secret


def kling_duration(model_name: str, seconds: float) -> str:
    """The clip length to ask Kling for a shot of `seconds`: the shortest accepted one
    that covers it, or is at most 10 % shorter."""
    info = model_info(model_name)
    accepted = sorted(info.durations if info else _CLASSIC_DURATIONS, key=int)
    for choice in accepted:
        if int(choice) * _STRETCH >= seconds:
            return choice
    raise EngineError(
        f"a {seconds:g} s shot is longer than {model_name} makes in one task "
        f"(at most {accepted[-1]} s); plan shots with the engine's max_duration so "
        "longer ones are split"
    )


def aspect_ratio_for(width: int, height: int) -> AspectRatio:
    """The Kling aspect ratio nearest to width:height (compared on a log scale, so
    2:1 and 1:2 are as far from 1:1)."""
    wanted = math.log(width / height)

    def distance(ratio: AspectRatio) -> float:
        w, h = (int(p) for p in ratio.split(":"))
        return abs(math.log(w / h) - wanted)

    return min(ASPECT_RATIOS, key=distance)


def _prompt_language(request: RenderRequest) -> Literal["en", "zh"]:
    """Chinese when the shot speaks Chinese, English otherwise: Kling reads both."""
    if any(line.lang.startswith("zh") for line in request.shot.lines):
        return "zh"
    return "en"


def _pick(prompt: Prompt, lang: Literal["en", "zh"]) -> str:
    other = prompt.zh if lang == "en" else prompt.en
    return (getattr(prompt, lang) or other).strip()


def prompts_for(request: RenderRequest) -> tuple[str, str]:
    """The prompt and negative prompt as planning composed them (never composed here).
    Cut to Kling's 2,500 characters: composed prompts put framing, cast and action
    first, so only the tail (setting, style) can be lost."""
    shot = request.shot
    lang = _prompt_language(request)
    return _pick(shot.prompt, lang)[:MAX_PROMPT], _pick(shot.negative, lang)[:MAX_PROMPT]


def reference_image(references: list[SubjectRef]) -> Path | None:
    """The first reference image of the first subject that has one."""
    return next((ref.images[0] for ref in references if ref.images), None)


def encode_image(path: Path) -> str:
    """A reference image as Kling takes it: raw base64 of a JPEG or PNG file."""
    try:
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            kind, (w, h) = image.format, image.size
            if kind not in ("JPEG", "PNG"):
                # Kling reads only JPEG and PNG; other formats are re-saved losslessly.
                buffer = io.BytesIO()
                image.convert("RGBA" if "A" in image.getbands() else "RGB").save(buffer, "PNG")
                data = buffer.getvalue()
    except (OSError, Image.DecompressionBombError) as exc:
        raise EngineError(f"cannot read the reference image {path}: {exc}") from None
    problem = ""
    if min(w, h) < _MIN_IMAGE_SIDE:
        problem = f"is {w}x{h}; Kling needs at least {_MIN_IMAGE_SIDE} px on each side"
    elif max(w, h) / min(w, h) > _MAX_IMAGE_RATIO:
        problem = f"is {w}x{h}; Kling takes shapes between 1:2.5 and 2.5:1"
    elif len(data) > _MAX_IMAGE_BYTES:
        problem = f"is {len(data) / 1e6:.1f} MB; Kling takes at most 10 MB"
    if problem:
        raise EngineError(f"the reference image {path} {problem}; replace it in the cast library")
    return base64.b64encode(data).decode("ascii")


def element_list(request: RenderRequest, options: KlingOptions) -> list[ElementRef] | None:
    """The shot's subjects that are registered Kling elements, in the shot's order."""
    info = model_info(options.model_name)
    if not options.elements or info is None or not info.elements:
        return None
    by_key = {subject_key(name): element for name, element in options.elements.items()}
    ids: list[int] = []
    for name in request.shot.subjects:
        element = by_key.get(subject_key(name))
        if element is not None and element not in ids:
            ids.append(element)
    return [ElementRef(element_id=i) for i in ids[:_MAX_ELEMENTS]] or None


def base_video_frame(width: int, height: int) -> tuple[int, int] | None:
    """A take's frame scaled up to what Kling takes in a video to edit (at least 720
    px on both sides, even), or None when its shape cannot fit under 2160 px."""
    low, high = VIDEO_SIDES
    scale = max(1.0, low / min(width, height))
    w, h = (2 * math.ceil(side * scale / 2) for side in (width, height))
    return (w, h) if max(w, h) <= high else None


def encode_base_video(previous: PreviousTake, request: RenderRequest) -> str | None:
    """The previous take as Kling takes a video to edit: raw base64 of an MP4 at least
    720 px a side and 24 fps (Kling's floor), as long as the shot. None when the shot
    is outside the 3 to 10 s Kling edits, or its shape cannot be sent."""
    frame = base_video_frame(request.width, request.height)
    low, high = VIDEO_SECONDS
    if frame is None or not low <= request.seconds <= high:
        return None
    fps = min(max(request.fps, int(VIDEO_FPS[0])), int(VIDEO_FPS[1]))
    count = round(request.seconds * fps)
    settings = VideoSettings(*frame, fps, threads=1)
    with tempfile.TemporaryDirectory(prefix="storyreel-kling-") as work:
        path = Path(work) / "base.mp4"
        try:
            with VideoWriter(path, settings) as writer:
                for picture in resampled_frames(previous.path, count, settings, crop=True):
                    writer.write(picture)
        except (OSError, av.error.FFmpegError, ValueError) as exc:
            raise EngineError(
                f"shot {request.shot.id}: cannot read its previous take {previous.path} "
                f"({exc}); make the film again without --from-previous"
            ) from None
        return base64.b64encode(path.read_bytes()).decode("ascii")


def edit_task(request: RenderRequest, options: KlingOptions, video: str) -> OmniVideoRequest:
    """The omni-video task that edits the shot's previous take into the shot as it is
    now: Kling's video to edit is named in the prompt as <<<video_1>>>."""
    prompt, _ = prompts_for(request)
    change = request.previous.change.strip() if request.previous is not None else ""
    asked = f"Edit <<<video_1>>>: {change}. " if change else "Edit <<<video_1>>>. "
    return OmniVideoRequest(
        model_name=options.omni_model,
        prompt=(asked + f"The shot: {prompt}")[:MAX_PROMPT],
        video_list=[VideoRef(video_url=video, refer_type="base", keep_original_sound="no")],
        mode=options.mode,
        callback_url=options.callback_url,
        external_task_id=f"storyreel-{request.shot.id}-{uuid.uuid4().hex[:12]}",
    )


def build_task(request: RenderRequest, options: KlingOptions) -> TaskRequest:
    """The Kling task for one render request (checked before any network use)."""
    if request.previous is not None:
        video = encode_base_video(request.previous, request)
        if video is not None:
            return edit_task(request, options, video)
    prompt, negative = prompts_for(request)
    duration = kling_duration(options.model_name, request.seconds)
    common: dict[str, Any] = {
        "model_name": options.model_name,
        "mode": options.mode,
        "duration": duration,
        "negative_prompt": negative or None,
        "cfg_scale": options.cfg_scale,
        "callback_url": options.callback_url,
        # Unique per account, and names the shot in Kling's own task list.
        "external_task_id": f"storyreel-{request.shot.id}-{uuid.uuid4().hex[:12]}",
    }
    info = model_info(options.model_name)
    image = reference_image(request.references)
    if image is not None and (info is None or info.image2video):
        return Image2VideoRequest(
            image=encode_image(image),
            prompt=prompt or None,
            element_list=element_list(request, options),
            **common,
        )
    if info is not None and not info.text2video:
        raise EngineError(
            f"{options.model_name} only animates images and shot {request.shot.id} has no "
            "cast reference image; add one to the cast, or pick a model that takes text "
            "(model_name=kling-v1-6)"
        )
    if not prompt:
        raise EngineError(f"shot {request.shot.id} has no prompt to send to Kling")
    return Text2VideoRequest(
        prompt=prompt,
        aspect_ratio=aspect_ratio_for(request.width, request.height),
        **common,
    )


# --- progress -------------------------------------------------------------------------


class _Progress:
    """The request's progress callback, never going backwards."""

    def __init__(self, callback: Callable[[float], None] | None) -> None:
        self._callback = callback
        self._last = 0.0

    def __call__(self, fraction: float) -> None:
        fraction = min(1.0, max(self._last, fraction))
        if self._callback is not None and fraction > self._last:
            self._callback(fraction)
        self._last = fraction

    def waiting(self, task: TaskData, waited: float) -> None:
        # Kling reports no percentage; the bar creeps towards _WAITED as time passes.
        if task.task_status == TaskStatus.succeed:
            self(_WAITED)
        else:
            self(0.02 + (_WAITED - 0.02) * waited / (waited + _HALF_WAIT))


# --- conforming the clip --------------------------------------------------------------


def conform(
    src: Path,
    out: Path,
    settings: VideoSettings,
    frames: int,
    seconds: float,
    on_progress: Callable[[float], None] | None = None,
) -> None:
    """Write `frames` frames of `src` to `out` at `settings`, cropped to fill the frame:
    the first `seconds` of the clip at its own speed, or all of it slowed to fill
    `seconds` when it is shorter."""
    try:
        with atomic_path(out) as tmp, VideoWriter(tmp, settings) as writer:
            picture = resampled_frames(src, frames, settings, stretch_to=seconds, crop=True)
            for done, frame in enumerate(picture, start=1):
                writer.write(frame)
                if on_progress is not None and (done % _PROGRESS_EVERY == 0 or done == frames):
                    on_progress(_DOWNLOADED + (1 - _DOWNLOADED) * done / frames)
    except (av.error.FFmpegError, ValueError) as exc:
        raise EngineError(f"Kling's video cannot be used ({exc}); make the shot again") from None

"""Kling's video API as pydantic models, with Kling's own field names.

Both sides use these: our client builds its request bodies from them and reads
responses through them, and a Kling-compatible server can validate what it is sent and
shape what it answers with the same classes. Nothing here does I/O.

Requests forbid unknown keys, so a misspelt field fails here rather than being silently
ignored by the service. Responses ignore unknown keys: the service adds fields over
time, and a reader should not break when it does.

What the API looks like (all under a base URL such as `https://api-singapore.klingai.com`):

    POST /v1/videos/text2video                      body: Text2VideoRequest
    GET  /v1/videos/text2video/{task_id}            -> Envelope of TaskData
    GET  /v1/videos/text2video?pageNum=1&pageSize=30 -> Envelope of a list of TaskData
    (the same three for image2video, with an Image2VideoRequest body)
    (and for omni-video, with an OmniVideoRequest body: a video to edit, `video_list`)

Every answer is an `Envelope`: `code` 0 on success, otherwise one of `KlingCode`.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

# Kling's two public hosts: the global service and the one serving mainland China.
BASE_URLS: dict[str, str] = {
    "global": "https://api-singapore.klingai.com",
    "china": "https://api-beijing.klingai.com",
}

# The kinds of video task this module describes; each is a path under /v1/videos/.
TaskKind = Literal["text2video", "image2video", "omni-video"]

# Prompts and negative prompts are capped at 2,500 characters; a multi-shot
# storyboard's per-shot prompt at 512.
MAX_PROMPT = 2500
MAX_SHOT_PROMPT = 512
# The list endpoints page through at most 500 tasks per page.
MAX_PAGE_SIZE = 500
# Kling's documented limits on an input image: JPEG or PNG, at most 10 MB, at least
# 300 px a side, between 1:2.5 and 2.5:1.
IMAGE_FORMATS = ("JPEG", "PNG")
IMAGE_MAX_BYTES = 10 * 1024 * 1024
IMAGE_MIN_SIDE = 300
IMAGE_MAX_RATIO = 2.5

AspectRatio = Literal["16:9", "9:16", "1:1"]
ASPECT_RATIOS: tuple[AspectRatio, ...] = ("16:9", "9:16", "1:1")
Mode = Literal["std", "pro"]


class KlingCode(IntEnum):
    """The `code` of every answer: 0 is success, the rest say what went wrong."""

    ok = 0
    # Authentication: the Authorization header and its token.
    auth_failed = 1000
    auth_empty = 1001
    auth_invalid = 1002
    token_not_yet_valid = 1003
    token_expired = 1004
    # The account behind the keys.
    account_abnormal = 1100
    account_in_arrears = 1101
    resource_pack_used_up = 1102
    no_permission = 1103
    # The request itself.
    bad_request = 1200
    bad_parameter = 1201
    method_not_allowed = 1202
    resource_not_found = 1203
    # Policy: content, rate and concurrency limits.
    policy_triggered = 1300
    content_safety = 1301
    rate_limited = 1302
    concurrency_limited = 1303
    ip_not_allowed = 1304
    # The service itself.
    server_error = 5000
    server_unavailable = 5001
    server_timeout = 5002


@dataclass(frozen=True)
class CodeInfo:
    """The HTTP status a code is answered with, and what it means in plain words."""

    http_status: int
    meaning: str


CODES: dict[KlingCode, CodeInfo] = {
    KlingCode.ok: CodeInfo(200, "success"),
    KlingCode.auth_failed: CodeInfo(401, "authentication failed"),
    KlingCode.auth_empty: CodeInfo(401, "the Authorization header is empty"),
    KlingCode.auth_invalid: CodeInfo(401, "the Authorization token is not valid"),
    KlingCode.token_not_yet_valid: CodeInfo(401, "the token is not valid yet (nbf)"),
    KlingCode.token_expired: CodeInfo(401, "the token has expired (exp)"),
    KlingCode.account_abnormal: CodeInfo(429, "the account is in an abnormal state"),
    KlingCode.account_in_arrears: CodeInfo(429, "the account is in arrears"),
    KlingCode.resource_pack_used_up: CodeInfo(429, "the resource pack is used up or expired"),
    KlingCode.no_permission: CodeInfo(403, "the account may not use this resource"),
    KlingCode.bad_request: CodeInfo(400, "the request is not valid"),
    KlingCode.bad_parameter: CodeInfo(400, "a parameter has a wrong value"),
    KlingCode.method_not_allowed: CodeInfo(404, "no such method"),
    KlingCode.resource_not_found: CodeInfo(404, "the requested resource does not exist"),
    KlingCode.policy_triggered: CodeInfo(400, "a platform policy was triggered"),
    KlingCode.content_safety: CodeInfo(400, "the content safety policy was triggered"),
    KlingCode.rate_limited: CodeInfo(429, "too many requests; the rate limit was hit"),
    KlingCode.concurrency_limited: CodeInfo(429, "too many tasks running at once"),
    KlingCode.ip_not_allowed: CodeInfo(429, "the client's IP address is not on the allow list"),
    KlingCode.server_error: CodeInfo(500, "internal server error"),
    KlingCode.server_unavailable: CodeInfo(503, "the service is unavailable"),
    KlingCode.server_timeout: CodeInfo(504, "the service timed out"),
}


def http_status_for(code: int) -> int:
    """The HTTP status Kling answers `code` with; unknown codes by their family."""
    try:
        return CODES[KlingCode(code)].http_status
    except ValueError:
        if code >= 5000:
            return 500
        return 400


# --- models -------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelInfo:
    """What one Kling model accepts, for checks before a request is sent."""

    name: str
    text2video: bool
    image2video: bool
    durations: tuple[str, ...]
    # The 2.x models ignore or refuse cfg_scale.
    cfg_scale: bool
    # element_list (image2video) arrived with the 3.0 models.
    elements: bool
    # multi_shot / shot_type / multi_prompt arrived with the 3.0 models too.
    multi_shot: bool


_CLASSIC = ("5", "10")
_V3 = tuple(str(s) for s in range(3, 16))

MODELS: dict[str, ModelInfo] = {
    m.name: m
    for m in (
        ModelInfo("kling-v1", True, True, _CLASSIC, True, False, False),
        ModelInfo("kling-v1-5", False, True, _CLASSIC, True, False, False),
        ModelInfo("kling-v1-6", True, True, _CLASSIC, True, False, False),
        ModelInfo("kling-v2-master", True, True, _CLASSIC, False, False, False),
        ModelInfo("kling-v2-1", False, True, _CLASSIC, False, False, False),
        ModelInfo("kling-v2-1-master", True, True, _CLASSIC, False, False, False),
        ModelInfo("kling-v2-5-turbo", True, True, _CLASSIC, False, False, False),
        ModelInfo("kling-v2-6", True, True, _CLASSIC, False, False, False),
        ModelInfo("kling-v3", True, True, _V3, True, True, True),
    )
}
# What Kling assumes when a request names no model.
DEFAULT_MODEL = "kling-v1"


def model_info(name: str) -> ModelInfo | None:
    """The known facts about model `name`, or None for a model this table predates."""
    return MODELS.get(name)


# --- requests -----------------------------------------------------------------------


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def body(self) -> dict[str, Any]:
        """The JSON body to send: unset optional fields are left out, as Kling expects."""
        return self.model_dump(mode="json", exclude_none=True)


CameraAmount = Annotated[float, Field(ge=-10, le=10)]


class CameraConfig(_Request):
    """A `simple` camera move: exactly one of these is non-zero."""

    horizontal: CameraAmount = 0
    vertical: CameraAmount = 0
    pan: CameraAmount = 0
    tilt: CameraAmount = 0
    roll: CameraAmount = 0
    zoom: CameraAmount = 0


class CameraControl(_Request):
    type: Literal["simple", "down_back", "forward_up", "right_turn_forward", "left_turn_forward"]
    config: CameraConfig | None = None

    @model_validator(mode="after")
    def _config_matches_type(self) -> CameraControl:
        if self.type == "simple":
            if self.config is None:
                raise ValueError("camera_control of type 'simple' needs a config")
            moving = [k for k, v in self.config.model_dump().items() if v]
            if len(moving) != 1:
                raise ValueError(
                    "a 'simple' camera_control.config sets exactly one of horizontal, "
                    f"vertical, pan, tilt, roll, zoom to a non-zero value; got {moving or 'none'}"
                )
        elif self.config is not None:
            raise ValueError(f"camera_control of type {self.type!r} takes no config")
        return self


class ElementRef(_Request):
    """An element registered beforehand with Kling (a character, an object), by id."""

    element_id: int


class VoiceRef(_Request):
    voice_id: str


class WatermarkInfo(_Request):
    enabled: bool


class ShotPrompt(_Request):
    """One shot of a multi-shot storyboard (`multi_prompt`)."""

    index: int = Field(ge=1)
    prompt: str = Field(min_length=1, max_length=MAX_SHOT_PROMPT)
    duration: str = Field(pattern=r"^\d+$")


class _TaskRequest(_Request):
    """Fields both text2video and image2video accept."""

    model_name: str = DEFAULT_MODEL
    negative_prompt: str | None = Field(default=None, max_length=MAX_PROMPT)
    # How closely to follow the prompt, 0..1; the 2.x models do not take it.
    cfg_scale: float | None = Field(default=None, ge=0, le=1)
    mode: Mode = "std"
    # Seconds, as a string: "5" or "10" (3..15 on the 3.0 models).
    duration: str = Field(default="5", pattern=r"^\d+$")
    camera_control: CameraControl | None = None
    sound: Literal["on", "off"] | None = None
    voice_list: list[VoiceRef] | None = Field(default=None, max_length=2)
    multi_shot: bool | None = None
    shot_type: Literal["customize", "intelligence"] | None = None
    multi_prompt: list[ShotPrompt] | None = Field(default=None, min_length=1, max_length=6)
    watermark_info: WatermarkInfo | None = None
    callback_url: str | None = None
    # A caller-chosen id, unique per account, to find the task by later.
    external_task_id: str | None = None

    @field_validator("callback_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError(f"callback_url must be an http(s) URL, got {value!r}")
        return value

    @model_validator(mode="after")
    def _multi_shot_is_complete(self) -> _TaskRequest:
        if not self.multi_shot:
            if self.shot_type is not None or self.multi_prompt is not None:
                raise ValueError("shot_type and multi_prompt need multi_shot: true")
            return self
        if self.shot_type is None:
            raise ValueError("multi_shot needs a shot_type: 'customize' or 'intelligence'")
        if self.shot_type == "customize":
            if not self.multi_prompt:
                raise ValueError("shot_type 'customize' needs multi_prompt, one entry per shot")
            total = sum(int(s.duration) for s in self.multi_prompt)
            if total != int(self.duration):
                raise ValueError(
                    f"the multi_prompt shots last {total} s in all but duration is "
                    f"{self.duration} s; they must add up"
                )
        return self


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def _check_media(value: str | None, field: str) -> str | None:
    """An image, mask or video is a URL or raw base64 (no `data:` prefix): Kling refuses
    the prefix."""
    if value is None or _is_url(value):
        return value
    if value.startswith("data:"):
        raise ValueError(f"{field}: send raw base64, without the 'data:...;base64,' prefix")
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{field} is neither an http(s) URL nor valid base64") from None
    return value


def _given_media(value: str, info: ValidationInfo) -> str:
    checked = _check_media(value, info.field_name or "file")
    assert checked is not None  # a str in, a str out
    return checked


# A required image or video field: a URL or raw base64.
MediaRef = Annotated[str, Field(min_length=1), AfterValidator(_given_media)]


class Trajectory(_Request):
    """A point of a motion-brush path, in pixels from the image's bottom-left corner."""

    x: int
    y: int


class DynamicMask(_Request):
    mask: str
    trajectories: list[Trajectory] = Field(min_length=2, max_length=77)


class Text2VideoRequest(_TaskRequest):
    prompt: str = Field(min_length=1, max_length=MAX_PROMPT)
    aspect_ratio: AspectRatio = "16:9"


class Image2VideoRequest(_TaskRequest):
    # The first frame and/or the last, each a URL or raw base64 (JPG/PNG, at least
    # 300 px a side, at most 10 MB, between 1:2.5 and 2.5:1).
    image: str | None = None
    image_tail: str | None = None
    prompt: str | None = Field(default=None, max_length=MAX_PROMPT)
    # Motion brush: an area that stays still, and areas moved along trajectories.
    static_mask: str | None = None
    dynamic_masks: list[DynamicMask] | None = Field(default=None, max_length=6)
    # Registered elements that keep a character or an object consistent (3.0 models).
    element_list: list[ElementRef] | None = Field(default=None, min_length=1, max_length=3)

    @field_validator("image", "image_tail", "static_mask")
    @classmethod
    def _image_format(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _check_media(value, info.field_name or "image")

    @model_validator(mode="after")
    def _images_and_exclusive_features(self) -> Image2VideoRequest:
        if self.image is None and self.image_tail is None:
            raise ValueError("image2video needs an image (the first frame) or an image_tail")
        # Start/end frames, the motion brush and camera control each steer the motion;
        # Kling takes only one of them per task.
        used = [
            name
            for name, on in (
                ("image_tail", self.image_tail is not None),
                ("static_mask/dynamic_masks", bool(self.static_mask or self.dynamic_masks)),
                ("camera_control", self.camera_control is not None),
            )
            if on
        ]
        if len(used) > 1:
            raise ValueError(f"{' and '.join(used)} cannot be used together; pick one")
        if self.element_list and self.voice_list:
            raise ValueError("element_list and voice_list cannot be used together")
        return self


# --- omni-video: a video to edit -----------------------------------------------------

# The Omni models (Kling O1 and the 3.0 Omni), which take `video_list`.
OMNI_MODELS = ("kling-video-o1", "kling-v3-omni")
DEFAULT_OMNI_MODEL = "kling-video-o1"
# Kling's documented limits on a reference video: MP4 or MOV, 3 to 10 s, 720 to 2160
# px on both sides, 24 to 60 fps, one video of at most 200 MB. The result is 24 fps.
VIDEO_CONTAINERS = ("mp4", "mov")
VIDEO_SECONDS = (3.0, 10.0)
VIDEO_SIDES = (720, 2160)
VIDEO_FPS = (24.0, 60.0)
VIDEO_MAX_BYTES = 200 * 1024 * 1024
VIDEO_OUT_FPS = 24
# Images and elements together, beside a reference video (7 without one).
MAX_REFERENCES_WITH_VIDEO = 4
MAX_REFERENCES = 7


class VideoRef(_Request):
    """A reference video: `base`, the video to edit, or `feature`, one to take after."""

    video_url: MediaRef
    refer_type: Literal["feature", "base"] = "base"
    keep_original_sound: Literal["yes", "no"] | None = None


class OmniImage(_Request):
    """A reference image; a first or last frame when `type` says so."""

    image_url: MediaRef
    type: Literal["first_frame", "end_frame"] | None = None


class OmniVideoRequest(_Request):
    """Kling's omni-video task; here, above all, the edit of a video (`refer_type:
    base`): the prompt says what to change, the result lasts as long as the video."""

    model_name: str = DEFAULT_OMNI_MODEL
    prompt: str = Field(min_length=1, max_length=MAX_PROMPT)
    image_list: list[OmniImage] | None = Field(default=None, max_length=MAX_REFERENCES)
    element_list: list[ElementRef] | None = Field(default=None, max_length=MAX_REFERENCES)
    video_list: list[VideoRef] | None = Field(default=None, min_length=1, max_length=1)
    mode: Mode = "pro"
    # Required unless a first frame or a video to edit sets the frame.
    aspect_ratio: AspectRatio | None = None
    # Ignored when editing a video: the result is as long as the video.
    duration: str | None = Field(default=None, pattern=r"^\d+$")
    sound: Literal["on", "off"] | None = None
    watermark_info: WatermarkInfo | None = None
    callback_url: str | None = None
    external_task_id: str | None = None

    @field_validator("callback_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError(f"callback_url must be an http(s) URL, got {value!r}")
        return value

    @property
    def base_video(self) -> VideoRef | None:
        """The video to edit, if the task edits one."""
        return next((v for v in self.video_list or () if v.refer_type == "base"), None)

    @model_validator(mode="after")
    def _documented_combinations(self) -> OmniVideoRequest:
        references = len(self.image_list or ()) + len(self.element_list or ())
        limit = MAX_REFERENCES_WITH_VIDEO if self.video_list else MAX_REFERENCES
        if references > limit:
            raise ValueError(
                f"image_list and element_list hold {references} references; at most {limit} "
                + ("beside a reference video" if self.video_list else "in all")
            )
        framed = any(i.type is not None for i in self.image_list or ())
        if self.video_list and self.sound == "on":
            raise ValueError("with a reference video, sound can only be 'off'")
        if self.base_video is not None and framed:
            raise ValueError(
                "a video to edit (refer_type 'base') cannot have first or end frames; "
                "drop the images' type"
            )
        if self.base_video is None and not framed and self.aspect_ratio is None:
            raise ValueError("aspect_ratio is needed without a first frame or a video to edit")
        return self


TaskRequest = Text2VideoRequest | Image2VideoRequest | OmniVideoRequest


# --- responses ----------------------------------------------------------------------


class _Response(BaseModel):
    model_config = ConfigDict(extra="ignore")


class TaskStatus(StrEnum):
    submitted = "submitted"
    processing = "processing"
    succeed = "succeed"
    failed = "failed"

    @property
    def finished(self) -> bool:
        return self in (TaskStatus.succeed, TaskStatus.failed)


class Video(_Response):
    id: str
    url: str
    # Seconds, as a string ("5").
    duration: str = ""
    watermark_url: str | None = None


class TaskResult(_Response):
    videos: list[Video] = []


class TaskInfo(_Response):
    external_task_id: str | None = None


class TaskData(_Response):
    """One task as the service reports it; also the body of a callback."""

    task_id: str
    task_status: TaskStatus
    task_status_msg: str = ""
    task_info: TaskInfo = TaskInfo()
    # Unix time in milliseconds.
    created_at: int = 0
    updated_at: int = 0
    final_unit_deduction: str | None = None
    task_result: TaskResult | None = None


DataT = TypeVar("DataT")


class Envelope(_Response, Generic[DataT]):
    """Every answer: `code` 0 and `data`, or an error code and a message."""

    code: int
    message: str = ""
    request_id: str = ""
    data: DataT | None = None


TaskEnvelope = Envelope[TaskData]
TaskListEnvelope = Envelope[list[TaskData]]

"""Kling-style video tasks on storyreel's own server: each one a film made in a hidden
project of its own, by the server's engine, through the studio's make manager.

    <root>/.kling/<task id>/
      project/        a storyreel project: script.txt (the prompt), cast/, .storyreel/
      video.mp4       the film cut or padded to the task's duration: what is served

The task itself (as Kling reports it) is a row in the server's store
(`storyreel.store.server`); the `task.json` files of older versions are taken over on
first start and renamed `task.json.migrated`.

A task is `submitted` until a make slot is free (at most `max_running` makes at once,
like Kling's concurrency limit), `processing` while its make runs, then `succeed` or
`failed`. Tasks survive a restart; one still queued or running when the server stopped
is queued again by the next server (`KlingTasks.resume`), and its make picks up what
the last one finished (takes are cached), after any make the dead server left running
on its project has ended.

The film's length is made exact after the make: the finished film is cut to the
requested duration, or its last frame held until it is that long. The served video
carries the film's sound (voices, ambience, foley, score) when the task asked for
`sound: "on"`, and none otherwise, as Kling's own models answer.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import functools
import hashlib
import hmac
import logging
import os
import re
import secrets
import shutil
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy.exc import IntegrityError

from storyreel.api.errors import Conflict, UnsupportedUpload, scrub_paths
from storyreel.api.kling_keys import MIGRATED, KeyStore
from storyreel.api.makes import MakeManager
from storyreel.api.outbound import AllowList, URLRefused, check_url, outbound_client
from storyreel.api.schemas.makes import FINISHED, MakeCreate
from storyreel.api.services import StudioProject, write_script
from storyreel.api.settings import model_from_env
from storyreel.api.uploads import check_image, decode_slot, shrink_image
from storyreel.errors import StoryreelError
from storyreel.files import atomic_path
from storyreel.kling.schemas import (
    IMAGE_FORMATS,
    IMAGE_MAX_RATIO,
    IMAGE_MIN_SIDE,
    OMNI_MODELS,
    VIDEO_FPS,
    VIDEO_MAX_BYTES,
    VIDEO_SECONDS,
    VIDEO_SIDES,
    AspectRatio,
    Image2VideoRequest,
    KlingCode,
    OmniVideoRequest,
    TaskData,
    TaskInfo,
    TaskKind,
    TaskResult,
    TaskStatus,
    Text2VideoRequest,
    Video,
    model_info,
)
from storyreel.run.lock import ProjectLocked
from storyreel.store.records import KlingTaskRecord
from storyreel.store.server import ServerStore, open_server_store

log = logging.getLogger(__name__)

TASKS_DIR = ".kling"
# Where older versions kept each task; taken over into the store on first start.
TASK_FILE = "task.json"
VIDEO_FILE = "video.mp4"
PROJECT_DIR = "project"
# Frame sizes by aspect ratio at scale 1: what Kling's 720p models make.
BASE_SIZES: dict[AspectRatio, tuple[int, int]] = {
    "16:9": (1280, 720),
    "9:16": (720, 1280),
    "1:1": (720, 720),
}
# The make manager's smallest frame.
MIN_SIDE = 64
# The name an image2video subject gets when the prompt names no character.
DEFAULT_SUBJECT = "SUBJECT"
_TASK_ID = re.compile(r"^[0-9a-f]{32}$")
_DATA_URL = re.compile(r"^data:(image|video)/[A-Za-z0-9.+-]+;base64,", re.IGNORECASE)
# The video an omni-video task edits, kept in its project as the record that it came.
BASE_VIDEO = "base-video.mp4"
_ENV = "STORYREEL_KLING_"
# How often a task waits to find its project free again, in seconds.
RETRY_LOCKED = 1.0


class KlingApiError(StoryreelError):
    """A request the Kling endpoints refuse, with the Kling code to answer it with."""

    def __init__(self, code: KlingCode, message: str) -> None:
        super().__init__(message)
        self.code = code


# --- configuration ----------------------------------------------------------------------


class KlingConfig(BaseModel):
    """How the Kling endpoints make their films; `STORYREEL_KLING_<FIELD>` variables."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Frame size = the aspect ratio's 720p size times this (0.125 gives 160x90 for
    # 16:9): small films for tests and slow machines.
    scale: float = Field(default=1.0, gt=0, le=3)
    # Kling's videos run at 24 frames a second.
    fps: int = Field(default=24, ge=1, le=60)
    # Makes at once; later tasks wait as `submitted`. Each make is a process of its own.
    max_running: int = Field(default=2, ge=1, le=64)
    # How long a video link stays valid, in seconds; every query hands out a fresh one.
    link_lifetime: int = Field(default=24 * 3600, ge=10)
    # A callback receiver gets this long to answer before it is given up on.
    callback_timeout: float = Field(default=5.0, gt=0, le=60)
    # The engine that makes the films; None: the server's default (STORYREEL_ENGINE).
    engine: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> KlingConfig:
        return model_from_env(cls, _ENV, environ)


def frame_size(aspect: AspectRatio, scale: float) -> tuple[int, int]:
    """The film's width and height: even (encoders need it) and at least 64 px."""
    width, height = BASE_SIZES[aspect]

    def side(value: int) -> int:
        return max(MIN_SIDE, 2 * round(value * scale / 2))

    return side(width), side(height)


# --- requests as this server reads them -------------------------------------------------


def _inline_image(value: Any) -> Any:
    """A `data:` URL becomes raw base64; an http(s) URL is refused, since this server
    fetches nothing from the internet."""
    if not isinstance(value, str):
        return value
    if value.startswith(("http://", "https://")):
        raise ValueError(
            "this server does not download images or videos from URLs; send the file "
            "itself, as base64 or a data: URL"
        )
    return _DATA_URL.sub("", value, count=1)


class Image2VideoBody(Image2VideoRequest):
    """Kling's image2video request, with images inline only."""

    @field_validator("image", "image_tail", "static_mask", mode="before")
    @classmethod
    def _inline(cls, value: Any) -> Any:
        return _inline_image(value)


class OmniVideoBody(OmniVideoRequest):
    """Kling's omni-video request, with images and videos inline only."""

    @field_validator("video_list", "image_list", mode="before")
    @classmethod
    def _inline(cls, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        out = []
        for item in value:
            if isinstance(item, dict):
                name = "video_url" if "video_url" in item else "image_url"
                item = {**item, name: _inline_image(item.get(name))}
            out.append(item)
        return out


TaskBody = Text2VideoRequest | Image2VideoBody | OmniVideoBody


def check_model(kind: TaskKind, body: TaskBody) -> int:
    """The task's duration in seconds, once its model is known to take this kind of
    task and this duration (an edit's is its video's, checked with the video)."""
    if isinstance(body, OmniVideoBody):
        if body.model_name not in OMNI_MODELS:
            raise KlingApiError(
                KlingCode.bad_parameter,
                f"model_name {body.model_name!r} is not an Omni model; use "
                + " or ".join(OMNI_MODELS),
            )
        low, high = (int(v) for v in VIDEO_SECONDS)
        seconds = int(body.duration or "5")
        if body.base_video is None and not low <= seconds <= high:
            raise KlingApiError(
                KlingCode.bad_parameter, f"duration {seconds} is not between {low} and {high}"
            )
        return seconds
    assert not isinstance(body, OmniVideoBody)
    info = model_info(body.model_name)
    if info is None:
        raise KlingApiError(
            KlingCode.bad_parameter,
            f"model_name {body.model_name!r} is not a Kling model this server knows "
            "(try kling-v1-6)",
        )
    if not getattr(info, kind):
        raise KlingApiError(
            KlingCode.bad_parameter, f"{body.model_name} does not take {kind} tasks"
        )
    if body.duration not in info.durations:
        raise KlingApiError(
            KlingCode.bad_parameter,
            f"duration {body.duration!r} is not one {body.model_name} makes; use one of "
            f"{', '.join(info.durations)}",
        )
    return int(body.duration)


def decode_file(text: str, limit: int, what: str = "image") -> bytes:
    """The bytes of an inline (base64) image or video, at most `limit` of them."""
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise KlingApiError(KlingCode.bad_parameter, f"{what} is not valid base64") from None
    if len(data) > limit:
        raise KlingApiError(
            KlingCode.bad_parameter,
            f"{what} is {len(data) / 1e6:.1f} MB; send at most {limit / 1e6:.0f} MB",
        )
    return data


def check_kling_video(path: Path) -> tuple[int, int, float]:
    """The video's width, height and length in seconds, once it is within Kling's
    documented limits on a reference video (MP4 or MOV, 3 to 10 s, 720 to 2160 px on
    both sides, 24 to 60 fps), so a video Kling would refuse is refused here too."""
    import av

    try:
        with av.open(str(path)) as container:
            family = set(container.format.name.split(","))
            stream = container.streams.video[0]
            width, height = stream.codec_context.width, stream.codec_context.height
            rate = float(stream.average_rate or 0)
            frames = stream.frames or sum(1 for _ in container.demux(stream) if _.size)
    except (av.FFmpegError, IndexError, ValueError):
        raise KlingApiError(
            KlingCode.bad_parameter, "video_url is not a video this server can read"
        ) from None
    seconds = frames / rate if rate else 0.0
    problem = ""
    if not family & {"mp4", "mov"}:
        problem = f"is {container.format.name}; Kling takes MP4 or MOV"
    elif not VIDEO_SECONDS[0] <= round(seconds, 2) <= VIDEO_SECONDS[1]:
        problem = f"lasts {seconds:.2f} s; Kling takes 3 to 10 s"
    elif not all(VIDEO_SIDES[0] <= side <= VIDEO_SIDES[1] for side in (width, height)):
        problem = f"is {width}x{height}; Kling takes 720 to 2160 px on both sides"
    elif not VIDEO_FPS[0] <= rate <= VIDEO_FPS[1]:
        problem = f"plays at {rate:g} fps; Kling takes 24 to 60 fps"
    if problem:
        raise KlingApiError(KlingCode.bad_parameter, f"the video {problem}")
    return width, height, seconds


def check_kling_image(path: Path) -> tuple[int, int]:
    """The image's size, once it is within Kling's documented limits (format, side,
    shape), so a request Kling would refuse is refused here too."""
    from PIL import Image

    with Image.open(path) as opened:
        kind, (width, height) = opened.format, opened.size
    problem = ""
    if kind not in IMAGE_FORMATS:
        problem = f"is {kind}; Kling takes JPEG or PNG"
    elif min(width, height) < IMAGE_MIN_SIDE:
        problem = f"is {width}x{height}; Kling needs at least {IMAGE_MIN_SIDE} px a side"
    elif max(width, height) / min(width, height) > IMAGE_MAX_RATIO:
        problem = f"is {width}x{height}; Kling takes shapes between 1:2.5 and 2.5:1"
    if problem:
        raise KlingApiError(KlingCode.bad_parameter, f"the image {problem}")
    return width, height


def aspect_of(width: int, height: int) -> AspectRatio:
    """The aspect ratio of the three Kling makes nearest to an image's shape."""
    if width > height * 1.2:
        return "16:9"
    if height > width * 1.2:
        return "9:16"
    return "1:1"


# --- signed links -----------------------------------------------------------------------


def link_signature(secret: bytes, task_id: str, expires: int) -> str:
    message = f"{task_id}.{expires}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def link_valid(secret: bytes, task_id: str, expires: int, signature: str, now: float) -> bool:
    if now >= expires:
        return False
    # Compared as bytes: compare_digest refuses a str with non-ASCII characters (a
    # TypeError, not a mismatch), and a link's signature is whatever the client sent.
    given = signature.encode("utf-8", "surrogateescape")
    return hmac.compare_digest(link_signature(secret, task_id, expires).encode(), given)


# --- the record of one task -------------------------------------------------------------


def now_ms() -> int:
    return int(time.time() * 1000)


class TaskRecord(KlingTaskRecord):
    """A task as the store keeps it, with Kling's names for its kind and status."""

    # Lenient about fields it does not know: the task files of older versions are read
    # with it.
    model_config = ConfigDict(extra="ignore", frozen=True, from_attributes=True)

    kind: TaskKind
    status: TaskStatus = TaskStatus.submitted


@dataclass(frozen=True)
class TaskPaths:
    folder: Path

    @property
    def project(self) -> Path:
        return self.folder / PROJECT_DIR

    @property
    def video(self) -> Path:
        return self.folder / VIDEO_FILE


UNFINISHED = tuple(status.value for status in TaskStatus if not status.finished)


class TaskRegistry:
    """Every task of the server: rows in its store, files under `<root>/.kling`."""

    def __init__(self, root: Path, store: ServerStore) -> None:
        self.folder = Path(root) / TASKS_DIR
        self.folder.mkdir(parents=True, exist_ok=True)
        self.store = store
        # Serializes the external-id check with the insert within this process (the
        # database's unique constraint covers other processes).
        self._lock = threading.Lock()
        migrate_task_files(store, self.folder)

    def paths(self, task_id: str) -> TaskPaths:
        return TaskPaths(self.folder / task_id)

    def add(self, record: TaskRecord, staged: Path) -> None:
        """List the task and move its staged folder into place, in one transaction: a
        crash before the commit leaves at most a folder that no task names."""
        with self._lock:
            if record.external_task_id is not None:
                self._check_external(record)
            try:
                self.store.add_kling_task(
                    record, lambda: os.rename(staged, self.paths(record.task_id).folder)
                )
            except IntegrityError:
                # Another process took the external id between the check and the insert.
                self._check_external(record)
                raise

    def _check_external(self, record: TaskRecord) -> None:
        assert record.external_task_id is not None
        other = self.store.find_kling_task(record.access_key, record.external_task_id)
        if other is not None and other.external_task_id == record.external_task_id:
            raise KlingApiError(
                KlingCode.bad_parameter,
                f"external_task_id {record.external_task_id!r} is already used by task "
                f"{other.task_id}; pick one that is unique to your key",
            )

    def update(self, task_id: str, **changes: Any) -> TaskRecord:
        if changes.get("status_msg"):  # a failed make's message: no server paths in it
            changes["status_msg"] = scrub_paths(changes["status_msg"], self.folder.parent)
        record = self.store.update_kling_task(task_id, {**changes, "updated_at": now_ms()})
        return TaskRecord.model_validate(record, from_attributes=True)

    def find(self, access_key: str, kind: TaskKind, ident: str) -> TaskRecord:
        """A task of this key by its task_id or its external_task_id."""
        record = self.store.find_kling_task(access_key, ident, kind)
        if record is None:
            raise KlingApiError(
                KlingCode.resource_not_found,
                f"no {kind} task {ident!r} (by task_id or external_task_id) for this key",
            )
        return TaskRecord.model_validate(record, from_attributes=True)

    def page(self, access_key: str, kind: TaskKind, number: int, size: int) -> list[TaskRecord]:
        found = self.store.kling_tasks(access_key, kind, (number - 1) * size, size)
        return [TaskRecord.model_validate(r, from_attributes=True) for r in found]


def migrate_task_files(store: ServerStore, folder: Path) -> int:
    """Take over the `task.json` files of older versions: every readable one goes into
    the store in one transaction, then each is renamed `task.json.migrated`. Safe to
    run again after a crash between the two (tasks already there are kept as they
    are). How many files were taken over."""
    found: list[tuple[Path, TaskRecord]] = []
    for task_folder in sorted(folder.iterdir()):
        file = task_folder / TASK_FILE
        if not _TASK_ID.fullmatch(task_folder.name) or not file.is_file():
            continue  # a task half created when the server stopped, or a stranger
        try:
            found.append((file, TaskRecord.model_validate_json(file.read_bytes())))
        except (OSError, ValidationError):
            log.warning("kling task %s has an unreadable %s; skipped", task_folder, TASK_FILE)
    if not found:
        return 0
    store.import_kling_tasks(record for _, record in found)
    for file, _ in found:
        os.replace(file, file.with_name(file.name + MIGRATED))
    log.info("took %d kling tasks over from %s into the server's store", len(found), folder)
    return len(found)


# --- making a task's film ---------------------------------------------------------------


def conform_film(film: Path, out: Path, seconds: int, fps: int, *, sound: bool = False) -> None:
    """`film`'s picture, exactly `seconds` long: cut there, or its last frame held; with
    `sound`, the film's sound too, faded out where it is cut or silent where it is held."""
    import av

    from storyreel.cut.audio import with_sound
    from storyreel.media.encode import VideoSettings, VideoWriter
    from storyreel.media.resample import resampled_frames

    with av.open(str(film)) as source:
        context = source.streams.video[0].codec_context
        settings = VideoSettings(width=context.width, height=context.height, fps=fps)
    frames = resampled_frames(film, seconds * fps, settings)
    picture = out.with_name(f".{out.name}.picture.mp4") if sound else out
    try:
        with atomic_path(picture) as tmp, VideoWriter(tmp, settings, faststart=True) as writer:
            for frame in frames:
                writer.write(frame)
    except ValueError:
        raise StoryreelError(f"the film {film} has no frame to show") from None
    if not sound:
        return
    try:
        with_sound(picture, fitted_sound(film, seconds), out)
    finally:
        picture.unlink(missing_ok=True)


# A cut film's sound fades out over its last moments rather than stopping mid-word.
_CUT_FADE_S = 0.3


def fitted_sound(film: Path, seconds: int) -> Any:
    """The film's sound, mono at the film rate, exactly `seconds` long."""
    import numpy as np

    from storyreel.cut.sound import load_bed
    from storyreel.errors import SoundError
    from storyreel.timeline import FILM_RATE

    length = seconds * FILM_RATE
    try:
        track = load_bed(film)
    except SoundError:  # a film without a sound stream, or a silent one
        return np.zeros(length, np.float32)
    if len(track) > length:
        track = track[:length].copy()
        fade = min(length, round(_CUT_FADE_S * FILM_RATE))
        track[length - fade :] *= np.linspace(1.0, 0.0, fade, dtype=np.float32)
    return np.pad(track, (0, length - len(track)))


def story_for(body: TaskBody) -> str:
    return (body.prompt or "").strip()


def image_story(prompt: str) -> tuple[str, str]:
    """The story of an image2video task and the subject the image belongs to: the
    prompt's first character, or one introduced for the image when it names none."""
    from storyreel.script import parse_story

    if prompt:
        with contextlib.suppress(StoryreelError):
            characters = list(parse_story(prompt).characters)
            if characters:
                return prompt, characters[0]
    opening = f"{DEFAULT_SUBJECT} (as in the reference image) is there."
    return f"{opening} {prompt}".strip(), DEFAULT_SUBJECT


class KlingTasks:
    """Creates tasks, runs their makes, serves their state and sends their callbacks."""

    def __init__(
        self,
        root: Path,
        makes: MakeManager,
        engine: str,
        config: KlingConfig,
        max_image_bytes: int,
        allow: AllowList | None = None,
    ) -> None:
        self.allow = allow or AllowList()
        self.store = open_server_store(root)
        self.registry = TaskRegistry(root, self.store)
        self.keys = KeyStore(self.store, root)
        self.makes = makes
        self.engine = config.engine or engine
        self.config = config
        self.max_image_bytes = max_image_bytes
        self._slots: asyncio.Semaphore | None = None
        # Background work is referenced here: the loop only keeps weak references.
        self._running: set[asyncio.Task[None]] = set()
        self._callbacks: dict[str, asyncio.Task[None]] = {}

    # --- creating ---------------------------------------------------------------------

    async def check_callback(self, url: str) -> None:
        """Refuse a callback URL whose host is not public (see storyreel.api.outbound)."""
        try:
            await check_url(url, self.allow)
        except URLRefused as error:
            raise KlingApiError(KlingCode.bad_parameter, f"callback_url: {error}") from None

    def prepare(self, kind: TaskKind, body: TaskBody, access_key: str, base_url: str) -> TaskRecord:
        """Check the request, write the task's hidden project and list the task. Blocking
        (an image is decoded): run it off the event loop."""
        seconds = check_model(kind, body)
        task_id = secrets.token_hex(16)
        staged = self.registry.folder / f".new-{task_id}"
        staged.mkdir()
        try:
            project = StudioProject(f"kling-{task_id}", staged / PROJECT_DIR)
            project.folder.mkdir()
            if isinstance(body, Image2VideoBody):
                width, height = self._image_project(project, body)
            elif isinstance(body, OmniVideoBody) and body.base_video is not None:
                width, height, seconds = self._edit_project(project, body)
            elif isinstance(body, OmniVideoBody):
                write_script(project, story_for(body))
                width, height = frame_size(body.aspect_ratio or "16:9", self.config.scale)
            else:
                write_script(project, story_for(body))
                width, height = frame_size(body.aspect_ratio, self.config.scale)
            stamp = now_ms()
            record = TaskRecord(
                task_id=task_id,
                kind=kind,
                access_key=access_key,
                external_task_id=body.external_task_id,
                created_at=stamp,
                updated_at=stamp,
                seconds=seconds,
                width=width,
                height=height,
                fps=self.config.fps,
                callback_url=body.callback_url,
                base_url=base_url.rstrip("/"),
                # Kling's default: a film without sound unless asked for.
                sound=body.sound == "on",
            )
            self.registry.add(record, staged)
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
        return record

    def _edit_project(self, project: StudioProject, body: OmniVideoBody) -> tuple[int, int, int]:
        """The story from the prompt, and the video to edit checked and kept beside it
        (the previs film does not draw from it); the film has the video's shape and,
        as Kling's edit does, its length."""
        base = body.base_video
        assert base is not None
        video = project.folder / BASE_VIDEO
        video.write_bytes(decode_file(base.video_url, VIDEO_MAX_BYTES, "video_url"))
        with decode_slot:
            width, height, seconds = check_kling_video(video)
        write_script(project, story_for(body))
        low, high = (int(v) for v in VIDEO_SECONDS)
        film = frame_size(aspect_of(width, height), self.config.scale)
        return (*film, max(low, min(high, round(seconds))))

    def _image_project(self, project: StudioProject, body: Image2VideoBody) -> tuple[int, int]:
        """The story, and the image as the cast reference of its subject; the film keeps
        the image's shape, as Kling's does."""
        from storyreel.cast import Cast

        image = body.image if body.image is not None else body.image_tail
        assert image is not None  # the request model requires one of them
        upload = project.folder / f".upload-{secrets.token_hex(4)}.img"
        upload.write_bytes(decode_file(image, self.max_image_bytes))
        try:
            # One decode at a time across the server, as for the studio's uploads.
            with decode_slot:
                try:
                    check_image(upload)
                except UnsupportedUpload as error:
                    raise KlingApiError(KlingCode.bad_parameter, str(error)) from None
                aspect = aspect_of(*check_kling_image(upload))
                shrink_image(upload)
                story, subject = image_story(story_for(body))
                write_script(project, story)
                Cast(project.project.cast_dir).add(subject, images=[upload], origin="user")
        finally:
            upload.unlink(missing_ok=True)
        return frame_size(aspect, self.config.scale)

    def resume(self) -> None:
        """Queue again the tasks a stopped server left unfinished; call on the event
        loop. A task whose project (or its script) is gone cannot be made again and is
        failed."""
        for stored in self.store.kling_tasks_in(UNFINISHED):
            record = TaskRecord.model_validate(stored, from_attributes=True)
            folder = self.registry.paths(record.task_id).project
            if StudioProject(f"kling-{record.task_id}", folder).script_path is None:
                self.registry.update(
                    record.task_id,
                    status=TaskStatus.failed,
                    status_msg="the server stopped before the task finished; submit it again",
                )
                continue
            log.info("kling task %s queued again after a restart", record.task_id)
            self.start(self.registry.update(record.task_id, status=TaskStatus.submitted))

    def start(self, record: TaskRecord) -> None:
        """Run the task's make in the background; call on the event loop."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.config.max_running)
        task = asyncio.get_running_loop().create_task(self._run(record.task_id))
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    # --- running ----------------------------------------------------------------------

    async def _run(self, task_id: str) -> None:
        record = self.registry.update(task_id)
        self._notify(record)
        assert self._slots is not None
        try:
            async with self._slots:
                error = await self._make(record)
            if error is None:
                paths = self.registry.paths(task_id)
                await asyncio.to_thread(
                    functools.partial(
                        conform_film,
                        paths.project / "film.mp4",
                        paths.video,
                        record.seconds,
                        record.fps,
                        sound=record.sound,
                    )
                )
                record = self.registry.update(task_id, status=TaskStatus.succeed, status_msg="")
            else:
                record = self.registry.update(task_id, status=TaskStatus.failed, status_msg=error)
        except StoryreelError as problem:
            record = self.registry.update(
                task_id, status=TaskStatus.failed, status_msg=str(problem)
            )
        except Exception as problem:  # a bug: the task still ends, and says so
            log.exception("kling task %s failed unexpectedly", task_id)
            message = f"the server failed unexpectedly ({type(problem).__name__}: {problem})"
            record = self.registry.update(task_id, status=TaskStatus.failed, status_msg=message)
        self._notify(record)

    async def _make(self, record: TaskRecord) -> str | None:
        """Make the task's film; None when it succeeded, else why it did not."""
        paths = self.registry.paths(record.task_id)
        project = StudioProject(f"kling-{record.task_id}", paths.project)
        request = MakeCreate(
            width=record.width, height=record.height, fps=record.fps, sound=record.sound
        )
        while True:
            try:
                make = self.makes.start(project, request, self.engine)
                break
            except (Conflict, ProjectLocked) as busy:
                # A make of this task that a stopped server left running: it holds the
                # project until it ends, and what it finishes this one reuses.
                if isinstance(busy, Conflict) and self.makes.running(project.id) is None:
                    raise
                await asyncio.sleep(RETRY_LOCKED)
        processing = self.registry.update(record.task_id, status=TaskStatus.processing)
        self._notify(processing)
        events = self.makes.subscribe(make)
        try:
            while not make.finished:
                name, data = await events.get()
                if name == "status" and data.get("status") in FINISHED:
                    break
        finally:
            self.makes.unsubscribe(make, events)
        if make.status == "succeeded":
            return None
        return make.error or f"the make ended {make.status}"

    # --- reporting --------------------------------------------------------------------

    def video_url(self, record: TaskRecord, base_url: str) -> str:
        expires = int(time.time()) + self.config.link_lifetime
        signature = link_signature(self.keys.url_secret(), record.task_id, expires)
        return (
            f"{base_url.rstrip('/')}/v1/media/videos/{record.task_id}.mp4"
            f"?expires={expires}&signature={signature}"
        )

    def data(self, record: TaskRecord, base_url: str | None = None) -> TaskData:
        result = None
        if record.status == TaskStatus.succeed:
            video = Video(
                id=f"v{record.task_id}",
                url=self.video_url(record, base_url or record.base_url),
                duration=str(record.seconds),
            )
            result = TaskResult(videos=[video])
        return TaskData(
            task_id=record.task_id,
            task_status=record.status,
            task_status_msg=record.status_msg,
            task_info=TaskInfo(external_task_id=record.external_task_id),
            created_at=record.created_at,
            updated_at=record.updated_at,
            task_result=result,
        )

    def video_path(self, task_id: str, expires: int, signature: str) -> Path:
        """The task's video, if the link is genuine and has not expired."""
        if not _TASK_ID.fullmatch(task_id) or not link_valid(
            self.keys.url_secret(), task_id, expires, signature, time.time()
        ):
            raise LinkRefused(
                "this video link is not valid or has expired; query the task again for a fresh one"
            )
        return self.registry.paths(task_id).video

    def _notify(self, record: TaskRecord) -> None:
        """POST the task data to its callback URL in the background. Sends of one task
        go out in order; a receiver that fails or is slow costs the task nothing."""
        if not record.callback_url:
            return
        payload = self.data(record).model_dump(mode="json")
        previous = self._callbacks.get(record.task_id)
        send = asyncio.get_running_loop().create_task(
            self._send(record.callback_url, payload, previous)
        )
        self._callbacks[record.task_id] = send
        self._running.add(send)

        def done(finished: asyncio.Task[None]) -> None:
            self._running.discard(finished)
            if self._callbacks.get(record.task_id) is finished:
                del self._callbacks[record.task_id]

        send.add_done_callback(done)

    async def _send(
        self, url: str, payload: dict[str, Any], previous: asyncio.Task[None] | None
    ) -> None:
        if previous is not None:
            with contextlib.suppress(BaseException):
                await previous
        try:
            # Checked again here, connection by connection: DNS may answer differently
            # now than at submission, and a receiver may redirect.
            async with outbound_client(self.allow, self.config.callback_timeout) as client:
                await client.post(url, json=payload)
        except httpx.HTTPError as error:
            log.warning("callback to %s failed: %s", url, error)


class LinkRefused(StoryreelError):
    """A video link with a wrong signature, or one past its expiry."""

"""A take decoded once for every check: its luma at a working size, small grey frames,
their times and a few full-size stills.

Every check reads what one decode left here, and the decode is kept for the next check
of the same file. Nothing is converted that a check does not need: the decoder's own
luma (Y) plane is kept, subsampled to at most `LUMA_WIDTH` pixels wide (an array
slice, no scaler), for the lip-sync check's mouth and the temporal check's fine
differences; the grey frames about 160 pixels wide that show a freeze, a black frame,
a flash or the flow of a pan are an area-average of it. Only the stills the face
checks need are converted to RGB. bench/qa.py measured FFmpeg's scaler to grey at
160 pixels at 0.23 s with the decode of a 5 s 720p take, the slice and OpenCV's
area resize at 0.17 s, with the luma kept besides.

The face checks may need frames between the stills (to place where a face changed
to within a frame): `decoded` decodes just those, from the keyframe before them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np
from numpy.typing import NDArray

# The analysis width: enough for a 1-pixel step of a slow pan to show.
WIDTH = 160
# The luma kept for every frame is subsampled to at most this width: a mouth or a
# freeze's exact repeat still shows, and a 1080p take stays at 230 kB a frame.
LUMA_WIDTH = 640
# Full-size stills kept for the face checks, spread evenly through the take.
STILLS = 8


class UnreadableTake(Exception):
    """The take's file cannot be decoded (each check reports it as a failure)."""


@dataclass(frozen=True)
class TakeFrames:
    gray: NDArray[np.uint8]  # (frames, height, width): every frame, small, grey 0..255
    times: NDArray[np.float64]  # each frame's presentation time, seconds
    fps: float
    size: tuple[int, int]  # the take's own width and height
    stills: dict[int, NDArray[np.uint8]]  # frame index -> full-size RGB
    # (frames, h, w): the decoder's luma plane, every `luma_step`-th pixel each way.
    luma: NDArray[np.uint8] = field(default_factory=lambda: np.zeros((0, 0, 0), np.uint8))
    luma_step: int = 1
    path: str = ""
    # What the face checks found on a frame, kept for the next face check of the take
    # (identity and lip sync look at the same faces): frame index -> anything.
    found: dict[Any, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def count(self) -> int:
        return int(self.gray.shape[0])

    def differences(self) -> NDArray[np.float64]:
        """Mean absolute change from each frame to the next, 0..255 (frames - 1 values)."""
        return _differences(self)

    def changed_area(self, level: int = 6) -> NDArray[np.float64]:
        """The share of pixels that change by more than `level` grey levels from each
        frame to the next (frames - 1 values): a pan changes most of the frame, a
        talking mouth a few hundredths of it."""
        if self.count < 2:
            return np.zeros(0, dtype=np.float64)
        gray = self.gray.astype(np.int16)
        return np.asarray(
            (np.abs(np.diff(gray, axis=0)) > level).mean(axis=(1, 2)), dtype=np.float64
        )

    def brightness(self) -> NDArray[np.float64]:
        """Each frame's mean grey level, 0..255."""
        return np.asarray(self.gray.mean(axis=(1, 2)), dtype=np.float64)

    def index_of(self, time: float) -> int:
        """The frame index of a presentation time."""
        start = float(self.times[0]) if self.times.size else 0.0
        return round((time - start) * self.fps)


def read_take(path: Path, stills: int = STILLS) -> TakeFrames:
    """The take at `path`, decoded once per file version (cached by size and mtime),
    with `stills` full-size frames spread through it."""
    try:
        stat = Path(path).stat()
    except OSError as error:
        raise UnreadableTake(f"{path}: {error.strerror or error}") from None
    return _read(str(path), stat.st_size, stat.st_mtime_ns, stills)


# Two takes: the one being judged and, at most, the one before it (its stills are
# full-size frames: 22 MB at 720p).
@lru_cache(maxsize=2)
def _read(path: str, _size: int, _mtime: int, still_count: int) -> TakeFrames:
    try:
        with av.open(path) as container:
            if not container.streams.video:
                raise UnreadableTake(f"{path}: the file has no picture")
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            total = stream.frames or 0
            width, height = stream.width, stream.height
            step = max(1, -(-width // LUMA_WIDTH))
            wanted = _still_indices(total, still_count) if total else set()
            luma: list[NDArray[np.uint8]] = []
            times: list[float] = []
            stills: dict[int, NDArray[np.uint8]] = {}
            rate = float(stream.average_rate or 0) or 24.0
            full_range = False
            for index, frame in enumerate(container.decode(stream)):
                luma.append(_luma(frame, step))
                full_range = _full_range(frame)
                times.append(float(frame.time) if frame.time is not None else index / rate)
                if index in wanted:
                    stills[index] = rgb(frame)
    except (av.FFmpegError, OSError) as error:
        raise UnreadableTake(f"{path}: not a video ({error})") from None
    if not luma:
        raise UnreadableTake(f"{path}: the video has no frames")
    lumas = np.stack(luma)
    return TakeFrames(
        gray=_small(lumas, width, height, full_range),
        times=np.asarray(times, dtype=np.float64),
        fps=rate,
        size=(width, height),
        stills=stills,
        luma=lumas,
        luma_step=step,
        path=path,
    )


def _luma(frame: av.VideoFrame, step: int) -> NDArray[np.uint8]:
    """The frame's luma plane, every `step`-th pixel, as a copy (the decoder reuses its
    buffers)."""
    if frame.format.name not in _PLANAR_YUV:
        gray = frame.to_ndarray(format="gray")
        return np.ascontiguousarray(gray[::step, ::step])
    plane = frame.planes[0]
    rows = np.frombuffer(memoryview(plane), np.uint8).reshape(-1, plane.line_size)
    return np.ascontiguousarray(rows[: frame.height : step, : frame.width : step])


# 8-bit planar YUV layouts whose first plane is the luma, as encoders write them.
_PLANAR_YUV = frozenset(
    {"yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p", "nv12", "nv21"}
)
# Video luma spans 16..235 ("limited" range): stretched to 0..255 as a picture shows it,
# so a black frame is 0 and a white one 255, whatever the file's range.
_LIMITED = np.clip((np.arange(256) - 16) * 255.0 / 219.0, 0, 255).round().astype(np.uint8)


def _full_range(frame: av.VideoFrame) -> bool:
    return (
        frame.format.name.startswith("yuvj")
        or frame.color_range == 2
        or (frame.format.name not in _PLANAR_YUV)
    )


def _small(luma: NDArray[np.uint8], width: int, height: int, full_range: bool) -> NDArray[np.uint8]:
    """Every frame about `WIDTH` pixels wide, area-averaged, in 0..255 grey levels."""
    small_w = min(WIDTH, width)
    small_h = max(2, round(height * small_w / width))
    small = np.stack(
        [cv2.resize(y, (small_w, small_h), interpolation=cv2.INTER_AREA) for y in luma]
    )
    return small if full_range else _LIMITED[small]


def decoded(frames: TakeFrames, indices: Iterable[int]) -> dict[int, av.VideoFrame]:
    """The decoded frames at `indices`, not yet converted (a check converts the few it
    looks at): one decode from the keyframe before the first one asked for."""
    wanted = {i for i in indices if 0 <= i < frames.count}
    out: dict[int, av.VideoFrame] = {}
    if not wanted:
        return out
    first, last = min(wanted), max(wanted)
    with av.open(frames.path) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        base = stream.time_base
        if base is not None and frames.times.size:
            target = float(frames.times[first]) - 0.5 / frames.fps
            container.seek(max(0, int(target / base)), stream=stream, backward=True)
        for frame in container.decode(stream):
            if frame.time is None:
                continue
            index = frames.index_of(float(frame.time))
            if index in wanted:
                out[index] = frame
            if index >= last:
                break
    return out


def rgb(frame: av.VideoFrame) -> NDArray[np.uint8]:
    return np.asarray(frame.to_ndarray(format="rgb24"), dtype=np.uint8)


def _still_indices(total: int, count: int) -> set[int]:
    if count <= 0:
        return set()
    return set(np.linspace(0, total - 1, min(count, total)).round().astype(int).tolist())


def _differences(frames: TakeFrames) -> NDArray[np.float64]:
    if frames.count < 2:
        return np.zeros(0, dtype=np.float64)
    gray = frames.gray.astype(np.int16)
    return np.asarray(np.abs(np.diff(gray, axis=0)).mean(axis=(1, 2)), dtype=np.float64)

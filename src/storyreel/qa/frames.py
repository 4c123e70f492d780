"""A take decoded once for every check: small grey frames, their times, a few stills.

The checks that look at the whole take (temporal defects, flicker, motion) need every
frame but not every pixel: a grey picture about 160 pixels wide shows a freeze, a
black frame, a flash or the flow of a pan as well as the full frame does, at a
fraction of the cost. The checks that look at faces (identity) need a few frames at
full size. One decode gives both, and it is kept for the next check of the same file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray

# The analysis width: enough for a 1-pixel step of a slow pan to show.
WIDTH = 160
# Full-size stills kept for the face checks, spread evenly through the take.
STILLS = 8


class UnreadableTake(Exception):
    """The take's file cannot be decoded (each check reports it as a failure)."""


@dataclass(frozen=True)
class TakeFrames:
    gray: NDArray[np.uint8]  # (frames, height, width): every frame, small and grey
    times: NDArray[np.float64]  # each frame's presentation time, seconds
    fps: float
    size: tuple[int, int]  # the take's own width and height
    stills: dict[int, NDArray[np.uint8]]  # frame index -> full-size RGB

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
            small_w = min(WIDTH, width)
            small_h = max(2, round(height * small_w / width))
            wanted = _still_indices(total, still_count) if total else set()
            gray: list[NDArray[np.uint8]] = []
            times: list[float] = []
            stills: dict[int, NDArray[np.uint8]] = {}
            rate = float(stream.average_rate or 0) or 24.0
            for index, frame in enumerate(container.decode(stream)):
                small = frame.reformat(width=small_w, height=small_h, format="gray")
                gray.append(np.asarray(small.to_ndarray(), dtype=np.uint8))
                times.append(float(frame.time) if frame.time is not None else index / rate)
                if index in wanted:
                    stills[index] = np.asarray(frame.to_ndarray(format="rgb24"), dtype=np.uint8)
    except (av.FFmpegError, OSError) as error:
        raise UnreadableTake(f"{path}: not a video ({error})") from None
    if not gray:
        raise UnreadableTake(f"{path}: the video has no frames")
    return TakeFrames(
        gray=np.stack(gray),
        times=np.asarray(times, dtype=np.float64),
        fps=rate,
        size=(width, height),
        stills=stills,
    )


def _still_indices(total: int, count: int) -> set[int]:
    if count <= 0:
        return set()
    return set(np.linspace(0, total - 1, min(count, total)).round().astype(int).tolist())


def _differences(frames: TakeFrames) -> NDArray[np.float64]:
    if frames.count < 2:
        return np.zeros(0, dtype=np.float64)
    gray = frames.gray.astype(np.int16)
    return np.asarray(np.abs(np.diff(gray, axis=0)).mean(axis=(1, 2)), dtype=np.float64)

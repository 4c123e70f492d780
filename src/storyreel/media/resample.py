"""Any video file as exactly the frames a film wants: its size, rate and length.

The cut uses it for a take that was not encoded as the film is (another engine's clip),
the Kling engine to conform a vendor's clip to the shot, and the Kling-compatible server
to cut a task's film to the length asked for.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import av
import numpy as np

from storyreel.media.encode import VideoSettings


def resampled_frames(
    path: Path,
    frames: int,
    settings: VideoSettings,
    *,
    stretch_to: float | None = None,
    crop: bool = False,
) -> Generator[Any, None, None]:
    """Exactly `frames` frames at `settings`' size and rate from any video file: source
    frames are repeated or dropped by their times from the first frame, the last one held
    at the end. A source shorter than `stretch_to` seconds is played slower to last that
    long. `crop` fills the frame by trimming the source about its centre instead of
    stretching it to the new shape. Raises ValueError for a file with no picture."""
    with av.open(str(path)) as container:
        if not container.streams.video:
            raise ValueError(f"{path} has no video stream")
        source = container.streams.video[0]
        source.thread_type = "AUTO"
        pace = 1.0
        length = _seconds(container, source) if stretch_to is not None else None
        if stretch_to is not None and length is not None and 0 < length < stretch_to:
            pace = length / stretch_to
        decoded = _timed(container.decode(source))
        current = next(decoded, None)
        if current is None:
            raise ValueError(f"{path} has no video frames")
        upcoming = next(decoded, None)
        for i in range(frames):
            t = i / settings.fps * pace
            while upcoming is not None and upcoming[0] <= t + 1e-6:
                current, upcoming = upcoming, next(decoded, None)
            if crop:
                yield _filled(current[1], settings.width, settings.height)
            else:
                yield current[1].reformat(
                    width=settings.width, height=settings.height, format="yuv420p"
                )


def _timed(decoded: Iterator[Any]) -> Iterator[tuple[float, Any]]:
    """Frames with their times in seconds from the first: a file may start at any time."""
    start: float | None = None
    for frame in decoded:
        t = float(frame.time) if frame.time is not None else 0.0
        start = t if start is None else start
        yield t - start, frame


def _seconds(container: Any, stream: Any) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return float(container.duration) / 1_000_000
    return None


def _filled(frame: Any, width: int, height: int) -> Any:
    """`frame` trimmed to width:height about its centre and scaled to that size."""
    rgb = frame.to_ndarray(format="rgb24")
    h, w = rgb.shape[:2]
    if w * height > h * width:  # too wide: trim the sides
        keep = max(1, round(h * width / height))
        x = (w - keep) // 2
        rgb = rgb[:, x : x + keep]
    elif w * height < h * width:  # too tall: trim top and bottom
        keep = max(1, round(w * height / width))
        y = (h - keep) // 2
        rgb = rgb[y : y + keep]
    trimmed = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
    return trimmed.reformat(width=width, height=height, format="yuv420p")

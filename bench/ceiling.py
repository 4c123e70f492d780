"""The encoder's own speed, the baseline every render benchmark is a ratio against."""

from __future__ import annotations

import time
from pathlib import Path

import av
import numpy as np

from storyreel.media.encode import VideoSettings, VideoWriter


def encode_seconds(
    frame: np.ndarray, count: int, settings: VideoSettings, work: Path
) -> tuple[float, float]:
    """Seconds to encode `count` copies of one rendered RGB `frame` with the film's
    settings: handed over as RGB (what a renderer produces), and already converted to
    the encoder's YUV (the encoder alone, the strictest ceiling)."""
    yuv = av.VideoFrame.from_ndarray(frame, format="rgb24").reformat(format="yuv420p")
    seconds = []
    for source in (frame, yuv):
        start = time.perf_counter()
        with VideoWriter(work / "ceiling.mp4", settings) as writer:
            for _ in range(count):
                writer.write(source)
        seconds.append(time.perf_counter() - start)
    return seconds[0], seconds[1]

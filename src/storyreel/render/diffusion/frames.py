"""From a model's frames to a take: its size, its frame rate, its file.

Models work at their own size (multiples of 16 or 32) and rate (Wan 16 fps, LTX 24,
CogVideoX 8 or 16); a take is at the request's size and rate with exactly the
request's frame count, so the cut can join takes by copying packets.
"""

from __future__ import annotations

import math
from pathlib import Path

import av
import numpy as np
from PIL import Image

from storyreel.files import atomic_path
from storyreel.media.encode import VideoWriter
from storyreel.render.engine import RenderRequest, Take


def model_size(width: int, height: int, short_side: int, multiple: int) -> tuple[int, int]:
    """The model's (width, height): the request's aspect ratio with its short side near
    `short_side`, both rounded to `multiple` (at least one multiple each)."""
    if width <= 0 or height <= 0:
        raise ValueError(f"a frame needs a positive size, got {width}x{height}")
    scale = short_side / min(width, height)

    def snap(v: float) -> int:
        return max(multiple, multiple * round(v * scale / multiple))

    return snap(width), snap(height)


def model_frames(count: int, fps: int, model_fps: int) -> int:
    """Frames the model makes to cover `count` frames at `fps` (the same duration)."""
    return max(1, math.ceil((count - 1) * model_fps / fps) + 1) if count > 1 else 1


def retime(available: int, model_fps: int, count: int, fps: int) -> list[int]:
    """For each of the take's `count` frames at `fps`, the nearest model frame (of
    `available`, made at `model_fps`) at the same moment."""
    last = available - 1
    return [min(last, round(i * model_fps / fps)) for i in range(count)]


def fit(frame: np.ndarray, width: int, height: int) -> np.ndarray:
    """A float (0..1) or uint8 RGB frame scaled to cover width×height, centre-cropped."""
    if frame.dtype != np.uint8:
        frame = (np.clip(frame, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
    h, w = frame.shape[:2]
    if (w, h) == (width, height):
        return frame
    scale = max(width / w, height / h)
    sw, sh = max(width, round(w * scale)), max(height, round(h * scale))
    image = Image.fromarray(frame).resize((sw, sh), Image.Resampling.LANCZOS)
    left, top = (sw - width) // 2, (sh - height) // 2
    return np.asarray(image.crop((left, top, left + width, top + height)))


def load_rgb(path: Path) -> Image.Image:
    with Image.open(path) as image:
        return image.convert("RGB")


def first_frame(image: Image.Image, width: int, height: int) -> Image.Image:
    """A reference image as a first frame at the model's size."""
    return Image.fromarray(fit(np.asarray(image.convert("RGB")), width, height))


def guide_frames(
    path: Path, take_fps: int, count: int, model_fps: int, width: int, height: int
) -> list[Image.Image]:
    """A previous take (at `take_fps`) as `count` frames at the model's rate and size:
    the video an engine re-renders a shot from."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(stream)]
    if not frames:
        raise ValueError(f"{path}: the previous take has no frames")
    picked = retime(len(frames), take_fps, count, model_fps)
    return [Image.fromarray(fit(frames[i], width, height)) for i in picked]


def write_take(video: np.ndarray, model_fps: int, request: RenderRequest, engine: str) -> Take:
    """Write the model's frames (F×H×W×3, floats 0..1) as the request's take."""
    count = request.frame_count
    settings = request.take_settings
    out = Path(request.out_path)
    with atomic_path(out) as tmp, VideoWriter(tmp, settings) as writer:
        for index in retime(len(video), model_fps, count, request.fps):
            writer.write(fit(video[index], request.width, request.height))
    return Take.made_for(request, engine)

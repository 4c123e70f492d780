"""A stand-in for a phone recording of someone speaking: a portrait that drifts and
zooms over a backdrop, with speech from our own synthesizer as its sound.

The tests and the import benchmark make their clips with this, from a photo that ships
inside a package (the caller passes the picture), so nothing is downloaded.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from storyreel.files import atomic_path
from storyreel.media.encode import VideoEncoder, VideoSettings
from storyreel.voice import Speech, VoiceProfile, synthesize

AUDIO_RATE = 48_000
LINE = "Hello, I am the lead of this film. Remember my face and the sound of my voice."


def _backdrop(width: int, height: int) -> NDArray[np.uint8]:
    """A soft two-tone gradient: a room's wall, not a flat studio colour."""
    y = np.linspace(0, 1, height)[:, None, None]
    x = np.linspace(0, 1, width)[None, :, None]
    top = np.array([70, 90, 120], dtype=np.float64)
    bottom = np.array([150, 130, 110], dtype=np.float64)
    image = top * (1 - y) + bottom * y + 20 * x
    return np.clip(image, 0, 255).astype(np.uint8)


def _frame(
    backdrop: NDArray[np.uint8], portrait: Image.Image, copies: int, t: float
) -> NDArray[np.uint8]:
    """The picture at time fraction `t`: the portrait pushes in 25 % and drifts across."""
    height, width = backdrop.shape[:2]
    canvas = Image.fromarray(backdrop)
    zoom = 1.0 + 0.25 * t
    slot = width // copies
    h = round(min(height * 0.8, slot * 0.9 * portrait.height / portrait.width) * zoom)
    w = round(h * portrait.width / portrait.height)
    scaled = portrait.resize((w, h), Image.Resampling.BILINEAR)
    drift = round((t - 0.5) * 0.12 * slot)
    for n in range(copies):
        cx = slot * n + slot // 2 + drift
        canvas.paste(scaled, (cx - w // 2, (height - h) // 2))
    return np.asarray(canvas)


def speaking_clip(
    path: Path,
    portrait: NDArray[np.uint8] | None,
    *,
    seconds: float = 5.0,
    width: int = 1280,
    height: int = 720,
    fps: int = 24,
    voice: VoiceProfile | None = None,
    text: str = LINE,
    copies: int = 1,
    sound: bool = True,
) -> Speech | None:
    """Write an H.264/AAC MP4 of `portrait` (None: the backdrop alone) speaking `text`.

    Returns the speech as synthesized, before encoding, for comparison.
    """
    speech = synthesize(text, "en", voice or VoiceProfile()) if sound else None
    backdrop = _backdrop(width, height)
    picture = Image.fromarray(portrait) if portrait is not None else None
    count = max(1, round(seconds * fps))
    settings = VideoSettings(width=width, height=height, fps=fps)
    with atomic_path(Path(path)) as tmp, av.open(str(tmp), "w") as container:
        video = VideoEncoder(container, settings)
        audio: Any = None
        if speech is not None:
            audio = container.add_stream("aac", rate=AUDIO_RATE)
            audio.layout = "mono"
        for i in range(count):
            t = i / max(1, count - 1)
            image = backdrop if picture is None else _frame(backdrop, picture, copies, t)
            container.mux(video.encode(image))
        container.mux(video.flush())
        if speech is not None:
            _write_sound(container, audio, speech.resampled(AUDIO_RATE), count / fps)
    return speech


def _write_sound(container: Any, stream: Any, speech: Speech, seconds: float) -> None:
    total = round(seconds * AUDIO_RATE)
    lead = round(0.3 * AUDIO_RATE)
    track = np.zeros(total, np.float32)
    part = speech.samples[: max(0, total - lead)]
    track[lead : lead + len(part)] = part
    frame = av.AudioFrame.from_ndarray(track.reshape(1, -1), format="flt", layout="mono")
    frame.sample_rate = AUDIO_RATE
    frame.pts = 0
    frame.time_base = Fraction(1, AUDIO_RATE)
    for packet in stream.encode(frame):
        container.mux(packet)
    for packet in stream.encode(None):
        container.mux(packet)

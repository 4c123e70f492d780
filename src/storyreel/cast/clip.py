"""Reading a short clip of a person speaking: a few stills per second and the sound.

One demuxing pass decodes both tracks. Only the sampled frames are converted to RGB,
since the conversion costs more than the decoding itself at 720p.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import numpy as np
from numpy.typing import NDArray

from storyreel.cast.errors import ActorError

# A digital actor is captured from 3 to 8 seconds of speech: long enough for several
# distinct face crops and a voice, short enough that the clip holds one person.
MIN_SECONDS = 3.0
MAX_SECONDS = 8.0
# Container durations are rounded to a frame or an audio packet; do not refuse a clip
# for being that much outside the limits.
_SLACK = 0.08
# The voice is analysed and kept at this rate: common to voice-cloning engines, and
# well above the 4 kHz that pitch and rhythm need.
AUDIO_RATE = 24_000


@dataclass(frozen=True)
class Still:
    t: float  # seconds from the start of the (trimmed) clip
    image: NDArray[np.uint8]  # (H, W, 3) RGB, full resolution


@dataclass(frozen=True)
class Clip:
    path: Path
    duration: float
    stills: list[Still]
    audio: NDArray[np.float32]  # mono, in [-1, 1]
    sample_rate: int


_TRIM = re.compile(r"^\s*(\d+(?:\.\d+)?)?\s*:\s*(\d+(?:\.\d+)?)?\s*$")


def parse_trim(text: str) -> tuple[float | None, float | None]:
    """ "1.5:6.5" -> (1.5, 6.5); either side may be left open ("2:" or ":7")."""
    match = _TRIM.match(text)
    if not match:
        raise ActorError(f"--trim expects START:END in seconds, such as 1.5:6.5; got {text!r}")
    start, end = (float(v) if v is not None else None for v in match.groups())
    if start is not None and end is not None and end <= start:
        raise ActorError(f"--trim {text}: the end must come after the start")
    return start, end


def _window(
    path: Path, duration: float | None, trim: tuple[float | None, float | None] | None
) -> tuple[float, float | None]:
    start, end = trim or (None, None)
    start = start or 0.0
    if duration is not None:
        if start >= duration:
            raise ActorError(
                f"{path}: --trim starts at {start:g} s but the clip is {duration:.1f} s"
            )
        end = duration if end is None else min(end, duration)
    return start, end


def _check_length(path: Path, seconds: float, trimmed: bool) -> None:
    if MIN_SECONDS - _SLACK <= seconds <= MAX_SECONDS + _SLACK:
        return
    what = "the trimmed part" if trimmed else "the clip"
    side = "shorter" if seconds < MIN_SECONDS else "longer"
    hint = (
        "record a longer take"
        if trimmed is False and seconds < MIN_SECONDS
        else "choose 3 to 8 s of it with --trim START:END (seconds)"
    )
    raise ActorError(
        f"{path}: {what} is {seconds:.1f} s, {side} than the {MIN_SECONDS:g}–{MAX_SECONDS:g} s "
        f"a digital actor is taken from; {hint}"
    )


def read_clip(
    path: Path,
    *,
    trim: tuple[float | None, float | None] | None = None,
    stills_per_second: float = 6.0,
) -> Clip:
    """Stills and mono audio of `path` (within `trim`), checked for a 3–8 s length and
    for both a picture and a sound track."""
    path = Path(path)
    if not path.is_file():
        raise ActorError(f"{path}: no such file")
    try:
        container = av.open(str(path))
    except (av.FFmpegError, OSError, UnicodeDecodeError) as error:
        raise ActorError(f"{path}: cannot be read as a video ({error})") from None
    with container:
        if not container.streams.video:
            raise ActorError(f"{path}: the file has no picture; give a video of the person")
        if not container.streams.audio:
            raise ActorError(
                f"{path}: the clip has no audio track; a digital actor's voice is taken "
                "from it, so use a clip where the person speaks"
            )
        known = container.duration / 1_000_000 if container.duration else None
        start, end = _window(path, known, trim)
        if end is not None:
            # Refuse early: a 40 s clip fails in milliseconds, not after decoding.
            _check_length(path, end - start, trim is not None)
        try:
            stills, audio, last = _decode(container, start, end, stills_per_second)
        except av.FFmpegError as error:
            raise ActorError(
                f"{path}: the video is damaged and cannot be decoded ({error})"
            ) from None
    if end is None:
        end = last
        _check_length(path, end - start, trim is not None)
    if not stills:
        raise ActorError(f"{path}: no pictures could be decoded from the clip")
    return Clip(path, end - start, stills, audio, AUDIO_RATE)


def _decode(
    container: av.container.InputContainer,
    start: float,
    end: float | None,
    stills_per_second: float,
) -> tuple[list[Still], NDArray[np.float32], float]:
    video = container.streams.video[0]
    sound = container.streams.audio[0]
    video.thread_type = "AUTO"
    resampler = av.AudioResampler(format="flt", layout="mono", rate=AUDIO_RATE)
    stills: list[Still] = []
    chunks: list[NDArray[np.float32]] = []
    audio_start: float | None = None
    next_still = start
    last = 0.0
    for packet in container.demux(video, sound):
        decoded: list[Any] = list(packet.decode())
        for frame in decoded:
            t = float(frame.time) if frame.time is not None else last
            if isinstance(frame, av.VideoFrame):
                last = max(last, t + 1 / float(video.average_rate or 24))
                if t + 1e-6 >= next_still and t >= start and (end is None or t < end):
                    rgb = np.asarray(frame.to_ndarray(format="rgb24"), dtype=np.uint8)
                    stills.append(Still(t - start, rgb))
                    next_still += 1 / stills_per_second
                    while next_still <= t:
                        next_still += 1 / stills_per_second
            else:
                if audio_start is None:
                    audio_start = t
                for out in resampler.resample(frame):
                    chunks.append(_mono(out))
    for out in resampler.resample(None):
        chunks.append(_mono(out))
    audio = np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)
    offset = audio_start or 0.0
    stop = end if end is not None else last
    a = max(0, round((start - offset) * AUDIO_RATE))
    b = max(a, round((stop - offset) * AUDIO_RATE))
    return stills, audio[a:b], last


def _mono(frame: Any) -> NDArray[np.float32]:
    samples: NDArray[np.float32] = frame.to_ndarray().reshape(-1).astype(np.float32, copy=False)
    return samples

"""The film's sound: clips placed on one track, then AAC."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

from storyreel.files import atomic_path
from storyreel.timeline import FILM_RATE

# Leave headroom so the AAC encoder's overshoot never clips.
PEAK_LIMIT = 10 ** (-1.0 / 20)  # -1 dBFS
# Samples handed to the encoder per call: a second at a time (PyAV cuts them into the
# codec's 1024-sample frames itself), so the loop costs little Python.
_AAC_CHUNK = FILM_RATE


@dataclass(frozen=True)
class Clip:
    """Mono float32 samples at FILM_RATE, starting `start` seconds into the film."""

    start: float
    samples: np.ndarray


def mix(clips: list[Clip], frames: int, fps: int, rate: int = FILM_RATE) -> np.ndarray:
    """One mono track exactly as long as the picture, with every clip placed on it."""
    length = frames * rate // fps
    track = np.zeros(length, dtype=np.float32)
    for clip in clips:
        at = round(clip.start * rate)
        if at >= length:
            continue
        piece = clip.samples[: length - at]
        track[at : at + len(piece)] += piece
    peak = float(np.max(np.abs(track))) if length else 0.0
    if peak > PEAK_LIMIT:
        track *= PEAK_LIMIT / peak
    return track


def add_aac_stream(container: Any, rate: int = FILM_RATE) -> Any:
    stream = container.add_stream("aac", rate=rate, layout="stereo")
    stream.bit_rate = 160_000
    # FFmpeg's default (two-loop) AAC coder spends seconds on a feature film's dialogue
    # for no audible gain at this bit rate.
    # Both channels carry the one mono mix: mid/side coding always (the side channel is
    # silence, nearly free) and no intensity-stereo search, which saves a third of the
    # encoder's time and loses nothing.
    stream.options = {"aac_coder": "fast", "aac_ms": "1", "aac_is": "0"}
    return stream


def encode_aac(stream: Any, track: np.ndarray, rate: int = FILM_RATE) -> Iterator[Any]:
    """Yield AAC packets for a mono track (sent as stereo: what players expect)."""
    for start in range(0, len(track), _AAC_CHUNK):
        # Both planes of the frame are the chunk, copied once (PyAV wants them contiguous).
        chunk = track[start : start + _AAC_CHUNK]
        stereo = np.empty((2, len(chunk)), dtype=np.float32)
        stereo[0] = stereo[1] = chunk
        frame = av.AudioFrame.from_ndarray(stereo, format="fltp", layout="stereo")
        frame.sample_rate = rate
        frame.pts = start
        frame.time_base = Fraction(1, rate)
        yield from stream.encode(frame)
    yield from stream.encode(None)


def write_sound(track: np.ndarray, path: Path, rate: int = FILM_RATE) -> Path:
    """Encode the finished mix into an AAC file (.m4a) that the cut copies packet by
    packet: a make encodes its sound while the shots render, not after them."""
    with atomic_path(path) as tmp:
        container = av.open(str(tmp), mode="w", format="mp4")
        try:
            stream = add_aac_stream(container, rate)
            for packet in encode_aac(stream, track, rate):
                container.mux(packet)
        finally:
            container.close()
    return path


def copied_sound(out: Any, path: Path) -> Iterator[Any]:
    """The AAC packets of a file from `write_sound`, as packets of a new stream in `out`."""
    with av.open(str(path)) as container:
        source: Any = container.streams.audio[0]
        stream = out.add_stream_from_template(source)
        for packet in container.demux(source):
            if packet.dts is None:  # end-of-stream marker
                continue
            packet.stream = stream
            yield packet


def with_sound(video: Path, track: np.ndarray, out: Path, rate: int = FILM_RATE) -> Path:
    """`video`'s picture, its packets copied, with the mono `track` as its sound, at
    `out` (written atomically)."""
    with av.open(str(video)) as source, atomic_path(out) as tmp:
        container = av.open(str(tmp), mode="w", format="mp4", options={"movflags": "+faststart"})
        try:
            picture: Any = source.streams.video[0]
            stream = container.add_stream_from_template(picture)
            audio = add_aac_stream(container, rate)
            for packet in source.demux(picture):
                if packet.dts is None:
                    continue
                packet.stream = stream
                container.mux(packet)
            for packet in encode_aac(audio, track, rate):
                container.mux(packet)
        finally:
            container.close()
    return out

"""Mono WAV files: the one writer (and the reader of what it writes) every stage uses.

    write_wav(path, samples, 24_000)                     # 16-bit PCM: plays anywhere
    data = wav_bytes(samples, 24_000, "float32")         # exact: the voice cache's

Samples are floats in -1..1. "pcm16" clips and rounds them to 16 bits, what players,
browsers and speech servers expect; "float32" (WAVE_FORMAT_IEEE_FLOAT) keeps them
exactly as synthesized, and any audio tool (sox, ffmpeg, a browser) still plays it.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from storyreel.files import atomic_path

SampleFormat = Literal["pcm16", "float32"]
# The fmt chunk's format tags.
_PCM = 1
_FLOAT = 3


def wav_bytes(
    samples: NDArray[Any], sample_rate: int, sample_format: SampleFormat = "pcm16"
) -> bytes:
    """A mono WAV file's bytes."""
    if sample_format == "pcm16":
        data = (np.clip(samples, -1, 1) * 32767).round().astype("<i2").tobytes()
        tag, width, extra = _PCM, 2, b""
    else:
        data = np.ascontiguousarray(samples, dtype="<f4").tobytes()
        # Non-PCM WAVs carry their sample count.
        tag, width, extra = _FLOAT, 4, _chunk(b"fact", struct.pack("<I", len(data) // 4))
    fmt = struct.pack("<HHIIHH", tag, 1, sample_rate, sample_rate * width, width, 8 * width)
    return _chunk(b"RIFF", b"WAVE" + _chunk(b"fmt ", fmt) + extra + _chunk(b"data", data))


def write_wav(
    path: Path, samples: NDArray[Any], sample_rate: int, sample_format: SampleFormat = "pcm16"
) -> None:
    """`wav_bytes` written to `path` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(wav_bytes(samples, sample_rate, sample_format))


def _chunk(tag: bytes, payload: bytes) -> bytes:
    return tag + struct.pack("<I", len(payload)) + payload + (b"\0" if len(payload) % 2 else b"")


def read_float_wav(data: bytes) -> tuple[NDArray[np.float32], int]:
    """Samples and rate from a "float32" WAV `wav_bytes` wrote."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError("not a WAV file")
    pos, rate, samples = 12, 0, None
    while pos + 8 <= len(data):
        tag, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        payload = data[pos + 8 : pos + 8 + size]
        if tag == b"fmt ":
            kind, channels, rate = struct.unpack("<HHI", payload[:8])
            if (kind, channels) != (_FLOAT, 1):
                raise ValueError("expected a mono 32-bit float WAV")
        elif tag == b"data":
            samples = np.frombuffer(payload, dtype="<f4").astype(np.float32)
        pos += 8 + size + size % 2
    if samples is None or not rate:
        raise ValueError("WAV file without fmt or data")
    return samples, rate

"""The one WAV writer: 16-bit PCM that the standard library reads back, and exact floats."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from storyreel.wav import read_float_wav, wav_bytes, write_wav


def test_pcm16_is_a_wav_the_standard_library_reads(tmp_path: Path) -> None:
    samples = np.array([0.0, 0.5, -0.5, 1.5, -2.0, 0.25, 0.1], dtype=np.float32)
    path = tmp_path / "line.wav"
    write_wav(path, samples, 22_050)
    with wave.open(str(path), "rb") as read:
        assert (read.getnchannels(), read.getsampwidth(), read.getframerate()) == (1, 2, 22_050)
        pcm = np.frombuffer(read.readframes(read.getnframes()), dtype="<i2")
    # Clipped to -1..1, then rounded to 16 bits.
    assert pcm.tolist() == [0, 16384, -16384, 32767, -32767, 8192, 3277]
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_float32_keeps_the_samples_exactly() -> None:
    samples = np.array([0.1, -0.7, 1.25], dtype=np.float32)  # odd length: a padded chunk
    back, rate = read_float_wav(wav_bytes(samples, 8_000, "float32"))
    assert rate == 8_000 and np.array_equal(back, samples)

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
from tests.deliver.support import small_film

from storyreel.cut.audio import write_sound
from storyreel.deliver import load_exporter
from storyreel.wav import read_float_wav, write_wav

RATE = 48_000


def sine(hz: float, seconds: float = 0.5) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    return (0.25 * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def test_stems_are_written_as_wav_in_the_folder_given(tmp_path: Path) -> None:
    made = tmp_path / "sound"
    made.mkdir()
    write_wav(made / "dialogue.wav", sine(220), RATE, "float32")
    write_sound(sine(440), made / "music.m4a")  # not a WAV: decoded and written as one
    request = replace(
        small_film(tmp_path / "film"),
        stems={"dialogue": made / "dialogue.wav", "music": made / "music.m4a"},
    )

    out = tmp_path / "stems"
    written = load_exporter("stems", {"folder": out}).export(request)
    assert written == [out / "dialogue.wav", out / "music.wav"]
    assert (out / "dialogue.wav").read_bytes() == (made / "dialogue.wav").read_bytes()
    music, rate = read_float_wav((out / "music.wav").read_bytes())
    assert rate == RATE and abs(len(music) / RATE - 0.5) < 0.05
    # The tone survives the round trip through AAC: 440 Hz dominates.
    spectrum = np.abs(np.fft.rfft(music))
    assert abs(np.argmax(spectrum) * RATE / len(music) - 440) < 5


def test_without_a_folder_stems_go_beside_the_film_and_none_means_nothing(
    tmp_path: Path,
) -> None:
    stem = tmp_path / "foley.wav"
    write_wav(stem, sine(330), RATE, "float32")
    request = small_film(tmp_path / "film")
    assert load_exporter("stems").export(request) == []
    written = load_exporter("stems").export(replace(request, stems={"foley": stem}))
    assert written == [request.out_dir / "kettle.foley.wav"]

"""Parts of a film cut as files of their own: the frames and the sound under them,
copied from a keyframe or encoded again from between two."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from storyreel.cut.audio import add_aac_stream, encode_aac
from storyreel.cut.segments import cut_segment, segment_key
from storyreel.media.encode import VideoEncoder, VideoSettings

FPS = 12
RATE = 48_000
FRAMES = 48  # a keyframe every 24 (VideoSettings: one each 2 s)


@pytest.fixture(scope="module")
def film(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Frame i is grey at level 4 i; the sound is a loud tone for the first two
    seconds, a quiet one after."""
    path = tmp_path_factory.mktemp("segments") / "film.mp4"
    t = np.arange(FRAMES * RATE // FPS) / RATE
    tone = np.sin(2 * np.pi * 440 * t) * np.where(t < 2, 0.5, 0.05)
    with av.open(str(path), mode="w") as out:
        video = VideoEncoder(out, VideoSettings(width=64, height=64, fps=FPS))
        audio = add_aac_stream(out)
        for i in range(FRAMES):
            for packet in video.encode(np.full((64, 64, 3), 4 * i, dtype=np.uint8)):
                out.mux(packet)
        for packet in [*video.flush(), *encode_aac(audio, tone.astype(np.float32))]:
            out.mux(packet)
    return path


def _levels(path: Path) -> list[int]:
    with av.open(str(path)) as container:
        return [round(f.to_ndarray(format="gray").mean() / 4) for f in container.decode(video=0)]


def _sound(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return np.concatenate([f.to_ndarray()[0] for f in container.decode(audio=0)])


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(x**2)))


@pytest.mark.parametrize(
    "ranges",
    [
        [(24, 36)],  # from a keyframe: packets copied
        [(18, 30)],  # between keyframes: encoded again
        [(0, 6), (30, 36)],  # two runs joined
    ],
)
def test_a_part_holds_its_frames_and_their_sound(
    film: Path, tmp_path: Path, ranges: list[tuple[int, int]]
) -> None:
    part = tmp_path / "part.mp4"
    cut_segment(film, ranges, part, key="k1")
    assert _levels(part) == [i for start, end in ranges for i in range(start, end)]
    sound = _sound(part)
    frames = sum(end - start for start, end in ranges)
    assert abs(len(sound) - frames * RATE // FPS) <= 1024
    # Each frame's sound is the film's: loud before 2 s (frame 24), quiet after.
    at = 0
    for start, end in ranges:
        for i in range(start, end):
            piece = sound[at + 400 : at + RATE // FPS - 400]  # away from the joins
            assert (_rms(piece) > 0.2) == (i < 24), (i, _rms(piece))
            at += RATE // FPS
    assert segment_key(part) == "k1"


def test_bad_ranges_and_a_missing_part(film: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="end > start"):
        cut_segment(film, [(6, 6)], tmp_path / "part.mp4")
    assert not (tmp_path / "part.mp4").exists()
    assert segment_key(tmp_path / "part.mp4") is None


def _packets(path: Path) -> list[bytes]:
    with av.open(str(path)) as container:
        return [bytes(p) for p in container.demux(video=0) if p.size]


def test_a_part_from_a_keyframe_is_copied_not_encoded_again(film: Path, tmp_path: Path) -> None:
    copied, encoded = tmp_path / "copied.mp4", tmp_path / "encoded.mp4"
    cut_segment(film, [(24, 36)], copied)
    cut_segment(film, [(18, 30)], encoded)
    assert _packets(copied) == _packets(film)[24:36]
    assert _packets(encoded) != _packets(film)[18:30]

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from storyreel.cut.audio import PEAK_LIMIT, Clip, mix
from storyreel.cut.film import cut_film
from storyreel.cut.subtitles import to_srt
from storyreel.media.encode import VideoSettings, VideoWriter
from storyreel.media.resample import resampled_frames
from storyreel.render.engine import Take
from storyreel.timeline import FILM_RATE, Cue, ShotTime, Timeline


def played(*frames: int, fps: int = 24) -> Timeline:
    """A timeline of shots "1", "2", ... playing `frames` frames each."""
    shots, start = [], 0
    for number, count in enumerate(frames, start=1):
        shots.append(ShotTime(shot_id=str(number), start=start, frames=count))
        start += count
    return Timeline(fps=fps, shots=tuple(shots))


SETTINGS = VideoSettings(width=320, height=180, fps=24)
RED = (220, 40, 40)
BLUE = (40, 60, 220)


def solid_take(
    path: Path, colour: tuple[int, int, int], frames: int, settings: VideoSettings
) -> Take:
    frame = np.empty((settings.height, settings.width, 3), np.uint8)
    frame[:] = colour
    with VideoWriter(path, settings) as writer:
        for _ in range(frames):
            writer.write(frame)
    return Take(
        shot_id=path.stem,
        path=path,
        frames=frames,
        fps=settings.fps,
        width=settings.width,
        height=settings.height,
        engine="test",
    )


def decoded(path: Path) -> tuple[list[np.ndarray], np.ndarray, int]:
    with av.open(str(path)) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        rate = stream.rate
        audio = np.concatenate([f.to_ndarray()[0] for f in container.decode(audio=0)])
    return frames, audio, rate


def tone(seconds: float, hz: float = 440.0) -> np.ndarray:
    t = np.arange(round(seconds * FILM_RATE)) / FILM_RATE
    return (0.5 * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def test_takes_in_the_films_format_are_joined_by_copying_packets(tmp_path: Path) -> None:
    takes = [
        solid_take(tmp_path / "a.mp4", RED, 10, SETTINGS),
        solid_take(tmp_path / "b.mp4", BLUE, 14, SETTINGS),
    ]
    track = mix([Clip(0.5, tone(0.3))], 24, 24)
    film = tmp_path / "film.mp4"

    cut_film(takes, played(10, 14), track, film, SETTINGS)

    frames, audio, rate = decoded(film)
    assert len(frames) == 24
    assert frames[0].shape == (180, 320, 3)
    assert np.abs(frames[5].mean((0, 1)) - RED).max() < 12
    assert np.abs(frames[15].mean((0, 1)) - BLUE).max() < 12
    # Copied, not re-encoded: the film's first packet is the take's first packet.
    with av.open(str(takes[0].path)) as a, av.open(str(film)) as f:
        first_take = next(p for p in a.demux(video=0) if p.size)
        first_film = next(p for p in f.demux(video=0) if p.size)
        assert bytes(first_take) == bytes(first_film)
    assert rate == FILM_RATE
    assert abs(len(audio) / rate - 1.0) < 0.05
    silent = np.sqrt(np.mean(audio[: int(0.4 * rate)] ** 2))
    loud = np.sqrt(np.mean(audio[int(0.55 * rate) : int(0.75 * rate)] ** 2))
    assert silent < 0.01 < 0.2 < loud


def test_takes_of_other_sizes_and_rates_are_reencoded_to_the_films(tmp_path: Path) -> None:
    small = VideoSettings(width=160, height=90, fps=12)
    takes = [
        solid_take(tmp_path / "a.mp4", RED, 6, small),  # 0.5 s at 12 fps
        solid_take(tmp_path / "b.mp4", BLUE, 10, SETTINGS),
    ]  # shorter than its shot
    film = tmp_path / "film.mp4"

    cut_film(takes, played(12, 16), mix([], 28, 24), film, SETTINGS)

    frames, _, _ = decoded(film)
    assert len(frames) == 28
    assert frames[0].shape == (180, 320, 3)
    assert np.abs(frames[11].mean((0, 1)) - RED).max() < 12
    # The short take holds its last frame to the end of its shot.
    assert np.abs(frames[27].mean((0, 1)) - BLUE).max() < 12


def test_a_short_clip_is_slowed_to_fill_and_cropped_to_the_frame(tmp_path: Path) -> None:
    wide = VideoSettings(width=64, height=36, fps=12)
    clip = tmp_path / "clip.mp4"
    with VideoWriter(clip, wide) as writer:
        for i in range(6):  # half a second, each frame a brighter grey, red at both ends
            frame = np.full((36, 64, 3), 20 * i + 40, np.uint8)
            frame[:, :8] = frame[:, -8:] = RED
            writer.write(frame)
    square = VideoSettings(width=32, height=32, fps=12)

    frames = [
        f.to_ndarray(format="rgb24")
        for f in resampled_frames(clip, 12, square, stretch_to=1.0, crop=True)
    ]

    assert len(frames) == 12 and frames[0].shape == (32, 32, 3)
    # Half a second played over one: each source frame shows twice, in order.
    levels = [float(f.mean()) for f in frames]
    assert levels == pytest.approx([20 * (i // 2) + 40 for i in range(12)], abs=4)
    # The sides were trimmed about the centre, so no red edge is left.
    assert all(abs(float(f[:, :, 0].mean()) - float(f[:, :, 2].mean())) < 6 for f in frames)
    # Without stretch_to the clip plays at its speed and holds its last frame.
    held = [float(f.to_ndarray().mean()) for f in resampled_frames(clip, 12, square)]
    assert held[6:] == pytest.approx([held[5]] * 6, abs=1)


def test_a_failed_cut_leaves_nothing_at_the_output(tmp_path: Path) -> None:
    take = solid_take(tmp_path / "a.mp4", RED, 4, SETTINGS)
    missing = take.model_copy(update={"path": tmp_path / "gone.mp4"})
    film = tmp_path / "film.mp4"
    with pytest.raises(Exception):  # noqa: B017 - whatever PyAV raises for a missing file
        cut_film([take, missing], played(4, 4), mix([], 8, 24), film, SETTINGS)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.mp4"]


def test_mix_places_clips_and_limits_the_peak() -> None:
    loud = np.ones(FILM_RATE // 10, np.float32)
    track = mix([Clip(0.0, loud), Clip(0.05, loud), Clip(5.0, loud)], 24, 24)
    assert len(track) == FILM_RATE  # exactly the picture's length
    assert np.max(np.abs(track)) <= PEAK_LIMIT + 1e-6
    # Overlapping clips add up before the limiter scales the whole track.
    assert track[int(0.07 * FILM_RATE)] > track[int(0.02 * FILM_RATE)]


def test_srt() -> None:
    cues = [Cue(0.35, 2.1, "Hello.", "LEO", "en"), Cue(3661.5, 3662.25, "你好。", "NAINAI", "zh")]
    assert to_srt(cues) == (
        "1\n00:00:00,350 --> 00:00:02,100\nHello.\n\n2\n01:01:01,500 --> 01:01:02,250\n你好。\n"
    )

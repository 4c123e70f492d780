"""Mouth tracks: shaped by phonemes, timed by the audio, in step with the film's mix."""

from __future__ import annotations

import numpy as np
import pytest

from storyreel.cut.audio import Clip, mix
from storyreel.model import Setting, Shot, ShotLine, ShotSize, Storyboard
from storyreel.timeline import FILM_RATE
from storyreel.voice import EspeakVoice, Speech, VoiceProfile, speak_line
from storyreel.voice.stage import mouths, voice_storyboard
from storyreel.voice.visemes import frame_envelope, mouth_track, phoneme_openness

FPS = 24


def lag_in_frames(a: np.ndarray, b: np.ndarray, most: int = 6) -> int:
    """The shift of `b` against `a` (in frames) with the highest correlation."""
    a = (a - a.mean()) / (a.std() or 1)
    b = (b - b.mean()) / (b.std() or 1)
    scores = {
        k: float(np.dot(a[max(0, k) : len(a) + min(0, k)], b[max(0, -k) : len(b) - max(0, k)]))
        for k in range(-most, most + 1)
    }
    return max(scores, key=lambda k: scores[k])


@pytest.mark.parametrize(
    ("phoneme", "low", "high"),
    [("a", 0.9, 1.0), ("ˈɑu", 0.9, 1.0), ("i", 0.2, 0.5), ("m", 0.0, 0.0), ("", 0.0, 0.0)],
)
def test_phoneme_openness(phoneme: str, low: float, high: float) -> None:
    assert low <= phoneme_openness(phoneme) <= high


def test_track_is_closed_in_silence_and_open_in_speech() -> None:
    speech = speak_line(EspeakVoice(), "Mama, look at the kite!", "en", VoiceProfile())
    frames = round((speech.duration + 2.0) * FPS)
    track = np.array(mouth_track(speech, FPS, frames, offset=1.0))
    assert track[: FPS - 1].max() == 0.0  # the second before the line
    tail = round((1.0 + speech.duration) * FPS) + 1
    assert track[tail:].max() == 0.0  # and after it
    spoken = track[FPS : tail - 1]
    assert spoken.max() > 0.6 and (spoken < 0.3).any()  # opens wide and closes between


def test_a_speech_without_phonemes_follows_the_envelope() -> None:
    rate = 16_000
    t = np.arange(rate * 2) / rate
    # Two bursts of tone: 0.25-0.75 s and 1.25-1.75 s.
    gate = ((t % 1.0) > 0.25) & ((t % 1.0) < 0.75)
    samples = (0.3 * np.sin(2 * np.pi * 200 * t) * gate).astype(np.float32)
    track = mouth_track(Speech(samples, rate), FPS, 2 * FPS)
    opened = [i for i, v in enumerate(track) if v > 0.5]
    assert opened[0] == 6 and opened[-1] == 41  # frames 6-17 and 30-41 sound


def test_visemes_align_with_the_films_audio_within_one_frame() -> None:
    """The mouth track given to the engine, cross-correlated with the envelope of the
    mixed dialogue over the same frames: the best lag is within one frame."""
    lines = [
        ShotLine(character="MEI", text="Did you fly kites when you were little?", lang="en"),
        ShotLine(character="NAINAI", text="风不吃风筝。风只是把它举高。", lang="zh"),
    ]
    board = Storyboard(
        fps=FPS,
        shots=[
            Shot(
                id="1",
                scene=1,
                size=ShotSize.medium,
                duration=1.0,
                subjects=["MEI", "NAINAI"],
                setting=Setting(location="ROOF"),
                lines=lines,
            ),
            Shot(
                id="2",
                scene=1,
                size=ShotSize.close_up,
                duration=1.0,
                subjects=["MEI"],
                setting=Setting(location="ROOF"),
                lines=[ShotLine(character="MEI", text="Again, again!", lang="en")],
            ),
        ],
    )
    voiced = voice_storyboard(board)
    timeline = voiced.timeline
    clips = [
        Clip(timeline.line_start(line), voiced.speech[line.key].samples) for line in timeline.lines
    ]
    assert len(clips) == sum(len(s.lines) for s in board.shots)
    track = mix(clips, timeline.frames, FPS)
    lips = mouths(timeline, voiced.speech)
    for placement in timeline.shots:
        mouth = np.sum([np.array(v) for v in lips[placement.shot_id].values()], axis=0)
        offset = placement.start / FPS
        start = round(offset * FILM_RATE)
        audio = track[start : start + round(placement.frames * FILM_RATE / FPS)]
        envelope = frame_envelope(audio, FILM_RATE, FPS, placement.frames)
        assert len(mouth) == placement.frames
        assert abs(lag_in_frames(envelope, mouth)) <= 1
        # And the track is not trivially flat: it has real openings and closings.
        assert mouth.max() > 0.5 and (mouth[mouth > 0] < 0.3).any()

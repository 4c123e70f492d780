"""A digital actor from a 5 s clip: face crops, identity embedding and voice."""

from __future__ import annotations

import wave
from itertools import combinations, pairwise
from pathlib import Path

import numpy as np

from storyreel.cast import SAME_PERSON, Cast, faces
from storyreel.cast.actor import Capture
from storyreel.cast.voiceprint import measure_voice
from storyreel.voice import Speech

from .conftest import VOICE, astronaut_head, stranger


def test_three_to_five_crops_each_showing_the_face(captured: Capture) -> None:
    assert 3 <= len(captured.crops) <= 5
    for crop in captured.crops:
        found = faces.find_faces(crop.image)
        assert len(found) == 1, f"crop at {crop.t:.2f} s shows {len(found)} faces"
        # Head and shoulders: the face is a part of the crop, not all of it.
        assert found[0].width < crop.image.shape[1] * 0.7
        assert crop.asymmetry < 0.12  # near-frontal
    times = sorted(c.t for c in captured.crops)
    assert all(b - a >= 0.29 for a, b in pairwise(times))


def test_crops_are_the_same_person_and_a_stranger_is_not(captured: Capture) -> None:
    same = [faces.distance(a.embedding, b.embedding) for a, b in combinations(captured.crops, 2)]
    assert max(same) < SAME_PERSON
    # The astronaut photo itself, outside the clip, is recognised too.
    photo = astronaut_head()
    (face,) = faces.find_faces(photo)
    assert faces.distance(captured.embedding, faces.embed_face(photo, face)) < SAME_PERSON
    other = stranger()
    (face,) = faces.find_faces(other)
    far = faces.distance(captured.embedding, faces.embed_face(other, face))
    assert far > SAME_PERSON and far > 1.5 * max(same)


def test_voice_matches_the_synthesized_speaker(
    captured: Capture, actor_clip: tuple[Path, Speech]
) -> None:
    _, speech = actor_clip
    truth = measure_voice(speech.samples, speech.sample_rate)
    assert truth is not None and captured.measure is not None and captured.voice is not None
    # Through AAC and a resampler, the pitch is within a few percent of what was spoken.
    assert abs(captured.measure.pitch_hz / truth.pitch_hz - 1) < 0.06
    assert captured.voice.gender == "female"
    assert captured.voice.variant == VOICE.variant
    assert abs(captured.voice.pitch - VOICE.pitch) <= 10
    assert abs(captured.voice.rate - VOICE.rate) <= 30
    assert captured.measure.start < 0.6  # the speech starts 0.3 s in


def test_add_actor_stores_crops_embedding_voice_and_sample(
    tmp_path: Path, actor_clip: tuple[Path, Speech]
) -> None:
    entry = Cast(tmp_path / "cast").add_actor("小梅", actor_clip[0], description="二十多岁")
    subject = entry.subject
    assert subject.origin == "video" and subject.voice is not None
    assert 3 <= len(subject.images) <= 5
    assert all((entry.folder / name).is_file() for name in subject.images)
    assert subject.embedding is not None and len(subject.embedding) == 128
    assert subject.voice_sample == "voice.wav"
    with wave.open(str(entry.folder / "voice.wav")) as recording:
        assert recording.getnchannels() == 1 and recording.getsampwidth() == 2
        seconds = recording.getnframes() / recording.getframerate()
        pcm = np.frombuffer(recording.readframes(recording.getnframes()), "<i2")
    # Trimmed to the speech (4.7 s of it in a 5 s clip) and normalised near full scale.
    assert 3.5 < seconds < 5.0
    assert 0.8 < np.abs(pcm).max() / 32767 <= 1.0
    # Engines that clone a voice are pointed at the sample.
    voice = entry.ref().voice
    assert voice is not None and voice.reference == str((entry.folder / "voice.wav").resolve())
    assert entry.folder.name == "小梅"

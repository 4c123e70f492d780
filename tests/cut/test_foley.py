"""Foley one-shots: many kinds, each its own, starting on its first sample, the same for
the same seed; steps for a walk; sounds chosen from the world; thunder on the flashes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.cut.support import Features, band_shares, flatness, nearest

from storyreel.beats import strike_frames
from storyreel.cut.foley import (
    FOLEY,
    FOLEY_PEAK_DBFS,
    ONSET_DBFS,
    for_action,
    for_thing,
    for_weather,
    sound,
    steps,
    thunder_times,
)
from storyreel.render.previs.weather import particles_for
from storyreel.vocab import VocabularyError, load_vocabulary

RATE = 24_000


def _features(x: np.ndarray) -> Features:
    # Band balance, how long the energy takes to arrive (half and nine tenths of
    # it), and how tonal it is (a bell rings, paper hisses).
    energy = np.cumsum(np.square(x, dtype=np.float64))
    energy /= energy[-1]
    half, most = (np.searchsorted(energy, q) / RATE for q in (0.5, 0.9))
    timing = [2 * np.log10(half + 1e-3), 2 * np.log10(most + 1e-3)]
    return np.concatenate([band_shares(x, RATE, 10), timing, [3 * np.log10(flatness(x, RATE))]])


def test_at_least_fifteen_kinds_the_films_need() -> None:
    needed = {"footstep", "footstep_run", "sword_clash", "door", "thunder", "splash", "paper"}
    needed |= {"cup", "punch", "fall", "bird", "bell", "knock", "whoosh", "glass", "gunshot"}
    assert needed <= set(FOLEY) and len(FOLEY) >= 15


def test_each_kind_is_told_apart_across_seeds() -> None:
    centroids = {kind: _features(sound(kind, rate=RATE, seed=0)) for kind in FOLEY}
    guesses = {
        kind: nearest(_features(sound(kind, rate=RATE, seed=1)), centroids) for kind in FOLEY
    }
    assert {kind: guess for kind, guess in guesses.items() if guess != kind} == {}


@pytest.mark.parametrize("kind", sorted(FOLEY))
def test_a_sound_starts_on_its_first_sample_at_its_level(kind: str) -> None:
    threshold = 10 ** (ONSET_DBFS / 20)
    for intensity in (0.1, 1.0, 2.0):
        x = sound(kind, rate=RATE, seed=4, intensity=intensity)
        onset = int(np.argmax(np.abs(x) > threshold))
        assert onset <= RATE // 1000, (intensity, onset)  # within 1 ms of sample 0
        assert x.dtype == np.float32 and np.abs(x).max() <= 10 ** (-1 / 20) + 1e-6
    loud = sound(kind, rate=RATE, seed=4)
    assert 20 * np.log10(np.abs(loud).max()) == pytest.approx(FOLEY_PEAK_DBFS, abs=0.01)
    assert abs(float(loud.mean())) < 2e-3  # no DC
    assert abs(float(loud[-1])) < 1e-3  # ends faded, not cut off
    assert np.array_equal(loud, sound(kind, rate=RATE, seed=4))
    assert not np.array_equal(loud, sound(kind, rate=RATE, seed=5))


def test_bad_requests_say_what_is_allowed() -> None:
    with pytest.raises(ValueError, match=r"no foley sound 'moo'.*bell"):
        sound("moo")
    with pytest.raises(ValueError, match=r"intensity is 0\.05 to 2"):
        sound("bell", intensity=3.0)
    with pytest.raises(ValueError, match="steps are footstep or footstep_run"):
        steps("bell", 1.0)


def test_steps_fall_at_the_pace_and_start_where_they_say() -> None:
    track, onsets = steps("footstep", 4.0, rate=RATE, seed=2, pace=2.0)
    assert len(track) == 4 * RATE
    assert len(onsets) in (8, 9) and onsets[0] == 0.0  # the ninth when it falls just early
    assert np.allclose(np.diff(onsets), 0.5, atol=0.05)
    threshold = 10 ** (ONSET_DBFS / 20)
    for at in onsets:
        start = round(at * RATE)
        # Quiet just before the step (the last one has died away), loud on it.
        assert np.abs(track[start : start + RATE // 1000 + 1]).max() > threshold
        if start > RATE // 10:
            assert np.abs(track[start - RATE // 200 : start]).max() < threshold
    _, run_onsets = steps("footstep_run", 2.0, rate=RATE)
    assert len(run_onsets) > len([t for t in onsets if t < 2.0])  # a run is quicker


def test_sounds_come_from_the_world() -> None:
    assert for_action("walk") == ("footstep",)
    assert for_action("run") == ("footstep_run",)
    assert "punch" in for_action("fight")
    assert for_action("look") == ()
    assert for_action("jump", setting="river") == ("splash",)
    assert for_action("jump", setting="street") == ("land",)
    assert for_thing("sword", "fight") == ("sword_clash",)
    assert for_thing("sword", "look") == ()
    assert for_thing("door", "open") == ("door",)
    assert for_thing("cup", "drink") == ("cup",)
    assert for_thing("letter", "read") == ("paper",)
    assert for_thing("crow", None) == ("bird",)
    assert for_thing("lantern", "hold") == ()
    assert for_weather("storm_lightning") == ("thunder",)
    vocabulary = load_vocabulary()
    for key, entry in vocabulary.sound.items():  # every named sound exists
        assert set(entry.foley) | {s for kinds in entry.when.values() for s in kinds} <= set(
            FOLEY
        ), key
    for action in vocabulary.actions:
        assert f"action/{action}" in vocabulary.sound, action


def test_a_project_gives_a_thing_its_sound(tmp_path: Path) -> None:
    (tmp_path / "sound.yaml").write_text(
        "prop/lantern: {when: {hold: [rustle]}}\nprop/gong: {foley: [bell]}\n", encoding="utf-8"
    )
    vocabulary = load_vocabulary([tmp_path / "sound.yaml"])
    assert for_thing("lantern", "hold", vocabulary=vocabulary) == ("rustle",)
    assert for_thing("gong", None, vocabulary=vocabulary) == ("bell",)
    (tmp_path / "sound.yaml").write_text("action/walk: {foley: [clip_clop]}\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="'action/walk' names the foley sound 'clip_clop'"):
        for_action("walk", vocabulary=load_vocabulary([tmp_path / "sound.yaml"]))


def test_thunder_follows_each_flash_the_picture_draws() -> None:
    weather = (("storm_lightning", 1.0),)
    frames, fps, seed = 120, 24, 11
    particles = particles_for(weather, 64, 36, fps, frames, seed, interior=False)
    assert particles is not None and particles.flashes is not None
    levels = particles.flashes.levels
    # A strike starts where the sky goes from dark to its first bright flash.
    starts = [i for i in range(frames) if levels[i] >= 0.5 and (i < 2 or levels[i - 2] == 0)]
    times = thunder_times(weather, frames, fps, seed)
    assert len(times) == len(starts) >= 1
    for start, heard in zip(starts, times, strict=True):
        assert 0.1 <= heard - start / fps <= 0.3  # a near storm: thunder right after
    # A weak storm is far: its thunder comes later after its flash.
    far = thunder_times((("storm_lightning", 0.2),), frames, fps, seed)
    flashes = strike_frames(seed, 0.2, frames, fps)
    assert len(far) == len(flashes)
    assert all(0.6 <= t - f / fps <= 0.9 for t, f in zip(far, flashes, strict=True))
    assert thunder_times((("rain", 1.0),), frames, fps, seed) == ()

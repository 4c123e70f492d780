"""Ambience beds: each kind recognisably itself, seamless, deterministic, at its level;
every place and weather of the vocabulary gets beds, and a project extends them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.cut.support import Features, band_shares, nearest, rms_dbfs

from storyreel.cut.ambience import (
    BED_PEAK_DBFS,
    BED_RMS_DBFS,
    BEDS,
    bed,
    layers_for,
    loop,
    mixed,
)
from storyreel.vocab import VocabularyError, load_vocabulary

# A low rate keeps the tests fast; every kind's character lies well under 8 kHz.
RATE = 16_000


def _features(x: np.ndarray) -> Features:
    # The balance of bands and how much the level moves (gusts, waves, calls, clacks).
    frames = x[: len(x) // 800 * 800].reshape(-1, 800)
    level = 10 * np.log10(np.mean(np.square(frames, dtype=np.float64), axis=1) + 1e-12)
    return np.concatenate([band_shares(x, RATE), [np.std(level) / 3, np.ptp(level) / 10]])


def test_at_least_the_kinds_the_films_need() -> None:
    needed = {"rain", "wind", "sea", "harbour", "crowd", "traffic", "forest", "insects"}
    needed |= {"train", "room", "temple", "fire", "storm"}
    assert needed <= set(BEDS)


def test_each_kind_is_told_apart_by_its_spectrum_across_seeds() -> None:
    # Samples from seed 1, centroids from seed 0: each sample's nearest is its own kind.
    # (Seed 0 last: its loops stay cached for the tests below.)
    samples = {kind: _features(bed(kind, 8.0, rate=RATE, seed=1)) for kind in BEDS}
    centroids = {kind: _features(bed(kind, 8.0, rate=RATE, seed=0)) for kind in BEDS}
    guesses = {kind: nearest(features, centroids) for kind, features in samples.items()}
    assert {kind: guess for kind, guess in guesses.items() if guess != kind} == {}


@pytest.mark.parametrize("kind", sorted(BEDS))
def test_a_bed_loops_without_a_click_at_its_level(kind: str) -> None:
    one = loop(kind, rate=RATE)
    x = bed(kind, len(one) / RATE + 1.0, rate=RATE)
    steps = np.abs(np.diff(one.astype(np.float64)))
    seam = abs(float(x[len(one)]) - float(x[len(one) - 1]))
    assert seam <= np.percentile(steps, 99.5)  # the loop point is an ordinary sample step
    assert np.array_equal(x[len(one) :], one[:RATE])  # and then it starts again
    assert abs(rms_dbfs(one) - BED_RMS_DBFS) < 1.0  # not silent, at the documented level
    assert 20 * np.log10(np.abs(one).max()) <= BED_PEAK_DBFS + 0.01  # no clipping
    assert abs(float(one.mean())) < 1e-3  # no DC
    assert one.dtype == np.float32


def test_a_bed_is_the_same_for_the_same_seed_and_differs_for_another() -> None:
    assert np.array_equal(bed("rain", 2.0, rate=RATE, seed=3), bed("rain", 2.0, rate=RATE, seed=3))
    assert not np.array_equal(bed("rain", 2.0, rate=RATE, seed=3), bed("rain", 2.0, rate=RATE))
    assert len(bed("rain", 2.5, rate=RATE)) == round(2.5 * RATE)
    assert len(bed("crowd", 0.0, rate=RATE)) == 0


def test_a_bed_carries_on_across_a_cut_and_layers_mix() -> None:
    whole = bed("train", 5.0, rate=RATE, seed=2)
    before, after = (
        bed("train", 2.0, rate=RATE, seed=2),
        bed("train", 3.0, rate=RATE, seed=2, start=2.0),
    )
    assert np.array_equal(np.concatenate([before, after]), whole)
    past_loop = bed("train", 1.0, rate=RATE, seed=2, start=30.0)
    assert np.array_equal(past_loop, bed("train", 40.0, rate=RATE, seed=2)[30 * RATE :][:RATE])
    layers = (("rain", 0.0), ("insects", -6.0))
    together = mixed(layers, 2.0, rate=RATE, start=1.0)
    parts = bed("rain", 2.0, rate=RATE, start=1.0) + 0.5 * bed("insects", 2.0, rate=RATE, start=1.0)
    assert np.allclose(together, parts, atol=1e-3)
    assert not mixed((), 1.0, rate=RATE).any()


def test_bad_requests_say_what_is_allowed() -> None:
    with pytest.raises(ValueError, match=r"no ambience bed 'lava'.*rain"):
        bed("lava", 1.0)
    with pytest.raises(ValueError, match="0 s to a day"):
        bed("rain", -1.0)


def test_every_place_and_weather_of_the_vocabulary_gets_beds() -> None:
    vocabulary = load_vocabulary()
    for kind in vocabulary.settings:
        layers = layers_for(kind, None, "day", ())
        assert layers, kind
        assert all(name in BEDS and -60 <= gain <= 12 for name, gain in layers), kind
    for weather in vocabulary.weather:
        outside = layers_for("street", None, None, [(weather, 0.7)])
        assert outside != layers_for("street", None, None, ()), weather
    # Unknown places: room tone indoors, wind outdoors.
    assert layers_for("moon_base", "int", None, ()) == (("room", 0.0),)
    assert layers_for("moon_base", "ext", None, ()) == (("wind", -4.0),)
    assert layers_for(None, None, None, ()) == (("room", 0.0),)


def test_a_scene_layers_its_place_time_and_weather() -> None:
    layers = dict(layers_for("harbour", None, "night", [("rain", 1.0)]))
    assert {"harbour", "rain", "insects"} <= set(layers)  # night exteriors add insects
    assert layers["rain"] == max(layers.values())  # a downpour outdoes the place
    light = dict(layers_for("harbour", None, "night", [("rain", 0.1)]))
    assert light["rain"] < layers["rain"] - 9
    inside = dict(layers_for("kitchen", None, "night", [("rain", 1.0)]))
    assert "insects" not in inside and inside["room"] == 0.0
    assert inside["rain"] < layers["rain"] - 10  # rain heard through the windows
    assert dict(layers_for("street", "ext", None, [("storm_lightning", 0.5)]))["storm"] == 0.0


def test_a_project_extends_the_sound_vocabulary(tmp_path: Path) -> None:
    (tmp_path / "sound.yaml").write_text(
        "setting/tea_house: {beds: {room: 0, crowd: -10}}\nsetting/street: {beds: {crowd: 0}}\n",
        encoding="utf-8",
    )
    (tmp_path / "settings.yaml").write_text(
        "tea_house: {interior: int, en: [tea house]}\n", encoding="utf-8"
    )
    vocabulary = load_vocabulary([tmp_path / "settings.yaml", tmp_path / "sound.yaml"])
    assert layers_for("tea_house", None, None, (), vocabulary=vocabulary) == (
        ("room", 0.0),
        ("crowd", -10.0),
    )
    assert layers_for("street", None, None, (), vocabulary=vocabulary) == (("crowd", 0.0),)
    (tmp_path / "sound.yaml").write_text("setting/street: {beds: {lava: 0}}\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="'setting/street' names the bed 'lava'"):
        layers_for("street", None, None, (), vocabulary=load_vocabulary([tmp_path / "sound.yaml"]))

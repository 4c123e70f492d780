"""The NumPy signal pieces against the standard and against SciPy and pyloudnorm,
which the tests (not the package) may import."""

from __future__ import annotations

import numpy as np
import pyloudnorm
import pytest
from scipy.signal import firwin, lfilter

from storyreel.cut.dsp import (
    LoudnessMeter,
    block_powers,
    integrated_loudness,
    k_weighted,
    k_weighted_loop,
    k_weighting,
    kaiser_lowpass,
    neighbourhood,
    running_mean,
    running_min,
)

RATE = 48_000
RNG = np.random.default_rng(7)


def test_k_weighting_at_48k_is_the_published_filter() -> None:
    # BS.1770-4, table 1 and table 2: the two stages' coefficients at 48 kHz.
    shelf_b = [1.53512485958697, -2.69169618940638, 1.19839281085285]
    shelf_a = [1.0, -1.69065929318241, 0.73248077421585]
    high_b, high_a = [1.0, -2.0, 1.0], [1.0, -1.99004745483398, 0.99007225036621]
    b, a = k_weighting(RATE)
    assert np.allclose(b, np.convolve(shelf_b, high_b), atol=1e-9)
    assert np.allclose(a, np.convolve(shelf_a, high_a), atol=1e-9)


def test_frequency_domain_filtering_equals_the_recursive_filter() -> None:
    x = RNG.standard_normal(RATE * 3)
    b, a = k_weighting(RATE)
    assert np.allclose(k_weighted(x, RATE), lfilter(b, a, x), atol=1e-9)


@pytest.mark.parametrize("dbfs", [-23.0, -33.0])
def test_a_1khz_tone_reads_its_level(dbfs: float) -> None:
    # EBU Tech 3341's first check: a 1 kHz sine at -23 dBFS reads -23 LUFS (±0.1),
    # here on one channel (the stereo reading is 3 dB higher).
    t = np.arange(RATE * 20) / RATE
    tone = 10 ** (dbfs / 20) * np.sin(2 * np.pi * 1000 * t)
    assert integrated_loudness(tone, RATE) + 10 * np.log10(2) == pytest.approx(dbfs, abs=0.1)


def test_gating_matches_pyloudnorm_on_speechlike_sound() -> None:
    # Bursts and pauses, so both gates matter.
    envelope = np.repeat(RNG.uniform(0, 1, 40) > 0.4, RATE // 4) * RNG.uniform(0.05, 0.5)
    x = RNG.standard_normal(len(envelope)) * envelope
    reference = pyloudnorm.Meter(RATE).integrated_loudness(x)
    assert integrated_loudness(x, RATE) == pytest.approx(reference, abs=0.05)
    assert integrated_loudness(np.zeros(RATE), RATE) == float("-inf")
    assert integrated_loudness(x[: RATE // 10], RATE) == float("-inf")  # under one block


def test_kaiser_lowpass_is_firwins() -> None:
    expected = firwin(48, 0.25, window=("kaiser", 8.0))
    assert np.allclose(kaiser_lowpass(48, 0.25, 8.0), expected, atol=1e-12)


@pytest.mark.parametrize("size", [1, 2, 12, 241, 481])
def test_running_filters_follow_their_windows(size: int) -> None:
    x = RNG.standard_normal(5_000)
    before = size // 2
    edge = np.concatenate([np.full(size, x[0]), x, np.full(size, x[-1])])
    for i in (0, 7, 2_500, len(x) - 1):
        window = edge[size + i - before : size + i - before + size]
        assert running_min(x, size)[i] == window.min()
        assert running_mean(x, size)[i] == pytest.approx(window.mean(), abs=1e-12)


def test_neighbourhood_is_every_sample_near_an_event() -> None:
    for before, after in [(0, 0), (3, 0), (0, 5), (4, 7)]:
        events = np.unique(RNG.integers(0, 200, 12))
        near = neighbourhood(events, before, after, 200)
        expected = [k for k in range(200) if any(j - before <= k <= j + after for j in events)]
        assert near.tolist() == expected
    assert len(neighbourhood(np.zeros(0, np.intp), 2, 2, 10)) == 0


def test_the_meter_follows_gains_and_local_changes_exactly() -> None:
    x = RNG.standard_normal(RATE * 4) * 0.1
    meter = LoudnessMeter(x, RATE)
    meter.scale(0.5)
    x = x * 0.5
    # Changes in a few short stretches, two of them closer than the response's length.
    at = np.concatenate([np.arange(1_000, 1_200), np.arange(1_500, 1_600), [90_000, RATE * 4 - 1]])
    delta = RNG.standard_normal(len(at)) * 0.05
    meter.add(at, delta)
    x[at] += delta
    assert np.allclose(meter.weighted, lfilter(*k_weighting(RATE), x), atol=1e-9)
    assert meter.integrated() == pytest.approx(integrated_loudness(x, RATE), abs=1e-9)


def test_a_track_laid_on_silence_is_filtered_where_it_sounds() -> None:
    # Lines laid on silence: two close together (one stretch), one far off, one at the end.
    x = np.zeros(RATE * 20)
    for start, seconds in ((RATE, 1.5), (RATE * 2 + 3_000, 0.5), (RATE * 12, 2.0)):
        x[start : start + int(seconds * RATE)] = RNG.standard_normal(int(seconds * RATE)) * 0.1
    x[-10:] = 0.2
    weighted = k_weighted(x, RATE)
    assert np.allclose(weighted, lfilter(*k_weighting(RATE), x), atol=1e-9)
    # Far from any sound the weighted track is silence itself, not the FFT's rounding.
    assert not weighted[RATE * 5 : RATE * 11].any()
    assert not k_weighted(np.zeros(RATE), RATE).any()


def test_a_filtered_loop_is_the_loop_filtered_round_and_round() -> None:
    loop = RNG.standard_normal(RATE // 3)  # shorter than the filter's response kept
    steady = lfilter(*k_weighting(RATE), np.tile(loop, 8))[-len(loop) :]
    assert np.allclose(k_weighted_loop(loop, RATE), steady, atol=1e-9)


@pytest.mark.parametrize("rate", [48_000, 44_100, 11_025])
def test_block_powers_are_each_blocks_mean_square(rate: int) -> None:
    # 11025 Hz: a 400 ms block is not four 100 ms steps of whole samples.
    x = RNG.standard_normal(rate * 3 + 77).astype(np.float32)
    block, step = round(0.4 * rate), round(0.1 * rate)
    expected = [
        np.mean(np.square(x[s : s + block], dtype=np.float64))
        for s in range(0, len(x) - block + 1, step)
    ]
    assert np.allclose(block_powers(x, rate), expected, rtol=1e-6)
    assert len(block_powers(x[: block - 1], rate)) == 0

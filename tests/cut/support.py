"""Measures of generated sound shared by the sound-world tests: what a listener would
tell apart (the balance of bands, how the level moves, how tonal it is), as numbers."""

from __future__ import annotations

import itertools

import numpy as np
from numpy.typing import NDArray

Features = NDArray[np.float64]


def band_shares(x: NDArray[np.floating], rate: int, bands: int = 12) -> Features:
    """The log share of energy in `bands` octave-ish bands from 40 Hz to 11 kHz."""
    power = np.abs(np.fft.rfft(x.astype(np.float64))) ** 2
    f = np.fft.rfftfreq(len(x), 1.0 / rate)
    edges = np.geomspace(40, 11_000, bands + 1)
    energy = np.array([power[(f >= lo) & (f < hi)].sum() for lo, hi in itertools.pairwise(edges)])
    return np.log10(energy / energy.sum() + 1e-6)


def flatness(x: NDArray[np.floating], rate: int) -> float:
    """Spectral flatness from 500 Hz to 10 kHz: near 1 for noise, near 0 for tones."""
    power = np.abs(np.fft.rfft(x.astype(np.float64))) ** 2
    f = np.fft.rfftfreq(len(x), 1.0 / rate)
    sel = power[(f > 500) & (f < 10_000)] + 1e-20
    return float(np.exp(np.mean(np.log(sel))) / np.mean(sel))


def nearest(sample: Features, centroids: dict[str, Features]) -> str:
    return min(centroids, key=lambda kind: float(np.linalg.norm(sample - centroids[kind])))


def rms_dbfs(x: NDArray[np.floating]) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(np.square(x, dtype=np.float64)))))

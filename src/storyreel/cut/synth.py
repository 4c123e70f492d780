"""The building blocks of generated sound: shaped noise, slow envelopes, tones, events
laid on a loop, and the levels they end at. NumPy alone.

Beds are built as loops whose end meets their start, so tiling them never clicks: noise
is shaped by multiplying its spectrum over the whole loop (a circular filter), slow
envelopes are noise with every component above a few hertz removed (periodic too), and
an event that runs past the loop's end wraps round to its start.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

Track = NDArray[np.float32]
Array = NDArray[np.float64]


def rng_for(*parts: object) -> np.random.Generator:
    """A generator that is the same in every process for the same parts (hash() is
    salted per process; crc32 is not)."""
    return np.random.default_rng([zlib.crc32(repr(p).encode("utf-8")) for p in parts])


def db(value: float) -> float:
    return float(10 ** (value / 20))


def band(f: Array, lo: float, hi: float, order: float = 2.0) -> Array:
    """A smooth band-pass magnitude over frequencies `f` (Hz): flat between `lo` and
    `hi`, falling `6 * order` dB per octave outside (0 turns a side off)."""
    with np.errstate(divide="ignore"):
        low = 1.0 / np.sqrt(1.0 + (lo / np.maximum(f, 1e-9)) ** (2 * order)) if lo > 0 else 1.0
    high = 1.0 / np.sqrt(1.0 + (f / hi) ** (2 * order)) if hi > 0 else 1.0
    return np.asarray(low * high, dtype=np.float64)


def peak(f: Array, centre: float, q: float) -> Array:
    """A resonance at `centre` Hz with quality `q`: 1 at the centre."""
    x = q * (f / centre - centre / np.maximum(f, 1e-9))
    return np.asarray(1.0 / np.sqrt(1.0 + x * x), dtype=np.float64)


def shaped(x: Array, rate: int, gain: Callable[[Array], Array]) -> Array:
    """`x` filtered circularly by the magnitude response `gain(f)`: the filtered loop
    still meets its start."""
    spectrum = np.fft.rfft(x)
    f = np.asarray(np.fft.rfftfreq(len(x), 1.0 / rate), dtype=np.float64)
    spectrum *= gain(f)
    spectrum[0] = 0.0  # no DC
    return np.fft.irfft(spectrum, len(x))


def noise(rng: np.random.Generator, n: int, rate: int, gain: Callable[[Array], Array]) -> Array:
    """Gaussian noise of `n` samples shaped by `gain(f)`, at unit RMS. Drawn straight as
    a spectrum (white noise's bins are independent complex Gaussians), so it costs one
    inverse FFT rather than a forward and an inverse one; it loops like any circular
    filtering."""
    bins = n // 2 + 1
    spectrum = rng.standard_normal(bins) + 1j * rng.standard_normal(bins)
    f = np.asarray(np.fft.rfftfreq(n, 1.0 / rate), dtype=np.float64)
    spectrum *= gain(f)
    spectrum[0] = 0.0  # no DC
    return unit(np.fft.irfft(spectrum, n))


def swell(rng: np.random.Generator, n: int, rate: int, hz: float, depth: float) -> Array:
    """A slow, periodic, positive envelope: 1 at its peaks, down to 1 - depth, varying
    at up to `hz`. Drawn at a control rate well above `hz` and interpolated: a full
    length FFT for something this slow would cost many times more."""
    control = max(16, round(n * max(8.0 * hz, 20.0) / rate))
    f = np.fft.rfftfreq(control, 1.0 / control)  # in cycles per loop
    spectrum = np.fft.rfft(rng.standard_normal(control))
    spectrum[(f > hz * n / rate) | (f == 0)] = 0.0
    slow = np.fft.irfft(spectrum, control)
    span = slow.max() - slow.min()
    slow = (slow - slow.min()) / (span if span > 0 else 1.0)
    at = np.arange(n) * (control / n)
    smooth = np.interp(at, np.arange(control + 1), np.append(slow, slow[0]))
    return np.asarray(1.0 - depth + depth * smooth, dtype=np.float64)


def tones(
    n: int, rate: int, freqs: list[float], amps: list[float], rng: np.random.Generator
) -> Array:
    """Steady sines at (about) `freqs`, each at a whole number of cycles per loop, with
    random phases: made by setting FFT bins, far cheaper than summing sines."""
    spectrum = np.zeros(n // 2 + 1, dtype=np.complex128)
    for f, a in zip(freqs, amps, strict=True):
        k = max(1, round(f * n / rate))
        if k < len(spectrum) - 1 and f < 0.45 * rate:
            spectrum[k] += a * n / 2 * np.exp(1j * rng.uniform(0, 2 * np.pi))
    return np.fft.irfft(spectrum, n)


def unit(x: Array) -> Array:
    rms = float(np.sqrt(np.mean(np.square(x)))) if len(x) else 0.0
    return x / rms if rms > 0 else x


def decay(n: int, rate: int, seconds: float, attack: float = 0.001) -> Array:
    """An envelope that rises over `attack` seconds then falls by 60 dB over `seconds`."""
    t = np.arange(n) / rate
    rise = np.clip(t / attack, 0.0, 1.0) if attack > 0 else np.ones(n)
    return np.asarray(rise * np.exp(-6.9 * t / seconds), dtype=np.float64)


def sweep(n: int, rate: int, f0: float, f1: float, curve: float = 1.0) -> Array:
    """The phase (radians) of a tone gliding from `f0` to `f1` Hz over `n` samples."""
    t = np.linspace(0.0, 1.0, n, endpoint=False) ** curve
    f = np.minimum(f0 + (f1 - f0) * t, 0.45 * rate)
    return np.asarray(2 * np.pi * np.cumsum(f) / rate, dtype=np.float64)


def partials(
    n: int, rate: int, freqs: Array | list[float], amps: list[float], decays: list[float]
) -> Array:
    """A struck body: sine partials at `freqs`, each with its own amplitude and decay
    (seconds to fall 60 dB); those above the rate's limit are left out."""
    t = np.arange(n) / rate
    out = np.zeros(n)
    for f, a, d in zip(freqs, amps, decays, strict=True):
        if f < 0.45 * rate:
            out += a * np.sin(2 * np.pi * f * t) * np.exp(-6.9 * t / d)
    return out


def lay(loop: Array, event: Array, at: int) -> None:
    """Add `event` into `loop` from sample `at`, wrapping past the end to the start."""
    n = len(loop)
    event = event[:n]
    at %= n
    head = min(len(event), n - at)
    loop[at : at + head] += event[:head]
    if head < len(event):
        loop[: len(event) - head] += event[head:]


def scatter(
    rng: np.random.Generator, n: int, rate: int, per_second: float, spread: float = 1.0
) -> Array:
    """Sparse impulses, about `per_second` of them, with random signs and amplitudes
    whose spread (log-normal, `spread` in nepers) makes a few of them loud."""
    count = max(1, round(per_second * n / rate))
    out = np.zeros(n)
    where = rng.integers(0, n, count)
    np.add.at(out, where, rng.choice((-1.0, 1.0), count) * rng.lognormal(0.0, spread, count))
    return out


def circular(x: Array, kernel: Array) -> Array:
    """`x` convolved with `kernel`, wrapping round the loop."""
    n = len(x)
    return np.fft.irfft(np.fft.rfft(x) * np.fft.rfft(kernel[:n], n), n)


def periodic(n: int, rate: int, hz: float) -> float:
    """The frequency nearest `hz` that fits a whole number of cycles into `n` samples,
    so a tone or a beat at it loops without a seam."""
    cycles = max(1, round(hz * n / rate))
    return cycles * rate / n


def at_level(x: Array, rms_dbfs: float, ceiling_dbfs: float) -> Track:
    """`x` at the RMS level `rms_dbfs`, its peaks above half the ceiling bent smoothly
    under `ceiling_dbfs` (quieter samples untouched). In float32, touching only the
    peaks after the first pass: this runs over every second of every bed and score."""
    knee = db(ceiling_dbfs) / 2
    target = db(rms_dbfs)
    y = (x - np.mean(x)).astype(np.float32)
    if len(y) == 0:
        return y
    for _ in range(3):  # limiting lowers the RMS a little: set it again
        rms = float(np.sqrt(np.dot(y, y) / len(y)))
        if rms == 0:
            break
        y *= np.float32(target / rms)
        over = np.flatnonzero(np.abs(y) > knee)
        if len(over) == 0:
            break
        peaks = np.abs(y[over])
        y[over] = np.sign(y[over]) * (knee + knee * np.tanh((peaks - knee) / knee))
    return y


# --- calls and creaks, shared by the beds and the foley -----------------------------------


def gull(rng: np.random.Generator, rate: int) -> Array:
    """One cry of a gull: a bright rough tone rising, then falling away."""
    m = round(rng.uniform(0.22, 0.32) * rate)
    top = rng.uniform(1900, 2500)
    half = m // 3
    phase = np.concatenate(
        [sweep(half, rate, top * 0.7, top), sweep(m - half, rate, top, top * 0.55)]
    )
    phase[half:] += phase[half - 1]
    tone = np.sin(phase) + 0.5 * np.sin(2 * phase) + 0.3 * np.sin(3 * phase)
    env = np.sin(np.pi * np.linspace(0, 1, m)) ** 0.6
    rough = 1 + 0.4 * np.sin(2 * np.pi * 70 * np.arange(m) / rate)
    return np.asarray(tone * env * rough)


def creak(rng: np.random.Generator, rate: int) -> Array:
    """Wood or rope under strain: a train of stick-slip pulses whose rate glides."""
    m = round(rng.uniform(0.5, 0.9) * rate)
    phase = sweep(m, rate, rng.uniform(25, 40), rng.uniform(60, 90)) / (2 * np.pi)
    pulses = np.diff(np.floor(phase), prepend=0.0)
    kernel_n = round(0.01 * rate)
    kernel = np.sin(2 * np.pi * 650 * np.arange(kernel_n) / rate) * decay(kernel_n, rate, 0.01)
    body = np.convolve(pulses, kernel)[:m]
    return np.asarray(body * np.sin(np.pi * np.linspace(0, 1, m)))


def bird(rng: np.random.Generator, rate: int) -> Array:
    """A song bird's phrase: a run of chirps, a warble, or a two-note whistle."""
    style = int(rng.integers(0, 3))
    if style == 0:  # chirps: quick upward sweeps
        out = np.zeros(round(0.6 * rate))
        m = round(0.04 * rate)
        lo = rng.uniform(2500, 4000)
        for k in range(int(rng.integers(3, 7))):
            chirp = np.sin(sweep(m, rate, lo, lo * 1.5)) * np.sin(np.pi * np.linspace(0, 1, m))
            lay(out, chirp, round(k * 0.085 * rate))
        return out
    if style == 1:  # a warble: a tone trembling fast
        m = round(rng.uniform(0.4, 0.7) * rate)
        t = np.arange(m) / rate
        centre = rng.uniform(2800, 4200)
        f = centre + 500 * np.sin(2 * np.pi * rng.uniform(14, 22) * t)
        return np.asarray(np.sin(2 * np.pi * np.cumsum(f) / rate) * np.sin(np.pi * t / t[-1]))
    m = round(0.22 * rate)  # two whistled notes, the second lower
    hi = rng.uniform(2000, 3000)
    notes = []
    for note in (hi, hi * 0.8):
        glide = sweep(m, rate, note * 1.02, note)
        notes.append(np.sin(glide) * np.sin(np.pi * np.linspace(0, 1, m)))
        notes.append(np.zeros(round(0.08 * rate)))
    return np.concatenate(notes)


def tile(loop: Track, n: int, offset: int = 0) -> Track:
    """`n` samples of `loop` played round and round, from sample `offset` of it."""
    if len(loop) == 0:
        return np.zeros(n, dtype=np.float32)
    offset %= len(loop)
    out: Track = np.resize(np.concatenate([loop[offset:], loop[:offset]]) if offset else loop, n)
    return out

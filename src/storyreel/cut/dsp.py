"""The few signal-processing pieces the mix needs, in NumPy alone.

Loudness (ITU-R BS.1770-4: K-weighting, 400 ms blocks, absolute and relative gates),
the 4x interpolation filter of the true-peak meter, running minimum and mean, and the
stretches around sparse events (peaks), where the limiter does its work. SciPy has all
of these but the last, and importing `scipy.signal` costs most of a second, which every
make that masters its sound would pay again.
"""

from __future__ import annotations

import functools

import numpy as np
from numpy.typing import NDArray

Signal = NDArray[np.floating]

# BS.1770's block: 400 ms, a new one every 100 ms (75 % overlap).
_BLOCK_S = 0.4
_STEP_S = 0.1
_ABSOLUTE_GATE_LKFS = -70.0
_RELATIVE_GATE_LU = -10.0
# The K-weighting's gain at 1 kHz, taken off so that a 1 kHz tone reads its level.
_K_OFFSET = -0.691
# The K-weighting filters as analogue prototypes, whose bilinear transforms at 48 kHz
# give the coefficients BS.1770 publishes: a high shelf of about +4 dB above 1.5 kHz
# (the head's effect), then a second-order high-pass at about 38 Hz (RLB weighting).
_SHELF_HZ, _SHELF_DB, _SHELF_Q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
_HIGHPASS_HZ, _HIGHPASS_Q = 38.13547087602444, 0.5003270373238773
# How much of the filter's impulse response is kept: by 0.1 s it has fallen more than
# 200 dB under its peak (a 38 Hz high-pass decays within tens of milliseconds), far
# below what float64, let alone float32, can hold next to the signal.
_RESPONSE_S = 0.1
# The FFT size of the overlap-add blocks: one size for every signal, so its plan and
# the filter's spectrum are computed once per process, not once per film length.
_BLOCK = 1 << 16


def k_weighting(rate: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The K-weighting as one 4th-order filter: numerator and denominator coefficients
    (the two biquads multiplied)."""
    k = np.tan(np.pi * _SHELF_HZ / rate)
    vh = 10 ** (_SHELF_DB / 20)
    vb = vh**0.4996667741545416
    a0 = 1 + k / _SHELF_Q + k * k
    shelf_b = np.array(
        [vh + vb * k / _SHELF_Q + k * k, 2 * (k * k - vh), vh - vb * k / _SHELF_Q + k * k]
    )
    shelf_a = np.array([a0, 2 * (k * k - 1), 1 - k / _SHELF_Q + k * k])
    k = np.tan(np.pi * _HIGHPASS_HZ / rate)
    high_b = np.array([1.0, -2.0, 1.0])
    high_a = np.array(
        [
            1.0,
            2 * (k * k - 1) / (1 + k / _HIGHPASS_Q + k * k),
            (1 - k / _HIGHPASS_Q + k * k) / (1 + k / _HIGHPASS_Q + k * k),
        ]
    )
    return np.convolve(shelf_b / a0, high_b), np.convolve(shelf_a / a0, high_a)


def k_weighted(x: Signal, rate: int) -> NDArray[np.floating]:
    """`x` through the K-weighting filter. In the signal's own precision: float32 is
    twice as fast and exact enough to measure loudness to a thousandth of a LU.

    A track laid on silence (lines, effects) is filtered only where it sounds: each
    sounding stretch with the response's length after it, the stretches end to end, as
    LoudnessMeter.add does; the silence between stays exactly zero."""
    _, taps = _kernel(rate)
    stretches = _sounding(x, taps)
    covered = sum(end - start for start, end in stretches)
    if covered > _SPARSE_SHARE * len(x):
        return _overlap_add(x, rate)
    laid = np.concatenate([x[start:end] for start, end in stretches] or [x[:0]])
    filtered = _overlap_add(laid, rate)
    out = np.zeros(len(x), dtype=filtered.dtype)
    at = 0
    for start, end in stretches:
        out[start:end] = filtered[at : at + end - start]
        at += end - start
    return out


# Silence is looked for in steps this long (samples), and a track is filtered stretch
# by stretch when its sounding stretches cover at most this share of it.
_QUIET_STEP = 512
_SPARSE_SHARE = 0.6


def _sounding(x: Signal, taps: int) -> list[tuple[int, int]]:
    """The stretches [start, end) of `x` outside which it is exactly zero, each running
    on for `taps` - 1 samples (the filter's response to its last sample), none closer
    to the next than that. Found step by step: one pass, a few stretches."""
    n = len(x)
    whole = n // _QUIET_STEP
    sounds = np.any(x[: whole * _QUIET_STEP].reshape(whole, _QUIET_STEP) != 0, axis=1)
    loud = np.flatnonzero(np.r_[sounds, np.any(x[whole * _QUIET_STEP :] != 0)])
    if len(loud) == 0:
        return []
    # A new stretch starts where the step after a gap lies beyond the last one's reach.
    reach = -(-(taps - 1) // _QUIET_STEP)
    breaks = np.flatnonzero(np.diff(loud) > reach + 1)
    firsts = loud[np.r_[0, breaks + 1]]
    lasts = loud[np.r_[breaks, len(loud) - 1]]
    return [
        (int(first) * _QUIET_STEP, min(n, (int(last) + 1) * _QUIET_STEP + taps - 1))
        for first, last in zip(firsts, lasts, strict=True)
    ]


def k_weighted_loop(x: Signal, rate: int) -> NDArray[np.floating]:
    """One period of `x` repeated forever, through the K-weighting filter: the filtered
    copy of a seamless loop, itself seamless, with no onset at its start."""
    _, taps = _kernel(rate)
    before = np.tile(x, -(-taps // max(len(x), 1)))[-taps:] if len(x) else x
    out: NDArray[np.floating] = _overlap_add(np.concatenate([before, x]), rate)[len(before) :]
    return out


def _overlap_add(x: Signal, rate: int) -> NDArray[np.floating]:
    """`x` through the K-weighting filter, by overlap-add: blocks of the signal, each
    padded to `_BLOCK` samples, multiplied in the frequency domain by the filter's
    response, their tails added onto the next block's start."""
    spectrum, taps = _kernel(rate)
    dtype = np.result_type(x.dtype, np.float32)
    n = len(x)
    hop = _BLOCK - taps + 1  # a block of `hop` inputs fills `_BLOCK` outputs, no wrap
    blocks = max(1, -(-n // hop))
    padded = np.zeros(blocks * hop, dtype=dtype)
    padded[:n] = x
    grid = np.zeros((blocks, _BLOCK), dtype=dtype)
    grid[:, :hop] = padded.reshape(blocks, hop)
    filtered = np.fft.irfft(
        np.fft.rfft(grid, axis=1) * spectrum.astype(np.result_type(dtype, np.complex64)),
        _BLOCK,
        axis=1,
    )
    out = np.zeros((blocks + 1) * hop, dtype=dtype)
    out[: blocks * hop] = filtered[:, :hop].reshape(-1)
    out[hop:].reshape(blocks, hop)[:, : taps - 1] += filtered[:, hop:]
    return out[:n]


@functools.lru_cache(maxsize=4)
def _kernel(rate: int) -> tuple[NDArray[np.complex128], int]:
    """The spectrum of the K-weighting's impulse response cut at `_RESPONSE_S`, on a
    block of `_BLOCK` points, and its length in samples. The response is read off the
    filter's frequency response B(z) / A(z) on that grid (its periodic copies, a block
    apart, have decayed to nothing)."""
    taps = round(_RESPONSE_S * rate)
    if taps * 4 > _BLOCK:
        raise ValueError(f"{rate} Hz is beyond the loudness meter's rates (up to 96 kHz)")
    b, a = k_weighting(rate)
    z = np.exp(-2j * np.pi * np.arange(_BLOCK // 2 + 1) / _BLOCK)
    impulse = np.fft.irfft(np.polyval(b[::-1], z) / np.polyval(a[::-1], z), _BLOCK)[:taps]
    return np.fft.rfft(impulse, _BLOCK), taps


def integrated_loudness(x: Signal, rate: int) -> float:
    """BS.1770 integrated loudness of one channel, in LUFS; -inf when every block is
    below the absolute gate (silence), or the signal is shorter than one block."""
    return gated_loudness(k_weighted(x, rate), rate)


def block_powers(weighted: Signal, rate: int) -> NDArray[np.float64]:
    """The mean square of every 400 ms block, one every 100 ms, of a K-weighted signal.

    A block is four steps: each step's sum of squares is taken once, and each block
    adds up its four."""
    block, step = round(_BLOCK_S * rate), round(_STEP_S * rate)
    if len(weighted) < block:
        return np.zeros(0)
    if block != 4 * step:  # a rate that is not a multiple of 10 Hz: block by block
        power = np.concatenate([[0.0], np.cumsum(np.square(weighted, dtype=np.float64))])
        starts = np.arange(0, len(weighted) - block + 1, step)
        out: NDArray[np.float64] = (power[starts + block] - power[starts]) / block
        return out
    count = len(weighted) // step
    grid = weighted[: count * step].reshape(count, step)
    # A dot product per step, in the signal's precision: float32 sums 4800 squares to a
    # few millionths, a hundred times finer than a thousandth of a LU needs.
    steps = np.einsum("ij,ij->i", grid, grid).astype(np.float64)
    out = (steps[:-3] + steps[1:-2] + steps[2:-1] + steps[3:]) / block
    return out


def gated_loudness(weighted: Signal, rate: int) -> float:
    """Integrated loudness from the K-weighted signal: 400 ms blocks, every 100 ms, the
    absolute gate, then the relative gate."""
    z = block_powers(weighted, rate)
    if len(z) == 0:
        return float("-inf")
    with np.errstate(divide="ignore"):
        levels = _K_OFFSET + 10 * np.log10(z)
    z = z[levels > _ABSOLUTE_GATE_LKFS]
    if len(z) == 0:
        return float("-inf")
    relative = _K_OFFSET + 10 * np.log10(z.mean()) + _RELATIVE_GATE_LU
    with np.errstate(divide="ignore"):
        z = z[_K_OFFSET + 10 * np.log10(z) > relative]
    return float(_K_OFFSET + 10 * np.log10(z.mean()))


class LoudnessMeter:
    """The integrated loudness of a signal that is being worked on: its K-weighted copy
    is kept, and follows a gain (the filter is linear) and a change to a few stretches
    (only they and the response's length after them are filtered), so the loudness is
    read again without filtering the whole signal again."""

    def __init__(self, x: Signal, rate: int, *, weighted: Signal | None = None) -> None:
        """The meter of `x`; `weighted` is its K-weighted copy when the caller has one
        (the filter is linear: a sum of weighted stems is the weighted sum)."""
        self.rate = rate
        self.weighted = k_weighted(x, rate) if weighted is None else weighted

    def integrated(self) -> float:
        return gated_loudness(self.weighted, self.rate)

    def scale(self, gain: float) -> None:
        self.weighted *= gain

    def add(self, at: NDArray[np.intp], delta: Signal) -> None:
        """The signal has had `delta` added at the sorted positions `at`."""
        changed = delta != 0
        at, delta = at[changed], delta[changed]
        _, taps = _kernel(self.rate)
        # Each stretch of changes with the response's length after it, end to end: a
        # stretch's response ends within its own room, and reaches back to nothing of
        # the stretch before (its room is silent), so filtering them together is exact.
        reach = neighbourhood(at, 0, taps - 1, len(self.weighted))
        laid = np.zeros(len(reach), dtype=self.weighted.dtype)
        laid[np.searchsorted(reach, at)] = delta
        self.weighted[reach] += k_weighted(laid, self.rate)


def kaiser_lowpass(taps: int, cutoff: float, beta: float) -> NDArray[np.float64]:
    """A windowed-sinc low-pass FIR: `cutoff` as a fraction of the Nyquist frequency,
    a Kaiser window of shape `beta`, scaled to unity gain at DC."""
    n = np.arange(taps) - (taps - 1) / 2
    h = cutoff * np.sinc(cutoff * n) * np.kaiser(taps, beta)
    out: NDArray[np.float64] = h / h.sum()
    return out


def neighbourhood(indices: NDArray[np.intp], before: int, after: int, n: int) -> NDArray[np.intp]:
    """Every k in [0, n) with j - before <= k <= j + after for some j of the sorted
    `indices`, in order: the stretches around sparse events, without a pass over all n."""
    if len(indices) == 0:
        return np.zeros(0, dtype=np.intp)
    # A new stretch starts where the next event is too far to touch the last stretch.
    gaps = np.flatnonzero(np.diff(indices) > before + after + 1)
    starts = np.maximum(indices[np.r_[0, gaps + 1]] - before, 0)
    ends = np.minimum(indices[np.r_[gaps, len(indices) - 1]] + after + 1, n)
    lengths = ends - starts
    # One arange over all stretches, each shifted to where its stretch starts.
    shift = np.repeat(starts - np.r_[0, np.cumsum(lengths)[:-1]], lengths)
    out: NDArray[np.intp] = np.arange(int(lengths.sum()), dtype=np.intp) + shift
    return out


def running_min(x: Signal, size: int) -> NDArray[np.float64]:
    """out[i] = min(x[i - size // 2 : i - size // 2 + size]); outside `x` repeats its end
    values. Blocks of `size`, each with its prefix and suffix minima (van Herk and
    Gil-Werman), so the cost does not grow with the window."""
    padded = np.concatenate([np.full(size, x[0]), x, np.full(size, x[-1])]) if len(x) else x
    return _running(np.minimum, padded, size, 0.0)[size : size + len(x)]


def running_mean(x: Signal, size: int) -> NDArray[np.float64]:
    """The mean of the same centred window; outside `x` repeats its end values."""
    if len(x) == 0:
        return np.zeros(0)
    before = size // 2
    padded = np.concatenate([np.full(before, x[0]), x, np.full(size - before, x[-1])])
    total = np.concatenate([[0.0], np.cumsum(padded, dtype=np.float64)])
    out: NDArray[np.float64] = (total[size : size + len(x)] - total[: len(x)]) / size
    return out


def _running(op: np.ufunc, x: Signal, size: int, fill: float) -> NDArray[np.float64]:
    n = len(x)
    if n == 0:
        return np.zeros(0)
    before = size // 2
    # Output i's window starts at padded index i; blocks of `size` cover it in two.
    length = n + size - 1
    blocks = -(-length // size) + 1
    # In the signal's own precision: float32 halves the memory the passes stream through.
    padded = np.full(blocks * size, fill, dtype=np.result_type(x.dtype, np.float32))
    padded[before : before + n] = x
    grid = padded.reshape(blocks, size)
    prefix = op.accumulate(grid, axis=1).reshape(-1)
    suffix = op.accumulate(grid[:, ::-1], axis=1)[:, ::-1].reshape(-1)
    i = np.arange(n)
    out: NDArray[np.float64] = op(suffix[i], prefix[i + size - 1])
    return out

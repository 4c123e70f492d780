"""The few signal-processing pieces the mix needs, in NumPy alone.

Loudness (ITU-R BS.1770-4: K-weighting, 400 ms blocks, absolute and relative gates),
the 4x interpolation filter of the true-peak meter, and running minimum, maximum and
mean. SciPy has all of these, but importing `scipy.signal` costs most of a second,
which every make that masters its sound would pay again.
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
# How long the filters' impulse response is followed before it is taken as ended
# (it has fallen by far more than 100 dB by then).
_TAIL_S = 1.0


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
    """`x` through the K-weighting filter, in the frequency domain: the signal padded by
    the filter's tail (so nothing wraps around), multiplied by the filter's response.
    In the signal's own precision: float32 is twice as fast and exact enough to measure
    loudness to a thousandth of a LU."""
    size = _fft_size(len(x) + int(_TAIL_S * rate))
    spectrum = np.fft.rfft(x, size)
    response = _response(rate, size).astype(spectrum.dtype, copy=False)
    out: NDArray[np.floating] = np.fft.irfft(spectrum * response, size)[: len(x)]
    return out


@functools.lru_cache(maxsize=4)
def _response(rate: int, size: int) -> NDArray[np.complex128]:
    """The K-weighting's response B(z) / A(z) at z = e^(jw) on an FFT of `size` points
    (the same measurements of one film ask for it again and again)."""
    b, a = k_weighting(rate)
    z = np.exp(-2j * np.pi * np.arange(size // 2 + 1) / size)
    response = np.polyval(b[::-1], z) / np.polyval(a[::-1], z)
    return np.asarray(response, dtype=np.complex128)


def integrated_loudness(x: Signal, rate: int) -> float:
    """BS.1770 integrated loudness of one channel, in LUFS; -inf when every block is
    below the absolute gate (silence), or the signal is shorter than one block."""
    block, step = round(_BLOCK_S * rate), round(_STEP_S * rate)
    if len(x) < block:
        return float("-inf")
    power = np.concatenate([[0.0], np.cumsum(k_weighted(x, rate) ** 2)])
    starts = np.arange(0, len(x) - block + 1, step)
    z = (power[starts + block] - power[starts]) / block
    with np.errstate(divide="ignore"):
        levels = _K_OFFSET + 10 * np.log10(z)
    z = z[levels > _ABSOLUTE_GATE_LKFS]
    if len(z) == 0:
        return float("-inf")
    relative = _K_OFFSET + 10 * np.log10(z.mean()) + _RELATIVE_GATE_LU
    with np.errstate(divide="ignore"):
        z = z[_K_OFFSET + 10 * np.log10(z) > relative]
    return float(_K_OFFSET + 10 * np.log10(z.mean()))


def kaiser_lowpass(taps: int, cutoff: float, beta: float) -> NDArray[np.float64]:
    """A windowed-sinc low-pass FIR: `cutoff` as a fraction of the Nyquist frequency,
    a Kaiser window of shape `beta`, scaled to unity gain at DC."""
    n = np.arange(taps) - (taps - 1) / 2
    h = cutoff * np.sinc(cutoff * n) * np.kaiser(taps, beta)
    out: NDArray[np.float64] = h / h.sum()
    return out


def running_max(x: Signal, size: int) -> NDArray[np.float64]:
    """out[i] = max(x[i - size // 2 : i - size // 2 + size]), outside `x` counting as
    zero: blocks of `size`, each with its prefix and suffix maxima (van Herk and
    Gil-Werman), so the cost does not grow with the window."""
    return _running(np.maximum, x, size, 0.0)


def running_min(x: Signal, size: int) -> NDArray[np.float64]:
    """As `running_max`, for the minimum; outside `x` repeats its end values."""
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


def _fft_size(n: int) -> int:
    """The smallest 2^a * 3^b * 5^c at least `n`: sizes the FFT handles fastest."""
    best = 1 << max(0, (n - 1).bit_length())
    power5 = 1
    while power5 < best:
        power3 = power5
        while power3 < best:
            size = power3
            while size < n:
                size *= 2
            best = min(best, size)
            power3 *= 3
        power5 *= 5
    return best

"""A voice from a recording: where the speech is, its pitch, its range and its pace,
mapped onto a VoiceProfile; and a clean reference recording for cloning engines.

The mapping is calibrated against our own synthesizer in the same process: the same
measurements are taken on espeak-ng speaking a reference sentence at known settings,
so "pitch 62" means "sounds at this height when espeak-ng speaks it", whatever the
variant's own base pitch is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from storyreel.voice import VoiceProfile, synthesize

Samples = NDArray[np.float32]

# Analysis frames: 10 ms hops; 40 ms pitch windows hold two periods of a 50 Hz voice.
_HOP = 0.010
_WINDOW = 0.040
_F0_MIN = 60.0
_F0_MAX = 500.0
# YIN's threshold on the cumulative mean normalised difference (the paper's 0.1-0.15).
_YIN_THRESHOLD = 0.15
# Speech and pause around it: what is kept for cloning engines.
_PAD = 0.12

# Voices below this median pitch are cast with a male variant: the overlap of typical
# adult ranges (85-180 Hz and 165-255 Hz) is split in the middle.
_MALE_BELOW_HZ = 165.0
_MALE_VARIANT = "m3"
_FEMALE_VARIANT = "f3"
_CALIBRATION_TEXT = (
    "The lantern maker opened her shop before sunrise, and the whole street smelled of rain."
)


@dataclass(frozen=True)
class VoiceMeasure:
    """What was heard, in physical units."""

    start: float  # the speech segment, seconds into the clip
    end: float
    pitch_hz: float  # median f0 over voiced frames
    range_semitones: float  # 10th to 90th percentile of f0
    syllables_per_second: float

    @property
    def duration(self) -> float:
        return self.end - self.start


def _frames(samples: Samples, size: int, hop: int) -> NDArray[np.float32]:
    if len(samples) < size:
        return np.zeros((0, size), np.float32)
    count = 1 + (len(samples) - size) // hop
    index = np.arange(size)[None, :] + hop * np.arange(count)[:, None]
    framed: NDArray[np.float32] = samples[index]
    return framed


def energy_db(samples: Samples, rate: int) -> NDArray[np.float64]:
    """Loudness per 10 ms hop (20 ms frames), in dB."""
    hop = round(rate * _HOP)
    frames = _frames(samples, hop * 2, hop).astype(np.float64)
    rms = np.sqrt((frames**2).mean(axis=1) + 1e-12)
    return np.asarray(20 * np.log10(rms), dtype=np.float64)


def speech_mask(level: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Hops loud enough to be speech: above the noise floor by a good part of the
    distance to the loud end, and never more than 40 dB below the loudest."""
    if len(level) == 0:
        return np.zeros(0, bool)
    floor = float(np.percentile(level, 10))
    peak = float(np.percentile(level, 99))
    if peak - floor < 12:
        return np.zeros(len(level), bool)  # no contrast: silence or steady noise
    threshold = max(floor + 0.3 * (peak - floor), peak - 40)
    return level > threshold


def speech_segment(samples: Samples, rate: int) -> tuple[float, float] | None:
    """The span from the first to the last speech, in seconds; None if there is none."""
    voiced = np.flatnonzero(speech_mask(energy_db(samples, rate)))
    if voiced.size < 20:  # under 0.2 s of sound in all
        return None
    start = max(0.0, float(voiced[0]) * _HOP - _PAD)
    end = min(len(samples) / rate, float(voiced[-1] + 2) * _HOP + _PAD)
    return start, end


def pitch_track(samples: Samples, rate: int) -> NDArray[np.float64]:
    """f0 in Hz of each voiced 10 ms hop, by YIN (de Cheveigné & Kawahara, 2002)."""
    hop = round(rate * _HOP)
    size = round(rate * _WINDOW)
    lag_min = int(rate / _F0_MAX)
    lag_max = int(rate / _F0_MIN)
    frames = _frames(samples, size + lag_max, hop).astype(np.float64)
    if len(frames) == 0:
        return np.zeros(0)
    loud = speech_mask(energy_db(samples, rate))[: len(frames)]
    frames = frames[: len(loud)][loud]
    if len(frames) == 0:
        return np.zeros(0)
    # d(τ) = Σ (x_j − x_{j+τ})² over the window = e(0) + e(τ) − 2 r(τ), with the
    # cross-correlation r from one FFT per frame.
    n = 1 << int(np.ceil(np.log2(2 * (size + lag_max))))
    head = np.zeros_like(frames)
    head[:, :size] = frames[:, :size]
    spectrum = np.conj(np.fft.rfft(head, n)) * np.fft.rfft(frames, n)
    r = np.fft.irfft(spectrum, n)[:, : lag_max + 1]
    squares = np.concatenate([np.zeros((len(frames), 1)), np.cumsum(frames**2, axis=1)], axis=1)
    lags = np.arange(lag_max + 1)
    e_lag = squares[:, lags + size] - squares[:, lags]
    d = squares[:, size : size + 1] + e_lag - 2 * r
    d[:, 0] = 0
    running = np.cumsum(d[:, 1:], axis=1)
    cmnd = np.ones_like(d)
    cmnd[:, 1:] = d[:, 1:] * lags[1:] / np.maximum(running, 1e-12)

    f0: list[float] = []
    for row in cmnd:
        below = np.flatnonzero(row[lag_min:] < _YIN_THRESHOLD)
        if below.size == 0:
            continue  # unvoiced: no clear period
        lag = lag_min + int(below[0])
        while lag + 1 <= lag_max and row[lag + 1] < row[lag]:
            lag += 1  # down to the bottom of the dip
        if lag <= lag_min or lag >= lag_max:
            continue
        a, b, c = row[lag - 1], row[lag], row[lag + 1]
        bend = a - 2 * b + c
        shift = 0.5 * (a - c) / bend if bend > 1e-12 else 0.0
        f0.append(rate / (lag + shift))
    return np.array(f0, dtype=np.float64)


def syllable_rate(samples: Samples, rate: int) -> float:
    """Syllable-like loudness peaks per second: vowels are the loud parts of speech,
    so peaks of the smoothed envelope, separated by real dips, count syllables."""
    level = energy_db(samples, rate)
    if len(level) < 10:
        return 0.0
    envelope = np.convolve(10 ** (level / 20), np.ones(5) / 5, mode="same")
    loud = speech_mask(level)
    peaks: list[int] = []
    for i in range(1, len(envelope) - 1):
        if not loud[i] or envelope[i] < envelope[i - 1] or envelope[i] < envelope[i + 1]:
            continue
        if peaks:
            last = peaks[-1]
            dip = float(envelope[last:i].min())
            if i - last < 8 or dip > 0.75 * min(envelope[last], envelope[i]):
                # Too close, or no real dip between: one syllable, keep its louder peak.
                if envelope[i] > envelope[last]:
                    peaks[-1] = i
                continue
        peaks.append(i)
    seconds = len(samples) / rate
    return len(peaks) / seconds if seconds > 0 else 0.0


def measure_voice(samples: Samples, rate: int) -> VoiceMeasure | None:
    """Pitch, range and pace of the speech in `samples`; None when nobody speaks."""
    segment = speech_segment(samples, rate)
    if segment is None:
        return None
    speech = samples[round(segment[0] * rate) : round(segment[1] * rate)]
    f0 = pitch_track(speech, rate)
    if len(f0) < 10:
        return None  # noise or whisper: nothing with a pitch
    semitones = 12 * np.log2(f0)
    spread = float(np.percentile(semitones, 90) - np.percentile(semitones, 10))
    return VoiceMeasure(
        start=segment[0],
        end=segment[1],
        pitch_hz=float(np.median(f0)),
        range_semitones=spread,
        syllables_per_second=syllable_rate(speech, rate),
    )


# --- onto a VoiceProfile ----------------------------------------------------------------


@dataclass(frozen=True)
class _Calibration:
    pitches: tuple[int, ...]  # profile pitch values
    hz: tuple[float, ...]  # the median f0 each gives
    range_semitones: float  # at range 50
    syllables_per_second: float  # at rate 165


@lru_cache(maxsize=4)
def _calibrate(variant: str) -> _Calibration:
    hz: list[float] = []
    pitches = (0, 25, 50, 75, 99)
    at_default: VoiceMeasure | None = None
    for pitch in pitches:
        speech = synthesize(_CALIBRATION_TEXT, "en", VoiceProfile(variant=variant, pitch=pitch))
        measured = measure_voice(speech.samples, speech.sample_rate)
        if measured is None:  # pragma: no cover - espeak-ng always speaks this sentence
            raise RuntimeError(f"espeak-ng variant {variant} gave no measurable speech")
        hz.append(measured.pitch_hz)
        if pitch == 50:
            at_default = measured
    assert at_default is not None
    return _Calibration(
        pitches, tuple(hz), at_default.range_semitones, at_default.syllables_per_second
    )


def _clamp(value: float, low: int, high: int) -> int:
    return int(min(high, max(low, round(value))))


def profile_for(measure: VoiceMeasure) -> VoiceProfile:
    """The espeak-ng settings that come closest to the measured voice."""
    male = measure.pitch_hz < _MALE_BELOW_HZ
    variant = _MALE_VARIANT if male else _FEMALE_VARIANT
    cal = _calibrate(variant)
    # Pitch settings act on a log-frequency scale closely enough to interpolate there.
    log_hz = np.log2(cal.hz)
    order = np.argsort(log_hz)
    pitch = np.interp(np.log2(measure.pitch_hz), log_hz[order], np.array(cal.pitches)[order])
    slope = (cal.pitches[-1] - cal.pitches[0]) / max(1e-6, log_hz[-1] - log_hz[0])
    # Past the calibrated ends, extend the line rather than flattening out at them.
    if np.log2(measure.pitch_hz) > log_hz.max():
        pitch = cal.pitches[-1] + (np.log2(measure.pitch_hz) - log_hz.max()) * slope
    elif np.log2(measure.pitch_hz) < log_hz.min():
        pitch = cal.pitches[0] - (log_hz.min() - np.log2(measure.pitch_hz)) * slope
    spread = 50 * measure.range_semitones / max(cal.range_semitones, 1e-6)
    pace = 165 * measure.syllables_per_second / max(cal.syllables_per_second, 1e-6)
    return VoiceProfile(
        variant=variant,
        gender="male" if male else "female",
        pitch=_clamp(float(pitch), 0, 99),
        range=_clamp(spread, 0, 99),
        rate=_clamp(pace, 80, 450),
    )


# --- the reference recording ------------------------------------------------------------


def clean_reference(samples: Samples, rate: int, measure: VoiceMeasure) -> Samples:
    """The speech segment alone, without DC offset, peak-normalised to -1 dBFS."""
    speech = samples[round(measure.start * rate) : round(measure.end * rate)].astype(np.float64)
    speech -= speech.mean()
    peak = float(np.abs(speech).max()) if len(speech) else 0.0
    if peak > 0:
        speech *= 10 ** (-1 / 20) / peak
    return speech.astype(np.float32)

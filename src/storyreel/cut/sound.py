"""The film's sound mix: dialogue on top, a music bed ducked under it, an ambience,
all mastered to a loudness target with the true peak limited.

    track = master(dialogue, music=bed, ambience=room, target=-16.0)

Loudness is measured as the film plays it: the mono mix goes out on both stereo
channels, and ITU-R BS.1770 sums channel energies, so a mono signal measured alone
would read 3 LU quieter than the film. Every measurement here duplicates the channel.

True peak is the peak of the signal oversampled 4x (BS.1770's method): the peaks a
DAC or a lossy decoder reconstructs between samples. The limiter works on those.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray

from storyreel.cut.dsp import (
    LoudnessMeter,
    gated_loudness,
    integrated_loudness,
    k_weighted,
    kaiser_lowpass,
    neighbourhood,
    running_mean,
    running_min,
)
from storyreel.errors import SoundError
from storyreel.timeline import FILM_RATE

Track = NDArray[np.float32]

TARGET_LUFS = -16.0  # streaming platforms' common target for stereo programme
CEILING_DBTP = -1.0
# The limiter aims a little under the ceiling: AAC encoding adds up to a few tenths
# of a dB of overshoot, and the ceiling is promised for the finished film.
_LIMIT_DBTP = -1.8
_OVERSAMPLE = 4
_TWO_CHANNELS_DB = 10 * float(np.log10(2.0))
# Limiter attack/release: a 5 ms lookahead window, fast enough to catch a plosive and
# slow enough not to distort the voice's low end.
_LIMIT_WINDOW_S = 0.005

# The music bed sits this far under the dialogue, and drops further while someone is
# speaking (sidechain ducking); the attack starts before the speech does.
MUSIC_UNDER_DIALOGUE_LU = 10.0
AMBIENCE_UNDER_DIALOGUE_LU = 16.0
# Effects sit close under the voices: a footstep or a blow is heard, not mixed away.
# Loudness gating measures them where they sound, not the silence between.
FOLEY_UNDER_DIALOGUE_LU = 7.0
DUCK_DB = -10.0
DUCK_ATTACK_S = 0.08
DUCK_RELEASE_S = 0.6
FADE_IN_S = 0.5
FADE_OUT_S = 3.0
_STEP_S = 0.01  # the ducking envelope's resolution


@dataclass(frozen=True)
class Measure:
    lufs: float  # integrated loudness; -inf for silence
    true_peak_db: float


def loudness(track: Track, rate: int = FILM_RATE) -> float:
    """Integrated loudness (LUFS) of the mono track as played on both channels.

    Both channels carry the same signal, so every gating block's summed energy is
    twice the mono one: the stereo figure is the mono figure plus 10·log10(2), and
    measuring one channel costs half as much."""
    return integrated_loudness(track, rate) + _TWO_CHANNELS_DB


def _played(meter: LoudnessMeter) -> float:
    """A meter's reading of the mono track as played on both channels (see loudness)."""
    return meter.integrated() + _TWO_CHANNELS_DB


# Candidate samples interpolated per batch, to bound the temporary window matrix.
_PEAK_CHUNK = 1 << 16


@functools.cache
def _phases() -> NDArray[np.float64]:
    """The 4x interpolation filter split into its four phases (12 taps each, as in
    BS.1770's reference true-peak meter)."""
    taps = kaiser_lowpass(12 * _OVERSAMPLE, 1.0 / _OVERSAMPLE, beta=8.0) * _OVERSAMPLE
    phases: NDArray[np.float64] = taps.reshape(-1, _OVERSAMPLE).T
    return phases


def sample_peaks(track: Track, floor: float = 0.0) -> NDArray[np.float64]:
    """Per-sample true peak: the largest 4x-oversampled magnitude around each sample.

    Where the true peak cannot reach `floor`, the sample's own magnitude stands in: an
    interpolated point is a weighted sum of its neighbours, so it exceeds the largest of
    them by at most the filter's absolute gain. Callers that only care about peaks near
    a ceiling skip the interpolation almost everywhere."""
    peaks = np.abs(track).astype(np.float64)
    at, near = _peaks_near(track, floor)
    peaks[at] = near
    return peaks


def _peaks_near(track: Track, floor: float) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """The samples whose true peak could reach `floor`, and their true peaks (see
    sample_peaks); every other sample's true peak is under `floor`."""
    if len(track) == 0:
        return np.zeros(0, np.intp), np.zeros(0)
    phases = _phases()
    taps = phases.shape[1]
    gain = float(np.abs(phases).sum(axis=1).max())
    # Output n interpolates x[n : n + taps] of the padded track below, the samples j of
    # `track` with n - taps // 2 <= j < n - taps // 2 + taps, so it can reach `floor`
    # only if one of them is loud enough: n is then at most taps - 1 - taps // 2 before
    # such a j and at most taps // 2 after it.
    loud = np.flatnonzero(np.abs(track) >= floor / gain)
    candidates = neighbourhood(loud, taps - 1 - taps // 2, taps // 2, len(track))
    peaks = np.abs(track[candidates]).astype(np.float64)
    if len(candidates) == 0:
        return candidates, peaks
    # Padded so that output n of every phase sits between input samples n and n + 1.
    x = np.concatenate([np.zeros(taps // 2, np.float32), track, np.zeros(taps, np.float32)])
    for start in range(0, len(candidates), _PEAK_CHUNK):
        at = candidates[start : start + _PEAK_CHUNK]
        windows = x[at[:, None] + np.arange(taps)]
        # Each phase is one of the four interpolated points around a sample.
        between = np.abs(windows @ phases[:, ::-1].T).max(axis=1)
        peaks[start : start + len(at)] = np.maximum(peaks[start : start + len(at)], between)
    return candidates, peaks


def true_peak_db(track: Track) -> float:
    # Only samples whose true peak could reach the loudest sample matter for the max.
    peak = float(sample_peaks(track, floor=float(np.abs(track).max())).max()) if len(track) else 0.0
    return 20 * np.log10(peak) if peak > 0 else float("-inf")


def measure(track: Track, rate: int = FILM_RATE) -> Measure:
    return Measure(loudness(track, rate), true_peak_db(track))


def limit(track: Track, ceiling_db: float, rate: int = FILM_RATE) -> Track:
    """Lookahead peak limiter: `track` with no true peak over `ceiling_db`."""
    at, values = _limited(track, ceiling_db, rate)
    out: Track = track.astype(np.float32)
    out[at] = values
    return out


def _limited(
    track: Track, ceiling_db: float, rate: int = FILM_RATE
) -> tuple[NDArray[np.intp], Track]:
    """Where the limiter changes `track`, and the samples it puts there.

    The gain curve never lets a true peak pass the ceiling: the needed gain is
    min-filtered over twice the window, then averaged over the window. The average of
    values that are each at most the needed gain at the centre sample is itself at most
    that, so no peak gets through, and the gain ramps smoothly into and out of each peak.
    """
    ceiling = 10 ** (ceiling_db / 20)
    near, peaks = _peaks_near(track, ceiling)
    loud = peaks > ceiling
    over = near[loud]
    need = np.minimum(1.0, ceiling / np.maximum(peaks[loud], 1e-12))
    width = max(1, round(_LIMIT_WINDOW_S * rate))
    # The gain is 1 wherever no sample within the two filters' reach needs less, so the
    # filters run only on the stretches around peaks, laid end to end: each keeps `reach`
    # samples of 1 on both sides, which is all either filter sees of what lies beyond.
    reach = 2 * width + 2
    at = neighbourhood(over, reach, reach, len(track))
    needed = np.ones(len(at))
    needed[np.searchsorted(at, over)] = need
    gain = running_mean(running_min(needed, 2 * width + 1), width + 1)
    gain = np.minimum(gain, needed)  # the filter's edge handling is not bound by the proof
    values: Track = (track[at] * gain).astype(np.float32)
    return at, values


def normalize(
    track: Track,
    target: float = TARGET_LUFS,
    ceiling_db: float = CEILING_DBTP,
    rate: int = FILM_RATE,
    meter: LoudnessMeter | None = None,
) -> Track:
    """`track` at `target` LUFS integrated with its true peak under `ceiling_db`.

    Limiting lowers the loudness a little, so gain and limiter alternate until the
    loudness settles; silence is returned unchanged. `meter` is the track's own when
    the caller has one already; it follows the gains and the limiter's changes, so the
    track is K-weighted once."""
    aim = min(ceiling_db, CEILING_DBTP) - (CEILING_DBTP - _LIMIT_DBTP)
    out = track.astype(np.float32)
    meter = meter or LoudnessMeter(out, rate)
    # Twice: the limiter takes a little loudness off the peaks, the second gain puts it
    # back, and the second limiter pass catches what that gain pushed over again.
    for _ in range(2):
        level = _played(meter)
        if not np.isfinite(level):
            return out
        if abs(level - target) > 0.05:
            gain = np.float32(10 ** ((target - level) / 20))
            out *= gain
            meter.scale(float(gain))
        at, values = _limited(out, aim, rate)
        meter.add(at, values - out[at])
        out[at] = values
    return out


# --- beds -------------------------------------------------------------------------------


def load_bed(path: Path, rate: int = FILM_RATE) -> Track:
    """A music or ambience file as mono float32 at `rate`, decoded with PyAV.

    Raises SoundError (a message for the user) when the file is missing or not audio.
    """
    path = Path(path)
    if not path.is_file():
        raise SoundError(f"{path}: no such file")
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise SoundError(f"{path}: not an audio file (it has no sound stream)")
            resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
            chunks = []
            for frame in container.decode(container.streams.audio[0]):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1))
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except av.error.FFmpegError as exc:
        raise SoundError(f"{path}: not an audio file PyAV can decode ({exc})") from exc
    if not chunks:
        raise SoundError(f"{path}: the audio stream is empty")
    samples = np.concatenate(chunks).astype(np.float32)
    if float(np.max(np.abs(samples))) < 1e-5:
        raise SoundError(f"{path}: the audio is silent")
    return samples


def fit_bed(bed: Track, length: int, rate: int = FILM_RATE) -> Track:
    """`bed` looped or trimmed to `length` samples, faded in and faded out at the end."""
    if length <= 0 or len(bed) == 0:
        return np.zeros(max(length, 0), dtype=np.float32)
    repeats = -(-length // len(bed))
    out = np.tile(bed, repeats)[:length].astype(np.float32)
    fade_in = min(round(FADE_IN_S * rate), length // 4)
    fade_out = min(round(FADE_OUT_S * rate), length // 2)
    if fade_in:
        out[:fade_in] *= np.linspace(0.0, 1.0, fade_in, dtype=np.float32)
    if fade_out:
        out[-fade_out:] *= np.linspace(1.0, 0.0, fade_out, dtype=np.float32)
    return out


def speech_activity(dialogue: Track, rate: int = FILM_RATE) -> NDArray[np.bool_]:
    """Which 10 ms steps of the dialogue carry speech."""
    step = max(1, round(_STEP_S * rate))
    whole = len(dialogue) // step
    energy = np.add.reduce(
        np.square(dialogue[: whole * step].reshape(whole, step)), axis=1, dtype=np.float64
    )
    if len(dialogue) > whole * step:  # the last, shorter step, as if padded with silence
        energy = np.r_[energy, np.sum(np.square(dialogue[whole * step :]), dtype=np.float64)]
    active: NDArray[np.bool_] = energy / step > 10 ** (-45 / 10)
    return active


def duck_gain(
    dialogue: Track,
    rate: int = FILM_RATE,
    depth_db: float = DUCK_DB,
    attack_s: float = DUCK_ATTACK_S,
    release_s: float = DUCK_RELEASE_S,
) -> Track:
    """Per-sample gain for the music: 1 in the clear, `depth_db` under speech.

    Like a compressor's sidechain, the gain moves towards its target with one time
    constant going down (attack) and another coming back (release). The activity is
    looked at `attack_s` ahead, so the music is already down when the first word
    lands, and the release rides over the short gaps between words.
    """
    active = speech_activity(dialogue, rate)
    lead = max(1, round(attack_s / _STEP_S))
    ahead = active.copy()
    for k in range(1, lead + 1):
        ahead[:-k] |= active[k:]
    low = 10 ** (depth_db / 20)
    down = 1 - np.exp(-_STEP_S / attack_s)
    up = 1 - np.exp(-_STEP_S / release_s)
    steps = np.empty(len(ahead), dtype=np.float64)
    gain = 1.0
    for i, on in enumerate(ahead):
        target = low if on else 1.0
        gain += (target - gain) * (down if target < gain else up)
        steps[i] = gain
    return _between_steps(steps, len(dialogue), max(1, round(_STEP_S * rate)))


def _between_steps(steps: NDArray[np.float64], length: int, step: int) -> Track:
    """`length` samples rising or falling linearly from each step's value, at its
    centre, to the next's (np.interp on the step centres), held before the first
    centre and after the last."""
    if step % 2 or len(steps) < 2:  # centres between samples: interpolate point by point
        centres = (np.arange(len(steps)) + 0.5) * step
        out: Track = np.interp(np.arange(length), centres, steps).astype(np.float32)
        return out
    half, count = step // 2, len(steps) - 1
    out = np.empty(max(length, half + count * step), dtype=np.float32)
    out[:half] = steps[0]
    # In float32, straight into the output: a gain needs no more.
    lines = out[half : half + count * step].reshape(count, step)
    ramp = (np.arange(step) / step).astype(np.float32)
    np.multiply(np.diff(steps).astype(np.float32)[:, None], ramp, out=lines)
    lines += steps[:-1, None].astype(np.float32)
    out[half + count * step :] = steps[-1]
    return out[:length]


def _at_level(bed: Track, reference: float, under_lu: float, rate: int) -> Track:
    """`bed` scaled to sit `under_lu` below a reference loudness."""
    level = loudness(bed, rate)
    if not np.isfinite(level):
        return bed
    scaled: Track = (bed * np.float32(10 ** ((reference - under_lu - level) / 20))).astype(
        np.float32
    )
    return scaled


@dataclass(frozen=True)
class Mixed:
    """The finished mix and the stems it was summed from.

    Stems (dialogue, ambience, foley, music) are at the gain the mix gave them, before
    the limiter: laid together in an editor they are the master less the limiter's
    touch on its loudest peaks. They are scaled when first asked for, so a caller that
    needs the master first (the film waits for it) does not wait for them."""

    master: Track
    summed: dict[str, Track]  # the stems before the master's gain
    gain: float  # the gain the master gave the sum, before its limiter

    @functools.cached_property
    def stems(self) -> dict[str, Track]:
        gain = np.float32(self.gain)
        return {name: (track * gain).astype(np.float32) for name, track in self.summed.items()}


def master(
    dialogue: Track,
    *,
    music: Track | None = None,
    ambience: Track | None = None,
    target: float = TARGET_LUFS,
    rate: int = FILM_RATE,
) -> Track:
    """The finished mix, as long as `dialogue` (which is as long as the picture); a
    music or ambience file is looped or trimmed to fit (fit_bed)."""
    length = len(dialogue)
    return mix_film(
        dialogue,
        music=None if music is None else fit_bed(music, length, rate),
        ambience=None if ambience is None else fit_bed(ambience, length, rate),
        target=target,
        rate=rate,
    ).master


def mix_film(
    dialogue: Track,
    *,
    music: Track | None = None,
    ambience: Track | None = None,
    foley: Track | None = None,
    weighted: Mapping[str, Track] | None = None,
    target: float = TARGET_LUFS,
    rate: int = FILM_RATE,
) -> Mixed:
    """Dialogue on top, effects under it, the ambience under them and the music ducked
    under speech, mastered to `target` LUFS with the true peak limited. Every track is
    as long as `dialogue` (the picture's length); levels are set against the dialogue's
    loudness, or the target when nobody speaks (the beds are then the programme).

    Each track is K-weighted once: the filter is linear, so the mix's weighted signal is
    the sum of the stems' at their gains. The music's ducking moves far slower than the
    filter's response, so it is applied to the weighted music as to the music.
    `weighted` holds the K-weighted copies of tracks the caller has already (a bed laid
    from a kept, filtered loop); the others are filtered here."""
    voice = LoudnessMeter(dialogue, rate)
    voice_level = _played(voice)
    reference = voice_level if np.isfinite(voice_level) else target
    stems: dict[str, Track] = {"dialogue": np.asarray(dialogue, dtype=np.float32)}
    mix = stems["dialogue"].copy()
    # The dialogue meter's weighted copy becomes the mix's (it is not read again), and
    # each weighted bed is added through one scratch track: no new tracks per stem.
    mixed = voice.weighted
    scratch = np.empty_like(mixed)
    under = {
        "foley": (foley, FOLEY_UNDER_DIALOGUE_LU),
        "ambience": (ambience, AMBIENCE_UNDER_DIALOGUE_LU),
        "music": (music, MUSIC_UNDER_DIALOGUE_LU),
    }
    for name, (track, lu) in under.items():
        if track is None:
            continue
        given = (weighted or {}).get(name)
        k = k_weighted(track, rate) if given is None else given
        level = gated_loudness(k, rate) + _TWO_CHANNELS_DB
        gain = np.float32(10 ** ((reference - lu - level) / 20) if np.isfinite(level) else 1)
        stem = np.multiply(track, gain, dtype=np.float32)
        np.multiply(k, gain, out=scratch)  # not in `k`: a given weighted track is the caller's
        if name == "music":
            duck = duck_gain(dialogue, rate)
            stem *= duck
            scratch *= duck
        stems[name] = stem
        mix += stem
        mixed += scratch
    meter = LoudnessMeter(mix, rate, weighted=mixed)
    before = _played(meter)
    mastered = normalize(mix, target, rate=rate, meter=meter)
    level = float(10 ** ((target - before) / 20)) if np.isfinite(before) else 1.0
    return Mixed(mastered, stems, level)


def silent_share(
    track: Track,
    rate: int = FILM_RATE,
    *,
    floor_db: float = -60.0,
    window_s: float = 0.1,
    counted: NDArray[np.bool_] | None = None,
) -> float:
    """The share of `window_s` windows of `track` whose RMS lies below `floor_db` dBFS:
    digital silence as a listener notices it. `counted`, one flag per sample, leaves
    out what should be silent (a fade to black): a window counts where all its
    samples do."""
    size = max(1, round(window_s * rate))
    count = len(track) // size
    if count == 0:
        return 0.0
    windows = track[: count * size].astype(np.float64).reshape(count, size)
    rms = np.sqrt(np.mean(windows**2, axis=1))
    silent = rms < 10 ** (floor_db / 20)
    if counted is not None:
        keep = counted[: count * size].reshape(count, size).all(axis=1)
        silent, total = silent[keep], int(keep.sum())
    else:
        total = count
    return float(silent.sum() / total) if total else 0.0

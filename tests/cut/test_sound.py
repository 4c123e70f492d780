"""The mix: beds looped and faded, music ducked under speech, loudness and true peak."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pyloudnorm
import pytest
from scipy.signal import lfilter, resample_poly

from storyreel.cut.dsp import k_weighting
from storyreel.cut.sound import (
    DUCK_DB,
    duck_gain,
    fit_bed,
    limit,
    load_bed,
    loudness,
    master,
    normalize,
    true_peak_db,
)
from storyreel.errors import SoundError
from storyreel.timeline import FILM_RATE

RATE = FILM_RATE


def reference_true_peak(x: np.ndarray) -> float:
    """An independent true-peak measure: a long polyphase 4x resampler. Its first and
    last few hundred output samples ring from the abrupt start and end of the array,
    which no player hears, so they are left out."""
    up = resample_poly(x.astype(np.float64), 4, 1)[400:-400]
    return float(20 * np.log10(np.abs(up).max()))


def reference_loudness(x: np.ndarray) -> float:
    return float(pyloudnorm.Meter(RATE).integrated_loudness(np.column_stack([x, x])))


def speechlike(seconds: float, seed: int = 0) -> np.ndarray:
    """Bursts of harmonic tone with pauses, peaky like a voice."""
    rng = np.random.default_rng(seed)
    t = np.arange(round(seconds * RATE)) / RATE
    voice = sum(np.sin(2 * np.pi * 140 * k * t + rng.uniform(0, 6)) / k for k in range(1, 12))
    gate = (np.sin(2 * np.pi * 0.7 * t) > 0.2).astype(np.float64)
    return (0.2 * voice * gate).astype(np.float32)


def tone(seconds: float, hz: float = 220.0, level: float = 0.3) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    return (level * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def test_loudness_matches_pyloudnorm_on_both_channels() -> None:
    x = speechlike(5.0)
    # pyloudnorm's own K-weighting approximates BS.1770's published filter (a few
    # hundredths of a LU apart); its gating of the published filter's output is ours.
    assert loudness(x) == pytest.approx(reference_loudness(x), abs=0.05)
    meter = pyloudnorm.Meter(RATE)
    meter._filters = {}
    filtered = lfilter(*k_weighting(RATE), x.astype(np.float64))
    both = meter.integrated_loudness(np.column_stack([filtered, filtered]))
    assert loudness(x) == pytest.approx(both, abs=1e-3)  # float32 against float64


@pytest.mark.parametrize("target", [-16.0, -23.0])
def test_normalize_hits_the_target_under_the_ceiling(target: float) -> None:
    x = speechlike(8.0) * 3  # far too loud, clipping peaks
    out = normalize(x, target)
    assert reference_loudness(out) == pytest.approx(target, abs=0.5)
    assert reference_true_peak(out) <= -1.0


def test_limiter_catches_inter_sample_peaks() -> None:
    # A quarter-rate sine at 45 degrees: samples at 0.707 of the wave's real peak.
    t = np.arange(RATE)
    x = (1.2 * np.sin(2 * np.pi * t / 4 + np.pi / 4)).astype(np.float32)
    assert np.abs(x).max() < 0.9 < 10 ** (reference_true_peak(x) / 20)
    # The wave's real peak is its sample peak times sqrt(2), exactly.
    exact = float(20 * np.log10(np.abs(x).max() * np.sqrt(2)))
    assert true_peak_db(x) == pytest.approx(exact, abs=0.1)
    limited = limit(x, -3.0)
    # A 4x meter reads a little under near the top of the band (BS.1770 allows about
    # half a dB); the mix aims 0.8 dB under its ceiling to absorb that.
    assert 20 * np.log10(np.abs(limited).max() * np.sqrt(2)) <= -3.0 + 0.3
    assert 20 * np.log10(np.abs(x).max() * np.sqrt(2)) > 1.0  # it had work to do


def test_fit_bed_loops_trims_and_fades() -> None:
    bed = tone(2.0)
    out = fit_bed(bed, 5 * RATE)
    assert len(out) == 5 * RATE
    middle = slice(round(2.2 * RATE), round(2.3 * RATE))  # the second loop, before the fade
    assert np.allclose(out[middle], bed[round(0.2 * RATE) : round(0.3 * RATE)])
    assert out[0] == 0.0 and abs(out[-1]) < 1e-6  # faded in and out
    assert np.abs(out[-RATE // 10 :]).max() < 0.1 * np.abs(out[middle]).max()
    assert len(fit_bed(tone(10.0), RATE)) == RATE  # trimmed


def test_music_ducks_under_speech_with_attack_and_release() -> None:
    dialogue = np.zeros(6 * RATE, np.float32)
    dialogue[2 * RATE : 4 * RATE] = tone(2.0, 300, 0.3)
    gain = duck_gain(dialogue)
    low = 10 ** (DUCK_DB / 20)
    assert gain[RATE] == pytest.approx(1.0)  # clear before
    assert gain[3 * RATE] == pytest.approx(low, rel=0.05)  # down while speaking
    assert gain[2 * RATE] < 0.8  # already on its way down as the speech starts
    assert low < gain[round(4.2 * RATE)] < 0.8  # released gradually afterwards
    assert gain[round(5.9 * RATE)] > 0.9


def test_master_keeps_dialogue_on_top_and_meets_the_target() -> None:
    dialogue = np.zeros(10 * RATE, np.float32)
    dialogue[3 * RATE : 7 * RATE] = speechlike(4.0)
    out = master(dialogue, music=tone(3.0, 110), ambience=tone(1.0, 60, 0.05), target=-16.0)
    assert len(out) == len(dialogue)
    assert reference_loudness(out) == pytest.approx(-16.0, abs=1.0)
    assert reference_true_peak(out) <= -1.0
    # The music is audible before the speech and far below it during.
    before = out[RATE : 2 * RATE]
    assert np.sqrt(np.mean(before**2)) > 0.005
    assert abs(out[-1]) < 0.01  # faded out at the end


def test_a_silent_film_stays_silent() -> None:
    out = master(np.zeros(3 * RATE, np.float32))
    assert not out.any()


def write_wav(path: Path, samples: np.ndarray, rate: int = 44_100) -> None:
    with av.open(str(path), "w", format="wav") as container:
        stream = container.add_stream("pcm_s16le", rate=rate, layout="stereo")
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(np.stack([samples, samples]).astype(np.float32)),
            format="fltp",
            layout="stereo",
        )
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


def test_load_bed_decodes_and_resamples(tmp_path: Path) -> None:
    path = tmp_path / "bed.wav"
    t = np.arange(44_100 * 2) / 44_100
    write_wav(path, (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32))
    bed = load_bed(path)
    assert len(bed) == pytest.approx(2 * RATE, abs=64)
    # Still a 440 Hz tone: its spectrum peaks there.
    spectrum = np.abs(np.fft.rfft(bed))
    assert np.argmax(spectrum) * RATE / len(bed) == pytest.approx(440, abs=2)
    assert np.abs(bed).max() > 0.2


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"this is a text file, not music\n" * 50, "not an audio file"), (None, "no such file")],
)
def test_load_bed_refuses_what_is_not_audio(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "music.mp3"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SoundError, match=message):
        load_bed(path)


def test_true_peaks_above_the_floor_are_exact_and_the_rest_stay_below_it() -> None:
    from storyreel.cut.sound import sample_peaks

    rng = np.random.default_rng(7)
    track = (rng.standard_normal(48_000) * 0.3).astype(np.float32)
    exact = sample_peaks(track)  # floor 0: every sample interpolated
    assert (exact >= np.abs(track) - 1e-7).all()
    assert exact.max() > np.abs(track).max()  # inter-sample peaks exist in this noise
    for floor in (0.6, 0.9):
        fast = sample_peaks(track, floor=floor)
        above = exact >= floor
        assert above.any()
        np.testing.assert_allclose(fast[above], exact[above], rtol=0, atol=1e-6)
        assert (fast[~above] < floor).all()


def test_the_limiter_working_around_peaks_equals_the_curve_over_the_whole_track() -> None:
    from storyreel.cut.dsp import running_mean, running_min
    from storyreel.cut.sound import sample_peaks

    track = speechlike(6.0) * 4  # peaks well over the ceiling, spread along the track
    ceiling = 10 ** (-3.0 / 20)
    width = round(0.005 * RATE)
    # The limiter's gain curve computed on every sample, as its docstring states it.
    need = np.minimum(1.0, ceiling / np.maximum(sample_peaks(track, floor=ceiling), 1e-12))
    gain = np.minimum(running_mean(running_min(need, 2 * width + 1), width + 1), need)
    whole = (track * gain).astype(np.float32)
    limited = limit(track, -3.0)
    assert (need < 1).mean() > 0.001  # it had work to do, in many places
    np.testing.assert_allclose(limited, whole, rtol=0, atol=1e-6)
    clear = gain == 1
    assert clear.mean() > 0.2 and (limited[clear] == track[clear]).all()  # untouched there


def test_normalize_reads_the_limited_track_as_a_meter_would() -> None:
    # normalize follows its track's loudness through gains and the limiter instead of
    # measuring it again; the result must be what a fresh measurement says.
    x = speechlike(8.0) * 3
    out = normalize(x, -16.0)
    assert loudness(out) == pytest.approx(-16.0, abs=0.06)
    assert reference_loudness(out) == pytest.approx(-16.0, abs=0.1)

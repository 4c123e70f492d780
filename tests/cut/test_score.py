"""The score: styles from the story's words, music in the style's tempo and key, the
same for the same seed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from tests.cut.support import rms_dbfs

from storyreel.cut.score import (
    SCORE_PEAK_DBFS,
    SCORE_RMS_DBFS,
    ScoreStyle,
    score,
    style_for,
)
from storyreel.vocab import load_vocabulary

RATE = 16_000
_SCALES = {"major": (0, 2, 4, 5, 7, 9, 11), "minor": (0, 2, 3, 5, 7, 8, 10)}
_TONICS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11, "Bb": 10, "Eb": 3}


def _tempo(x: np.ndarray) -> float:
    """The beat from the autocorrelation of the onset strength (rises in log energy,
    5 ms frames): the shortest lag between 50 and 220 bpm whose peak is near the
    strongest, refined between its neighbours."""
    hop = RATE // 200
    frames = x[: len(x) // hop * hop].reshape(-1, hop).astype(np.float64)
    rises = np.maximum(np.diff(np.log(np.mean(frames**2, axis=1) + 1e-9)), 0)
    rises -= rises.mean()
    ac = np.correlate(rises, rises, "full")[len(rises) - 1 :]
    lo, hi = int(200 * 60 / 220), int(200 * 60 / 50)
    seg = ac[lo:hi]
    peaks = [
        i
        for i in range(1, len(seg) - 1)
        if seg[i] >= seg[i - 1] and seg[i] >= seg[i + 1] and seg[i] >= 0.7 * seg.max()
    ]
    i = peaks[0]
    a, b, c = seg[i - 1], seg[i], seg[i + 1]
    lag = (lo + i + 0.5 * (a - c) / (a - 2 * b + c)) / 200
    return 60 / lag


def _in_scale(x: np.ndarray, style: ScoreStyle) -> float:
    """The share of 200 Hz - 2.5 kHz energy on the notes of the style's scale."""
    power = np.abs(np.fft.rfft(x.astype(np.float64))) ** 2
    f = np.fft.rfftfreq(len(x), 1.0 / RATE)
    sel = (f > 200) & (f < 2500)
    pitch_class = np.round(12 * np.log2(f[sel] / 440) + 69).astype(int) % 12
    chroma = np.bincount(pitch_class, power[sel], 12)
    scale = [(_TONICS[style.key] + step) % 12 for step in _SCALES[style.mode]]
    return float(chroma[scale].sum() / chroma.sum())


AD = "Introducing the new Lumen phone. Buy it now: a limited offer. 全新上市，限时优惠。"
FIGHT = "The two swordsmen duel on the bridge. Blades clash; he strikes, she parries. 决斗！"
DRAMA = "She sits by the window with a cup of tea, waiting for a letter from her brother."


def test_an_ad_a_fight_and_a_quiet_drama_get_different_styles() -> None:
    ad, fight, drama = (style_for(text) for text in (AD, FIGHT, DRAMA))
    assert (ad.genre, ad.mode) == ("ad", "major") and "drums" in ad.instrumentation
    assert (fight.genre, fight.mode) == ("fight", "minor") and "drums" in fight.instrumentation
    assert drama.genre == "drama" and "drums" not in drama.instrumentation
    assert fight.tempo > ad.tempo > drama.tempo
    assert style_for("雨夜，她独自哭泣，思念远方的人。").mode == "minor"
    assert style_for("", "fight") == style_for("", "FIGHT")  # a hint names a style
    assert style_for(AD) == style_for(AD)  # the key too: picked by the text, not by chance


def test_a_project_adds_a_style(tmp_path: Path) -> None:
    (tmp_path / "sound.yaml").write_text(
        "score/western: {en: [cowboy, saloon], mode: minor, tempo: 96, "
        "instruments: [pluck, bass], keys: [E]}\n",
        encoding="utf-8",
    )
    vocabulary = load_vocabulary([tmp_path / "sound.yaml"])
    style = style_for("A cowboy walks into the saloon.", vocabulary=vocabulary)
    assert (style.genre, style.key, style.tempo) == ("western", "E", 96.0)


@pytest.mark.parametrize("text", [AD, FIGHT], ids=["ad", "fight"])
def test_a_percussive_score_keeps_its_tempo_and_key(text: str) -> None:
    style = style_for(text)
    music = score(style, 20.0, rate=RATE)
    assert len(music) == 20 * RATE and music.dtype == np.float32
    assert _tempo(music) == pytest.approx(style.tempo, rel=0.03)
    assert _in_scale(music, style) > 0.85
    assert rms_dbfs(music) == pytest.approx(SCORE_RMS_DBFS, abs=1.0)
    assert 20 * np.log10(np.abs(music).max()) <= SCORE_PEAK_DBFS + 0.01
    assert abs(float(music[-1])) < 1e-4  # it fades out


def test_other_tempi_and_keys_are_kept_too() -> None:
    base = style_for(AD)
    for tempo, key, mode in ((96.0, "Eb", "minor"), (150.0, "B", "major")):
        style = dataclasses.replace(base, tempo=tempo, key=key, mode=mode)
        music = score(style, 12.0, rate=RATE, seed=2)
        assert _tempo(music) == pytest.approx(tempo, rel=0.03)
        assert _in_scale(music, style) > 0.85


def test_a_quiet_score_is_in_key_soft_and_without_clicks() -> None:
    style = style_for(DRAMA)
    music = score(style, 16.0, rate=RATE)
    assert _in_scale(music, style) > 0.95
    steps = np.abs(np.diff(music.astype(np.float64)))
    assert steps.max() < 10 * np.percentile(steps, 99)  # no sample leaps: soft attacks


def test_a_score_is_the_same_for_the_same_seed() -> None:
    style = style_for(FIGHT)
    assert np.array_equal(score(style, 4.0, rate=RATE), score(style, 4.0, rate=RATE))
    assert not np.array_equal(score(style, 4.0, rate=RATE), score(style, 4.0, rate=RATE, seed=1))


def test_bad_styles_say_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="a key is a note name"):
        ScoreStyle("x", "calm", "H", "major", 90.0, ("pad",))
    with pytest.raises(ValueError, match="40 to 200 bpm"):
        ScoreStyle("x", "calm", "C", "major", 300.0, ("pad",))
    with pytest.raises(ValueError, match="instruments are some of"):
        ScoreStyle("x", "calm", "C", "major", 90.0, ("kazoo",))
    with pytest.raises(ValueError, match="more than 0 s"):
        score(style_for(DRAMA), 0.0)

"""The embedded espeak-ng engine, checked by listening with numpy: loudness, length,
word timing and pitch measured from the samples it returns."""

from __future__ import annotations

import hashlib
import itertools
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from numpy.typing import NDArray

from storyreel.errors import VoiceError
from storyreel.model import Character
from storyreel.voice import (
    SUPPORTED_LANGS,
    EspeakVoice,
    Speech,
    Voice,
    VoiceProfile,
    synthesize,
    voice_for,
)

# (lang, text, number of spoken units, seconds per unit low/high). Units are words for
# alphabetic scripts, syllables (characters) for Chinese, Japanese kana and Hangul.
LINES = {
    "en": ("The rain had not stopped for three days, and the market was empty.", 14, 0.15, 0.7),
    "zh": ("雨已经下了三天，夜市里一个人也没有。", 16, 0.12, 0.5),
    "yue": ("落咗三日雨，夜市一個人都冇。", 12, 0.12, 0.5),
    "ja": ("あめが みっか ふりつづいて、いちばには だれも いない。", 24, 0.05, 0.4),
    "ko": ("비가 사흘 동안 그치지 않았고, 시장은 텅 비어 있었다.", 20, 0.05, 0.4),
    "es": ("La lluvia no había parado en tres días y el mercado estaba vacío.", 13, 0.15, 0.7),
}

NEUTRAL = VoiceProfile(variant="m3")
SHE = Character(name="Maya", description="20s, red raincoat, she")
HE = Character(name="Old Zhou", description="50s, a man with a beard, his voice is low")


def rms(x: NDArray[np.float32]) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


def median_pitch(speech: Speech) -> float:
    """Median fundamental frequency in Hz of the voiced 40 ms frames, by autocorrelation."""
    x = speech.samples.astype(np.float64)
    sr = speech.sample_rate
    frame = int(0.04 * sr)
    lo, hi = int(sr / 500), int(sr / 60)  # 60..500 Hz covers men, women and children
    found = []
    for i in range(0, len(x) - frame, frame // 2):
        w = x[i : i + frame] - x[i : i + frame].mean()
        if rms(w.astype(np.float32)) < 0.02:
            continue
        spectrum = np.fft.rfft(w, 2 * frame)
        ac = np.fft.irfft(spectrum * np.conj(spectrum))[:frame]
        lag = lo + int(np.argmax(ac[lo:hi]))
        if ac[lag] > 0.3 * ac[0]:  # clearly periodic: a vowel, not a hiss
            found.append(sr / lag)
    assert len(found) >= 5, "too few voiced frames to judge pitch"
    return float(np.median(found))


@pytest.mark.parametrize("lang", sorted(LINES))
def test_every_language_speaks(lang: str) -> None:
    text, units, low, high = LINES[lang]
    speech = synthesize(text, lang, NEUTRAL)
    assert speech.samples.dtype == np.float32
    assert speech.samples.ndim == 1
    assert np.abs(speech.samples).max() <= 1.0
    assert rms(speech.samples) > 0.03
    assert units * low <= speech.duration <= units * high


@pytest.mark.parametrize("lang", sorted(LINES))
def test_word_timings(lang: str) -> None:
    text = LINES[lang][0]
    speech = synthesize(text, lang, NEUTRAL)
    words = speech.words
    assert len(words) >= 3
    assert words[0].start == pytest.approx(0.0, abs=0.1)
    assert words[-1].end == pytest.approx(speech.duration)
    for word in words:
        assert 0.0 <= word.start <= word.end <= speech.duration
        assert word.text and word.text == text[word.char_start : word.char_end]
        assert not word.text[-1].isspace()
    for before, after in itertools.pairwise(words):
        assert before.start < after.start
        assert before.end == after.start
        assert before.char_end <= after.char_start
    # Words are where the sound is: each one has audible samples in it.
    sr = speech.sample_rate
    for word in words:
        span = speech.samples[int(word.start * sr) : int(word.end * sr)]
        assert np.abs(span).max() > 0.05


def test_english_words_are_the_words() -> None:
    speech = synthesize("Hello there, how are you?", "en", NEUTRAL)
    assert [w.text for w in speech.words] == ["Hello", "there", "how", "are", "you"]


def test_chinese_words_cover_the_hanzi() -> None:
    text = "你好，今天天气怎么样？"
    speech = synthesize(text, "zh", NEUTRAL)
    spoken = "".join(w.text for w in speech.words)
    assert spoken == "你好今天天气怎么样"


def test_silence_is_trimmed() -> None:
    for text, lang in (("Wait. Then go.", "en"), ("等等。", "zh")):
        speech = synthesize(text, lang, NEUTRAL)
        loud = np.flatnonzero(np.abs(speech.samples) > 0.004)
        lead = loud[0] / speech.sample_rate
        tail = (len(speech.samples) - 1 - loud[-1]) / speech.sample_rate
        # At most about 50 ms of quiet at each end, not espeak's full sentence pause...
        assert lead <= 0.051 and tail <= 0.051
        # ...while pauses inside the line stay.
        if lang == "en":
            assert _longest_quiet(speech) > 0.1


def _longest_quiet(speech: Speech) -> float:
    quiet = np.abs(speech.samples) <= 0.004
    longest = run = 0
    for q in quiet:
        run = run + 1 if q else 0
        longest = max(longest, run)
    return longest / speech.sample_rate


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_female_voice_is_higher(lang: str) -> None:
    text = LINES[lang][0]
    she, he = voice_for(SHE), voice_for(HE)
    assert she.gender == "female" and he.gender == "male"
    f0_she = median_pitch(synthesize(text, lang, she))
    f0_he = median_pitch(synthesize(text, lang, he))
    assert f0_she > 1.4 * f0_he
    assert 150 < f0_she < 400
    assert 60 < f0_he < 170


def test_different_characters_sound_different() -> None:
    a = voice_for(Character(name="Ana", description="30s, she"))
    b = voice_for(Character(name="Bea", description="60s, a quiet woman"))
    assert a != b
    text = LINES["en"][0]
    sa, sb = synthesize(text, "en", a), synthesize(text, "en", b)
    assert sa.samples.shape != sb.samples.shape or not np.array_equal(sa.samples, sb.samples)
    # Pitch or pace (or both) must be audibly apart.
    pitch_ratio = median_pitch(sa) / median_pitch(sb)
    pace_ratio = sa.duration / sb.duration
    assert abs(pitch_ratio - 1) > 0.05 or abs(pace_ratio - 1) > 0.05


def test_child_is_higher_than_adult() -> None:
    text = LINES["zh"][0]
    adult = voice_for(Character(name="小林", description="三十多岁的女人"))
    child = voice_for(Character(name="小林", description="小女孩"))
    assert median_pitch(synthesize(text, "zh", child)) > median_pitch(synthesize(text, "zh", adult))


def test_same_character_same_samples() -> None:
    voice = voice_for(SHE)
    text = LINES["en"][0]
    first = synthesize(text, "en", voice)
    # Speak something else in between: espeak-ng's hidden state must not leak across.
    synthesize(LINES["zh"][0], "zh", voice_for(HE))
    second = synthesize(text, "en", voice_for(SHE))
    assert first.sample_rate == second.sample_rate
    assert np.array_equal(first.samples, second.samples)
    assert first.words == second.words


def test_same_samples_in_another_process() -> None:
    code = (
        "import hashlib; from storyreel.voice import synthesize, VoiceProfile; "
        "s = synthesize('Same line, same voice.', 'en', VoiceProfile(variant='f2')); "
        "print(hashlib.sha256(s.samples.tobytes()).hexdigest())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    here = synthesize("Same line, same voice.", "en", VoiceProfile(variant="f2"))
    assert out.stdout.strip() == hashlib.sha256(here.samples.tobytes()).hexdigest()


def test_threads_get_the_same_audio() -> None:
    jobs = [(LINES[lang][0], lang, voice_for(c)) for lang in ("en", "zh") for c in (SHE, HE)]
    serial = [synthesize(*job) for job in jobs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(lambda job: synthesize(*job), jobs * 2))
    for i, speech in enumerate(parallel):
        assert np.array_equal(speech.samples, serial[i % len(jobs)].samples)


def test_unsupported_language() -> None:
    with pytest.raises(VoiceError, match="supported languages: en, es, ja, ko, yue, zh"):
        synthesize("Bonjour", "fr", NEUTRAL)


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_empty_text(text: str) -> None:
    with pytest.raises(VoiceError, match="empty"):
        synthesize(text, "en", NEUTRAL)


def test_punctuation_only_is_refused() -> None:
    with pytest.raises(VoiceError, match="no audible speech"):
        synthesize("……", "zh", NEUTRAL)


def test_japanese_kanji_are_read_as_kana() -> None:
    # Read through their dictionary reading, the kanji line sounds like its kana
    # spelling, not like "Chinese letter" spelled out for every kanji.
    kanji = synthesize("東京へ行きます", "ja", NEUTRAL)
    kana = synthesize("とうきょうえいきます", "ja", NEUTRAL)
    assert abs(kanji.duration - kana.duration) < 0.1 * kana.duration
    # Word timings point back into the line as written.
    assert kanji.words and kanji.words[0].text.startswith("東京")
    assert all(w.char_end <= len("東京へ行きます") for w in kanji.words)


def test_unknown_variant() -> None:
    with pytest.raises(VoiceError, match="variant"):
        synthesize("Hello", "en", VoiceProfile(variant="nosuchvoice"))


def test_rate_changes_duration() -> None:
    text = LINES["en"][0]
    slow = synthesize(text, "en", VoiceProfile(variant="m3", rate=120))
    fast = synthesize(text, "en", VoiceProfile(variant="m3", rate=300))
    assert slow.duration > 1.8 * fast.duration


def test_resampled_to_48k() -> None:
    speech = synthesize(LINES["zh"][0], "zh", voice_for(SHE))
    hi = speech.resampled(48000)
    assert hi.sample_rate == 48000
    assert hi.samples.dtype == np.float32
    assert abs(hi.duration - speech.duration) < 0.001
    assert hi.words == speech.words
    # Same sound, more samples: loudness and pitch survive the conversion.
    assert rms(hi.samples) == pytest.approx(rms(speech.samples), rel=0.05)
    assert median_pitch(hi) == pytest.approx(median_pitch(speech), rel=0.05)


def test_espeak_voice_is_a_voice() -> None:
    engine = EspeakVoice()
    assert isinstance(engine, Voice)
    assert engine.name == "espeak"
    assert engine.langs == SUPPORTED_LANGS == {"zh", "yue", "en", "ja", "ko", "es"}
    speech = engine.synthesize("Hello.", "en", NEUTRAL)
    assert speech.duration > 0.2


def test_faster_than_real_time() -> None:
    # Measured at a few hundred times real time; 5x only catches a pathological slowdown
    # (a per-sample Python loop) without making a busy CI machine flaky.
    text = " ".join(LINES["en"][0] for _ in range(5))
    synthesize(text, "en", NEUTRAL)  # the first call also copies the library
    start = time.perf_counter()
    speech = synthesize(text, "en", NEUTRAL)
    assert speech.duration / (time.perf_counter() - start) > 5

"""The score: a generated music bed in a key and a tempo, from the story's genre and mood.

    style = style_for(story_text, None)     # an ad -> bright, major, 120 bpm, drums
    music = score(style, 60.0)              # 60 s, mono float32 at 48 kHz

A style comes from cue words (English and Chinese) of the `score/` entries of
vocab/sound.yaml: the entry whose words weigh most in the text wins, the quiet drama
(`score/drama`) when none is found. The music is through-composed for the length
asked: a chord progression of the key's scale, two of them alternating every eight
bars, played by simple synthesised voices (pads, plucked arpeggios, bass, a pulse,
bells, drums), every note with a soft attack and release. It opens at once and ends
with a release of SCORE_FADE_S; the same for the same (style, seconds, seed, rate).
"""

from __future__ import annotations

import functools
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from storyreel.cut.synth import Array, Track, at_level, band, decay, noise, rng_for
from storyreel.timeline import FILM_RATE
from storyreel.vocab import SoundEntry, Vocabulary, VocabularyError, load_vocabulary

# The score's RMS level in dBFS, its peaks bent under SCORE_PEAK_DBFS: the mix ducks it
# under speech from there.
SCORE_RMS_DBFS = -20.0
SCORE_PEAK_DBFS = -3.0
# The last seconds fade to silence, so a score cut at the film's end does not stop dead.
SCORE_FADE_S = 1.5
DEFAULT_STYLE = "drama"
INSTRUMENTS = ("pad", "pluck", "bass", "pulse", "bell", "drums")

_PITCHES = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_SCALES = {"major": (0, 2, 4, 5, 7, 9, 11), "minor": (0, 2, 3, 5, 7, 8, 10)}
# Chord roots as scale degrees (0 = the tonic), one chord a bar: two progressions per
# mode, alternating every eight bars so a long score does not just repeat four bars.
_PROGRESSIONS = {
    "major": ((0, 4, 5, 3), (5, 3, 0, 4)),  # I V vi IV, vi IV I V
    "minor": ((0, 5, 2, 6), (0, 3, 6, 4)),  # i VI III VII, i iv VII v
}


@dataclass(frozen=True)
class ScoreStyle:
    genre: str  # the sound.yaml style it came from: "ad", "fight", "drama"
    mood: str  # a word for it: "bright", "tense", "calm"
    key: str  # the tonic: "C", "F#", "Bb"
    mode: Literal["major", "minor"]
    tempo: float  # beats per minute
    instrumentation: tuple[str, ...]  # some of INSTRUMENTS

    def __post_init__(self) -> None:
        _tonic(self.key)
        if not 40 <= self.tempo <= 200:
            raise ValueError(f"a score's tempo is 40 to 200 bpm, not {self.tempo}")
        unknown = [i for i in self.instrumentation if i not in INSTRUMENTS]
        if unknown or not self.instrumentation:
            raise ValueError(
                f"a score's instruments are some of {', '.join(INSTRUMENTS)}, not "
                f"{', '.join(unknown) or 'none'}"
            )


def style_for(
    text: str,
    genre_hint: str | None = None,
    *,
    key_by: str | None = None,
    vocabulary: Vocabulary | None = None,
) -> ScoreStyle:
    """The score style a story calls for: the `score/<genre_hint>` entry when the hint
    names one, else the entry whose cue words (the hint's and the text's) weigh most
    (count times weight), else `score/drama`. Its key is picked from the entry's keys
    by `key_by` (default: the text), so a story keeps its key from make to make; a
    film passes its title, so that an edited line does not change its music."""
    styles = {
        key.removeprefix("score/"): entry
        for key, entry in (vocabulary or load_vocabulary()).sound.items()
        if key.startswith("score/")
    }
    if DEFAULT_STYLE not in styles:
        raise VocabularyError(f"the sound vocabulary has no score/{DEFAULT_STYLE} entry")
    hint = (genre_hint or "").strip().lower()
    if hint in styles:
        name = hint
    else:
        words = f"{genre_hint or ''}\n{text}"
        scores = {name: _cues(entry, words) * entry.weight for name, entry in styles.items()}
        best = max(scores.values(), default=0.0)
        name = min(n for n, s in scores.items() if s == best) if best > 0 else DEFAULT_STYLE
    entry = styles[name]
    keys = entry.keys or ("C",)
    return ScoreStyle(
        genre=name,
        mood=entry.mood or name,
        key=keys[zlib.crc32((text if key_by is None else key_by).encode("utf-8")) % len(keys)],
        mode=entry.mode,
        tempo=entry.tempo,
        instrumentation=entry.instruments or ("pad",),
    )


def _cues(entry: SoundEntry, text: str) -> int:
    lower = text.lower()
    count = sum(len(re.findall(rf"\b{re.escape(word)}\b", lower)) for word in entry.en)
    return count + sum(text.count(word) for word in entry.zh)


def score(style: ScoreStyle, seconds: float, *, rate: int = FILM_RATE, seed: int = 0) -> Track:
    """`seconds` of music in `style`, mono float32 at `rate`, at SCORE_RMS_DBFS."""
    if not 0 < seconds <= 4 * 3600:
        raise ValueError(f"a score lasts more than 0 s and up to 4 hours, not {seconds} s")
    if not 8000 <= rate <= 192_000:
        raise ValueError(f"a score's rate is 8000 to 192000 Hz, not {rate}")
    n = round(seconds * rate)
    beat = 60.0 / style.tempo
    bars = int(np.ceil(seconds / (4 * beat))) + 1
    rng = rng_for("score", style, seed, rate)
    tonic = _tonic(style.key)
    scale = _SCALES[style.mode]
    progressions = _PROGRESSIONS[style.mode]
    order = rng.permutation(len(progressions))
    out = np.zeros(n + round(8 * rate))  # room for the last notes' tails
    play = _Player(out, rate, rng)
    slow = style.tempo < 90  # a slow style holds each chord two bars
    for bar in range(bars):
        span = 2 if slow else 1
        progression = progressions[order[(bar // 8) % len(order)]]
        degree = progression[(bar // span) % len(progression)]
        # The triad as pitch classes, root first; each part places it in its range.
        chord = [(tonic + scale[(degree + k) % 7]) % 12 for k in (0, 2, 4)]
        start = bar * 4 * beat
        for instrument in style.instrumentation:
            _PARTS[instrument](play, chord, start, beat, bar, span)
    music = at_level(out[:n], SCORE_RMS_DBFS, SCORE_PEAK_DBFS)
    fade = min(n, round(SCORE_FADE_S * rate))
    music[n - fade :] *= (np.linspace(1.0, 0.0, fade) ** 2).astype(np.float32)
    return music


def _tonic(key: str) -> int:
    """A key's tonic as a pitch class (C = 0): "C", "F#", "Bb"."""
    if not key or key[0].upper() not in _PITCHES or key[1:] not in ("", "#", "b"):
        raise ValueError(f"a key is a note name (C, F#, Bb ...), not {key!r}")
    return (_PITCHES[key[0].upper()] + {"": 0, "#": 1, "b": -1}[key[1:]]) % 12


def _placed(chord: list[int], low: int) -> list[int]:
    """The chord's notes in the octave from MIDI note `low`, lowest first."""
    return sorted(low + (pc - low) % 12 for pc in chord)


def _hz(midi: float) -> float:
    return float(440.0 * 2 ** ((midi - 69) / 12))


class _Player:
    """Lays notes into the score, each at a slightly varied loudness (the seed's); note
    shapes are cached per pitch and length."""

    def __init__(self, out: Array, rate: int, rng: np.random.Generator) -> None:
        self.out, self.rate, self.rng = out, rate, rng

    def lay(self, sound: Array, at: float, gain: float) -> None:
        # Played by hand: each note a little louder or softer than written.
        gain *= float(self.rng.uniform(0.85, 1.15))
        start = round(at * self.rate)
        end = min(len(self.out), start + len(sound))
        if start < end:
            self.out[start:end] += gain * sound[: end - start]


@functools.lru_cache(maxsize=256)
def _pad(midi: int, seconds: float, rate: int) -> Array:
    """A soft, held chord tone: two slightly detuned voices of a few harmonics, rising
    over a third of a second and releasing over half a second. Each voice is read from
    a one-cycle table: two lookups instead of eight sines."""
    m = round((seconds + 0.6) * rate)
    t = np.arange(m) / rate
    f = _hz(midi)
    table = _cycle(tuple(h for h in (1, 2, 3, 4) if f * h * 1.002 < 0.45 * rate))
    size = len(table)
    tone = np.zeros(m)
    for detune in (0.998, 1.002):
        tone += table[(t * (f * detune * size)).astype(np.int64) % size]
    env = np.minimum(1.0, t / 0.35) * np.clip((seconds + 0.6 - t) / 0.6, 0.0, 1.0)
    return np.asarray(tone * env)


@functools.lru_cache(maxsize=8)
def _cycle(harmonics: tuple[int, ...]) -> Array:
    phase = 2 * np.pi * np.arange(4096) / 4096
    gains = {1: 1.0, 2: 0.45, 3: 0.25, 4: 0.12}
    return np.asarray(sum(gains[h] * np.sin(h * phase) for h in harmonics))


@functools.lru_cache(maxsize=256)
def _pluck(midi: int, rate: int, seconds: float = 0.7) -> Array:
    """A plucked string: bright at first, its upper harmonics dying fastest."""
    m = round(seconds * rate)
    t = np.arange(m) / rate
    f = _hz(midi)
    tone = np.zeros(m)
    for h, a in ((1, 1.0), (2, 0.5), (3, 0.3), (4, 0.15)):
        if f * h < 0.45 * rate:
            tone += a * np.sin(2 * np.pi * f * h * t) * np.exp(-6.9 * t / (seconds / h**0.5))
    return np.asarray(tone * np.minimum(1.0, t / 0.004))


@functools.lru_cache(maxsize=64)
def _bass(midi: int, seconds: float, rate: int) -> Array:
    m = round(seconds * rate)
    t = np.arange(m) / rate
    f = _hz(midi)
    tone = np.sin(2 * np.pi * f * t) + 0.3 * np.sin(4 * np.pi * f * t)
    env = np.minimum(1.0, t / 0.008) * np.exp(-2.5 * t / seconds)
    env *= np.clip((seconds - t) / 0.03, 0.0, 1.0)
    return np.asarray(tone * env)


@functools.lru_cache(maxsize=64)
def _bell(midi: int, rate: int) -> Array:
    # Harmonic partials only, so the bell stays in the key.
    m = round(2.5 * rate)
    t = np.arange(m) / rate
    f = _hz(midi)
    tone = sum(
        a * np.sin(2 * np.pi * f * h * t) * np.exp(-6.9 * t / d)
        for h, a, d in ((1, 1.0, 2.5), (2, 0.4, 1.5), (3, 0.3, 0.8), (4, 0.2, 0.5))
        if f * h < 0.45 * rate
    )
    return np.asarray(tone * np.minimum(1.0, t / 0.002))


@functools.lru_cache(maxsize=8)
def _drum(kind: str, rate: int) -> Array:
    rng = rng_for("drum", kind, rate)
    if kind == "kick":  # a sine dropping from 140 to 45 Hz, a click on top
        m = round(0.3 * rate)
        t = np.arange(m) / rate
        f = 45 + 95 * np.exp(-t / 0.04)
        body = np.sin(2 * np.pi * np.cumsum(f) / rate) * decay(m, rate, 0.3, 0.001)
        return np.asarray(body)
    if kind == "snare":  # a rattle of noise (a tone would fall outside the key)
        m = round(0.2 * rate)
        rattle = noise(rng, m, rate, lambda f: band(f, 1200, 7000, 1.0)) * decay(m, rate, 0.16)
        return np.asarray(rattle)
    m = round(0.05 * rate)  # hat: a tick of high noise
    return np.asarray(noise(rng, m, rate, lambda f: band(f, 6000, 0, 2.0)) * decay(m, rate, 0.04))


def _part_pad(
    play: _Player, chord: list[int], start: float, beat: float, bar: int, span: int
) -> None:
    if bar % span:
        return  # the chord was laid at the first of its bars
    for k, pitch in enumerate(_placed(chord, 55)):
        play.lay(_pad(pitch, round(4 * beat * span, 3), play.rate), start, 0.11 - 0.015 * k)


def _part_pluck(
    play: _Player, chord: list[int], start: float, beat: float, bar: int, span: int
) -> None:
    # Arpeggios: eighths in a quick style, quarters in a slow one.
    step = beat / 2 if beat < 0.6 else beat
    pattern = (0, 1, 2, 1, 0, 2, 1, 2) if bar % 2 else (0, 1, 2, 3, 2, 1, 0, 1)
    notes = _placed(chord, 67)
    notes.append(notes[0] + 12)
    for k in range(round(4 * beat / step)):
        play.lay(_pluck(notes[pattern[k % len(pattern)]], play.rate), start + k * step, 0.09)


def _part_bass(
    play: _Player, chord: list[int], start: float, beat: float, bar: int, span: int
) -> None:
    root = 33 + (chord[0] - 33) % 12
    for k in range(4):
        play.lay(_bass(root, round(beat * 0.95, 3), play.rate), start + k * beat, 0.22)


def _part_pulse(
    play: _Player, chord: list[int], start: float, beat: float, bar: int, span: int
) -> None:
    # A driving ostinato on the root: every eighth, the first of each beat stronger.
    root = 57 + (chord[0] - 57) % 12
    for k in range(8):
        play.lay(_pluck(root, play.rate, 0.4), start + k * beat / 2, 0.1 if k % 2 else 0.14)


def _part_bell(
    play: _Player, chord: list[int], start: float, beat: float, bar: int, span: int
) -> None:
    play.lay(_bell(_placed(chord, 76)[(bar // span) % 3], play.rate), start, 0.07)


def _part_drums(
    play: _Player, chord: list[int], start: float, beat: float, bar: int, span: int
) -> None:
    # A kick on every beat, a snare on two and four, hats on the eighths: the beat is
    # plain to hear (and to measure).
    for k in range(4):
        at = start + k * beat
        play.lay(_drum("kick", play.rate), at, 0.5)
        if k % 2:
            play.lay(_drum("snare", play.rate), at, 0.3)
        play.lay(_drum("hat", play.rate), at, 0.08)
        play.lay(_drum("hat", play.rate), at + beat / 2, 0.05)


_PARTS: dict[str, Callable[[_Player, list[int], float, float, int, int], None]] = {
    "pad": _part_pad,
    "pluck": _part_pluck,
    "bass": _part_bass,
    "pulse": _part_pulse,
    "bell": _part_bell,
    "drums": _part_drums,
}

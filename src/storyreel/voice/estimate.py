"""Word timings for engines that report none, from the text and the audio envelope.

Speech time is spent on sound, not on pauses, so words are laid out along the
*voiced* time only: each word gets a share proportional to how much it says (a CJK
character counts as a syllable, a Latin letter as a fraction of one), and the pauses
the envelope shows fall between words instead of stretching them.
"""

from __future__ import annotations

import re

import numpy as np
from numpy.typing import NDArray

from storyreel.voice.base import WordTiming

_WIDE = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
# A CJK character is a word of its own; a Latin word runs to the next space.
_WORD = re.compile(rf"[{_WIDE}]|[^\s{_WIDE}]+")
_STEP = 0.01  # seconds per envelope step
_CJK_WEIGHT = 3.0


def _weight(word: str) -> float:
    letters = sum(1 for c in word if c.isalnum())
    if re.match(rf"[{_WIDE}]", word):
        return _CJK_WEIGHT
    return max(letters, 1) * 1.0


def voiced_steps(samples: NDArray[np.float32], rate: int) -> NDArray[np.bool_]:
    """Which 10 ms steps carry sound: above a fifth of the typical loud level."""
    step = max(1, round(_STEP * rate))
    count = len(samples) // step
    if count == 0:
        return np.zeros(0, dtype=bool)
    frames = samples[: count * step].astype(np.float64).reshape(count, step)
    rms = np.sqrt(np.mean(frames * frames, axis=1))
    loud = rms[rms > 1e-4]
    if len(loud) == 0:
        return np.zeros(count, dtype=bool)
    voiced: NDArray[np.bool_] = rms > 0.2 * float(np.percentile(loud, 80))
    return voiced


def estimate_words(text: str, samples: NDArray[np.float32], rate: int) -> list[WordTiming]:
    """Word timings for `text` spoken in `samples`, monotonic and inside the clip."""
    tokens = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]
    tokens = [t for t in tokens if any(c.isalnum() for c in t[0])]
    duration = len(samples) / rate if rate else 0.0
    if not tokens or duration <= 0:
        return []
    voiced = voiced_steps(samples, rate)
    if not voiced.any():
        voiced = np.ones(max(1, len(voiced)), dtype=bool)
    # Voiced time before each step boundary, and its inverse: the clock time at which
    # a given amount of voiced time has passed.
    spoken = np.concatenate([[0.0], np.cumsum(voiced) * _STEP])
    clock = np.arange(len(spoken)) * _STEP
    weights = np.array([_weight(t[0]) for t in tokens])
    bounds = np.concatenate([[0.0], np.cumsum(weights)]) / weights.sum() * spoken[-1]
    # side="left" puts a boundary at the first step where that much sound has passed.
    times = np.interp(bounds, spoken, clock, left=0.0, right=clock[-1])
    times = np.minimum(np.maximum.accumulate(times), duration)
    return [
        WordTiming(
            text=word, start=float(times[i]), end=float(times[i + 1]), char_start=lo, char_end=hi
        )
        for i, (word, lo, hi) in enumerate(tokens)
    ]

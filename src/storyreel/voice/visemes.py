"""How far a speaker's mouth is open in each video frame, from their speech.

Two sources, multiplied: the phonemes espeak-ng reports say what shape the mouth makes
(wide on "a", nearly shut on "i", closed on "m"), and the audio envelope says how loud
it is, so pauses close the mouth exactly when the sound stops. Engines that report no
phonemes (an HTTP voice) get the envelope alone, which still opens and closes in time.

The track is computed on the shot's frame grid (frame k shows during
[k/fps, (k+1)/fps)), so a line starting between two frames is still in step.
"""

from __future__ import annotations

import unicodedata

import numpy as np
from numpy.typing import NDArray

from storyreel.voice.base import PhonemeTiming, Speech

# IPA vowel letters by how open the jaw is; consonants by whether the lips close.
_OPEN = set("aɑäæɐɒʌɔɶ")
_MID = set("eɛoəøœɜɤɘɞ")
_CLOSE = set("iuyɪʊɯɨʉɵʏ")
_LIPS_SHUT = set("mbpɸβ")
_LIPS_TEETH = set("fvʋ")
_OPENNESS = (
    (_OPEN, 1.0),
    (_MID, 0.7),
    (_CLOSE, 0.4),
    (_LIPS_SHUT, 0.0),
    (_LIPS_TEETH, 0.15),
)
_CONSONANT = 0.3
# Frame RMS at this fraction of the line's loud level opens the mouth fully.
_LOUD_PERCENTILE = 90
_GATE_CURVE = 0.6  # below 1: quiet speech still moves the mouth visibly


def phoneme_openness(phoneme: str) -> float:
    """Mouth openness (0 shut .. 1 wide) for one IPA phoneme; 0 for a pause."""
    letters = [c for c in unicodedata.normalize("NFD", phoneme) if c.isalpha()]
    if not letters:
        return 0.0
    # The most open vowel of a diphthong ("aɪ") decides; else the first consonant.
    best: float | None = None
    for ch in letters:
        for group, value in _OPENNESS[:3]:
            if ch in group:
                best = value if best is None else max(best, value)
    if best is not None:
        return best
    for group, value in _OPENNESS[3:]:
        if letters[0] in group:
            return value
    return _CONSONANT


def frame_envelope(
    samples: NDArray[np.float32], rate: int, fps: int, frames: int, offset: float = 0.0
) -> NDArray[np.float64]:
    """RMS of `samples` (starting `offset` seconds into the shot) over each of
    `frames` video frames."""
    bounds = np.round(np.arange(frames + 1) * rate / fps - offset * rate).astype(np.int64)
    bounds = np.clip(bounds, 0, len(samples))
    energy = np.concatenate([[0.0], np.cumsum(np.square(samples, dtype=np.float64))])
    sums = energy[bounds[1:]] - energy[bounds[:-1]]
    counts = np.maximum(bounds[1:] - bounds[:-1], 1)
    out: NDArray[np.float64] = np.sqrt(sums / counts)
    return out


def frame_shapes(
    phonemes: list[PhonemeTiming], fps: int, frames: int, offset: float = 0.0
) -> NDArray[np.float64]:
    """Time-weighted mean phoneme openness over each video frame."""
    out = np.zeros(frames, dtype=np.float64)
    for p in phonemes:
        value = phoneme_openness(p.phoneme)
        if value <= 0:
            continue
        t0, t1 = (p.start + offset) * fps, (p.end + offset) * fps
        first, last = max(int(np.floor(t0)), 0), min(int(np.ceil(t1)), frames)
        for k in range(first, last):
            overlap = min(t1, k + 1) - max(t0, k)
            if overlap > 0:
                out[k] += value * overlap
    return out


def mouth_track(speech: Speech, fps: int, frames: int, offset: float = 0.0) -> list[float]:
    """Openness (0..1) in each of `frames` frames for `speech` starting `offset`
    seconds into the shot."""
    env = frame_envelope(speech.samples, speech.sample_rate, fps, frames, offset)
    loud = env[env > 1e-4]
    if len(loud) == 0:
        return [0.0] * frames
    level = float(np.percentile(loud, _LOUD_PERCENTILE))
    gate = np.clip(env / level, 0.0, 1.0) ** _GATE_CURVE
    if speech.phonemes:
        shape = frame_shapes(speech.phonemes, fps, frames, offset)
        # A consonant-only frame still parts the lips a little while sound comes out.
        track = gate * np.clip(0.2 + 0.8 * shape, 0.0, 1.0)
    else:
        track = gate
    return [round(float(v), 3) for v in track]


def add_tracks(into: list[float], track: list[float]) -> None:
    """Overlay `track` on `into` (same length), keeping the wider opening per frame."""
    for i, value in enumerate(track):
        if value > into[i]:
            into[i] = value

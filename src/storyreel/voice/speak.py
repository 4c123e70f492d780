"""One written line to one `Speech`, whatever it holds: several languages, a
monologue, or nothing at all. Works with any `Voice`."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from storyreel.errors import VoiceError
from storyreel.voice.base import PhonemeTiming, Speech, Voice, VoiceProfile, WordTiming
from storyreel.voice.pieces import line_pieces

# Silence put between pieces: a breath after a sentence, a hair between language runs
# (each engine call already keeps a little silence at both ends).
SENTENCE_GAP = 0.15
RUN_GAP = 0.03


def check_lang(engine: Voice, lang: str) -> None:
    if lang not in engine.langs:
        supported = ", ".join(sorted(engine.langs))
        raise VoiceError(
            f"{engine.name} cannot speak language {lang!r}; supported languages: {supported}"
        )


def speak_line(engine: Voice, text: str, lang: str, profile: VoiceProfile) -> Speech:
    """`text` spoken by `engine`: split into language runs and sentence-sized pieces,
    each synthesized, then joined with word and phoneme timings moved into place.

    Raises VoiceError for an unsupported language or a line with nothing to say.
    """
    check_lang(engine, lang)
    pieces = line_pieces(text, lang)
    if not pieces:
        raise VoiceError("nothing to say: the line is empty")
    spoken: list[tuple[Speech, int, float]] = []  # speech, char offset, gap before
    for i, piece in enumerate(pieces):
        check_lang(engine, piece.lang)
        speech = engine.synthesize(piece.text, piece.lang, profile)
        gap = 0.0 if i == 0 else (SENTENCE_GAP if piece.after_sentence else RUN_GAP)
        spoken.append((speech, piece.start, gap))
    return join(spoken)


def join(parts: list[tuple[Speech, int, float]]) -> Speech:
    """Concatenate speeches (at the first one's rate), each after `gap` seconds of
    silence, shifting word times and character positions by their offsets."""
    rate = parts[0][0].sample_rate
    if len(parts) == 1 and parts[0][1] == 0:
        return parts[0][0]
    chunks: list[np.ndarray] = []
    words: list[WordTiming] = []
    phonemes: list[PhonemeTiming] = []
    at = 0  # samples
    for speech, offset, gap in parts:
        speech = speech.resampled(rate)
        silence = round(gap * rate)
        if silence:
            chunks.append(np.zeros(silence, dtype=np.float32))
            at += silence
        t0 = at / rate
        words += [
            replace(
                w,
                start=w.start + t0,
                end=w.end + t0,
                char_start=w.char_start + offset,
                char_end=w.char_end + offset,
            )
            for w in speech.words
        ]
        phonemes += [replace(p, start=p.start + t0, end=p.end + t0) for p in speech.phonemes]
        chunks.append(speech.samples)
        at += len(speech.samples)
    samples = np.concatenate(chunks).astype(np.float32, copy=False)
    return Speech(samples=samples, sample_rate=rate, words=words, phonemes=phonemes)

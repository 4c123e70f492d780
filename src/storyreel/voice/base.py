"""The small contract every speech engine meets: a profile in, a `Speech` out.

The embedded espeak-ng engine is the first implementation; an HTTP engine (any
OpenAI-compatible `/audio/speech` endpoint) is meant to slot in behind the same `Voice`
protocol, which is why nothing here mentions espeak beyond the variant names that
`VoiceProfile` borrows as a neutral vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal, Protocol, runtime_checkable

import av
import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

# The timeline keeps each line's words as the engine reports them, so the type is its.
from storyreel.timeline import WordTiming as WordTiming

Gender = Literal["female", "male", "neutral"]


class VoiceProfile(BaseModel):
    """How one character sounds, independent of the language being spoken.

    The numbers follow espeak-ng's scales because they are concrete and documented;
    another engine maps them onto its own voices (gender and pitch pick a speaker,
    rate maps to a speed factor around 165 words per minute).
    """

    # Frozen: a profile is a value that gets compared, hashed and cached on.
    model_config = ConfigDict(extra="forbid", frozen=True)

    # An espeak-ng voice variant ("f1".."f5", "m1".."m7", "grandma", ...).
    variant: str = Field(default="m3", pattern=r"^[A-Za-z0-9_]+$", max_length=40)
    gender: Gender = "neutral"
    # Base pitch and pitch range (intonation), 50 is the variant's own.
    pitch: int = Field(default=50, ge=0, le=99)
    range: int = Field(default=50, ge=0, le=99)
    # Words per minute; espeak-ng's own limits.
    rate: int = Field(default=165, ge=80, le=450)
    # 100 is normal loudness; the synthesizer's gain control keeps louder from clipping.
    volume: int = Field(default=100, ge=0, le=200)
    # For HTTP engines: the server's own voice name (an OpenAI voice, a CosyVoice or
    # Kokoro speaker); None picks one by gender. espeak-ng ignores it.
    speaker: str | None = Field(default=None, max_length=200)
    # A short clip of the voice to clone and what is said in it, for servers that
    # clone from a reference (see voice/http.py). espeak-ng ignores both.
    reference: str | None = None
    reference_text: str | None = None


@dataclass(frozen=True, slots=True)
class PhonemeTiming:
    """When one phoneme (IPA; "" for a pause) is heard, in seconds from the start."""

    phoneme: str
    start: float
    end: float


@dataclass(frozen=True)
class Speech:
    """Mono float32 audio in [-1, 1] plus per-word timings, ready for the cut.

    `phonemes` is empty for engines that report none; the mouth track then follows the
    audio envelope alone.
    """

    samples: NDArray[np.float32]
    sample_rate: int
    words: list[WordTiming] = field(default_factory=list)
    phonemes: list[PhonemeTiming] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate

    def resampled(self, rate: int) -> Speech:
        """The same speech at `rate` Hz, through libswresample (PyAV).

        Word times are in seconds and so carry over unchanged; the output length is
        pinned to round(n * rate / sample_rate) so the duration stays exact.
        """
        if rate <= 0:
            raise ValueError(f"sample rate must be positive, got {rate}")
        if rate == self.sample_rate:
            return self
        target = round(len(self.samples) * rate / self.sample_rate)
        out = _resample(self.samples, self.sample_rate, rate)
        # The resampler's flush can leave the length a few samples off the exact ratio.
        if len(out) > target:
            out = out[:target]
        elif len(out) < target:
            out = np.concatenate([out, np.zeros(target - len(out), dtype=np.float32)])
        return replace(self, samples=out, sample_rate=rate)


def _resample(samples: NDArray[np.float32], src: int, dst: int) -> NDArray[np.float32]:
    if len(samples) == 0:
        return np.zeros(0, dtype=np.float32)
    resampler = av.AudioResampler(format="flt", layout="mono", rate=dst)
    frame = av.AudioFrame.from_ndarray(
        np.ascontiguousarray(samples, dtype=np.float32).reshape(1, -1),
        format="flt",
        layout="mono",
    )
    frame.sample_rate = src
    frame.pts = 0
    chunks: list[NDArray[np.float32]] = []
    # resample(None) flushes the filter tail that is still buffered inside swresample.
    for source in (frame, None):
        for out in resampler.resample(source):
            chunks.append(out.to_ndarray().reshape(-1).astype(np.float32, copy=False))
    if not chunks:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(chunks)


@runtime_checkable
class Voice(Protocol):
    """A speech engine. Implementations raise `storyreel.errors.VoiceError` for text or
    languages they cannot speak, so a caller can skip the line and carry on.

    Engines are found by name in the `storyreel.voices` entry-point group (see
    storyreel/plugins.py and `voice.engines.load_voice`); one with settings declares a
    pydantic `Options` model and takes an instance of it in its constructor. An engine
    whose settings change how a line sounds returns them from `identity()`, which is
    part of every cached line's key."""

    @property
    def name(self) -> str: ...

    @property
    def langs(self) -> frozenset[str]:
        """storyreel language codes this engine can speak."""
        ...

    def synthesize(self, text: str, lang: str, voice: VoiceProfile) -> Speech: ...

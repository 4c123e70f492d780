"""The default voice: Kokoro for the languages it speaks, espeak-ng for the rest.

    storyreel make story.fountain -o film.mp4               # --voice-engine auto
    load_voice("auto")

Kokoro speaks Mandarin, English, Japanese and Spanish naturally; espeak-ng speaks
Cantonese and Korean (which Kokoro does not) and everything when Kokoro's model or
voices are not installed, so a make never fails for want of a neural voice. Each
piece of a line goes to the engine for its language (voice/speak.py cuts mixed lines).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from storyreel.errors import VoiceError
from storyreel.voice.base import Speech, Voice, VoiceProfile
from storyreel.voice.espeak import EspeakVoice
from storyreel.voice.kokoro import KokoroOptions, KokoroVoice


class AutoOptions(BaseModel):
    """None: the default voice works as installed. Kokoro's own settings (threads,
    voices_dir) are the `kokoro` engine's; its voices folder can also be given by
    STORYREEL_KOKORO_VOICES."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class AutoVoice:
    """Kokoro where installed and able, espeak-ng otherwise."""

    name: str = "auto"
    Options: ClassVar[type[AutoOptions]] = AutoOptions

    def __init__(
        self, options: AutoOptions | None = None, *, kokoro: KokoroOptions | None = None
    ) -> None:
        """`kokoro` sets the Kokoro engine up (a voices folder, threads)."""
        self.options = options or AutoOptions()
        self.kokoro_options = kokoro or KokoroOptions()
        self.espeak = EspeakVoice()
        self.kokoro: KokoroVoice | None
        # Why Kokoro is not used, for `storyreel voices`; None when it is.
        self.absent: str | None = None
        try:
            self.kokoro = KokoroVoice(self.kokoro_options)
        except VoiceError as error:
            self.kokoro, self.absent = None, str(error)
        kokoro_langs = self.kokoro.langs if self.kokoro else frozenset()
        self.langs: frozenset[str] = self.espeak.langs | kokoro_langs
        # espeak-ng lines wait for its lock, Kokoro lines run side by side.
        self.concurrent = self.kokoro is not None

    def engine_for(self, lang: str) -> Voice:
        """The engine that speaks `lang`."""
        if self.kokoro is not None and lang in self.kokoro.langs:
            return self.kokoro
        return self.espeak

    def for_workers(self, workers: int) -> AutoVoice:
        """This router with Kokoro set up for `workers` lines at once."""
        if self.kokoro is None:
            return self
        routed = AutoVoice.__new__(AutoVoice)
        routed.__dict__.update(self.__dict__)
        routed.kokoro = self.kokoro.for_workers(workers)
        return routed

    def prepare(self, langs: Iterable[str]) -> None:
        """Kokoro's languages loaded ahead (KokoroVoice.prepare); espeak-ng needs nothing."""
        if self.kokoro is not None:
            self.kokoro.prepare(langs)

    def identity(self) -> dict[str, Any]:
        """Both engines' identities and which languages go to Kokoro (cache keys)."""
        return {
            "kokoro": self.kokoro.identity() if self.kokoro else None,
            "kokoro_langs": sorted(self.kokoro.langs) if self.kokoro else [],
            "espeak": self.espeak.identity(),
        }

    def synthesize(self, text: str, lang: str, voice: VoiceProfile) -> Speech:
        return self.engine_for(lang).synthesize(text, lang, voice)

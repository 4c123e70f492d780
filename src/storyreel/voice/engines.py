"""Speech engines by name, as the CLI and the API select them (`--voice-engine`)."""

from __future__ import annotations

from storyreel.errors import VoiceError
from storyreel.voice.base import Voice
from storyreel.voice.espeak import EspeakVoice
from storyreel.voice.http import HttpVoice

VOICE_ENGINES = ("espeak", "openai")


def open_voice(
    kind: str, *, url: str | None = None, model: str = "tts-1", api_key: str | None = None
) -> Voice:
    """The engine called `kind`: "espeak" (embedded) or "openai" (an OpenAI-compatible
    /v1/audio/speech server at `url`)."""
    if kind == "espeak":
        return EspeakVoice()
    if kind == "openai":
        if not url:
            raise VoiceError(
                "--voice-engine openai needs --voice-url, e.g. https://api.openai.com/v1 "
                "or http://127.0.0.1:8880/v1 for a self-hosted server"
            )
        return HttpVoice(url, model, api_key=api_key)
    raise VoiceError(f"unknown voice engine {kind!r}; voice engines: {', '.join(VOICE_ENGINES)}")

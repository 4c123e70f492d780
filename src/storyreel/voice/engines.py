"""Speech engines by name, as a `MakeConfig` names them (`--voice-engine`)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from storyreel.errors import VoiceError
from storyreel.voice.base import Voice
from storyreel.voice.espeak import EspeakVoice
from storyreel.voice.http import HttpVoice

VOICE_ENGINES = ("espeak", "openai")


def open_voice(kind: str, options: Mapping[str, Any] | None = None) -> Voice:
    """The engine called `kind`: "espeak" (embedded) or "openai" (an OpenAI-compatible
    /v1/audio/speech server; options `url`, `model` and `key_env`, the variable that
    holds its API key)."""
    options = dict(options or {})
    if kind == "espeak":
        if options:
            raise VoiceError(f"the espeak voice takes no options, got {', '.join(options)}")
        return EspeakVoice()
    if kind == "openai":
        url = options.pop("url", None)
        model = options.pop("model", None) or "tts-1"
        key_env = options.pop("key_env", None) or "OPENAI_API_KEY"
        if options:
            raise VoiceError(
                f"unknown option(s) for the openai voice: {', '.join(options)}; "
                "it takes url, model and key_env"
            )
        if not url:
            raise VoiceError(
                "--voice-engine openai needs --voice-url, e.g. https://api.openai.com/v1 "
                "or http://127.0.0.1:8880/v1 for a self-hosted server"
            )
        return HttpVoice(str(url), str(model), api_key=os.environ.get(str(key_env)))
    raise VoiceError(f"unknown voice engine {kind!r}; voice engines: {', '.join(VOICE_ENGINES)}")

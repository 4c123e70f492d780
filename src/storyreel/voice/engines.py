"""Speech engines by name: the `storyreel.voices` plugin group.

    voice = load_voice("espeak")
    voice = load_voice("openai", {"url": "http://127.0.0.1:8880/v1", "model": "kokoro"})

storyreel registers espeak-ng (`espeak`) and the OpenAI-compatible HTTP voice
(`openai`) in its pyproject.toml, exactly as a separate package registers its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from storyreel.errors import VoiceError
from storyreel.plugins import GROUPS, Registry
from storyreel.voice.base import Voice

VOICES: Registry[Voice] = Registry(
    GROUPS["voices"], "voice", VoiceError, Voice, "synthesize(text, lang, profile) -> Speech"
)


def load_voice(name: str, options: Mapping[str, Any] | None = None) -> Voice:
    """The speech engine registered as `name`, built with its `options` validated; an
    unknown name or a bad option is a `VoiceError` that says what is installed or
    allowed."""
    return VOICES.load(name, options)

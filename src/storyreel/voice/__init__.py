"""Voicing the film: cast each character a voice, then speak their lines."""

from storyreel.voice.base import Gender, Speech, Voice, VoiceProfile, WordTiming
from storyreel.voice.casting import voice_for
from storyreel.voice.espeak import SUPPORTED_LANGS, EspeakVoice, synthesize

__all__ = [
    "SUPPORTED_LANGS",
    "EspeakVoice",
    "Gender",
    "Speech",
    "Voice",
    "VoiceProfile",
    "WordTiming",
    "synthesize",
    "voice_for",
]

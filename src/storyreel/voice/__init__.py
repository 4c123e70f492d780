"""Voicing the film: cast each character a voice, then speak their lines.

Engines: `EspeakVoice` (embedded espeak-ng, the default) and `HttpVoice` (any
OpenAI-compatible /v1/audio/speech server), registered in the `storyreel.voices`
plugin group and built by name with `voice.engines.load_voice`. `voice_storyboard` is
the make's voice stage (in voice/stage.py, not imported here: it reaches into the cut's
audio rate and the run's keys); it returns the film's Timeline; `speak_line` speaks one
line of any length and language mix with any engine.
"""

from storyreel.voice.base import Gender, PhonemeTiming, Speech, Voice, VoiceProfile, WordTiming
from storyreel.voice.casting import voice_for
from storyreel.voice.espeak import SUPPORTED_LANGS, EspeakVoice, synthesize
from storyreel.voice.http import HttpVoice
from storyreel.voice.speak import speak_line

__all__ = [
    "SUPPORTED_LANGS",
    "EspeakVoice",
    "Gender",
    "HttpVoice",
    "PhonemeTiming",
    "Speech",
    "Voice",
    "VoiceProfile",
    "WordTiming",
    "speak_line",
    "synthesize",
    "voice_for",
]

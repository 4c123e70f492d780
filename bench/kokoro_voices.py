"""The pitch of every Kokoro voice that casting hands out, measured as the listener hears it.

    .venv/bin/python bench/kokoro_voices.py

Each voice of the zh, en, ja and es palettes speaks a reference sentence in its own
language; the median F0 and the 10-90 % range (cast/voiceprint.py's measures) are
printed one line per voice, with the ratio of its pitch to the median of its language
and sex (the baseline measured in the same run). The elderly and child choices in
voice/kokoro_voices.py are the lowest and highest of these, and its PITCH_HZ table
(a digital actor speaks with the voice nearest their recorded pitch) holds them.
"""

from __future__ import annotations

import statistics
import time

from storyreel.cast.voiceprint import measure_voice
from storyreel.voice.base import VoiceProfile
from storyreel.voice.kokoro import KokoroVoice
from storyreel.voice.kokoro_voices import ORDER

SENTENCES = {
    "zh": "今天晚上的灯笼特别亮，我们一起去河边看看吧。",
    "en": "The lantern maker opened her shop before sunrise, and the street smelled of rain.",
    "ja": "きょうは あめが ふって いますが、 みんなで まつりに いきましょう。",
    "es": "Esta noche las linternas brillan mucho, vamos juntos al río.",
}


def main() -> None:
    voice = KokoroVoice()
    for (lang, sex), names in ORDER.items():
        pitches: dict[str, float] = {}
        for name in names:
            started = time.perf_counter()
            speech = voice.synthesize(SENTENCES[lang], lang, VoiceProfile(speaker=name))
            measured = measure_voice(speech.samples, speech.sample_rate)
            if measured is None:
                print(f"{name}: no measurable speech")
                continue
            pitches[name] = measured.pitch_hz
            wall = time.perf_counter() - started
            print(
                f"{lang} {sex} {name}: median F0 {measured.pitch_hz:.0f} Hz, range "
                f"{measured.range_semitones:.1f} st, {speech.duration / wall:.2f}x real time"
            )
        if pitches:
            middle = statistics.median(pitches.values())
            for name, hz in sorted(pitches.items(), key=lambda item: item[1]):
                print(f"{lang} {sex} {name}: pitch / median of its group = {hz / middle:.2f}")


if __name__ == "__main__":
    main()

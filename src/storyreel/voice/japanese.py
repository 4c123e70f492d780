"""Japanese written with kanji, read aloud as kana for espeak-ng.

espeak-ng's Japanese voice reads hiragana and katakana only; a kanji comes out as the
words "Chinese letter". Ordinary Japanese is mostly kanji, so refusing it (what the
first version did) left most Japanese lines silent. pykakasi ships a kanji dictionary
as plain data, so a kanji run is rewritten as its hiragana reading before synthesis.

Its readings are dictionary readings, not a parser's: an unusual reading may come out
wrong (降り as おり rather than ふり), which a previs voice can live with. The particles
は and へ are written as they are pronounced (わ, え) so espeak does not say "ha".

The reading keeps a map from each spoken character back to the written one, so word
timings (and from them subtitles) still point into the line as the writer wrote it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

KANJI = re.compile("[\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# Tokens that are (or end in) a topic or direction particle.
_PARTICLES = {"は": "わ", "へ": "え", "には": "にわ", "では": "でわ", "とは": "とわ"}


@dataclass(frozen=True)
class Reading:
    """`spoken` is what the synthesizer reads; `origin[i]` is the index in the written
    text of spoken character i, with one extra entry for the end of the text."""

    spoken: str
    origin: list[int]

    def written_span(self, start: int, end: int) -> tuple[int, int]:
        """The written characters a spoken span `start:end` came from."""
        start = min(max(start, 0), len(self.spoken))
        end = min(max(end, start), len(self.spoken))
        first = self.origin[start]
        last = self.origin[end - 1] + 1 if end > start else first
        return first, max(last, first)


@functools.cache
def _converter() -> Any:
    # Imported and built on first use: loading the dictionary takes most of a second.
    import pykakasi

    make: Any = pykakasi.kakasi  # the library has no type annotations
    return make()


def kana_reading(text: str) -> Reading:
    """`text` with every kanji run replaced by its hiragana reading."""
    if not KANJI.search(text):
        return Reading(text, [*range(len(text)), len(text)])
    spoken: list[str] = []
    origin: list[int] = []
    at = 0
    for token in _converter().convert(text):
        written: str = token["orig"]
        # pykakasi's tokens cover the text in order; find each one to stay in step even
        # where it normalised a character.
        found = text.find(written, at)
        start = found if found >= 0 else at
        reading = _PARTICLES.get(written, written) if not KANJI.search(written) else token["hira"]
        if not reading:
            reading = written
        spoken.append(reading)
        if reading == written:
            origin.extend(range(start, start + len(written)))
        else:
            # A reading is not character-aligned with its kanji: spread it evenly.
            span = max(len(written), 1)
            origin.extend(
                start + min(span - 1, i * span // len(reading)) for i in range(len(reading))
            )
        at = start + len(written)
    origin.append(len(text))
    return Reading("".join(spoken), origin)


def unreadable_kanji(text: str) -> list[str]:
    """Kanji still left in a reading: ones the dictionary does not know."""
    return sorted(set(KANJI.findall(text)))

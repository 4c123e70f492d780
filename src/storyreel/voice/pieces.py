"""A written line cut into pieces a synthesizer can speak: one language and a modest
length each.

Mixed-language lines are split by script into runs and each run is voiced in its own
language ("我们去 Starbucks 吧" is Mandarin, then English, then Mandarin). Voicing the
whole line in its majority language was the alternative; espeak-ng then spells Latin
words letter by letter in Chinese and reads Hangul as "Korean letter", which no
listener would accept. The line's own language (from a `[lang=xx]` tag, the title
page or detection) decides the runs written in its script: that is how Cantonese stays
Cantonese and Spanish stays Spanish. A run in another script is voiced in the language
detected for it. Runs of one or two Latin letters ("OK", "A") inside a CJK line stay
with their neighbours: splitting off a syllable costs more than it gains.

Long lines (a 2,000-character monologue) are cut at sentence ends, then at clause
breaks, then at spaces, so no single synthesis call gets more than `MAX_PIECE` chars.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from storyreel.script.lang import detect_lang
from storyreel.script.text import is_han, is_hangul, is_kana

Family = Literal["cjk", "hangul", "latin"]

# espeak-ng speaks a few hundred characters in one call without trouble; pieces this
# size keep one call's memory small and let a bad piece fail alone.
MAX_PIECE = 300
# A foreign run needs this many letters to be voiced on its own.
_MIN_RUN_LETTERS = 3
_SENTENCE_END = re.compile(r"(?<=[.!?。！？…；;])[\"'”’」』)）]*\s*")
_CLAUSE_END = re.compile(r"(?<=[,，、:：—])\s*")
_FAMILY_LANGS: dict[Family, tuple[str, ...]] = {
    "cjk": ("zh", "yue", "ja"),
    "hangul": ("ko",),
    "latin": ("en", "es"),
}


@dataclass(frozen=True)
class Piece:
    text: str
    lang: str
    start: int  # index of the piece's first character in the line
    # True where a sentence (not just a language run) ends before this piece.
    after_sentence: bool = False


def family_of(ch: str) -> Family | None:
    if is_han(ch) or is_kana(ch):
        return "cjk"
    if is_hangul(ch):
        return "hangul"
    if ch.isalpha():
        return "latin"
    return None  # digits, spaces, punctuation: they go with their neighbours


def language_runs(text: str, lang: str) -> list[Piece]:
    """`text` as runs of one script each, with the language each is voiced in."""
    spans: list[tuple[Family | None, int, int]] = []  # family, start, end
    for i, ch in enumerate(text):
        fam = family_of(ch)
        if spans and (fam is None or fam == spans[-1][0] or spans[-1][0] is None):
            prev_fam, start, _ = spans[-1]
            spans[-1] = (prev_fam or fam, start, i + 1)
        else:
            spans.append((fam, i, i + 1))
    spans = _absorb_short_runs(text, spans)
    runs: list[Piece] = []
    for fam, start, end in spans:
        piece = text[start:end]
        if fam is None or lang in _FAMILY_LANGS[fam]:
            run_lang = lang
        else:
            run_lang = detect_lang(piece, default=lang)
        if runs and runs[-1].lang == run_lang:
            last = runs[-1]
            runs[-1] = Piece(text[last.start : end], run_lang, last.start)
        else:
            runs.append(Piece(piece, run_lang, start))
    return runs


def _absorb_short_runs(
    text: str, spans: list[tuple[Family | None, int, int]]
) -> list[tuple[Family | None, int, int]]:
    out: list[tuple[Family | None, int, int]] = []
    for fam, start, end in spans:
        letters = sum(1 for ch in text[start:end] if ch.isalpha())
        short = fam == "latin" and letters < _MIN_RUN_LETTERS
        if out and (short or fam is None or fam == out[-1][0]):
            prev_fam, prev_start, _ = out[-1]
            out[-1] = (prev_fam, prev_start, end)
        elif out and out[-1][0] == "latin" and _letters(text, out[-1]) < _MIN_RUN_LETTERS:
            # A short Latin run at the very start joins what follows it.
            out[-1] = (fam, out[-1][1], end)
        else:
            out.append((fam, start, end))
    return out


def _letters(text: str, span: tuple[Family | None, int, int]) -> int:
    return sum(1 for ch in text[span[1] : span[2]] if ch.isalpha())


def split_long(text: str, limit: int = MAX_PIECE) -> list[tuple[int, int]]:
    """(start, end) spans of `text`, each at most `limit` characters, cut at the best
    boundary available: a sentence end, a clause break, a space, else anywhere."""
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = 0
        for pattern in (_SENTENCE_END, _CLAUSE_END, re.compile(r"\s+")):
            ends = [m.end() for m in pattern.finditer(window) if 0 < m.end() < len(window)]
            if ends:
                cut = ends[-1]
                break
        if cut == 0:
            cut = limit
        spans.append((start, start + cut))
        start += cut
    spans.append((start, len(text)))
    return spans


def line_pieces(text: str, lang: str, limit: int = MAX_PIECE) -> list[Piece]:
    """The pieces to synthesize for one line, in order; none for a line with nothing
    to say (empty, or spaces and punctuation only)."""
    if not any(ch.isalnum() for ch in text):
        return []
    pieces: list[Piece] = []
    for run in language_runs(text, lang):
        for i, (lo, hi) in enumerate(split_long(run.text, limit)):
            chunk = run.text[lo:hi]
            if not any(ch.isalnum() for ch in chunk):
                continue  # a lone dash or ellipsis between runs says nothing
            pieces.append(Piece(chunk, run.lang, run.start + lo, after_sentence=i > 0))
    return pieces

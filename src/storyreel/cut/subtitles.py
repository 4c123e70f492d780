"""Subtitle files written beside the film: SRT, WebVTT and styled ASS.

Cues follow the voice: a long line is split into several cues at word boundaries, each
shown while its words are heard (word timings from the synthesizer). A line with a
translation (planning gives each line the script's) gets it as a second line of every
cue, split in step with the original.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from storyreel.cut.timeline import Cue
from storyreel.fonts import face_index, faces
from storyreel.voice.base import WordTiming

# Reading-speed conventions for one subtitle line: about 42 characters of Latin text,
# about 16 of Chinese, Japanese or Korean (each carries a syllable or more).
MAX_LATIN = 42
MAX_CJK = 16
# Full-width characters, CJK punctuation included: each takes a CJK cell on screen.
_WIDE = re.compile(
    r"[\u1100-\u11ff\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]"
)


def _budget(text: str) -> float:
    """How much of a subtitle line `text` fills, 1.0 being a full line."""
    wide = len(_WIDE.findall(text))
    return wide / MAX_CJK + (len(text) - wide) / MAX_LATIN


def split_cue(cue: Cue, words: list[WordTiming]) -> list[Cue]:
    """`cue` as one or more cues of at most one subtitle line each, cut between words.

    Each piece runs from its first word's start to the next piece's first word, the
    last one to the end of the line, so the pieces tile the line's time exactly.
    """
    words = [w for w in words if w.char_end > w.char_start]
    if _budget(cue.text) <= 1.0 or len(words) < 2:
        return [cue]
    groups: list[list[WordTiming]] = [[]]
    for i, word in enumerate(words):
        group = groups[-1]
        if group:
            # The piece would run to where the next word starts: its punctuation counts.
            end = words[i + 1].char_start if i + 1 < len(words) else len(cue.text)
            if _budget(cue.text[group[0].char_start : end].strip()) > 1.0:
                groups.append([])
        groups[-1].append(word)
    if len(groups) == 1:
        return [cue]
    # Text cuts: each piece keeps the punctuation after its last word.
    cuts = [0] + [g[0].char_start for g in groups[1:]] + [len(cue.text)]
    times = [cue.start] + [cue.start + g[0].start for g in groups[1:]] + [cue.end]
    translations = _split_translation(
        cue.translation, [cuts[i + 1] - cuts[i] for i in range(len(groups))]
    )
    out: list[Cue] = []
    for i in range(len(groups)):
        t0, t1 = times[i], max(times[i + 1], times[i])
        text = cue.text[cuts[i] : cuts[i + 1]].strip()
        if not text or t1 <= t0:
            continue
        out.append(replace(cue, start=t0, end=t1, text=text, translation=translations[i]))
    return out or [cue]


def _split_translation(text: str | None, shares: list[int]) -> list[str | None]:
    """`text` cut at spaces (or anywhere, for CJK) into len(shares) pieces sized like
    the shares of the original they go with."""
    if not text:
        return [None] * len(shares)
    wide = bool(_WIDE.search(text))
    units = list(text) if wide else text.split()
    total = sum(shares) or 1
    pieces: list[str | None] = []
    taken = 0
    seen = 0
    for i, share in enumerate(shares):
        seen += share
        upto = len(units) if i == len(shares) - 1 else round(len(units) * seen / total)
        chunk = units[taken:upto]
        taken = max(taken, upto)
        joined = ("" if wide else " ").join(chunk).strip()
        pieces.append(joined or None)
    return pieces


def word_timed(cues: list[Cue], words: Mapping[tuple[str, int], list[WordTiming]]) -> list[Cue]:
    """Every cue split by `split_cue` with its line's word timings."""
    out: list[Cue] = []
    for cue in cues:
        timing = words.get(cue.key) if cue.key is not None else None
        out.extend(split_cue(cue, timing or []))
    return out


def _lines(cue: Cue) -> list[str]:
    return [cue.text, cue.translation] if cue.translation else [cue.text]


# --- SRT --------------------------------------------------------------------------------


def _srt_time(seconds: float) -> str:
    ms = round(seconds * 1000)
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


def to_srt(cues: list[Cue]) -> str:
    blocks = [
        f"{i}\n{_srt_time(c.start)} --> {_srt_time(c.end)}\n" + "\n".join(_lines(c)) + "\n"
        for i, c in enumerate(cues, start=1)
    ]
    return "\n".join(blocks)


# --- WebVTT -----------------------------------------------------------------------------


def _vtt_time(seconds: float) -> str:
    return _srt_time(seconds).replace(",", ".")


def _vtt_text(text: str) -> str:
    # The three characters WebVTT cue text reserves.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_vtt(cues: list[Cue]) -> str:
    blocks = ["WEBVTT\n"]
    for c in cues:
        text = "\n".join(_vtt_text(line) for line in _lines(c))
        blocks.append(f"{_vtt_time(c.start)} --> {_vtt_time(c.end)}\n{text}\n")
    return "\n".join(blocks)


# --- ASS --------------------------------------------------------------------------------


def font_family(lang: str) -> str:
    """The Noto Sans CJK family name whose face suits `lang` ("Noto Sans CJK JP")."""
    index = face_index(lang)
    region = next((r for r, i in faces().items() if i == index), "SC")
    return f"Noto Sans CJK {region}"


def _ass_time(seconds: float) -> str:
    cs = round(seconds * 100)
    h, cs = divmod(cs, 360_000)
    m, cs = divmod(cs, 6000)
    s, cs = divmod(cs, 100)
    return f"{h:d}:{m:02d}:{s:02d}.{cs:02d}"


def _ass_text(text: str) -> str:
    # Braces open override blocks and a backslash starts a tag; neither may pass through.
    return text.replace("\\", "＼").replace("{", "(").replace("}", ")").replace("\n", " ")


def to_ass(cues: list[Cue], width: int, height: int, lang: str = "en") -> str:
    """An ASS script: white text with a dark outline and shadow, the translation
    smaller and in a soft yellow under the line, in the CJK face of each line's
    language (the player needs Noto Sans CJK installed, as it comes with most Linux
    desktops; others fall back to a system font)."""
    size = max(12, round(height * 0.055))
    small = max(10, round(size * 0.78))
    outline = max(1, round(size / 16))
    margin = max(8, round(height * 0.06))
    family = font_family(lang)
    header = (
        "[Script Info]\n"
        "; Written by storyreel\n"
        "ScriptType: v4.00+\n"
        f"PlayResX: {width}\n"
        f"PlayResY: {height}\n"
        "WrapStyle: 0\n"
        "ScaledBorderAndShadow: yes\n"
        "\n"
        "[V4+ Styles]\n"
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
        "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
        "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n"
        f"Style: Default,{family},{size},&H00FFFFFF,&H000000FF,&H00101010,&H80000000,"
        f"0,0,0,0,100,100,0,0,1,{outline},{outline},2,{margin},{margin},{margin},1\n"
        f"Style: Translation,{family},{small},&H0090E8FF,&H000000FF,&H00101010,&H80000000,"
        f"0,0,0,0,100,100,0,0,1,{outline},{outline},2,{margin},{margin},{margin},1\n"
        "\n"
        "[Events]\n"
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
    )
    events = []
    for c in cues:
        text = _ass_text(c.text)
        cue_family = font_family(c.lang)
        if cue_family != family:
            text = f"{{\\fn{cue_family}}}" + text
        if c.translation:
            text += f"\\N{{\\rTranslation}}{_ass_text(c.translation)}"
        name = _ass_text(c.character).replace(",", " ")
        events.append(
            f"Dialogue: 0,{_ass_time(c.start)},{_ass_time(c.end)},Default,{name},0,0,0,,{text}\n"
        )
    return header + "".join(events)

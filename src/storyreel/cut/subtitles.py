"""Subtitle files written beside the film: SRT, WebVTT and styled ASS.

They write the timeline's cues, which follow the voice: a long line is several cues cut
at word boundaries, each shown while its words are heard (storyreel/timeline.py). A
line with a translation in the script gets it as a second line of every cue.
"""

from __future__ import annotations

from collections.abc import Sequence

from storyreel.fonts import face_index, faces
from storyreel.model import Dialogue, Script, Storyboard
from storyreel.timeline import Cue


def attach_translations(script: Script, board: Storyboard) -> None:
    """Give each storyboard line the translation its dialogue has in the script.

    Lines are matched in order by speaker and text, so the pass works whatever the
    director did with the shots; a line that already carries a translation is kept.
    """
    pending: dict[tuple[str, str], list[str]] = {}
    for scene in script.scenes:
        for element in scene.elements:
            if isinstance(element, Dialogue) and element.translation:
                key = (element.character, element.text)
                pending.setdefault(key, []).append(element.translation)
    if not pending:
        return
    for shot in board.shots:
        for line in shot.lines:
            queue = pending.get((line.character, line.text))
            if queue and line.translation is None:
                line.translation = queue.pop(0)


def _lines(cue: Cue) -> list[str]:
    return [cue.text, cue.translation] if cue.translation else [cue.text]


# --- SRT --------------------------------------------------------------------------------


def _srt_time(seconds: float) -> str:
    ms = round(seconds * 1000)
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


def to_srt(cues: Sequence[Cue]) -> str:
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


def to_vtt(cues: Sequence[Cue]) -> str:
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


def to_ass(cues: Sequence[Cue], width: int, height: int, lang: str = "en") -> str:
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

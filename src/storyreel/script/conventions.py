"""Screenplay conventions shared by the Fountain and prose parsers, in English and in
Chinese: scene headings, transitions, character cues and `NAME: line` dialogue.

Each function looks at one line and answers a question about it; none keeps state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from storyreel.model import Dialogue, Interior, TimeOfDay
from storyreel.script.lang import detect_lang, normalize_lang
from storyreel.script.marks import gather, peel
from storyreel.script.text import (
    collapse_spaces,
    has_caseless_letters,
    strip_emphasis,
    word_set,
)

# "inherit" stands for LATER / CONTINUOUS / 稍后: the previous scene's time of day.
SceneTime = TimeOfDay | Literal["inherit"] | None
INHERIT: Literal["inherit"] = "inherit"

# --- scene headings ------------------------------------------------------------------

_EN_HEADING = re.compile(
    r"^(?P<ie>int\.?\s*/\s*ext|ext\.?\s*/\s*int|i\s*/\s*e|int|ext|est)(?:\.|\s)\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_ZH_NUMERAL = "0-9０-９一二三四五六七八九十百零〇两"
_ZH_HEADING = re.compile(
    rf"^(?:(?:第[{_ZH_NUMERAL}]+场|场景?\s*[{_ZH_NUMERAL}]+|[0-9０-９]+[A-Za-z]?(?:-[0-9]+)?)"
    r"[.、。．:：\s　]*)?"
    r"(?P<ie>内外景|内/外景|外/内景|内景|外景)(?:[.。、．:：\s　]+|$)(?P<rest>.*)$"
)
_SCENE_NUMBER = re.compile(r"\s*#(?P<num>[\w.\-]+)#\s*$")
# "LOCATION - TIME": the last dash surrounded by spaces separates them.
_TIME_SPLIT = re.compile(r"^(?P<loc>.*?)\s+[-–—]+\s+(?P<time>[^-–—]+)$")
_ZH_SPLIT = re.compile(r"[\s　\-–—,，、/.。]+")

# Checked in this order, so "LATER THAT NIGHT" is night and not an inherited time.
_EN_TIMES: tuple[tuple[str, SceneTime], ...] = (
    (r"NIGHT|MIDNIGHT", "night"),
    (r"DAWN|SUNRISE|DAYBREAK|PRE-DAWN", "dawn"),
    (r"DUSK|EVENING|SUNSET|TWILIGHT|MAGIC HOUR", "dusk"),
    (r"DAY|MORNING|AFTERNOON|NOON|DAYTIME", "day"),
    (r"LATER|CONTINUOUS|SAME|MOMENTS LATER|SAME TIME", INHERIT),
)
_ZH_TIMES: dict[str, SceneTime] = {
    "日": "day",
    "白天": "day",
    "白日": "day",
    "上午": "day",
    "中午": "day",
    "下午": "day",
    "早上": "day",
    "早晨": "dawn",
    "清晨": "dawn",
    "黎明": "dawn",
    "凌晨": "dawn",
    "黄昏": "dusk",
    "傍晚": "dusk",
    "日落": "dusk",
    "夜": "night",
    "晚": "night",
    "夜晚": "night",
    "晚上": "night",
    "深夜": "night",
    "午夜": "night",
    "稍后": INHERIT,
    "同时": INHERIT,
    "连续": INHERIT,
    "接上": INHERIT,
}


@dataclass(frozen=True)
class Heading:
    text: str  # as written, emphasis and scene number removed
    location: str
    interior: Interior | None
    time: SceneTime
    number: str | None


def is_heading(line: str) -> bool:
    """An unforced scene heading: INT./EXT./EST./I/E or 内景/外景 at the start."""
    text = line.strip()
    return bool(_EN_HEADING.match(text) or _ZH_HEADING.match(text))


def parse_heading(line: str) -> Heading:
    """Split a heading line (a forced `.` already removed) into its parts."""
    text = line.strip()
    number = None
    if found := _SCENE_NUMBER.search(text):
        number = found["num"]
        text = text[: found.start()].rstrip()
    text = strip_emphasis(text)
    interior: Interior | None = None
    rest = text
    if en := _EN_HEADING.match(text):
        interior = _interior(en["ie"].lower())
        rest = en["rest"]
    elif zh := _ZH_HEADING.match(text):
        interior = _interior(zh["ie"])
        rest = zh["rest"]
    location, time = _location_and_time(rest.strip())
    return Heading(text, location, interior, time, number)


def _interior(word: str) -> Interior:
    word = word.replace(" ", "").replace(".", "")
    if "/" in word or word == "内外景":
        return "int/ext"
    return "int" if word in ("int", "内景") else "ext"


def _location_and_time(rest: str) -> tuple[str, SceneTime]:
    if split := _TIME_SPLIT.match(rest):
        time = _time_word(split["time"])
        if time is not None:
            return split["loc"].strip(), time
    if has_caseless_letters(rest):
        # Chinese headings separate their parts with spaces as often as with dashes.
        parts = [p for p in _ZH_SPLIT.split(rest) if p]
        times = [p for p in parts if p in _ZH_TIMES]
        if times:
            return " ".join(p for p in parts if p not in _ZH_TIMES), _ZH_TIMES[times[-1]]
        return " ".join(parts), None
    return rest, None


def _time_word(text: str) -> SceneTime:
    text = text.strip()
    if text in _ZH_TIMES:
        return _ZH_TIMES[text]
    upper = text.upper()
    for pattern, time in _EN_TIMES:
        if re.search(rf"\b(?:{pattern})\b", upper):
            return time
    return None


# --- transitions ---------------------------------------------------------------------

_EN_TRANSITIONS = word_set(
    "FADE OUT.|FADE OUT|FADE IN:|FADE IN|FADE IN.|FADE TO BLACK.|FADE TO BLACK|CUT TO BLACK."
    "|CUT TO BLACK|SMASH CUT.|FADE TO WHITE.|IRIS OUT.|IRIS IN:",
    "|",
)
_ZH_TRANSITION = re.compile(
    r"^(?:淡出|淡入|切至|切到|切换到|叠化|闪回|转场|黑场|渐隐|渐显)[。.:：]?$"
)


def is_transition(line: str) -> bool:
    """`CUT TO:`-style uppercase lines, the usual fades, and 淡出/切至/叠化 lines.
    (The blank lines Fountain wants around a transition are the caller's check.)"""
    text = strip_emphasis(line.strip())
    if _ZH_TRANSITION.match(text):
        return True
    if text.upper() in _EN_TRANSITIONS and text == text.upper():
        return True
    return text.endswith("TO:") and text == text.upper() and any(c.isalpha() for c in text)


# --- characters ----------------------------------------------------------------------

# Uppercase lines or `NAME:` labels that direct the camera or the page, not a voice.
_EN_DIRECTIVES = re.compile(
    r"^(?:CLOSE ON|CLOSE UP|CLOSE-UP|EXTREME CLOSE|ANGLE ON|INSERT|TEXT ON SCREEN|ON SCREEN|"
    r"SUPER|SUPERIMPOSE|TITLE|TITLE CARD|CAPTION|SUBTITLE|BACK TO|INTERCUT|MONTAGE|"
    r"SERIES OF SHOTS|FLASHBACK|END FLASHBACK|POV|WIDE|WIDE SHOT|PAN|TRACKING|LATER|"
    r"CONTINUED|MORE|THE END|END|SFX|SOUND|MUSIC|NOTE|NOTES|LOCATION|TIME|SCENE|SHOT|"
    r"CUT|FADE|DISSOLVE|CHAPTER|PART|ACT)\b"
)
_ZH_DIRECTIVES = re.compile(
    r"^(?:大远景|远景|大全景|全景|中景|中近景|近景|大特写|特写|镜头|画面|字幕|音效|音乐|"
    r"时间|地点|人物|场景|背景|道具|服装|注|备注|说明|提示|标题|内容|第.{1,4}[章节回幕集])"
)
# A verb of saying at the end means "他说：..." - narration quoting, not a cue.
_ZH_SAYING = re.compile(r"[说道问喊叫答想讲]$")
_EN_NAME = re.compile(r"^[A-Z0-9À-ÖØ-Þ][A-Z0-9À-ÖØ-Þ '.\-]*$")
_CASELESS_NAME = re.compile(
    r"^[^\s。，！？：；,!?:;“”\"「」（）()]+(?:[ ·・][^\s。，！？：；,!?:;]+)*$"
)
_MAX_CASELESS = 12
_LANG_TAG = re.compile(r"\[\s*lang\s*=\s*([A-Za-z\-_]+)\s*\]", re.IGNORECASE)
_EXTENSION = re.compile(r"\s*[（(]([^（）()]*)[）)]\s*$")

# Parentheses after a name that say how the voice is heard rather than how it is
# acted; the rest in `NAME (...):` style are parentheticals.
_VOICE_EXTENSIONS = word_set(
    "V.O.|VO|V.O|O.S.|OS|O.S|O.C.|OC|O.C|CONT'D|CONT’D|CONT.|CONTD|CONTINUING|PRE-LAP|"
    "FILTERED|ON PHONE|ON TV|ON RADIO|INTO PHONE|SUBTITLED|"
    "画外音|旁白|画外|内心独白|独白|电话|继续",
    "|",
)


@dataclass(frozen=True)
class Cue:
    name: str
    extensions: list[str] = field(default_factory=list)
    lang: str | None = None
    dual: bool = False


def parse_cue(line: str) -> Cue | None:
    """Read a character cue line (`MEI (V.O.) ^`, `@McCLANE`, `ANNA [lang=es]`,
    `小梅（画外音）`), or None when the line cannot be one."""
    text = line.strip()
    forced = text.startswith("@")
    text = text.removeprefix("@").strip()
    dual = text.endswith("^")
    text = text.removesuffix("^").strip()
    lang = None
    if tag := _LANG_TAG.search(text):
        lang = normalize_lang(tag[1])
        text = (text[: tag.start()] + text[tag.end() :]).strip()
    extensions: list[str] = []
    while ext := _EXTENSION.search(text):
        extensions.insert(0, ext[1].strip())
        text = text[: ext.start()]
        # A [lang=..] tag may sit after the extensions as well as before them.
        if tag := _LANG_TAG.search(text):
            lang = normalize_lang(tag[1])
            text = (text[: tag.start()] + text[tag.end() :]).strip()
    name = collapse_spaces(strip_emphasis(text))
    if not name or not (forced or is_speaker_name(name)):
        return None
    return Cue(name, extensions, lang, dual)


def is_speaker_name(name: str) -> bool:
    """An ALL-CAPS name, or a short name in a script without case (Chinese,
    Japanese, Korean), that is not a camera or page directive."""
    if is_heading(name) or is_transition(name):
        return False
    if has_caseless_letters(name):
        return (
            len(name) <= _MAX_CASELESS
            and bool(_CASELESS_NAME.match(name))
            and not _ZH_DIRECTIVES.match(name)
            and not _ZH_SAYING.search(name)
        )
    return (
        bool(_EN_NAME.match(name))
        and any(c.isalpha() for c in name)
        and name == name.upper()
        and not _EN_DIRECTIVES.match(name)
    )


def split_extensions(parens: list[str]) -> tuple[list[str], list[str]]:
    """Sort `NAME (...)` parentheses into voice extensions and acting directions."""
    extensions = [p for p in parens if p.upper() in _VOICE_EXTENSIONS]
    directions = [p for p in parens if p.upper() not in _VOICE_EXTENSIONS]
    return extensions, directions


# `NAME (direction): line` and `名字（轻声）：台词`, all on one line.
_COLON_LINE = re.compile(
    r"^(?P<name>[^:：（(]{1,40}?)\s*(?:[（(](?P<paren>[^）)]*)[）)])?\s*(?::\s+|：\s*)(?P<text>\S.*)$"
)


@dataclass(frozen=True)
class ColonLine:
    cue: Cue
    directions: list[str]
    text: str

    def dialogue(self, line: int, lang: str | None = None) -> Dialogue:
        """The line as a Dialogue element; `lang` is the character's known language."""
        said, marks = peel(self.text)
        translation, translations = gather(marks)
        spoken = strip_emphasis(said)
        return Dialogue(
            character=self.cue.name,
            extensions=self.cue.extensions,
            parentheticals=self.directions,
            text=spoken,
            translation=strip_emphasis(translation) if translation else None,
            translations={k: strip_emphasis(v) for k, v in translations.items()},
            lang=self.cue.lang or lang or detect_lang(spoken),
            line=line,
        )


def parse_colon_line(line: str) -> ColonLine | None:
    """Dialogue written as `VOICEOVER (female, warm): Spring, in every cup.` or
    `小梅（轻声）：你好`; None for anything else, camera directives included."""
    found = _COLON_LINE.match(line.strip())
    if found is None:
        return None
    cue = parse_cue(found["name"])
    if cue is None or cue.extensions:
        return None
    parens = [found["paren"].strip()] if found["paren"] else []
    extensions, directions = split_extensions(parens)
    cue = Cue(cue.name, extensions, cue.lang, cue.dual)
    return ColonLine(cue, directions, found["text"].strip())

"""Plain prose and one-line prompts: one scene, one Action per beat.

A beat is a sentence, or a few short ones together, so the director gets units worth
a shot each. `NAME: line` lines become dialogue as they would in a screenplay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyreel.model import Action, Dialogue, Element, Scene, Script, Section, TimeOfDay
from storyreel.script.characters import collect_characters, with_lang_overrides
from storyreel.script.conventions import parse_colon_line
from storyreel.script.lang import detect_lang, majority_lang
from storyreel.script.text import has_caseless_letters, join_lines, strip_emphasis, word_set

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_BULLET = re.compile(r"^\s*[-*+]\s+")
_TERMINATORS = frozenset(".!?。！？…")
_CJK_TERMINATORS = frozenset("。！？…")
_OPENERS = {"“": "”", "「": "」", "『": "』", "《": "》", "(": ")", "（": "）"}
_CLOSERS = frozenset(_OPENERS.values())
_ABBREVIATIONS = word_set("mr mrs ms dr st jr sr vs etc e.g i.e no mt prof")
# Shorter beats are merged into the next: a CJK character says more than a letter.
_MIN_BEAT_LATIN = 20
_MIN_BEAT_CJK = 8

_EN_PLACES = word_set(
    "balcony kitchen bedroom bathroom room office street alley lane market park forest "
    "woods beach shore harbor harbour dock station platform train subway bus car taxi "
    "house apartment flat school classroom library cafe café restaurant bar shop store "
    "city village town garden rooftop roof bridge river lake mountain hill desert field "
    "church temple palace castle hospital hall stage studio warehouse factory farm "
    "ship boat island cave battlefield arena"
)
_EN_PLACE = re.compile(
    r"\b(?:in|on|at|inside|into|across|through|along|outside)\s+"
    r"(?:(?:a|an|the|his|her|their|my|our)\s+)?(?:[a-z]+\s+)?"
    rf"({'|'.join(sorted(_EN_PLACES, key=len, reverse=True))})\b",
    re.IGNORECASE,
)
_ZH_PLACES = word_set(
    "竹林 森林 树林 街道 街头 小巷 巷子 夜市 市场 咖啡馆 餐厅 饭店 酒吧 公寓 房间 卧室 厨房 阳台 "
    "客厅 学校 教室 图书馆 办公室 海边 沙滩 海滩 山顶 山谷 城市 村庄 公园 车站 火车 地铁 医院 "
    "屋顶 天台 河边 湖边 寺庙 宫殿 城堡 战场 广场 花园 沙漠 雪山 草原 码头 船上 舞台"
)
_TIME_CUES: tuple[tuple[str, TimeOfDay], ...] = (
    (r"\b(?:night|midnight|moonlit|moonlight)\b|夜|月下|月光|晚上|午夜", "night"),
    (r"\b(?:dawn|sunrise|daybreak)\b|清晨|黎明|日出|拂晓", "dawn"),
    (r"\b(?:dusk|sunset|evening|twilight)\b|黄昏|傍晚|日落|夕阳", "dusk"),
    (r"\b(?:sunny|morning|noon|afternoon|daylight)\b|白天|阳光|中午|早上|午后", "day"),
)


@dataclass(frozen=True)
class _Line:
    number: int
    text: str


def parse_prose(text: str) -> Script:
    """Parse prose into one scene; the Script may have no scenes if nothing is
    left to film (only a title), which the caller reports."""
    lines = text.split("\n")
    title = None
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    if start < len(lines) and (heading := _MD_HEADING.match(lines[start].strip())):
        title = strip_emphasis(heading[2]).strip() or None
        start += 1
    elements: list[Element] = []
    langs: dict[str, str] = {}
    paragraph: list[_Line] = []
    for number, raw in enumerate(lines[start:], start=start + 1):
        line = _BULLET.sub("", raw).strip()
        heading = _MD_HEADING.match(line)
        colon = None if heading else parse_colon_line(line)
        if not line or heading or colon:
            elements += _beats(paragraph)
            paragraph = []
        if heading:
            elements.append(Section(level=len(heading[1]), text=heading[2], line=number))
        elif colon:
            if colon.cue.lang:
                langs.setdefault(colon.cue.name, colon.cue.lang)
            elements.append(colon.dialogue(number))
        elif line:
            paragraph.append(_Line(number, strip_emphasis(line)))
    elements += _beats(paragraph)
    scenes = [_scene(elements)] if any(not isinstance(e, Section) for e in elements) else []
    scenes = with_lang_overrides(scenes, langs)
    samples = [(detect_lang(e.text), e.text) for e in elements if isinstance(e, Action | Dialogue)]
    return Script(
        title=title,
        language=majority_lang(samples),
        source="prose",
        scenes=scenes,
        characters=collect_characters(scenes, langs),
    )


def _scene(elements: list[Element]) -> Scene:
    story = " ".join(e.text for e in elements if isinstance(e, Action))
    return Scene(
        heading="",
        location=derive_location(story),
        time=derive_time(story),
        line=elements[0].line,
        elements=elements,
    )


def _beats(paragraph: list[_Line]) -> list[Element]:
    """Split a paragraph into sentence beats, merging short sentences forward."""
    if not paragraph:
        return []
    text = "\n".join(line.text for line in paragraph)
    beats: list[Element] = []
    pending: list[str] = []
    pending_line = 0
    for start, end in sentence_spans(text):
        sentence = join_lines(text[start:end].split("\n"))
        if not pending:
            pending_line = paragraph[text.count("\n", 0, start)].number
        pending.append(sentence)
        joined = join_lines(pending)
        if len(joined) >= _min_beat(joined):
            beats.append(Action(text=joined, line=pending_line))
            pending = []
    if pending:
        rest = join_lines(pending)
        last = beats[-1] if beats else None
        if isinstance(last, Action) and len(rest) < _min_beat(rest):
            beats[-1] = last.model_copy(update={"text": join_lines([last.text, rest])})
        else:
            beats.append(Action(text=rest, line=pending_line))
    return beats


def _min_beat(text: str) -> int:
    return _MIN_BEAT_CJK if has_caseless_letters(text) else _MIN_BEAT_LATIN


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences in `text`, never splitting inside
    quotes or brackets; a quote that closes a sentence stays with it."""
    spans: list[tuple[int, int]] = []
    start = depth = 0
    in_quote = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth = max(0, depth - 1)
        elif ch == '"':
            in_quote = not in_quote
        ends = ch in _TERMINATORS or (
            (ch in _CLOSERS or ch == '"') and i > 0 and text[i - 1] in _TERMINATORS
        )
        if ends and depth == 0 and not in_quote:
            end = i + 1
            while end < len(text) and (text[end] in _TERMINATORS or text[end] in _CLOSERS):
                end += 1
            if _is_boundary(text, i, end):
                spans.append((start, end))
                start = i = end
                continue
        i += 1
    spans.append((start, len(text)))
    return [(s, e) for s, e in (_trim(text, s, e) for s, e in spans) if s < e]


def _is_boundary(text: str, i: int, end: int) -> bool:
    if any(c in _CJK_TERMINATORS for c in text[i:end]):
        return True
    if end < len(text) and not text[end].isspace():
        return False  # 3.5, e.g., example.com
    if text[i] == ".":
        word = re.search(r"([\w.]+)\.$", text[: i + 1])
        if word and (word[1].lower() in _ABBREVIATIONS or re.fullmatch(r"[A-Z]", word[1])):
            return False
    return True


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def derive_location(text: str) -> str:
    """The place a prose story happens in, when it names one plainly; else ""."""
    found = _EN_PLACE.search(text)
    best = (found.start(1), found[1].lower()) if found else None
    # Longest first, so of two places starting at one spot the fuller name wins.
    for place in sorted(_ZH_PLACES, key=len, reverse=True):
        at = text.find(place)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, place)
    return best[1] if best else ""


def derive_time(text: str) -> TimeOfDay | None:
    """The time of day the prose names first, if any."""
    best: tuple[int, TimeOfDay] | None = None
    for pattern, time in _TIME_CUES:
        found = re.search(pattern, text, re.IGNORECASE)
        if found and (best is None or found.start() < best[0]):
            best = (found.start(), time)
    return best[1] if best else None

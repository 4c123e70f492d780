"""Written camera direction, in English and Chinese, read out of a screenplay's text.

Each reader takes a piece of text and answers one question about it (which size, which
move, how fast); none keeps state. A screenplay writes direction in capitals ("CLOSE
ON", "WIDE") or in plain words ("the camera slowly pushes in"); a Chinese one in terms
("特写：", "镜头缓缓推近", "运用远全中近特不同景别"). The names accepted in an edited
storyboard live with the vocabulary in `storyreel.model`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeVar

from storyreel.model import Angle, CameraMove, Direction, ShotSize, TransitionKind

_I = re.IGNORECASE


# First match wins, so longer terms come before the terms they contain (大特写 before
# 特写, MEDIUM CLOSE-UP before CLOSE-UP). Capitalised screenplay terms are matched
# case-sensitively: "WIDE" directs the camera, "wide-eyed" does not.
def _any(*terms: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile("|".join(terms), flags)


_SIZE_CUES: tuple[tuple[re.Pattern[str], ShotSize], ...] = (
    (
        _any(r"\bEXTREME CLOSE", r"\bECU\b", r"(?i:extreme close-?up)", "大特写"),
        ShotSize.extreme_close_up,
    ),
    (
        _any(
            r"\bMEDIUM CLOSE", r"\bMCU\b", r"(?i:medium close-?up)", "中近景", "(?<![远中大])近景"
        ),
        ShotSize.medium_close_up,
    ),
    (
        _any(r"\bCLOSE ON\b", r"\bCLOSE[- ]?UP\b", r"\bINSERT\b", r"(?i:close-?up)", "(?<!大)特写"),
        ShotSize.close_up,
    ),
    (
        _any(r"\bEXTREME WIDE", r"\bAERIAL\b", r"(?i:extreme wide|aerial shot)", "大远景", "航拍"),
        ShotSize.extreme_wide,
    ),
    (
        _any(
            r"\bWIDE\b(?!-)", r"\bLONG SHOT\b", r"(?i:wide shot|long shot)", "(?<!大)远景", "大全景"
        ),
        ShotSize.wide,
    ),
    (_any(r"\bFULL SHOT\b", r"(?i:full shot|full[- ]length)", "(?<!大)全景"), ShotSize.full),
    (
        _any(r"\bMEDIUM SHOT\b", r"\bMID SHOT\b", r"(?i:medium shot|waist shot)", "(?<!大)中景"),
        ShotSize.medium,
    ),
)

_MOVE_CUES: tuple[tuple[re.Pattern[str], CameraMove], ...] = (
    (
        _any(
            r"push(es|ing)? in|dolly in|zoom(s|ing)? in|moves? in on",
            "推近|推向|推进|推镜",
            "镜头.{0,4}推",
            flags=_I,
        ),
        CameraMove.push_in,
    ),
    (
        _any(
            r"pull(s|ing)? (back|out)|dolly out|zoom(s|ing)? out",
            "拉远|拉开|拉镜",
            "镜头.{0,4}拉",
            flags=_I,
        ),
        CameraMove.pull_out,
    ),
    (
        _any(
            r"(crane|boom|jib)(s|ing)? up|camera rises",
            "升镜",
            "镜头.{0,4}(上升|升起|升)",
            flags=_I,
        ),
        CameraMove.crane_up,
    ),
    (
        _any(
            r"(crane|boom|jib)(s|ing)? down|camera (descends|lowers)",
            "降镜",
            "镜头.{0,4}(下降|降)",
            flags=_I,
        ),
        CameraMove.crane_down,
    ),
    (
        _any(
            r"\borbit(s|ing)?\b|circles? (a)?round|arcs? (a)?round",
            "环绕|环拍",
            "绕.{0,3}旋转",
            flags=_I,
        ),
        CameraMove.orbit,
    ),
    (_any(r"hand-?held|shaky cam", "手持", flags=_I), CameraMove.handheld),
    (
        _any(r"camera follows|follow(s|ing)? (him|her|them)", "跟拍|跟随|跟镜", flags=_I),
        CameraMove.follow,
    ),
    (
        _any(r"\btrack(s|ing)?\b|\bdolly\b|\btrucks?\b", "移镜|横移|平移", flags=_I),
        CameraMove.track,
    ),
    (_any(r"\btilts?\b", "纵摇|上摇|下摇", flags=_I), CameraMove.tilt),
    (_any(r"\bpans?\b", "摇镜|横摇", flags=_I), CameraMove.pan),
)

_DIRECTION_CUES: tuple[tuple[re.Pattern[str], Direction], ...] = (
    (re.compile(r"\b(left|leftwards)\b|向左|往左|左摇|左移", _I), "left"),
    (re.compile(r"\b(right|rightwards)\b|向右|往右|右摇|右移", _I), "right"),
    (re.compile(r"\bup(wards)?\b|上摇|向上", _I), "up"),
    (re.compile(r"\bdown(wards)?\b|下摇|向下", _I), "down"),
)

_ANGLE_CUES: tuple[tuple[re.Pattern[str], Angle], ...] = (
    (
        _any(r"overhead|bird'?s[- ]eye|top shot|from directly above", "鸟瞰|俯瞰|顶拍", flags=_I),
        Angle.overhead,
    ),
    (re.compile(r"dutch|canted|斜角|荷兰角|倾斜构图", _I), Angle.dutch),
    (re.compile(r"high angle|looking down (at|on)|俯拍|俯视|俯角", _I), Angle.high),
    (re.compile(r"low angle|looking up at|worm'?s[- ]eye|仰拍|仰视|仰角", _I), Angle.low),
    (re.compile(r"eye[- ]level|平视|平拍", _I), Angle.eye_level),
)

_TRANSITION_CUES: tuple[tuple[re.Pattern[str], TransitionKind], ...] = (
    (re.compile(r"match cut|匹配剪辑|匹配切", _I), TransitionKind.match_cut),
    (re.compile(r"dissolve|叠化|溶入|溶出", _I), TransitionKind.dissolve),
    (re.compile(r"\bwipe|划像|划变", _I), TransitionKind.wipe),
    (re.compile(r"fade|to black|淡出|淡入|黑场|渐隐", _I), TransitionKind.fade),
    (re.compile(r"\bcut\b|切至|切到|硬切", _I), TransitionKind.cut),
)
# Inside an action paragraph only a written-out transition counts ("DISSOLVE TO"); the
# bare word "fade" in "the light fades" is story, not editing.
_INLINE_TRANSITION = re.compile(
    r"\b(MATCH CUT|DISSOLVE|WIPE|FADE (OUT|TO BLACK)|CUT) TO\b|FADE OUT\b"
    r"|匹配剪辑|叠化|划像|淡出|黑场"
)

# 超高速摄影 (high-speed photography) and 升格 (overcranking) are how a Chinese crew says
# slow motion; 降格 and time-lapse are the opposite. Bare 超高速 ("超高速动漫战斗") is the
# pace of the cutting: a fast-paced film of short shots.
SLOW_MOTION = re.compile(r"slow[- ]?motion|slo-?mo|超高速摄影|慢动作|慢镜头|高速摄影|升格", _I)
FAST_PACE = re.compile(
    r"超高速(?!摄影|拍摄)|fast[- ]paced|rapid[- ]fire|quick cuts|rapid cuts|快节奏|快速剪辑|快剪",
    _I,
)
FAST_MOTION = re.compile(r"fast[- ]motion|time[- ]?lapse|speeds? up|快动作|降格|延时摄影|快进", _I)
# Adverbs that ask for a lingering beat, and verbs of quick action that ask for a short one.
_LINGER = re.compile(r"slowly|gently|quietly|lingers?|stillness|缓缓|慢慢|静静|轻轻|凝视", _I)
_QUICK = re.compile(
    r"\b(runs?|races?|slams?|grabs?|strikes?|jumps?|leaps?|lunges?|dives?|punch(es)?|kicks?|"
    r"explodes?|crash(es)?|shoots?|swings?|charges?|bolts?|snatch(es)?|dodges?)\b|"
    r"冲|砍|劈|斩|跳|扑|抓|砸|撞|踢|击|闪|刺|切碎|爆炸|飞奔|狂奔",
    _I,
)

# The five-size ladder written as a run of its initials: 远全中近特 (wide, full, medium,
# near, close), in any order and length the writer chose.
_LADDER_CHARS = {
    "远": ShotSize.wide,
    "全": ShotSize.full,
    "中": ShotSize.medium,
    "近": ShotSize.medium_close_up,
    "特": ShotSize.close_up,
}
_ZH_LADDER = re.compile(r"([远全中近特]{2,})(?:等|的)?(?:不同|各种|多种)?景别")
_EN_SIZE = (
    r"(extreme wide|wide|full|medium close-?up|medium|close-?up|extreme close-?up)"
    r"(?: shots?)?"
)
_EN_LADDER = re.compile(rf"\bfrom (?:an? )?{_EN_SIZE} to (?:an? )?{_EN_SIZE}", _I)

# Words that only direct (the camera, the cut, the look) and leave no story behind: what
# is left of a sentence once they are gone tells a note from a beat to film.
_STYLE_WORDS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"anime|动漫|二次元", _I), "anime style", "动漫风格"),
    (re.compile(r"ink[- ]wash|水墨", _I), "ink wash painting", "水墨画风"),
    (re.compile(r"photo-?real(istic)?|写实|真人", _I), "photorealistic", "写实风格"),
    (re.compile(r"\b3D\b|三维", _I), "3D animation", "三维动画"),
    (re.compile(r"film noir|黑色电影", _I), "film noir", "黑色电影风格"),
)
# Words a directing note is made of besides its terms ("we go from wide to close-up",
# "镜头运用不同景别"): what is left once they are gone tells a note from a beat to film.
_FILLER_WORDS = frozenset(
    ("we", "go", "goes", "move", "moves", "moving", "the", "a", "an", "camera", "shot",
     "shots", "then", "and", "in", "with", "using", "use")
)  # fmt: skip
_FILLER_ZH = re.compile(r"镜头|画面|运用|使用|采用|不同|各种|景别|整体|全片")
_CJK_CHAR = re.compile(r"[\u3040-\u9fff\uac00-\ud7af]")
_LATIN_WORD = re.compile(r"[A-Za-z']+")
# A beat needs more than this: "杯子落地" (4 characters) is a beat, "战斗" alone is not.
_NOTE_REMAINDER = 2

# Genre words (title page or notes) that set the tempo of the whole film.
_GENRES: tuple[tuple[re.Pattern[str], float], ...] = (
    (
        _any(
            r"action|fight|battle|chase|thriller|martial", "战斗|打斗|动作|追逐|对决|武侠", flags=_I
        ),
        0.8,
    ),
    (re.compile(r"comedy|喜剧|搞笑", _I), 0.9),
    (re.compile(r"horror|suspense|恐怖|惊悚|悬疑", _I), 1.1),
    (re.compile(r"drama|romance|melodrama|documentary|爱情|文艺|剧情|纪录", _I), 1.1),
)


@dataclass(frozen=True)
class Cues:
    """Everything a piece of text says about how to shoot it; None where it is silent."""

    size: ShotSize | None = None
    angle: Angle | None = None
    move: CameraMove | None = None
    direction: Direction | None = None
    transition: TransitionKind | None = None
    slow_motion: bool = False
    fast_motion: bool = False
    # Short shots, cut fast.
    fast_pace: bool = False
    ladder: tuple[ShotSize, ...] = ()


def read_cues(text: str) -> Cues:
    move = first_match(_MOVE_CUES, text)
    return Cues(
        size=first_match(_SIZE_CUES, text),
        angle=first_match(_ANGLE_CUES, text),
        move=move,
        direction=direction_of(text, move) if move else None,
        transition=inline_transition(text),
        slow_motion=bool(SLOW_MOTION.search(text)),
        fast_motion=bool(FAST_MOTION.search(text)),
        fast_pace=bool(FAST_PACE.search(text)),
        ladder=size_ladder(text),
    )


T = TypeVar("T")


def first_match(cues: tuple[tuple[re.Pattern[str], T], ...], text: str) -> T | None:
    return next((value for pattern, value in cues if pattern.search(text)), None)


def direction_of(text: str, move: CameraMove) -> Direction | None:
    """Which way a pan, tilt, track or orbit goes, when the text says."""
    if move == CameraMove.tilt:
        vertical = ("up", "down")
        found = [d for p, d in _DIRECTION_CUES if d in vertical and p.search(text)]
        return found[0] if found else None
    if move in (CameraMove.pan, CameraMove.track, CameraMove.follow, CameraMove.orbit):
        found = [d for p, d in _DIRECTION_CUES if d in ("left", "right") and p.search(text)]
        return found[0] if found else None
    return None


def transition_of(text: str) -> TransitionKind:
    """The kind of a transition element ("DISSOLVE TO:", "淡出。"); a plain cut otherwise."""
    return first_match(_TRANSITION_CUES, text) or TransitionKind.cut


def inline_transition(text: str) -> TransitionKind | None:
    match = _INLINE_TRANSITION.search(text)
    return transition_of(match.group(0)) if match else None


def size_ladder(text: str) -> tuple[ShotSize, ...]:
    """A progression of sizes asked for across a scene: "运用远全中近特不同景别" or
    "from wide to close-up"; empty when the text asks for none."""
    zh = _ZH_LADDER.search(text)
    if zh:
        return tuple(_LADDER_CHARS[ch] for ch in zh.group(1))
    en = _EN_LADDER.search(text)
    if en:
        order = list(ShotSize)  # widest to tightest
        a, b = order.index(ShotSize(en.group(1))), order.index(ShotSize(en.group(2)))
        return tuple(order[a : b + 1]) if a <= b else tuple(reversed(order[b : a + 1]))
    return ()


def styles(text: str) -> list[tuple[str, str]]:
    """Visual styles named in `text`, as (English, Chinese) prompt words."""
    return [(en, zh) for pattern, en, zh in _STYLE_WORDS if pattern.search(text)]


def genre_tempo(text: str) -> float:
    """How fast the film cuts for the genre words in `text`: < 1 cuts faster."""
    return first_match(_GENRES, text) or 1.0


def beat_tempo(text: str) -> float:
    """How long a beat plays relative to its reading time, from its verbs and adverbs."""
    tempo = 1.0
    if _QUICK.search(text):
        tempo *= 0.75
    if _LINGER.search(text):
        tempo *= 1.25
    return tempo


def is_note(text: str) -> bool:
    """True when `text` only directs the whole scene (a size ladder, slow motion, a
    style) and leaves no story beat to film. "特写：灯笼" is a shot, not a note."""
    cues = read_cues(text)
    if not (cues.ladder or cues.slow_motion or cues.fast_motion or cues.fast_pace or styles(text)):
        return False
    rest = text
    # The ladder first: its own size words would otherwise be taken out from under it.
    patterns = [_ZH_LADDER, _EN_LADDER, SLOW_MOTION, FAST_MOTION, FAST_PACE, _FILLER_ZH]
    patterns += [p for p, _ in (*_SIZE_CUES, *_MOVE_CUES, *_ANGLE_CUES)]
    patterns += [p for p, _, _ in _STYLE_WORDS] + [p for p, _ in _GENRES]
    for pattern in patterns:
        rest = pattern.sub(" ", rest)
    words = [w for w in _LATIN_WORD.findall(rest) if w.lower() not in _FILLER_WORDS]
    return len(_CJK_CHAR.findall(rest)) <= _NOTE_REMAINDER and len(words) <= 1

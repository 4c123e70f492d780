"""The nouns of storyreel: a Script is parsed from a story, a Storyboard is directed
from the Script, and every stage after that passes these models around.

Times are seconds (floats) here at the edges; the cut converts them to frames.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from storyreel.world import WeatherKind


class _Model(BaseModel):
    # Unknown keys are mistakes (a typo in an edited storyboard), not extensions.
    # Frozen: a stage passes these on and never edits them; a changed value is a new
    # one (`model_copy(update=...)`). Lists and mappings inside stay lists and mappings
    # (YAML and JSON read them as such), and nothing may edit them either.
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- the script -------------------------------------------------------------------------

Interior = Literal["int", "ext", "int/ext"]
TimeOfDay = Literal["day", "night", "dawn", "dusk"]


class Character(_Model):
    name: str
    # First-mention description, e.g. "20s, red raincoat, short black hair".
    description: str = ""
    # A `[lang=xx]` tag after the name in a dialogue cue overrides line detection.
    lang: str | None = None


class Action(_Model):
    kind: Literal["action"] = "action"
    text: str
    line: int = Field(description="1-based line in the source file")
    # The text in other languages by code, from `[zh: ...]` marks after it (on-screen
    # text a variant in that language shows; see script/marks.py).
    translations: dict[str, str] = {}


class Dialogue(_Model):
    kind: Literal["dialogue"] = "dialogue"
    character: str
    # (V.O.), (O.S.), (CONT'D) and the like, without parentheses.
    extensions: list[str] = []
    # Stage directions inside the block: "(whispering)" / "（轻声）", without brackets.
    parentheticals: list[str] = []
    # What is spoken: emphasis markup stripped, lines joined.
    text: str
    lang: str
    # The line in another language, for bilingual subtitles: a `[en: ...]` line in the
    # dialogue block (see script/conventions.py). Never spoken.
    translation: str | None = None
    # The line in each language a `[zh: ...]` `[ja: ...]` mark gives, by code (a
    # variant in that language speaks it; script/marks.py). The first mark is also
    # `translation`.
    translations: dict[str, str] = {}
    # Fountain `^`: spoken at the same time as the block before it.
    dual: bool = False
    # Sung (`~` lyric lines inside the block).
    sung: bool = False
    line: int


class Transition(_Model):
    kind: Literal["transition"] = "transition"
    text: str  # "CUT TO:", "FADE OUT.", "淡出"
    line: int


class Centered(_Model):
    kind: Literal["centered"] = "centered"
    text: str
    line: int
    # The card's words in other languages, by code (`[zh: ...]` marks).
    translations: dict[str, str] = {}


class Lyric(_Model):
    kind: Literal["lyric"] = "lyric"
    text: str
    line: int


class Section(_Model):
    kind: Literal["section"] = "section"
    level: int
    text: str
    line: int


class Synopsis(_Model):
    kind: Literal["synopsis"] = "synopsis"
    text: str
    line: int


Element = Annotated[
    Action | Dialogue | Transition | Centered | Lyric | Section | Synopsis,
    Field(discriminator="kind"),
]


class Scene(_Model):
    heading: str  # as written, emphasis stripped
    location: str  # "NIGHT MARKET", "夜市"
    interior: Interior | None = None
    time: TimeOfDay | None = None
    number: str | None = None  # Fountain `#12A#` scene numbers
    line: int
    elements: list[Element] = []


class Script(_Model):
    title: str | None = None
    title_page: dict[str, str] = {}
    # The story's main language ("en", "zh", ...) or "multi".
    language: str = "en"
    source: Literal["fountain", "prose"] = "fountain"
    scenes: list[Scene] = []
    # Ordered by first appearance.
    characters: dict[str, Character] = {}
    # Fountain notes `[[...]]`, kept for the writer, never filmed.
    notes: list[str] = []


# --- the storyboard ---------------------------------------------------------------------


def _term(value: object) -> str:
    """A term as a person types it, normalised: "Close-Up", "close up" -> "close_up"."""
    return re.sub(r"[\s\-]+", "_", str(value).strip().lower())


class _Vocabulary(StrEnum):
    """A film-grammar term. Values are the canonical English keys; `en` and `zh` are the
    names a crew uses, and every name and alias in `_TERMS` is accepted wherever a term
    is read (an edited storyboard, an LLM's answer, the command line)."""

    @classmethod
    def _missing_(cls, value: object) -> _Vocabulary | None:
        return _ALIASES.get(cls.__name__, {}).get(_term(value))

    @property
    def en(self) -> str:
        return _TERMS[type(self).__name__][self.value][0]

    @property
    def zh(self) -> str:
        return _TERMS[type(self).__name__][self.value][1]


class ShotSize(_Vocabulary):
    extreme_wide = "extreme_wide"
    wide = "wide"
    full = "full"
    medium = "medium"
    medium_close_up = "medium_close_up"
    close_up = "close_up"
    extreme_close_up = "extreme_close_up"

    @property
    def abbr(self) -> str:
        return _SIZE_ABBR[self]


_SIZE_ABBR = {
    ShotSize.extreme_wide: "EWS",
    ShotSize.wide: "WS",
    ShotSize.full: "FS",
    ShotSize.medium: "MS",
    ShotSize.medium_close_up: "MCU",
    ShotSize.close_up: "CU",
    ShotSize.extreme_close_up: "ECU",
}


class Angle(_Vocabulary):
    eye_level = "eye_level"
    high = "high"
    low = "low"
    overhead = "overhead"
    dutch = "dutch"


class CameraMove(_Vocabulary):
    static = "static"
    push_in = "push_in"
    pull_out = "pull_out"
    pan = "pan"
    tilt = "tilt"
    track = "track"
    follow = "follow"
    crane_up = "crane_up"
    crane_down = "crane_down"
    orbit = "orbit"
    handheld = "handheld"


class TransitionKind(_Vocabulary):
    """How a shot hands over to the next one."""

    cut = "cut"
    dissolve = "dissolve"
    fade = "fade"
    match_cut = "match_cut"
    wipe = "wipe"


# Per vocabulary: value -> (English name, Chinese name, other accepted spellings).
# Chinese has eight common shot sizes for the seven English ones: 近景 (chest up) and
# 中近景 (between waist and chest) both read as a medium close-up; 近景 is the name shown
# because it is the 近 of the five-size ladder 远全中近特. 大全景 is a wide shot.
# 摇 is the Chinese word for both pan and tilt; alone it means a pan, 纵摇/上摇/下摇 a tilt.
_TERMS: dict[str, dict[str, tuple[str, ...]]] = {
    "ShotSize": {
        "extreme_wide": ("extreme wide", "大远景", "ews", "xws", "extreme long shot", "els"),
        "wide": ("wide", "远景", "ws", "wide shot", "long shot", "ls", "大全景"),
        "full": ("full", "全景", "fs", "full shot", "full body"),
        "medium": ("medium", "中景", "ms", "medium shot", "mid shot", "waist shot"),
        "medium_close_up": ("medium close-up", "近景", "中近景", "mcu", "medium close"),
        "close_up": ("close-up", "特写", "cu", "close", "closeup"),
        "extreme_close_up": ("extreme close-up", "大特写", "ecu", "xcu", "extreme closeup"),
    },
    "Angle": {
        "eye_level": ("eye level", "平视", "平拍", "eye"),
        "high": ("high", "俯拍", "俯视", "俯角", "high angle"),
        "low": ("low", "仰拍", "仰视", "仰角", "low angle"),
        "overhead": ("overhead", "顶拍", "鸟瞰", "垂直俯拍", "top shot", "bird's eye", "birds eye"),
        "dutch": ("dutch", "斜角", "荷兰角", "倾斜", "dutch angle", "dutch tilt", "canted"),
    },
    "CameraMove": {
        "static": ("static", "固定", "固定镜头", "locked off", "still"),
        "push_in": ("push in", "推", "推镜头", "推近", "dolly in", "zoom in", "push"),
        "pull_out": ("pull out", "拉", "拉镜头", "拉远", "dolly out", "zoom out", "pull back"),
        "pan": ("pan", "摇", "摇镜头", "横摇"),
        "tilt": ("tilt", "纵摇", "上摇", "下摇", "摇(纵)"),
        "track": ("track", "移", "移镜头", "横移", "tracking", "truck", "dolly"),
        "follow": ("follow", "跟", "跟拍", "跟镜头", "following"),
        "crane_up": ("crane up", "升", "升镜头", "上升", "boom up", "jib up"),
        "crane_down": ("crane down", "降", "降镜头", "下降", "boom down", "jib down"),
        "orbit": ("orbit", "环绕", "环绕镜头", "环拍", "arc"),
        "handheld": ("handheld", "手持", "手持镜头", "hand held", "shaky"),
    },
    "TransitionKind": {
        "cut": ("cut", "切", "切至", "硬切", "cut to", "straight cut"),
        "dissolve": ("dissolve", "叠化", "溶", "dissolve to", "cross dissolve"),
        "fade": (
            "fade",
            "淡出",
            "淡入",
            "淡入淡出",
            "黑场",
            "fade out",
            "fade in",
            "fade to black",
        ),
        "match_cut": ("match cut", "匹配剪辑", "匹配切", "match cut to"),
        "wipe": ("wipe", "划像", "划变", "wipe to"),
    },
}
_ALIASES: dict[str, dict[str, _Vocabulary]] = {}


def _index_terms() -> None:
    for cls in (ShotSize, Angle, CameraMove, TransitionKind):
        table = _ALIASES.setdefault(cls.__name__, {})
        for value, names in _TERMS[cls.__name__].items():
            for name in (value, *names):
                table[_term(name)] = cls(value)


_index_terms()

Direction = Literal["left", "right", "up", "down"]

# Where a subject stands across the frame: 0 is the left edge, 1 the right. Words are
# accepted in an edited storyboard and become numbers.
_SCREEN_WORDS = {"left": 1 / 3, "centre": 0.5, "center": 0.5, "right": 2 / 3}
_SCREEN_WORDS |= {"左": 1 / 3, "中": 0.5, "右": 2 / 3}


def _screen_x(value: object) -> object:
    if isinstance(value, str) and value.strip().lower() in _SCREEN_WORDS:
        return _SCREEN_WORDS[value.strip().lower()]
    return value


ScreenX = Annotated[float, BeforeValidator(_screen_x), Field(ge=0.0, le=1.0)]


class Setting(_Model):
    location: str
    interior: Interior | None = None
    time: TimeOfDay | None = None


# --- the world of a scene, as the storyboard carries it (see storyreel/world.py) --------

SetInterior = Literal["int", "ext"]
# The weather kinds are the world's (storyreel/world.py), one list for every stage.
WeatherName = WeatherKind


class SetPlace(_Model):
    """Where a scene is, as drawn: a setting kind from the vocabulary (settings.yaml, or
    the project's vocab/), inside or out, and the time of day."""

    kind: str | None = None
    interior: SetInterior | None = None
    time: TimeOfDay | None = None


class SceneWeather(_Model):
    kind: WeatherName
    # 0 barely there .. 1 as strong as it gets.
    intensity: float = Field(default=0.5, ge=0.0, le=1.0)


class ScenePerson(_Model):
    """Someone in the scene: a character, or an unnamed person the text describes
    (cast under this name so they look the same in every shot)."""

    name: str
    description: str = ""
    gender: Literal["female", "male"] | None = None
    age: Literal["child", "teen", "young", "adult", "middle", "old"] | None = None
    # A group standing for many (five travellers, 士兵们): drawn as extras.
    extra: bool = False


class SceneInfo(_Model):
    """The world of one scene: its place, its weather, its people."""

    scene: int = Field(ge=1)  # 1-based scene number, as `Shot.scene`
    setting: SetPlace = SetPlace()
    weather: list[SceneWeather] = []
    people: list[ScenePerson] = []
    # The place is full of people beyond those named (a market, a station): extras.
    crowd: bool = False


class ShotThing(_Model):
    """A prop or an animal in a shot."""

    kind: str  # a key of the props vocabulary: "lantern", "sword", "cat"
    name: str = ""  # as the text writes it: "paper lanterns", "剑"
    holder: str | None = None  # the subject holding it; None: it stands in the place


class ShotLine(_Model):
    """One spoken line inside a shot."""

    character: str
    text: str
    lang: str
    parenthetical: str | None = None
    # The script's translation, shown under the line in bilingual subtitles.
    translation: str | None = None
    # Seconds from the start of the shot; filled in when the line is voiced.
    start: float = 0.0
    duration: float = 0.0


class Prompt(_Model):
    """Text for a generative engine, in English and in Chinese: engines read either."""

    en: str = ""
    zh: str = ""


class Shot(_Model):
    id: str  # "3" — stable, unique within the storyboard
    scene: int = Field(ge=1)  # 1-based scene number
    size: ShotSize
    angle: Angle = Angle.eye_level
    move: CameraMove = CameraMove.static
    direction: Direction | None = None  # for pan/tilt/track/follow/orbit; engines pick when None
    duration: float = Field(gt=0, le=60)
    # 超高速 / slow motion: the action plays slowed; engines that can, overcrank.
    slow_motion: bool = False
    subjects: list[str] = []  # character names, the first is the one framed
    # The props and animals seen, and what each subject does (name -> an action of the
    # vocabulary: "walk", "fight", "hold"); a subject not named stands.
    things: list[ShotThing] = []
    actions: dict[str, str] = {}
    # What the shot frames first: a subject's name or a thing's kind (a prop insert
    # has no subjects and its prop as focus). None: the first subject.
    focus: str | None = None
    # A title card: the text shown alone on the card (`> THE END <`); no figures.
    card: str | None = None
    # Where each subject stands across the frame (0 left .. 1 right). A character keeps
    # their side for a whole scene (the 180° rule) and faces the frame's centre.
    screen: dict[str, ScreenX] = {}
    setting: Setting
    action: str = ""  # what happens, as the caption shows it
    lines: list[ShotLine] = []
    transition: TransitionKind = TransitionKind.cut  # into the next shot
    prompt: Prompt = Prompt()
    negative: Prompt = Prompt()


class Storyboard(_Model):
    title: str | None = None
    language: str = "en"
    width: int = 1280
    height: int = 720
    fps: int = 24
    # The film's look, added to every shot's prompt ("anime style" / "动漫风格").
    style: Prompt = Prompt()
    # The generated score's style: a `score/` genre of the sound vocabulary (ad, fight,
    # romance, ...; other words are read as its cues). None: chosen from the story.
    music: str | None = Field(default=None, min_length=1, max_length=64)
    characters: dict[str, Character] = {}
    # Each scene's world, by scene number; a scene without one is drawn from its
    # setting's location alone.
    scenes: list[SceneInfo] = []
    shots: list[Shot] = []

    def scene_info(self, number: int) -> SceneInfo | None:
        return next((info for info in self.scenes if info.scene == number), None)

    @property
    def duration(self) -> float:
        return sum(s.duration for s in self.shots)

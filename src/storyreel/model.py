"""The nouns of storyreel: a Script is parsed from a story, a Storyboard is directed
from the Script, and every stage after that passes these models around.

Times are seconds (floats) here at the edges; the cut converts them to frames.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    # Unknown keys are mistakes (a typo in an edited storyboard), not extensions.
    model_config = ConfigDict(extra="forbid")


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


class ShotSize(StrEnum):
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

    @property
    def zh(self) -> str:
        return _SIZE_ZH[self]


_SIZE_ABBR = {
    ShotSize.extreme_wide: "EWS",
    ShotSize.wide: "WS",
    ShotSize.full: "FS",
    ShotSize.medium: "MS",
    ShotSize.medium_close_up: "MCU",
    ShotSize.close_up: "CU",
    ShotSize.extreme_close_up: "ECU",
}
_SIZE_ZH = {
    ShotSize.extreme_wide: "大远景",
    ShotSize.wide: "远景",
    ShotSize.full: "全景",
    ShotSize.medium: "中景",
    ShotSize.medium_close_up: "近景",
    ShotSize.close_up: "特写",
    ShotSize.extreme_close_up: "大特写",
}


class CameraMove(StrEnum):
    static = "static"
    push_in = "push_in"
    pull_out = "pull_out"
    pan = "pan"
    tilt = "tilt"
    track = "track"

    @property
    def zh(self) -> str:
        return _MOVE_ZH[self]


_MOVE_ZH = {
    CameraMove.static: "固定",
    CameraMove.push_in: "推",
    CameraMove.pull_out: "拉",
    CameraMove.pan: "摇",
    CameraMove.tilt: "摇(纵)",
    CameraMove.track: "移",
}

Direction = Literal["left", "right", "up", "down"]


class Setting(_Model):
    location: str
    interior: Interior | None = None
    time: TimeOfDay | None = None


class ShotLine(_Model):
    """One spoken line inside a shot."""

    character: str
    text: str
    lang: str
    parenthetical: str | None = None
    # Seconds from the start of the shot; filled in when the line is voiced.
    start: float = 0.0
    duration: float = 0.0


class Shot(_Model):
    id: str  # "3" — stable, unique within the storyboard
    scene: int = Field(ge=1)  # 1-based scene number
    size: ShotSize
    move: CameraMove = CameraMove.static
    direction: Direction | None = None  # for pan/tilt/track; engines pick when None
    duration: float = Field(gt=0, le=60)
    subjects: list[str] = []  # character names, the first is the one framed
    setting: Setting
    action: str = ""  # what happens, as the caption shows it
    lines: list[ShotLine] = []
    transition: str | None = None  # into the next shot ("cut", "fade out", ...)


class Storyboard(_Model):
    title: str | None = None
    language: str = "en"
    width: int = 1280
    height: int = 720
    fps: int = 24
    characters: dict[str, Character] = {}
    shots: list[Shot] = []

    @property
    def duration(self) -> float:
        return sum(s.duration for s in self.shots)

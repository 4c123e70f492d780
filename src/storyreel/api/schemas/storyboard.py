"""The storyboard as the studio shows it: shots with their framing, lines and prompt."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from storyreel.model import Angle, CameraMove, ShotSize

# Shorter than half a second reads as a flash frame; the model's own ceiling is 60 s.
DURATION_MIN = 0.5
DURATION_MAX = 60.0


class LinePublic(BaseModel):
    character: str
    text: str
    lang: str


class SettingPublic(BaseModel):
    location: str
    interior: str | None = None
    time: str | None = None


class PromptPublic(BaseModel):
    en: str = ""
    zh: str = ""


class PromptUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    en: str | None = Field(default=None, max_length=4000)
    zh: str | None = Field(default=None, max_length=4000)


class ThingPublic(BaseModel):
    """A prop or an animal in a shot: a kind of the props vocabulary."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(min_length=1, max_length=80)
    name: str = Field(default="", max_length=200)
    holder: str | None = Field(default=None, max_length=200)


class ShotBase(BaseModel):
    size: ShotSize
    move: CameraMove
    angle: Angle
    duration: float


class ShotPublic(ShotBase):
    id: str
    scene: int
    # 0-based place in the storyboard.
    index: int
    prompt: PromptPublic
    subjects: list[str]
    lines: list[LinePublic]
    setting: SettingPublic
    # What happens, as the caption shows it.
    action: str = ""
    # The shot's world: its props and animals, each subject's action, what it frames
    # first (a subject or a thing's kind), and a title card's text.
    things: list[ThingPublic] = []
    actions: dict[str, str] = {}
    focus: str | None = None
    card: str | None = None
    thumbnail_url: str


class ShotUpdate(BaseModel):
    """Fields of a shot a creator edits; what is left out stays as it is."""

    model_config = ConfigDict(extra="forbid")

    size: ShotSize | None = None
    move: CameraMove | None = None
    angle: Angle | None = None
    duration: float | None = Field(default=None, ge=DURATION_MIN, le=DURATION_MAX)
    prompt: PromptUpdate | None = None
    # The props and animals seen (all of them: the list replaces the shot's).
    things: list[ThingPublic] | None = Field(default=None, max_length=40)
    # A subject's name or a thing's kind; "" frames the first subject again.
    focus: str | None = Field(default=None, max_length=200)


class ShotOrder(BaseModel):
    """Every shot's id once, in the order the film plays them (the timeline's reorder)."""

    model_config = ConfigDict(extra="forbid")

    shots: list[str] = Field(min_length=1, max_length=5000)


class StoryboardPublic(BaseModel):
    title: str | None = None
    language: str
    width: int
    height: int
    fps: int
    duration: float
    shots: list[ShotPublic]


class OptionPublic(BaseModel):
    value: str
    label_en: str
    label_zh: str


class DurationRange(BaseModel):
    min: float
    max: float


class OptionsPublic(BaseModel):
    sizes: list[OptionPublic]
    moves: list[OptionPublic]
    angles: list[OptionPublic]
    duration: DurationRange

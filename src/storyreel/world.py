"""The world of a scene: who is in it, where it is, what they hold and do, the weather.

Read from the script (script/world.py) or filled in by a planner, then carried into the
storyboard so a reader can recognise every person, place, object and action of the text
on screen. Kinds (a setting's, a prop's, an action's) are keys of the vocabularies in
storyreel/vocab/*.yaml, which a user can extend; they are plain strings here so a
project's own kinds validate too.

Values are frozen: extraction builds them once and every stage after only reads them.
Sequences are tuples, which still read and write as lists in YAML and JSON.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Gender = Literal["female", "male"]
AgeBand = Literal["child", "teen", "young", "adult", "middle", "old"]
Build = Literal["slim", "muscular", "heavy", "tall", "short"]
PlaceInterior = Literal["int", "ext"]
PlaceTime = Literal["day", "night", "dawn", "dusk"]
WeatherKind = Literal[
    "rain",
    "snow",
    "fog",
    "wind_leaves",
    "storm_lightning",
    "fire_smoke",
    "steam",
    "dust",
    "moon_stars",
    "sunrise",
    "sunset",
    "clear",
]


class _Value(BaseModel):
    # Unknown keys are mistakes (a typo in an edited file), not extensions.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Colours(_Value):
    """Colour words a drawing needs, as canonical English names ("red", "grey")."""

    hair: str | None = None
    # Clothing and armour, in the order the text gives them.
    clothing: tuple[str, ...] = ()


class Person(_Value):
    # A character's cue name ("MEI"), or a stable name made from how the text names an
    # unnamed person ("白发剑士", "the conductor"), so they are cast once and stay the
    # same across shots.
    name: str
    description: str = ""
    gender: Gender | None = None
    age: AgeBand | None = None
    build: Build | None = None
    colours: Colours = Colours()
    # A character with a name of their own (a speaker or a Fountain CAPS mention).
    named: bool = False
    # A group standing for many ("five travellers", 士兵们): drawn as extras.
    extra: bool = False


class Thing(_Value):
    """A prop or an animal; one per kind in a scene."""

    kind: str  # a key of props.yaml: "lantern", "sword", "cat"
    name: str  # as the text first writes it: "paper lanterns", "剑"
    holder: str | None = None  # the person's name, when someone holds it


class Place(_Value):
    kind: str | None = None  # a key of settings.yaml; None when the text names none
    name: str = ""  # as written: the heading's location, or the words of the prose
    interior: PlaceInterior | None = None
    time: PlaceTime | None = None


class Weather(_Value):
    kind: WeatherKind
    # 0 barely there .. 1 as strong as it gets; "drizzle" is light, 暴雨 is heavy.
    intensity: float = Field(default=0.5, ge=0.0, le=1.0)


class Act(_Value):
    """Someone doing something, optionally to someone or something."""

    person: str | None  # the doer's name; None when the text gives no doer
    kind: str  # a key of actions.yaml: "walk", "hold", "fight"
    target: str | None = None  # a person's name or a thing's name


class Beat(_Value):
    """What one action paragraph or one dialogue block shows."""

    element: int = Field(ge=0)  # index of the element in its scene
    people: tuple[str, ...] = ()  # who is seen: mentioned, or speaking on screen
    actions: tuple[Act, ...] = ()
    things: tuple[str, ...] = ()  # names of the scene's things this beat shows
    # What the beat frames first: a thing for "CLOSE ON the lantern" / 特写：灯笼,
    # else the speaker or the first person acting.
    focus: str | None = None


class SceneWorld(_Value):
    place: Place = Place()
    weather: tuple[Weather, ...] = ()
    people: tuple[Person, ...] = ()
    things: tuple[Thing, ...] = ()
    # The place is full of people beyond those named: a market, a station, 人群.
    crowd: bool = False
    beats: tuple[Beat, ...] = ()

"""The engine protocol: what every video engine, embedded or third-party, implements.

An engine is one class with a `name`, declared `capabilities` and one method,
`render(request) -> Take`. It is found through the `storyreel.engines` entry-point
group, so a separate package adds an engine by declaring, in its own pyproject.toml::

    [project.entry-points."storyreel.engines"]
    myengine = "my_package.engine:MyEngine"

An engine with settings (a model path, a preset) declares them as a pydantic model in
an `Options` class attribute and takes an instance of it in its constructor;
`load_engine(name, {"preset": "draft"})` validates the user's values against it. An
engine may also say which weights it renders with (`model_identity()`), so takes made
with other weights are never reused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any, ClassVar, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from storyreel.cast.subject import SubjectRef
from storyreel.errors import EngineError
from storyreel.media.encode import VideoSettings
from storyreel.model import Character, Shot, Storyboard
from storyreel.plugins import GROUPS, Registry
from storyreel.timeline import frames_for

ENTRY_POINT_GROUP = GROUPS["engines"]


class Capabilities(BaseModel):
    """What an engine can do, so planners and the UI can respect it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text_to_video: bool = True
    image_to_video: bool = False
    # Longest shot the engine makes in one go; longer shots are split by the caller.
    max_duration: float | None = None
    needs_gpu: bool = False
    needs_network: bool = False
    # The engine draws speaking characters' mouths from the voice track.
    lip_sync: bool = False
    # The engine re-renders a shot from its previous take (`RenderRequest.previous`):
    # an edited shot keeps what the edit did not touch. Others are never given one.
    reference_video: bool = False


@dataclass(frozen=True)
class PreviousTake:
    """The take an edited shot is re-rendered from, and what the edit asked of it."""

    # Its key in the project's take store (a digest). Keyed: the new take's key names
    # the take it grew from, never its own, so re-making the same edit is a cache hit.
    key: str
    # Its file in the take store; not keyed (the key already names the file's content).
    path: Path = field(compare=False)
    # What changed: the edit's instruction, for engines that take one as a prompt.
    change: str = ""


@dataclass(frozen=True)
class RenderRequest:
    """Everything an engine may read to render one shot."""

    shot: Shot
    # The shot's subjects with their descriptions, in the shot's subject order.
    cast: list[Character]
    width: int
    height: int
    fps: int
    # Where to write the take. Engines write to a temporary name and rename, so a
    # killed render never leaves a file here that looks complete.
    out_path: Path
    seed: int = 0
    # Called with the fraction done (0..1) as frames are made.
    on_progress: Callable[[float], None] | None = field(default=None, compare=False)
    # The shot's subjects from the cast library: reference images, identity embedding,
    # description and voice, for engines that keep a face consistent (a first frame,
    # reference-image models, Kling's element_list). Empty when the cast has none.
    references: list[SubjectRef] = field(default_factory=list)
    # Lip sync: per speaking character, how far their mouth is open (0..1) in each
    # frame of this shot, from the voice track. Engines with `lip_sync` animate it.
    mouths: dict[str, list[float]] = field(default_factory=dict)
    # The props and animals in the shot as (kind, holder): a kind from the props
    # vocabulary, held in the hand of the named subject, or standing in the place at its
    # real size when the holder is None. Engines draw them or name them in the prompt.
    things: tuple[tuple[str, str | None], ...] = ()
    # What each subject is doing, by name (an action: "walk", "sit", "hand_over"...),
    # so a drawn figure is posed and a prompt says it; a subject not named stands.
    poses: dict[str, str] = field(default_factory=dict)
    # Each subject's gender as the scene's world reads it (pronouns, titles, names), by
    # name: a drawn figure's body and hair follow it where the description is silent.
    genders: dict[str, str] = field(default_factory=dict)
    # How many frames the shot plays in the film, from the timeline (the shot stretched
    # to fit its speech). None for a shot rendered on its own, outside a make: its
    # planned duration.
    frames: int | None = None
    # What the scene's world says of the place and the air: a setting kind from the
    # vocabulary (None: engines read the setting's location alone) and the weather as
    # (kind, intensity 0..1) pairs, from the storyboard's scene (`for_shot`); keyed like
    # every other field, so new weather re-renders.
    set_kind: str | None = None
    weather: tuple[tuple[str, float], ...] = ()
    # What a drawn engine lays over the picture: the slate and the caption band
    # (annotated), the slate alone (the film burns its subtitles in) or neither (clean).
    picture: Literal["annotated", "slate", "clean"] = "annotated"
    # The film's look by name (warm, noir, ...: vocab/edits.yaml), as the storyboard's
    # style words hold it. A prompt already says it in words; a drawn engine grades its
    # picture with it (direct/grade.py).
    looks: tuple[str, ...] = ()
    # The shot's previous take, when an edit re-renders it and the engine declares
    # `reference_video`; None renders from scratch.
    previous: PreviousTake | None = None

    @classmethod
    def for_shot(
        cls, board: Storyboard, shot: Shot, out_path: Path, **options: Any
    ) -> RenderRequest:
        """The request for one of `board`'s shots, at the board's size and rate, in the
        world of its scene: the setting kind and weather of the board's scene, the shot's
        things (held by a subject in the shot, else standing in the place), each
        subject's action as their pose, and the film's looks. A subject the board does
        not describe is cast by name alone; `options` given win over all of these."""
        from storyreel.direct.grade import looks_in

        cast = [board.characters.get(name) or Character(name=name) for name in shot.subjects]
        info = board.scene_info(shot.scene)
        in_shot = set(shot.subjects)
        world: dict[str, Any] = {
            "set_kind": info.setting.kind if info else None,
            "weather": tuple((w.kind, w.intensity) for w in info.weather) if info else (),
            "things": tuple(
                (t.kind, t.holder if t.holder in in_shot else None) for t in shot.things
            ),
            "poses": {n: a for n, a in shot.actions.items() if n in in_shot},
            "looks": looks_in(board.style),
            "genders": {
                p.name: p.gender
                for p in (info.people if info else [])
                if p.gender and p.name in in_shot
            },
        }
        return cls(
            shot=shot,
            cast=cast,
            width=options.pop("width", board.width),
            height=options.pop("height", board.height),
            fps=board.fps,
            out_path=out_path,
            **(world | options),
        )

    @property
    def frame_count(self) -> int:
        return self.frames if self.frames is not None else frames_for(self.shot.duration, self.fps)

    @property
    def seconds(self) -> float:
        """How long the take is, in seconds: `frame_count` frames."""
        return self.frame_count / self.fps

    @property
    def take_settings(self) -> VideoSettings:
        """How a take is encoded: the film's own format (so the cut copies its packets),
        on one thread. Shots render in parallel, one per core, so more threads would
        only compete; and x264's output depends on its thread count, so one thread
        makes a take the same bytes on every machine and executor."""
        return VideoSettings(self.width, self.height, self.fps, threads=1)


class Take(BaseModel):
    """One rendered attempt at a shot: a video file and what made it."""

    model_config = ConfigDict(extra="forbid")

    shot_id: str
    path: Path
    frames: int
    fps: int
    width: int
    height: int
    engine: str
    seed: int = 0

    @property
    def duration(self) -> float:
        return self.frames / self.fps

    @classmethod
    def made_for(cls, request: RenderRequest, engine: str) -> Take:
        """The take an engine wrote at `request.out_path`: exactly the request's frames,
        size and rate (what lets the cut join takes without decoding them)."""
        return cls(
            shot_id=request.shot.id,
            path=Path(request.out_path),
            frames=request.frame_count,
            fps=request.fps,
            width=request.width,
            height=request.height,
            engine=engine,
            seed=request.seed,
        )


@runtime_checkable
class Engine(Protocol):
    name: ClassVar[str]
    capabilities: ClassVar[Capabilities]

    def render(self, request: RenderRequest) -> Take: ...


ENGINES: Registry[Engine] = Registry(
    ENTRY_POINT_GROUP, "engine", EngineError, Engine, "render(request) -> Take"
)


def available_engines() -> dict[str, type[Engine]]:
    """All installed engines by name, loaded from the entry-point group."""
    return {name: ep.load() for name, ep in registered_engines().items()}


def registered_engines() -> dict[str, EntryPoint]:
    """The entry points of the installed engines, by name (read once per import path)."""
    return ENGINES.entries()


def engine_options(cls: type, name: str, options: Mapping[str, Any] | None) -> BaseModel | None:
    """The engine's validated `Options`, or None for an engine without settings."""
    return ENGINES.options(cls, name, options)


# Mark an option that cannot change a take (a timeout, a webhook), so changing it
# re-renders nothing: `poll_timeout: float = Field(900.0, json_schema_extra=UNKEYED)`.
UNKEYED: dict[str, Any] = {"keyed": False}


def keyed_options(options: BaseModel | None) -> dict[str, Any] | None:
    """The options that go into a take's key: all but those marked UNKEYED."""
    if options is None:
        return None
    skip = {
        name
        for name, info in type(options).model_fields.items()
        if isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get("keyed") is False
    }
    return options.model_dump(mode="json", exclude=skip)


def engine_class(name: str) -> type[Engine]:
    """The engine registered as `name`, imported but not built (no weights are read)."""
    return ENGINES.plugin_class(name)


def load_engine(name: str, options: Mapping[str, Any] | None = None) -> Engine:
    """Instantiate the engine registered as `name`, with its `options` validated."""
    return ENGINES.load(name, options)


def model_identity(engine: Engine) -> Any:
    """What names the weights `engine` renders with (part of every take's key), or None
    for an engine without weights."""
    identify = getattr(engine, "model_identity", None)
    return identify() if callable(identify) else None

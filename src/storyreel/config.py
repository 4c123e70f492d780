"""What one make is asked to do, in one validated value.

    config = MakeConfig(engine="wan", engine_options={"preset": "draft"}, width=832, height=480)
    make_film(story, out, config, project=project)

The CLI, the studio's API, the Kling-compatible task runner and the benches all build a
`MakeConfig` and hand it to `make_film`; none of them passes the make's choices one by
one. The defaults are what a laptop with nothing installed can film.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from storyreel.cut.sound import TARGET_LUFS
from storyreel.media.encode import VideoSettings

# What a render request asks an engine to lay over the picture (RenderRequest.picture).
RequestPicture = Literal["annotated", "slate", "clean"]


class MakeConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # --- the picture -------------------------------------------------------------------
    # The embedded animatic: no GPU, no weights, no key.
    engine: str = Field(default="previs", min_length=1, max_length=64)
    # Checked against the engine's own `Options` before anything is made.
    engine_options: dict[str, Any] = {}
    # 720p: big enough to judge framing and read captions, small enough for a laptop.
    # Encoders need even sizes; 64 is the smallest frame storyreel draws, 3840 is 4K.
    width: int = Field(default=1280, ge=64, le=3840, multiple_of=2)
    height: int = Field(default=720, ge=64, le=3840, multiple_of=2)
    # Cinema's rate; the video models are trained at 16-30.
    fps: int = Field(default=24, ge=1, le=120)
    # Subtitles in the picture, for players that show no sidecar file.
    burn_subtitles: bool = False
    # What the previs picture carries: "annotated" (the slate and the caption band: a
    # storyboard to review) or "clean" (neither: a picture to deliver). Burned subtitles
    # replace the caption band in either.
    picture: Literal["annotated", "clean"] = "annotated"
    # The visible AI label (GB 45438-2025): "opening" draws "AI生成"/"AI-generated"
    # in a corner of the first 2 s (the rest of the film is still joined by packet
    # copy), "corner" on every frame (the whole film encoded again), "off" not at all.
    label: Literal["opening", "corner", "off"] = "opening"

    # --- direction ---------------------------------------------------------------------
    # The embedded rules planner needs no network; "llm" asks an OpenAI-compatible
    # endpoint (`planner_options`: url, model) and falls back to the rules.
    planner: str = Field(default="rules", min_length=1, max_length=64)
    planner_options: dict[str, Any] = {}
    # The storyboard file to film; None is the project's own storyboard.yaml.
    storyboard: Path | None = None

    # --- voices and sound --------------------------------------------------------------
    # "auto": Kokoro's neural voices for zh, en, ja and es where installed, espeak-ng
    # (inside a wheel, every language) for the rest and whenever Kokoro is absent.
    voice: str = Field(default="auto", min_length=1, max_length=64)
    # For an HTTP voice: url, model and `api_key_env`, the *name* of the variable that
    # holds its key (a config is recorded and shown; a secret never goes in it).
    voice_options: dict[str, Any] = {}
    music: Path | None = None  # a bed ducked under the dialogue
    ambience: Path | None = None  # room tone under everything, instead of the generated beds
    # Without a music file the film gets a score generated in the story's style (an
    # ad, a fight and a quiet drama sound different); False leaves it out (--no-score).
    score: bool = True
    # The story's sound world, generated: ambience beds under every scene from its
    # setting, time and weather, and foley on the frames of its actions (--no-effects).
    effects: bool = True
    # False: the film carries no sound track at all (a Kling task's `sound: "off"`).
    sound: bool = True
    # Integrated loudness of the mix in LUFS (streaming platforms' target by default);
    # -40 is inaudible on a phone, -5 leaves no room for peaks.
    loudness: float = Field(default=TARGET_LUFS, ge=-40.0, le=-5.0)

    # --- the two hooks ------------------------------------------------------------------
    # Checks (the `storyreel.checks` group, by name, with their options) run on every
    # take the make rendered, before the cut; what fails is reported. On by default:
    # those that need no face models and cost under a tenth of the take's own length
    # (conformance reads the header; temporal and flicker share one decode of small
    # grey frames; coverage reads what previs recorded). motion, identity and lipsync
    # are asked for by name.
    checks: dict[str, dict[str, Any]] = {
        "conformance": {},
        "temporal": {},
        "flicker": {},
        "coverage": {},
    }
    # Best of N: N takes of each shot with seeds of their own, the best by the checks'
    # weighted score kept (qa.take_score); 1 renders each shot once. Each take costs a
    # render, so the ceiling is a handful.
    takes: int = Field(default=1, ge=1, le=16)
    # A shot whose best take still fails a check is rendered again with a new seed, up
    # to this many times (stopping at the first that passes).
    retake: int = Field(default=0, ge=0, le=16)
    # Exporters (the `storyreel.exporters` group) run on the finished film: by default
    # the subtitles beside it and as tracks inside it (a chapter per scene), the AI
    # label in its metadata (GB 45438's implicit label) and, last, a C2PA manifest
    # signing what made it.
    exporters: dict[str, dict[str, Any]] = {
        "subtitles": {},
        "subtitle_tracks": {},
        "aigc": {},
        "c2pa": {},
    }

    # --- running -----------------------------------------------------------------------
    # Local processes, or tasks on a Ray cluster (`ray_address`, else a private one).
    executor: Literal["local", "ray"] = "local"
    # Render processes; None is one per core (each take encodes on one thread).
    workers: int | None = Field(default=None, ge=1, le=256)
    ray_address: str | None = None
    # Seconds to wait for another make of the same project; 0 refuses at once.
    wait: float = Field(default=0.0, ge=0.0)
    # What the version this make records says it is (`storyreel edit` puts the
    # instruction here); shown by `storyreel log`.
    message: str = Field(default="", max_length=2000)
    # An edit: a changed shot re-renders from its last take, with an engine that can
    # (its `reference_video` capability), the message saying what changed. A shot an
    # earlier edit re-rendered so keeps that take on every make, with or without this.
    from_previous: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> MakeConfig:
        if self.ray_address is not None and self.executor != "ray":
            raise ValueError("ray_address is for executor 'ray'")
        return self

    @property
    def request_picture(self) -> RequestPicture:
        """What each render request asks to be laid over the picture: never the caption
        band under burned subtitles, which would show the words twice."""
        if self.picture == "annotated" and self.burn_subtitles:
            return "slate"
        return self.picture

    @property
    def video(self) -> VideoSettings:
        return VideoSettings(width=self.width, height=self.height, fps=self.fps)

"""Makes: one run of the whole pipeline, watched live over server-sent events."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from storyreel.stages import Stage

MakeStatus = Literal["queued", "running", "succeeded", "failed", "cancelled"]
ShotEventKind = Literal["queued", "started", "progress", "done", "failed"]
FINISHED: frozenset[str] = frozenset({"succeeded", "failed", "cancelled"})
# An entry point's name, as plugin groups register them.
PLUGIN_NAME = r"^[A-Za-z0-9_.-]+$"


class MakeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Null: the server's default engine (`STORYREEL_ENGINE`, previs unless set).
    engine: str | None = Field(default=None, max_length=64, pattern=PLUGIN_NAME)
    # Checked against the engine's options schema (GET /api/plugins/engines).
    engine_options: dict[str, Any] = {}
    # Null: espeak, the embedded speech engine.
    voice: str | None = Field(default=None, max_length=64, pattern=PLUGIN_NAME)
    # Checked against the voice's options schema (GET /api/plugins/voices).
    voice_options: dict[str, Any] = {}
    burn_subtitles: bool = False
    # annotated: the previs slate and caption band; clean: neither (for delivery).
    picture: Literal["annotated", "clean"] = "annotated"
    # Encoders need even sizes; 64 is the smallest frame storyreel draws, 3840 is 4K.
    width: int = Field(default=1280, ge=64, le=3840, multiple_of=2)
    height: int = Field(default=720, ge=64, le=3840, multiple_of=2)
    fps: int = Field(default=24, ge=1, le=60)
    # The generated score, the story's ambience and foley, and any sound at all.
    score: bool = True
    effects: bool = True
    sound: bool = True
    # What the version the make records says (an edit's instruction).
    message: str = Field(default="", max_length=2000)
    # Changed shots re-render from their last take where the engine can (an edit).
    from_previous: bool = False
    # Best of N takes per shot, and retakes of a failing shot (MakeConfig.takes, retake).
    takes: int = Field(default=1, ge=1, le=16)
    retake: int = Field(default=0, ge=0, le=16)

    @field_validator("engine", "voice")
    @classmethod
    def _blank(cls, value: str | None) -> str | None:
        return value or None


class ProgressPublic(BaseModel):
    """The latest progress of a stage."""

    stage: Stage
    done: float
    total: float
    detail: str = ""


class ShotEventPublic(BaseModel):
    """A shot's render job moved on (the `shot` event)."""

    shot_id: str
    event: ShotEventKind
    fraction: float
    error: str | None = None
    # When the make process saw it (seconds since the epoch): clients measure latency.
    at: float


class MakePublic(BaseModel):
    id: str
    status: MakeStatus
    engine: str
    progress: ProgressPublic | None
    # Each shot's render progress, 0..1 (a cached or pinned shot is 1 at once).
    shots: dict[str, float]
    error: str | None
    film_url: str | None
    created_at: float
    finished_at: float | None = None

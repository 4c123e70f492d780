"""The cast: characters, props and locations with their reference images and voice."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from storyreel.cast.subject import SubjectKind


class VoicePublic(BaseModel):
    """How a character sounds (the cast's voice profile, as stored)."""

    variant: str
    gender: str
    pitch: int
    range: int
    rate: int
    volume: int
    speaker: str | None = None


class SubjectBase(BaseModel):
    name: str = Field(min_length=1, max_length=80)
    kind: SubjectKind = "character"
    description: str = Field(default="", max_length=2000)


class SubjectUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: SubjectKind | None = None
    description: str | None = Field(default=None, max_length=2000)


class SubjectPublic(SubjectBase):
    slug: str
    image_urls: list[str]
    voice: VoicePublic | None

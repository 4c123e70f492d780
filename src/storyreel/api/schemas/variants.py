"""Variants: a matrix of films from the project's script, and the creator's pick."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from storyreel.api.schemas.makes import MakeCreate
from storyreel.media.aspect import Aspect
from storyreel.variants.manifest import FilmRow
from storyreel.variants.matrix import MAX_LENGTH, MIN_LENGTH


class VariantsCreate(MakeCreate):
    """A make's settings (width and height: the 16:9 frame) and the matrix."""

    languages: list[str] = Field(min_length=1, max_length=8)
    aspects: list[Aspect] = Field(default=["16:9"], min_length=1, max_length=3)
    lengths: list[int] = Field(default=[15], min_length=1, max_length=6)
    # End-card texts with their [zh: ...] marks; two or more are a dimension.
    ctas: list[str] = Field(default=[], max_length=4)
    # Variants are for delivery: no previs captions unless asked.
    picture: Literal["annotated", "clean"] = "clean"


class VariantFilmPublic(FilmRow):
    url: str  # the film, from the server


class VariantsPublic(BaseModel):
    model_config = ConfigDict(extra="forbid")

    films: list[VariantFilmPublic] = []
    picked: str | None = None


class VariantPick(BaseModel):
    model_config = ConfigDict(extra="forbid")

    variant: str = Field(min_length=1, max_length=200)


__all__ = ["MAX_LENGTH", "MIN_LENGTH", "VariantPick", "VariantsCreate", "VariantsPublic"]

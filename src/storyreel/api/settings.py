"""The API's configuration: one class, read from `STORYREEL_*` environment variables.

    STORYREEL_TOKEN=s3cret STORYREEL_ROOT=~/films storyreel serve

pydantic-settings is not a dependency, so `Settings.from_env` reads the environment
itself; everything else is an ordinary pydantic model with limits that fail loudly.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from storyreel.errors import StoryreelError

PREFIX = "STORYREEL_"
MIB = 1024 * 1024


class SettingsError(StoryreelError):
    """An environment variable holds a value the API cannot use."""


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # The bearer token every route but /api/health asks for. Empty means "not set":
    # `storyreel serve` then makes one up and prints it.
    token: str = ""
    # Where projects live: one folder per project.
    root: Path = Path("storyreel-projects")
    # Browser origins allowed to call the API from another site; none by default, since
    # the studio is served from the same origin.
    cors_origins: tuple[str, ...] = ()
    # A reference photo is a few MB; 20 MB leaves room for a raw phone picture.
    max_image_bytes: int = Field(default=20 * MIB, ge=1024)
    # A 3–8 s clip of an actor speaking; 200 MB fits even an uncompressed phone video.
    max_clip_bytes: int = Field(default=200 * MIB, ge=1024)
    # Any other body (JSON): a script, or a Kling image2video request with two 10 MB
    # images in base64 (27 MB); parsing a body takes a few times its size in memory.
    max_json_bytes: int = Field(default=32 * MIB, ge=1024)
    # Hosts and networks (comma-separated: `hooks.lan,10.0.0.0/8`) that callbacks may
    # reach although they are not public addresses; none by default (storyreel.api.outbound).
    callback_allow: str = ""
    # Makes at once across all projects; later ones wait as `queued`. Each is a
    # process with render workers of its own.
    max_makes: int = Field(default=4, ge=1, le=256)
    # The engine a make uses when the request names none.
    engine: str = "previs"

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from `STORYREEL_<FIELD>` variables, then `overrides` (CLI flags)."""
        return model_from_env(cls, PREFIX, environ, overrides)


Model = TypeVar("Model", bound=BaseModel)


def model_from_env(
    cls: type[Model],
    prefix: str,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, object] | None = None,
) -> Model:
    """`cls` from `<prefix><FIELD>` variables (empty ones count as unset), then the
    `overrides` that are not None; a bad value names its variable."""
    env = os.environ if environ is None else environ
    values: dict[str, object] = {
        name: raw for name in cls.model_fields if (raw := env.get(prefix + name.upper()) or "")
    }
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    try:
        return cls.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        raise SettingsError(
            f"{prefix}{field.upper()}: {first['msg']}; fix the variable or unset it"
        ) from None

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class VersionPublic(BaseModel):
    number: int
    created_at: datetime
    shot_count: int
    duration: float
    message: str
    # Only the latest version's film is on disk (each make writes film.mp4 anew).
    film_url: str | None = None


class FieldChangePublic(BaseModel):
    # "size", "setting.location", "lines[0].text"
    path: str
    before: Any = None
    after: Any = None


class ShotChangePublic(BaseModel):
    shot_id: str
    changes: list[FieldChangePublic]


class VersionDiffPublic(BaseModel):
    a: int
    b: int
    added: list[str]
    removed: list[str]
    changed: list[ShotChangePublic]
    moved: list[str]
    # Storyboard-wide fields: title, frame size, fps, characters.
    board: list[FieldChangePublic]

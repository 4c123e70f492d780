from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class TakePublic(BaseModel):
    """One rendered attempt at a shot."""

    key: str
    engine: str
    created_at: datetime | None
    # Later makes use this take until it is unpinned.
    pinned: bool
    # The take the latest version of the film uses.
    current: bool
    frames: int
    video_url: str

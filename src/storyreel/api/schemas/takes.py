from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class CheckPublic(BaseModel):
    """What one check found in a take (qa/): the verdict and the user's notes."""

    check: str
    score: float
    passed: bool
    # False: the check had nothing to judge (notes say why); neither pass nor fail.
    applicable: bool
    notes: list[str] = []


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
    # What the checks found, one entry per check; empty for a take never judged.
    checks: list[CheckPublic] = []
    # The checks' weighted score (qa.take_score; 1 at best, below 0 when a check
    # fails): what best-of-N ranks takes by. None for a take never judged.
    score: float | None = None

"""What a take drew: each element on its middle frame, kept inside the take's own file.

    [{"kind": "person", "name": "MEI", "box": [0.31, 0.12, 0.55, 0.98]}, ...]

Kinds: person, thing, setting, weather, card, caption, slate. Boxes are fractions of the
frame (x0, y0, x1, y1), so they read the same at any size. The record is a tag of the
take's MP4 (its `comment`, JSON): it moves with the file through the take cache, a
remote worker's bytes, pins and prune, and needs no column in the store.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import av
from pydantic import BaseModel, ConfigDict, Field, ValidationError

DrawnKind = Literal["person", "thing", "setting", "weather", "card", "caption", "slate"]
# The tag the record is written under, and the key inside it that says it is ours.
TAG = "comment"
_KEY = "storyreel.drawn"


class Drawn(BaseModel):
    """One drawn element of a take's middle frame."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: DrawnKind
    name: str
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 as fractions of the frame
    # For a thing in someone's hand: whose (the box is then the hand's figure's).
    holder: str | None = None


class DrawnFrame(BaseModel):
    """Everything a take drew on one frame."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    frame: int = Field(ge=0)  # the take's frame the boxes are measured on
    elements: tuple[Drawn, ...] = ()

    def tags(self) -> dict[str, str]:
        """The container tags that carry the record (see VideoWriter's `metadata`)."""
        return {TAG: json.dumps({_KEY: self.model_dump(mode="json")}, ensure_ascii=False)}


def read_drawn(path: Path) -> DrawnFrame | None:
    """What the take at `path` records that it drew; None for a take that records
    nothing (another engine's, or one made before takes kept the record)."""
    try:
        with av.open(str(path)) as container:
            text = container.metadata.get(TAG)
    except (OSError, av.FFmpegError):
        return None
    if not text:
        return None
    try:
        data = json.loads(text)
        return DrawnFrame.model_validate(data[_KEY]) if isinstance(data, dict) else None
    except (ValueError, KeyError, ValidationError):
        return None

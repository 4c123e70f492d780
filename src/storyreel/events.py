"""Progress of a make as a stream of job events.

Executors emit them, the CLI's progress bars, the store's job table and (later) the
API's live updates consume them. Each is a small JSON-serializable pydantic model:

    {"event": "progress", "key": "3fa9…", "kind": "render", "shot_id": "4",
     "fraction": 0.5, "error": null, "at": 1731234567.25}
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

EventType = Literal["queued", "started", "progress", "done", "failed"]
JobKind = Literal["voice", "render", "qa", "cut"]


class JobEvent(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    event: EventType
    key: str
    kind: JobKind
    shot_id: str | None = None
    # 0..1; 0 when queued or started, 1 when done. A failed job keeps its last value.
    fraction: float = Field(default=0.0, ge=0.0, le=1.0)
    error: str | None = None
    # Seconds since the epoch, taken where the event was made (a worker for progress).
    at: float = Field(default_factory=time.time)

    @property
    def finished(self) -> bool:
        return self.event in ("done", "failed")


EventFn = Callable[[JobEvent], None]


def ignore(_: JobEvent) -> None:
    """An `EventFn` for callers that do not listen."""


def fan_out(*listeners: EventFn) -> EventFn:
    """One `EventFn` that passes every event to each listener in turn."""

    def emit(event: JobEvent) -> None:
        for listener in listeners:
            listener(event)

    return emit

"""Projects: a folder per film under the server's root."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

# Long enough for a real title, short enough for a tab label.
TITLE_MAX = 200
# A feature-length screenplay is well under 1 MB of text.
SCRIPT_MAX = 2_000_000


class ProjectBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=TITLE_MAX)


class ProjectCreate(ProjectBase):
    script: str | None = Field(default=None, max_length=SCRIPT_MAX)


class ProjectUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, min_length=1, max_length=TITLE_MAX)


class ProjectPublic(ProjectBase):
    id: str
    created_at: datetime
    updated_at: datetime
    shot_count: int
    has_film: bool
    # The script's main language ("en", "zh", "multi"); null while there is no script.
    language: str | None

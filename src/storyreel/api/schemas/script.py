"""The project's script, as the writer typed it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from storyreel.api.schemas.projects import SCRIPT_MAX

ScriptFormat = Literal["fountain", "prose"]


class ScriptBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=SCRIPT_MAX)


class ScriptUpdate(ScriptBase):
    pass


class ScriptPreview(ScriptBase):
    pass


class ScriptPublic(ScriptBase):
    # How the text was read: a screenplay (Fountain conventions) or prose.
    format: ScriptFormat

"""An edit in words: the studio's command box on the storyboard page."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from storyreel.api.schemas.makes import MakeCreate, MakePublic


class EditCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # "shot 7: a close-up at night", "把第三场改成雨夜", "make the whole film warmer".
    instruction: str = Field(min_length=1, max_length=2000)
    # The shot an instruction without a target is for (the shot selected on the page).
    shot: str | None = Field(default=None, min_length=1, max_length=64)
    # False: only show the diff. True: write it to storyboard.yaml and make the film.
    apply: bool = False
    # How to make the film after applying; null: the previs engine at the storyboard's
    # frame. Its `message` is replaced by the instruction.
    make: MakeCreate | None = None


class EditPublic(BaseModel):
    instruction: str
    # Who read the instruction: the rules, or the LLM endpoint for what they could not.
    source: Literal["rules", "llm"]
    # The storyboard diff, one change a line ("shot 7: size medium (中景) -> close-up (特写)").
    changes: list[str]
    # The ids of the shots the edit touches (added, deleted or changed).
    shots: list[str]
    applied: bool
    # The make started after applying.
    make: MakePublic | None = None

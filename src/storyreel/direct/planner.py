"""The planner protocol: what every director, embedded or third-party, implements.

A planner is one class with a `name` and one method, `plan(script, request) ->
Storyboard`. It is found through the `storyreel.planners` entry-point group (see
storyreel/plugins.py), so a separate package adds one by declaring, in its own
pyproject.toml::

    [project.entry-points."storyreel.planners"]
    myplanner = "my_package.planner:MyPlanner"

A planner with settings declares them as a pydantic `Options` model and takes an
instance of it in its constructor; `load_planner("llm", {"url": ..., "model": ...})`
validates the user's values against it. storyreel's own `rules` and `llm` planners are
registered the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, runtime_checkable

from pydantic import BaseModel

from storyreel.errors import StoryreelError
from storyreel.model import Script, Storyboard
from storyreel.plugins import GROUPS, Registry
from storyreel.vocab import Vocabulary

# A planner's settings: a mapping to validate, or its `Options` model already built.
PlannerOptions = Mapping[str, Any] | BaseModel | None


class PlannerError(StoryreelError):
    """A planner is missing or misconfigured."""


@dataclass(frozen=True)
class PlanRequest:
    """What a planner is asked for besides the script: the frame, and the engine's
    longest shot (`Capabilities.max_duration`; None: no limit beyond the planner's)."""

    width: int = 1280
    height: int = 720
    fps: int = 24
    max_duration: float | None = None
    # Where a planner says what it could not do (e.g. the LLM fell back to the rules);
    # the make shows them to the user. None: nobody is listening.
    warnings: list[str] | None = field(default=None, compare=False)
    # The words the story's world is read with: the bundled vocabularies extended by the
    # project's own (vocab/*.yaml). None: the bundled ones.
    vocabulary: Vocabulary | None = field(default=None, compare=False)


@runtime_checkable
class Planner(Protocol):
    name: ClassVar[str]

    def plan(self, script: Script, request: PlanRequest) -> Storyboard: ...


PLANNERS: Registry[Planner] = Registry(
    GROUPS["planners"], "planner", PlannerError, Planner, "plan(script, request) -> Storyboard"
)


def load_planner(name: str, options: PlannerOptions = None) -> Planner:
    """The planner registered as `name`, built with its `options` validated (a mapping,
    or an instance of the planner's own `Options`)."""
    if isinstance(options, BaseModel):
        options = options.model_dump()
    return PLANNERS.load(name, options)

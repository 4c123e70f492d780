"""Checks: the `storyreel.checks` plugin group, scoring a rendered take.

A check is one class with a `name`, an optional pydantic `Options` model and one
method, `check(take, request) -> CheckResult`. The make runs every check its config
names on each take it rendered, after the render stage and before the cut
(`MakeConfig.checks`; `conformance` is the built-in one), and reports what failed. A
separate package registers its own exactly as storyreel does::

    [project.entry-points."storyreel.checks"]
    faces = "my_package.checks:FaceCheck"

Provisional: the contract is deliberately minimal and may grow (e.g. the shot's voice
track, the cast's identity embeddings) as the first real checks arrive.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from storyreel.errors import EngineError
from storyreel.plugins import GROUPS, Registry
from storyreel.render.engine import RenderRequest, Take


class CheckResult(BaseModel):
    """What one check found in one take."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    check: str
    # 0 (unusable) .. 1 (as asked), so takes can be ranked across checks.
    score: float = Field(ge=0.0, le=1.0)
    # Whether the take may go into the cut as it is.
    passed: bool
    # What the user reads: what was wrong, and where in the take.
    notes: list[str] = []


@runtime_checkable
class Check(Protocol):
    name: ClassVar[str]

    def check(self, take: Take, request: RenderRequest) -> CheckResult: ...


# A check that cannot be loaded is an engine-side problem in the user's eyes: the
# render stage's settings are wrong, so it is reported as one.
CHECKS: Registry[Check] = Registry(
    GROUPS["checks"], "check", EngineError, Check, "check(take, request) -> CheckResult"
)


def load_check(name: str, options: Mapping[str, Any] | None = None) -> Check:
    """The check registered as `name`, built with its `options` validated."""
    return CHECKS.load(name, options)

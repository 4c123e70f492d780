"""Checks: the `storyreel.checks` plugin group, scoring a rendered take.

A check is one class with a `name`, an optional pydantic `Options` model and one
method, `check(take, request) -> CheckResult`. The make runs every check its config
names on each take it rendered, after the render stage and before the cut
(`MakeConfig.checks`; `conformance` is the built-in one), and reports what failed. A
separate package registers its own exactly as storyreel does::

    [project.entry-points."storyreel.checks"]
    faces = "my_package.checks:FaceCheck"

The request carries what a check compares the take with: the shot (its move and
actions), the cast's identity embeddings (`references`), the voice track's mouth
openings (`mouths`) and the scene's world. A check that has nothing to judge (no face
in the cast, no line spoken) says so with `applicable=False`: it neither passes nor
fails the take, and the make's weighted score leaves it out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from storyreel.errors import EngineError
from storyreel.plugins import GROUPS, Registry
from storyreel.render.engine import RenderRequest, Take


class Evidence(BaseModel):
    """One place in the take where a check found something: a frame and what."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    frame: int = Field(ge=0)  # the take's frame (0-based)
    kind: str  # "frozen", "dropped", "black", "flash", "drift", "swap", "offset"...
    value: float = 0.0  # the measure that crossed the threshold, in the check's units


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
    # False when the check had nothing to judge (no cast face, no line): neither a pass
    # nor a failure, and left out of the take's weighted score. `notes` says why.
    applicable: bool = True
    # Where: the frames that failed, so a report can point at them.
    evidence: list[Evidence] = []
    # Per-frame measures for plots (e.g. "difference": one value per frame pair),
    # at most a few hundred values each.
    series: dict[str, list[float]] = {}

    @classmethod
    def not_applicable(cls, check: str, why: str) -> CheckResult:
        return cls(check=check, score=1.0, passed=True, applicable=False, notes=[why])


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


# How much each check counts in a take's score (best-of-N picks by it): a defect the
# audience sees at once (a freeze, a stranger's face) weighs more than a soft measure.
# A check not named here weighs 1.
WEIGHTS: dict[str, float] = {
    "conformance": 2.0,
    "temporal": 3.0,
    "identity": 3.0,
    "lipsync": 2.0,
    "flicker": 1.0,
    "motion": 1.0,
    "coverage": 1.0,
}


def take_score(results: Sequence[CheckResult], weights: Mapping[str, float] | None = None) -> float:
    """One number to rank a take by (1 at best): the weighted mean of its applicable checks' scores,
    less one whole point for each failed check, so a take that passes every check always
    ranks above one that fails any (then the mean orders them). A take no check could
    judge scores 1."""
    weights = WEIGHTS if weights is None else weights
    judged = [r for r in results if r.applicable]
    total = sum(weights.get(r.check, 1.0) for r in judged)
    mean = sum(weights.get(r.check, 1.0) * r.score for r in judged) / total if total else 1.0
    return mean - sum(1 for r in judged if not r.passed)

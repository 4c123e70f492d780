"""Coverage: does the take show what the shot's world says should be in it?

An engine that reports what it drew (previs records it inside the take:
render/drawn.py) is held to the request: every subject of the shot as a person, every
thing of the shot, the setting kind and the weather of the scene. A take that records
nothing (a generative model's) is not applicable: nothing here can see a person in
pixels, and the identity check judges faces.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from storyreel.qa import CheckResult, Evidence
from storyreel.render.drawn import read_drawn
from storyreel.render.engine import RenderRequest, Take


class CoverageOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Share of the expected elements a take may leave out and still pass: a subject at
    # the frame's edge may be cut by a push-in, which is framing, not a miss.
    tolerance: float = Field(default=0.0, ge=0.0, le=1.0)


class CoverageCheck:
    name: ClassVar[str] = "coverage"
    Options: ClassVar[type[CoverageOptions]] = CoverageOptions

    def __init__(self, options: CoverageOptions | None = None) -> None:
        self.options = options or CoverageOptions()

    def check(self, take: Take, request: RenderRequest) -> CheckResult:
        drawn = read_drawn(take.path)
        if drawn is None:
            return CheckResult.not_applicable(
                self.name, f"the {take.engine} engine does not record what it drew"
            )
        expected = expected_elements(request)
        if not expected:
            return CheckResult.not_applicable(self.name, "the shot names nothing to show")
        shown = {(e.kind, e.name) for e in drawn.elements}
        missing = [item for item in expected if item not in shown]
        share = 1.0 - len(missing) / len(expected)
        return CheckResult(
            check=self.name,
            score=share,
            passed=len(missing) <= self.options.tolerance * len(expected),
            notes=[f"{kind} {name} is not in the picture" for kind, name in missing],
            evidence=[Evidence(frame=drawn.frame, kind=f"missing {k}") for k, _ in missing],
        )


def expected_elements(request: RenderRequest) -> list[tuple[str, str]]:
    """What the request says should be seen, as (kind, name) like `Drawn` records."""
    shot = request.shot
    if shot.card is not None:
        return []
    items = [("person", name) for name in shot.subjects]
    items += [("thing", kind) for kind, _ in request.things]
    if request.set_kind:
        items.append(("setting", request.set_kind))
    items += [("weather", kind) for kind, _ in request.weather]
    return list(dict.fromkeys(items))

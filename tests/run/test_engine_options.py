"""Engine options: validated against the engine's own `Options` model, part of every
take's key (as validated, defaults filled in), and so are the weights an engine names."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storyreel.errors import EngineError
from storyreel.project import Project
from storyreel.render.engine import load_engine
from storyreel.run.cache import TakeCache
from storyreel.run.executors import LocalExecutor
from storyreel.run.jobs import render_takes
from storyreel.store import Store

from .support import installed_engine, request, shot

TUNABLE_ENGINE = """
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from storyreel.render.engine import UNKEYED
from storyreel.render.engines.previs import PrevisEngine


class Tunable(PrevisEngine):
    name = "tunable"

    class Options(BaseModel):
        model_config = ConfigDict(extra="forbid")
        steps: int = Field(default=4, ge=1, le=50)
        weights: str = "v1"
        preset: Literal["draft", "final"] = "draft"
        timeout: float = Field(default=60.0, json_schema_extra=UNKEYED)

    def __init__(self, options: "Tunable.Options") -> None:
        self.options = options

    def model_identity(self) -> str:
        return self.options.weights
"""


@pytest.fixture
def tunable(tmp_path: Path) -> Iterator[None]:
    entry = "tunable = tunable_engine:Tunable"
    with installed_engine(tmp_path / "site", "tunable_engine", TUNABLE_ENGINE, entry):
        yield


def test_options_are_validated_against_the_engines_model(tunable: None) -> None:
    engine = load_engine("tunable", {"steps": 8, "preset": "final"})
    assert engine.options.steps == 8 and engine.options.preset == "final"  # type: ignore[attr-defined]
    with pytest.raises(
        EngineError, match=r"steps.*less than or equal to 50.*steps, weights, preset, timeout"
    ):
        load_engine("tunable", {"steps": 500})
    with pytest.raises(EngineError, match=r"stepz: Extra inputs are not permitted"):
        load_engine("tunable", {"stepz": 3})
    with pytest.raises(EngineError, match=r"preset: Input should be 'draft' or 'final'"):
        load_engine("tunable", {"preset": "fast"})


def test_an_engine_without_options_refuses_them() -> None:
    with pytest.raises(EngineError, match="'previs' takes no options; got model_path"):
        load_engine("previs", {"model_path": "/models/wan"})


def test_options_and_weights_are_part_of_the_take_key(
    tunable: None, project: Project, store: Store, tmp_path: Path
) -> None:
    cache = TakeCache(project, store)
    local = LocalExecutor(1, "fork")
    jobs = [request(tmp_path / "a.mp4", shot("1"))]

    def rendered(options: dict[str, object]) -> list[str]:
        return render_takes(jobs, "tunable", cache, local, options=options).rendered

    assert rendered({}) == ["1"]
    assert rendered({"steps": 4, "preset": "draft"}) == []  # the defaults, spelled out
    assert rendered({"timeout": 5.0}) == []  # cannot change a take: not in its key
    assert rendered({"steps": 6}) == ["1"]
    assert rendered({"weights": "v2"}) == ["1"]  # other weights: a new take
    assert rendered({"weights": "v2"}) == []

"""A throwaway third-party package with one entry in each plugin group, installed
through real entry points (a dist-info on sys.path), shared by the plugin, API and
studio tests."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from tests.run.support import installed_plugins

EXTRAS = '''
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from storyreel.deliver import ExportRequest
from storyreel.direct.planner import PlanRequest
from storyreel.direct.rules import plan_rules
from storyreel.files import write_text_atomic
from storyreel.qa import CheckResult
from storyreel.render.engine import RenderRequest, Take
from storyreel.render.engines.previs import PrevisEngine
from storyreel.voice.base import Speech, VoiceProfile


class HumVoice:
    """Hums every line: a tone per word."""

    name = "hum"
    langs = frozenset({"en", "zh"})

    class Options(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True)
        pitch: float = Field(default=220.0, ge=50, le=1000)
        wave: Literal["sine", "square"] = "sine"
        # A file every spoken line is appended to, so a test can hear who spoke.
        log: str | None = None

    def __init__(self, options: "HumVoice.Options") -> None:
        self.options = options

    def identity(self) -> dict[str, object]:
        return self.options.model_dump()

    def synthesize(self, text: str, lang: str, voice: VoiceProfile) -> Speech:
        if self.options.log:
            with open(self.options.log, "a", encoding="utf-8") as log:
                log.write(f"{self.options.pitch:g} {self.options.wave}: {text}\\n")
        rate = 16_000
        t = np.arange(int(rate * 0.15 * max(1, len(text.split())))) / rate
        tone = np.sin(2 * np.pi * self.options.pitch * t)
        if self.options.wave == "square":
            tone = np.sign(tone)
        return Speech(samples=(0.3 * tone).astype(np.float32), sample_rate=rate)


class TitledPlanner:
    """The rules' storyboard under a working title."""

    name = "titled"

    class Options(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True)
        prefix: str = Field(default="Draft: ", max_length=20)

    def __init__(self, options: "TitledPlanner.Options") -> None:
        self.options = options

    def plan(self, script, request: PlanRequest):
        board = plan_rules(script, width=request.width, height=request.height, fps=request.fps)
        if request.warnings is not None:
            request.warnings.append("titled: a working title was added")
        return board.model_copy(update={"title": self.options.prefix + (board.title or "")})


class LengthCheck:
    """A take passes when it is at least `min_frames` long."""

    name = "length"

    class Options(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True)
        min_frames: int = Field(default=1, ge=1, le=10_000)

    def __init__(self, options: "LengthCheck.Options") -> None:
        self.options = options

    def check(self, take: Take, request: RenderRequest) -> CheckResult:
        passed = take.frames >= self.options.min_frames
        return CheckResult(check=self.name, score=1.0 if passed else 0.0, passed=passed)


class ShotListExporter:
    """The filmed shots' ids, one a line, beside the film."""

    name = "shotlist"

    def export(self, request: ExportRequest) -> list[Path]:
        path = request.out_dir / (request.film.stem + ".shots.txt")
        write_text_atomic(path, "".join(shot.id + "\\n" for shot in request.board.shots))
        return [path]


class ToyEngine(PrevisEngine):
    """The previs engine with a knob and a look."""

    name = "toy"

    class Options(BaseModel):
        model_config = ConfigDict(extra="forbid")
        strength: int = Field(default=3, ge=1, le=9)
        look: Literal["noir", "pastel"] = "pastel"

    def __init__(self, options: "ToyEngine.Options") -> None:
        self.options = options


class Mute:
    """Registered as a voice but speaks nothing: no synthesize()."""

    name = "mute"
'''

ENTRIES = {
    "storyreel.voices": ["hum = reel_extras:HumVoice", "mute = reel_extras:Mute"],
    "storyreel.planners": ["titled = reel_extras:TitledPlanner"],
    "storyreel.checks": ["length = reel_extras:LengthCheck"],
    "storyreel.exporters": [
        "shotlist = reel_extras:ShotListExporter",
        "broken = reel_extras_missing:Nothing",
    ],
    "storyreel.engines": ["toy = reel_extras:ToyEngine"],
}


@contextlib.contextmanager
def extras_installed(site: Path) -> Iterator[None]:
    """The throwaway package `reel_extras` installed in `site` for the block."""
    with installed_plugins(site, "reel_extras", EXTRAS, ENTRIES):
        yield

"""Exporters: the `storyreel.exporters` plugin group, the deliverables made from a film.

An exporter is one class with a `name`, an optional pydantic `Options` model and one
method, `export(request) -> list[Path]` (the files it wrote). The make runs every
exporter its config names after the cut (`MakeConfig.exporters`; the subtitles are the
built-in one). A separate package registers its own exactly as storyreel does::

    [project.entry-points."storyreel.exporters"]
    otio = "my_package.otio:OtioExporter"

An exporter reads the film's Timeline (where every shot, line, cue and transition
sits), never the script.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol, runtime_checkable

from storyreel.errors import OutputError
from storyreel.model import Storyboard
from storyreel.plugins import GROUPS, Registry
from storyreel.script.branches import Branches
from storyreel.timeline import Timeline


@dataclass(frozen=True)
class ExportRequest:
    """A finished film to deliver."""

    film: Path  # the cut MP4
    board: Storyboard  # what was filmed
    timeline: Timeline  # where everything sits in film time
    # Where to write: the film's folder, files named after the film. Exporters write
    # atomically (storyreel.files.write_*_atomic).
    out_dir: Path
    # The story's scenes as a graph of choices; None for a linear film (the `branches`
    # exporter writes a player only for a story with choices).
    branches: Branches | None = None

    def beside(self, suffix: str) -> Path:
        """A file named like the film, with `suffix` (".srt", ".otio"), in `out_dir`."""
        return self.out_dir / (self.film.stem + suffix)


@runtime_checkable
class Exporter(Protocol):
    name: ClassVar[str]

    def export(self, request: ExportRequest) -> list[Path]: ...


EXPORTERS: Registry[Exporter] = Registry(
    GROUPS["exporters"], "exporter", OutputError, Exporter, "export(request) -> list[Path]"
)


def load_exporter(name: str, options: Mapping[str, Any] | None = None) -> Exporter:
    """The exporter registered as `name`, built with its `options` validated."""
    return EXPORTERS.load(name, options)

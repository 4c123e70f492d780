"""Exporters: the `storyreel.exporters` plugin group, writing deliverables of a film.

An exporter is one class with a `name`, an optional pydantic `Options` model and one
method, `export(request) -> list[Path]` (the files it wrote); the make will call every
configured exporter after the cut. None is built in yet; a separate package registers
one as::

    [project.entry-points."storyreel.exporters"]
    otio = "my_package.otio:OtioExporter"

Provisional: the request carries the film and its storyboard today; it will carry the
film's timeline (where every shot, line and cue sits) once the cut produces one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol, runtime_checkable

from storyreel.errors import OutputError
from storyreel.model import Storyboard
from storyreel.plugins import GROUPS, Registry


@dataclass(frozen=True)
class ExportRequest:
    """A finished film to deliver."""

    film: Path  # the cut MP4
    board: Storyboard  # what was filmed
    # Where to write; exporters write atomically (storyreel.files.write_*_atomic).
    out_dir: Path


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

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol, runtime_checkable

from storyreel.cut.label import Label
from storyreel.errors import OutputError
from storyreel.model import Storyboard
from storyreel.plugins import GROUPS, Registry
from storyreel.render.engine import Take
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
    # What made each shot, by shot id: the take the film used and its cache key (a
    # provenance manifest names them; an interchange timeline points at the files).
    takes: Mapping[str, Take] = field(default_factory=dict)
    take_keys: Mapping[str, str] = field(default_factory=dict)
    # Which weights the engine rendered with (None: an engine without weights) and the
    # digest of the storyboard as filmed (what `storyreel log` records as its version).
    model: str | None = None
    storyboard_key: str = ""
    # The visible AI label the cut drew in, if any (GB 45438's explicit label).
    label: Label | None = None
    # The sound stems by name ("dialogue", "ambience", "foley", "music"): WAV or any
    # audio file the sound stage wrote. Empty when the make wrote none.
    stems: Mapping[str, Path] = field(default_factory=dict)
    # The story's scenes as a graph of choices; None for a linear film (the `branches`
    # exporter writes a player only for a story with choices).
    branches: Branches | None = None

    def beside(self, suffix: str) -> Path:
        """A file named like the film, with `suffix` (".srt", ".otio"), in `out_dir`."""
        return self.out_dir / (self.film.stem + suffix)


@runtime_checkable
class Exporter(Protocol):
    name: ClassVar[str]
    # Exporters run in this order (then in the config's): the ones that rewrite the
    # film (labels, subtitle tracks) before the one that signs it, since a byte changed
    # after signing breaks the signature. An exporter without it runs at 0.
    # order: ClassVar[int]
    # Exporters that change the film itself say so (`rewrites_film = True`).

    def export(self, request: ExportRequest) -> list[Path]: ...


EXPORTERS: Registry[Exporter] = Registry(
    GROUPS["exporters"], "exporter", OutputError, Exporter, "export(request) -> list[Path]"
)


def load_exporter(name: str, options: Mapping[str, Any] | None = None) -> Exporter:
    """The exporter registered as `name`, built with its `options` validated."""
    return EXPORTERS.load(name, options)


def rewrites_film(name: str) -> bool:
    """Whether the exporter registered as `name` changes the film itself (its tracks,
    metadata or signature) rather than writing beside it: its options are then part of
    what the film is made from, and it runs only on a film the make has just cut (a
    film already current was delivered by the make that cut it)."""
    return bool(getattr(EXPORTERS.plugin_class(name), "rewrites_film", False))


def export_order(exporter: Exporter) -> int:
    """Where `exporter` runs among the after-cut hook's (its `order`, 0 if it has none)."""
    order = getattr(exporter, "order", 0)
    return order if isinstance(order, int) else 0

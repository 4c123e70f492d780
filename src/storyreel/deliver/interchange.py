"""The film as an editor's timeline: OpenTimelineIO, CMX 3600 EDL, Final Cut Pro 7 XML.

DaVinci Resolve and Kdenlive import OpenTimelineIO; Premiere takes FCP7 XML and EDLs.
One OTIO timeline is built from the film's Timeline and written by OTIO's adapters
(`otio_json`, and the `cmx_3600` and `fcp_xml` adapter packages):

- a video track: one clip per shot, in film order, each exactly its shot's frames,
  pointing at the take file (a path relative to the timeline file), with the shot id,
  scene, prompt, engine and seed as clip metadata;
- an audio track per sound stem (dialogue, ambience, foley, music) when the make wrote
  them, else one track of the film's own mixed sound;
- markers for scenes, dialogue lines and subtitle cues on the timeline.

An EDL has one video track and no markers of the timeline's own: it carries the clips
(with their reels and source files in comments) and each clip's markers. The dissolves,
fades and wipes the cut drew are cuts here: an editor redoes them with its own tools.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from storyreel.deliver import ExportRequest
from storyreel.errors import OutputError
from storyreel.files import atomic_path

Format = Literal["otio", "edl", "fcp7xml"]
# Each format: its OTIO adapter and the file's suffix.
FORMATS: dict[str, tuple[str, str]] = {
    "otio": ("otio_json", ".otio"),
    "edl": ("cmx_3600", ".edl"),
    "fcp7xml": ("fcp_xml", ".xml"),
}


def film_timeline(
    request: ExportRequest, base: Path, media: Mapping[str, Path] | None = None
) -> Any:
    """The film as an OTIO Timeline whose media paths are relative to `base` (the
    folder the timeline file is written to). `media` maps a file the film uses (a take,
    a stem, the film) to where it was collected, when it was."""
    import opentimelineio as otio

    fps = request.timeline.fps

    def rt(frames: float) -> Any:
        return otio.opentime.RationalTime(frames, fps)

    def span(start: float, frames: float) -> Any:
        return otio.opentime.TimeRange(rt(start), rt(frames))

    def ref(path: Path, frames: int) -> Any:
        placed = (media or {}).get(str(path), path)
        target = Path(os.path.relpath(placed.resolve(), base.resolve())).as_posix()
        return otio.schema.ExternalReference(target_url=target, available_range=span(0, frames))

    board = {shot.id: shot for shot in request.board.shots}
    total = request.timeline.frames
    timeline = otio.schema.Timeline(
        name=request.board.title or request.film.stem, global_start_time=rt(0)
    )
    video = otio.schema.Track(name="Shots", kind=otio.schema.TrackKind.Video)
    for placed in request.timeline.shots:
        shot = board.get(placed.shot_id)
        take = request.takes.get(placed.shot_id)
        source = take.path if take is not None else request.film
        available = take.frames if take is not None else total
        first = 0 if take is not None else placed.start
        info = {
            "shot": placed.shot_id,
            "scene": shot.scene if shot else None,
            "prompt": shot.prompt.en or shot.prompt.zh if shot else "",
            "action": shot.action if shot else "",
            "engine": take.engine if take else None,
            "seed": take.seed if take else None,
            "take": request.take_keys.get(placed.shot_id),
        }
        video.append(
            otio.schema.Clip(
                name=f"shot {placed.shot_id}",
                media_reference=ref(source, max(available, first + placed.frames)),
                source_range=span(first, placed.frames),
                metadata={"storyreel": info, "cmx_3600": {"reel": _reel(placed.shot_id)}},
            )
        )
    timeline.tracks.append(video)
    sounds = dict(request.stems) or {"mix": request.film}
    for name, path in sounds.items():
        track = otio.schema.Track(name=name, kind=otio.schema.TrackKind.Audio)
        track.append(
            otio.schema.Clip(
                name=name,
                media_reference=ref(path, total),
                source_range=span(0, total),
                metadata={"cmx_3600": {"reel": _reel(name)}},
            )
        )
        timeline.tracks.append(track)
    for marker in _markers(request):
        timeline.tracks.markers.append(marker)
    return timeline


def _markers(request: ExportRequest) -> list[Any]:
    """Scene starts, dialogue lines and subtitle cues, on the film's clock."""
    import opentimelineio as otio

    fps = request.timeline.fps
    shots = {shot.id: shot for shot in request.board.shots}
    markers = []

    def add(name: str, start: float, frames: float, colour: str, kind: str) -> None:
        markers.append(
            otio.schema.Marker(
                name=name,
                marked_range=otio.opentime.TimeRange(
                    otio.opentime.RationalTime(round(start), fps),
                    otio.opentime.RationalTime(max(1, round(frames)), fps),
                ),
                color=colour,
                metadata={"storyreel": {"kind": kind}},
            )
        )

    scene = None
    for placed in request.timeline.shots:
        shot = shots.get(placed.shot_id)
        if shot is not None and shot.scene != scene:
            scene = shot.scene
            heading = shot.setting.location
            add(f"Scene {scene}: {heading}", placed.start, placed.frames, "RED", "scene")
    for line in request.timeline.lines:
        start = line.shot_start + line.offset_ms * fps / 1000
        add(f"{line.character}: {line.text}", start, line.duration_ms * fps / 1000, "GREEN", "line")
    for cue in request.timeline.cues:
        add(cue.text, cue.start * fps, (cue.end - cue.start) * fps, "CYAN", "subtitle")
    return markers


def _reel(name: str) -> str:
    """An EDL reel name: 8 characters, letters, digits and underscores."""
    return (re.sub(r"[^A-Za-z0-9_]", "", f"S{name}") or "AX")[:8].upper()


def write_timeline(
    request: ExportRequest, fmt: str, out: Path, collect: Path | None = None
) -> list[Path]:
    """Write the film's timeline as `fmt` at `out`; with `collect`, the takes, stems and
    film are first copied into that folder's `media/` and the timeline points there.
    Returns the files written (the timeline first)."""
    if fmt not in FORMATS:
        raise OutputError(f"unknown timeline format {fmt!r}; choose one of {', '.join(FORMATS)}")
    import opentimelineio as otio

    adapter, _ = FORMATS[fmt]
    rate = request.timeline.fps
    if fmt == "edl" and not otio.opentime.RationalTime.is_valid_timecode_rate(rate):
        raise OutputError(
            f"an EDL's timecode has no {rate} fps; make the film at 24, 25 or 30 fps "
            "(--fps) or export otio or fcp7xml"
        )
    written: list[Path] = []
    media: dict[str, Path] = {}
    if collect is not None:
        media = _collect(request, collect / "media")
        written += list(media.values())
    timeline = film_timeline(request, out.parent, media)
    if fmt == "edl":  # one video track: the audio tracks are not an EDL's to carry
        timeline.tracks[:] = [t for t in timeline.tracks if t.kind == "Video"]
    try:
        text = otio.adapters.write_to_string(timeline, adapter)
    except otio.exceptions.OTIOError as error:  # pragma: no cover - an adapter's refusal
        raise OutputError(f"the timeline cannot be written as {fmt}: {error}") from None
    with atomic_path(out) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return [out, *written]


def _collect(request: ExportRequest, folder: Path) -> dict[str, Path]:
    """Copy every file the timeline points at into `folder` (atomically, each once);
    each take is signed on the way, like the film (a C2PA manifest of its shot)."""
    from storyreel.deliver.provenance import C2paOptions, sign_file, take_manifest
    from storyreel.deliver.signing import signing_identity

    identity = signing_identity()
    folder.mkdir(parents=True, exist_ok=True)
    copies: dict[str, Path] = {}
    sources = [("film", request.film)]
    sources += [(f"shot-{shot}", take.path) for shot, take in request.takes.items()]
    sources += [(f"stem-{name}", path) for name, path in request.stems.items()]
    for name, path in sources:
        if str(path) in copies or not path.is_file():
            continue
        target = folder / f"{name}{path.suffix}"
        with atomic_path(target) as tmp:
            shutil.copyfile(path, tmp)
        shot = name.removeprefix("shot-")
        if name.startswith("shot-") and path.suffix.lower() == ".mp4":
            drawn = C2paOptions().drawn_engines
            sign_file(target, take_manifest(request, shot, drawn), identity)
        copies[str(path)] = target
    return copies


class TimelineOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _TimelineExporter:
    """A timeline beside the film (FILM.otio / .edl / .xml), pointing at the takes."""

    name: ClassVar[str]
    Options: ClassVar[type[TimelineOptions]] = TimelineOptions

    def __init__(self, options: TimelineOptions | None = None) -> None:
        self.options = options or TimelineOptions()

    def export(self, request: ExportRequest) -> list[Path]:
        return write_timeline(request, self.name, request.beside(FORMATS[self.name][1]))


class OtioExporter(_TimelineExporter):
    name: ClassVar[str] = "otio"


class EdlExporter(_TimelineExporter):
    name: ClassVar[str] = "edl"


class Fcp7XmlExporter(_TimelineExporter):
    name: ClassVar[str] = "fcp7xml"

"""Editors' timelines read back: the same clips, durations to the frame and order."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import numpy as np
import opentimelineio as otio
import pytest
from tests.deliver.support import SETTINGS, small_film

from storyreel.deliver import load_exporter
from storyreel.timeline import Cue
from storyreel.wav import write_wav

FRAMES = (60, 36)


def stems(folder: Path, seconds: float) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    for n, name in enumerate(("dialogue", "ambience", "foley", "music"), start=1):
        t = np.arange(round(seconds * 48_000)) / 48_000
        path = folder / f"{name}.wav"
        write_wav(
            path, (0.1 * np.sin(2 * np.pi * 110 * n * t)).astype(np.float32), 48_000, "float32"
        )
        made[name] = path
    return made


@pytest.mark.parametrize("fmt", ["otio", "edl", "fcp7xml"])
def test_the_timeline_reads_back_with_the_films_clips(tmp_path: Path, fmt: str) -> None:
    cue = Cue(start=0.5, end=1.5, text="Tea?", character="MEI", lang="en")
    request = small_film(tmp_path, cues=(cue,), frames=FRAMES)
    request = replace(request, stems=stems(tmp_path / "stems", sum(FRAMES) / SETTINGS.fps))
    written = load_exporter(fmt).export(request)
    suffix = {"otio": ".otio", "edl": ".edl", "fcp7xml": ".xml"}[fmt]
    assert written == [tmp_path / f"kettle{suffix}"]

    timeline = otio.adapters.read_from_file(str(written[0]))
    video = [t for t in timeline.tracks if t.kind == otio.schema.TrackKind.Video]
    clips = list(video[0].find_clips())
    assert len(clips) == len(request.board.shots)
    assert [round(c.source_range.duration.value) for c in clips] == list(FRAMES)
    assert round(video[0].duration().rescaled_to(SETTINGS.fps).value) == request.timeline.frames
    for clip, shot in zip(clips, request.takes.values(), strict=True):
        target = Path(clip.media_reference.target_url)
        assert not target.is_absolute()  # relative to the timeline file
        assert (written[0].parent / target).resolve() == shot.path.resolve()
    if fmt != "edl":  # an EDL carries one video track
        audio = [t for t in timeline.tracks if t.kind == otio.schema.TrackKind.Audio]
        assert sorted(t.find_clips()[0].name for t in audio) == [
            "ambience",
            "dialogue",
            "foley",
            "music",
        ]
    if fmt == "otio":
        assert clips[0].metadata["storyreel"]["shot"] == "1"
        assert clips[0].metadata["storyreel"]["prompt"] == "shot 1"
        kinds = [m.metadata["storyreel"]["kind"] for m in timeline.tracks.markers]
        assert kinds == ["scene", "subtitle"]


def test_the_edls_record_timecodes_are_the_timelines(tmp_path: Path) -> None:
    request = small_film(tmp_path, frames=FRAMES)
    (edl,) = load_exporter("edl").export(request)
    events = re.findall(
        r"^\d{3}\s+\S+\s+V\s+C\s+\S+ \S+ (\d\d:\d\d:\d\d:\d\d) (\d\d:\d\d:\d\d:\d\d)",
        edl.read_text(),
        re.M,
    )

    def frames(tc: str) -> int:
        h, m, s, f = (int(x) for x in tc.split(":"))
        return ((h * 60 + m) * 60 + s) * SETTINGS.fps + f

    assert [(frames(a), frames(b)) for a, b in events] == [
        (shot.start, shot.end) for shot in request.timeline.shots
    ]


def test_fcp7_xml_parses_with_a_clip_per_shot(tmp_path: Path) -> None:
    request = small_film(tmp_path, frames=FRAMES)
    (xml,) = load_exporter("fcp7xml").export(request)
    root = ET.parse(xml).getroot()
    items = root.findall(".//video/track/clipitem")
    assert len(items) == len(FRAMES)
    assert [int(i.findtext("end") or 0) - int(i.findtext("start") or 0) for i in items] == list(
        FRAMES
    )
    assert [i.findtext("file/pathurl") for i in items] == ["takes/1.mp4", "takes/2.mp4"]

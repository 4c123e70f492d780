"""A small film to deliver: two solid-colour takes cut with a tone, and its board."""

from __future__ import annotations

from pathlib import Path

from tests.cut.test_film import solid_take, tone

from storyreel.cut.audio import Clip, mix
from storyreel.cut.film import cut_film
from storyreel.cut.label import Label
from storyreel.deliver import ExportRequest
from storyreel.media.encode import VideoSettings
from storyreel.model import Setting, Shot, ShotSize, Storyboard
from storyreel.timeline import Cue, ShotTime, Timeline

SETTINGS = VideoSettings(width=192, height=108, fps=24)
COLOURS = [(200, 60, 60), (60, 80, 200)]


def board(language: str = "en", frames: tuple[int, ...] = (60, 36)) -> Storyboard:
    shots = [
        Shot(
            id=str(n),
            scene=1,
            size=ShotSize.wide,
            duration=count / SETTINGS.fps,
            subjects=["ANNA"],
            setting=Setting(location="KITCHEN"),
            prompt={"en": f"shot {n}"},
        )
        for n, count in enumerate(frames, start=1)
    ]
    return Storyboard(title="Kettle", language=language, width=192, height=108, fps=24, shots=shots)


def timeline(frames: tuple[int, ...] = (60, 36), cues: tuple[Cue, ...] = ()) -> Timeline:
    shots, start = [], 0
    for n, count in enumerate(frames, start=1):
        shots.append(ShotTime(shot_id=str(n), start=start, frames=count))
        start += count
    return Timeline(fps=SETTINGS.fps, shots=tuple(shots), cues=cues)


def small_film(
    folder: Path,
    *,
    language: str = "en",
    label: Label | None = None,
    cues: tuple[Cue, ...] = (),
    frames: tuple[int, ...] = (60, 36),
) -> ExportRequest:
    """Cut the film into `folder` (with `label` drawn in) and the request to deliver it."""
    takes_dir = folder / "takes"
    takes_dir.mkdir(parents=True, exist_ok=True)
    takes = {}
    for n, (count, colour) in enumerate(zip(frames, COLOURS, strict=False), start=1):
        take = solid_take(takes_dir / f"{n}.mp4", colour, count, SETTINGS)
        takes[str(n)] = take.model_copy(update={"shot_id": str(n), "engine": "previs", "seed": n})
    line = timeline(frames, cues)
    film = folder / "kettle.mp4"
    sound = mix([Clip(0.2, tone(0.5))], line.frames, SETTINGS.fps)
    cut_film(list(takes.values()), line, sound, film, SETTINGS, label=label)
    return ExportRequest(
        film,
        board(language, frames),
        line,
        folder,
        takes=takes,
        take_keys={shot: f"key{shot}" * 8 for shot in takes},
        model=None,
        storyboard_key="ab" * 32,
        label=label,
    )

"""Story to finished film: parse, direct, voice, render, cut.

    storyreel make examples/the_kite_mender.fountain -o film.mp4

The CLI (and later the API) are thin shells over `make_film`; progress reaches them as
`Progress` events.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from storyreel.cut.audio import FILM_RATE, Clip, mix
from storyreel.cut.encode import VideoSettings
from storyreel.cut.film import cut_film
from storyreel.cut.subtitles import to_srt
from storyreel.cut.timeline import cues, line_start, placements, snap_to_frames, total_frames
from storyreel.direct import plan
from storyreel.errors import OutputError, VoiceError
from storyreel.files import write_text_atomic
from storyreel.model import Character, Shot, Storyboard
from storyreel.project import Project
from storyreel.render.engine import RenderRequest, Take, frames_for, load_engine
from storyreel.script import read_story
from storyreel.voice import EspeakVoice, Speech, voice_for

Stage = Literal["parse", "direct", "voice", "render", "cut"]

# Breathing room around speech inside a shot, in seconds.
LEAD_IN = 0.35
BETWEEN_LINES = 0.3
TAIL = 0.6


@dataclass(frozen=True)
class Progress:
    stage: Stage
    done: float
    total: float
    detail: str = ""


ProgressFn = Callable[[Progress], None]


@dataclass
class Film:
    path: Path
    subtitles: Path
    storyboard: Storyboard
    frames: int
    warnings: list[str] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return self.frames / self.storyboard.fps


def check_output(path: Path) -> Path:
    """Fail before any work if the film could not be written at `path`."""
    path = Path(path)
    if path.suffix.lower() != ".mp4":
        raise OutputError(f"{path}: the film is an MP4 file; give -o a name ending in .mp4")
    if path.is_dir():
        raise OutputError(f"{path} is a folder; give -o a file name such as {path / 'film.mp4'}")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"folder {parent} does not exist; create it or choose another -o path")
    if not os.access(parent, os.W_OK):
        raise OutputError(f"folder {parent} is not writable; choose another -o path")
    return path


def storyboard_for(story: Path, settings: VideoSettings) -> Storyboard:
    script = read_story(story)
    return plan(script, width=settings.width, height=settings.height, fps=settings.fps)


def make_film(
    story: Path,
    out: Path,
    *,
    project: Project | None = None,
    engine: str = "previs",
    settings: VideoSettings | None = None,
    workers: int | None = None,
    progress: ProgressFn | None = None,
) -> Film:
    settings = settings or VideoSettings()
    out = check_output(out)
    project = project or Project.at(None, story)
    report = progress or (lambda _: None)
    load_engine(engine)  # an unknown engine fails now, not after the voices are made

    report(Progress("parse", 0, 1, str(story)))
    script = read_story(story)
    report(Progress("parse", 1, 1))
    board = plan(script, width=settings.width, height=settings.height, fps=settings.fps)
    report(Progress("direct", 1, 1, f"{len(board.shots)} shots"))

    warnings: list[str] = []
    speech = voice_storyboard(board, report, warnings)

    with tempfile.TemporaryDirectory(prefix="storyreel-takes-") as work:
        takes = render_shots(board, engine, Path(work), workers, report)
        report(Progress("cut", 0, 1, out.name))
        track = mix(_clips(board, speech), total_frames(board), board.fps)
        shot_frames = [frames_for(shot.duration, board.fps) for shot in board.shots]
        cut_film(takes, shot_frames, track, out, settings)
    subtitles = out.with_suffix(".srt")
    write_text_atomic(subtitles, to_srt(cues(board)))
    report(Progress("cut", 1, 1, out.name))
    return Film(out, subtitles, board, total_frames(board), warnings)


# --- voice ------------------------------------------------------------------------------


def voice_storyboard(
    board: Storyboard, report: ProgressFn, warnings: list[str]
) -> dict[tuple[str, int], Speech]:
    """Speak every line, place it in its shot and stretch the shot to fit the speech.

    Returns the speech per (shot id, line index), resampled for the film. Shot
    durations are snapped to whole frames here, so the storyboard's duration is the
    film's duration.
    """
    engine = EspeakVoice()
    total = sum(len(shot.lines) for shot in board.shots)
    done = 0
    out: dict[tuple[str, int], Speech] = {}
    for shot in board.shots:
        cursor = LEAD_IN
        for index, line in enumerate(shot.lines):
            character = board.characters.get(line.character, Character(name=line.character))
            try:
                spoken = engine.synthesize(line.text, line.lang, voice_for(character))
            except VoiceError as error:
                warnings.append(f"shot {shot.id}: {line.character}'s line is not voiced: {error}")
                continue
            finally:
                done += 1
                report(Progress("voice", done, total, line.character))
            out[(shot.id, index)] = spoken.resampled(FILM_RATE)
            line.start = round(cursor, 3)
            line.duration = round(spoken.duration, 3)
            cursor += spoken.duration + BETWEEN_LINES
        if shot.lines:
            needed = cursor - BETWEEN_LINES + TAIL
            shot.duration = max(shot.duration, needed)
        shot.duration = snap_to_frames(shot.duration, board.fps)
    return out


def _clips(board: Storyboard, speech: dict[tuple[str, int], Speech]) -> list[Clip]:
    clips: list[Clip] = []
    for placement in placements(board):
        for index, line in enumerate(placement.shot.lines):
            spoken = speech.get((placement.shot.id, index))
            if spoken is not None:
                clips.append(Clip(line_start(board, placement, line), spoken.samples))
    return clips


# --- render -----------------------------------------------------------------------------


def render_requests(board: Storyboard, work: Path) -> Iterator[RenderRequest]:
    count = len(board.shots)
    for index, shot in enumerate(board.shots, start=1):
        yield RenderRequest(
            shot=shot,
            cast=_cast(board, shot),
            width=board.width,
            height=board.height,
            fps=board.fps,
            out_path=work / f"shot-{shot.id}.mp4",
            seed=index,
            shot_index=index,
            shot_count=count,
        )


def _cast(board: Storyboard, shot: Shot) -> list[Character]:
    return [board.characters.get(name, Character(name=name)) for name in shot.subjects]


def _frame_progress(
    report: ProgressFn, base: int, request: RenderRequest, total: int
) -> Callable[[float], None]:
    """Turn an engine's per-shot fraction into film-wide render progress."""
    detail = f"shot {request.shot.id}"
    return lambda fraction: report(
        Progress("render", base + fraction * request.frame_count, total, detail)
    )


def _render_one(engine_name: str, request: RenderRequest) -> Take:
    return load_engine(engine_name).render(request)


def render_shots(
    board: Storyboard, engine: str, work: Path, workers: int | None, report: ProgressFn
) -> list[Take]:
    """Render every shot, in parallel processes when there is more than one core."""
    requests = list(render_requests(board, work))
    total = sum(r.frame_count for r in requests)
    workers = min(workers or os.cpu_count() or 1, len(requests))
    report(Progress("render", 0, total, f"{len(requests)} shots"))
    if workers <= 1:
        takes: list[Take] = []
        for request in requests:
            on_frames = _frame_progress(report, sum(t.frames for t in takes), request, total)
            takes.append(_render_one(engine, replace(request, on_progress=on_frames)))
        report(Progress("render", total, total))
        return takes

    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures: dict[Future[Take], RenderRequest] = {
            pool.submit(_render_one, engine, r): r for r in requests
        }
        try:
            done = 0
            pending = set(futures)
            while pending:
                finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
                for future in finished:
                    future.result()  # a worker's error surfaces here
                    done += futures[future].frame_count
                    report(Progress("render", done, total, f"shot {futures[future].shot.id}"))
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        return [future.result() for future in futures]

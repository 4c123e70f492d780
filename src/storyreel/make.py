"""Story to finished film: parse, direct, voice, render, cut.

    storyreel make examples/the_kite_mender.fountain -o film.mp4

The CLI (and later the API) are thin shells over `make_film`; progress reaches them as
`Progress` events.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import (
    FIRST_EXCEPTION,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import numpy as np

from storyreel.cast import Cast, SubjectRef, subject_key
from storyreel.cut.audio import Clip, mix
from storyreel.cut.encode import VideoSettings
from storyreel.cut.film import cut_film
from storyreel.cut.sound import TARGET_LUFS, load_bed, master
from storyreel.cut.subtitles import attach_translations, to_ass, to_srt, to_vtt, word_timed
from storyreel.cut.timeline import Cue, cues, line_start, placements, total_frames
from storyreel.direct import Planner, plan, storyboard
from storyreel.errors import OutputError, SoundError
from storyreel.files import write_text_atomic
from storyreel.model import Character, Shot, Storyboard
from storyreel.project import Project
from storyreel.render.engine import RenderRequest, Take, frames_for, load_engine
from storyreel.script import read_story
from storyreel.voice import Speech, Voice, VoiceProfile
from storyreel.voice.stage import shot_mouths, voice_storyboard

Stage = Literal["parse", "direct", "voice", "render", "cut"]


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
    subtitles: Path  # the SRT; `subtitle_files` has the WebVTT and ASS as well
    storyboard: Storyboard
    frames: int
    warnings: list[str] = field(default_factory=list)
    subtitle_files: list[Path] = field(default_factory=list)

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


def storyboard_for(
    story: Path, settings: VideoSettings, project: Project | None = None
) -> Storyboard:
    script = read_story(story)
    cast = Cast(project.cast_dir) if project is not None else None
    if cast is not None:
        cast.add_script_characters(script)  # new characters join the project's cast
    board = plan(script, width=settings.width, height=settings.height, fps=settings.fps)
    if cast is not None:
        cast.dress(board)
    return board


def make_film(
    story: Path,
    out: Path,
    *,
    project: Project | None = None,
    engine: str = "previs",
    settings: VideoSettings | None = None,
    workers: int | None = None,
    progress: ProgressFn | None = None,
    voice: Voice | None = None,
    music: Path | None = None,
    ambience: Path | None = None,
    loudness: float = TARGET_LUFS,
    burn_subtitles: bool = False,
    planner: Planner = "rules",
    llm: object | None = None,
    board_path: Path | None = None,
) -> Film:
    """Make the film. `voice` is the speech engine (espeak-ng when None); `music` and
    `ambience` are optional sound files laid under the dialogue; `loudness` is the
    finished mix's integrated loudness in LUFS."""
    settings = settings or VideoSettings()
    out = check_output(out)
    project = project or Project.at(None, story)
    report = progress or (lambda _: None)
    # An unknown engine fails now, not after the voices are made.
    capabilities = load_engine(engine).capabilities

    report(Progress("parse", 0, 1, str(story)))
    script = read_story(story)
    cast = Cast(project.cast_dir)
    cast.add_script_characters(script)  # never replaces what the user set in the cast
    report(Progress("parse", 1, 1))
    # The user's storyboard file when there is one (`board_path`, default the project's
    # storyboard.yaml; read here, written only by `storyreel board`).
    planning_warnings: list[str] = []
    board = storyboard(
        story,
        script,
        board_path or project.storyboard_path,
        planner=planner,
        width=settings.width,
        height=settings.height,
        fps=settings.fps,
        max_duration=capabilities.max_duration,
        llm=llm,
        warnings=planning_warnings,
    )
    cast.dress(board)
    attach_translations(script, board)
    report(Progress("direct", 1, 1, f"{len(board.shots)} shots"))

    voiced = voice_storyboard(
        board,
        engine=voice,
        voices=_cast_voices(board, cast.voices()),
        on_line=lambda done, total, who: report(Progress("voice", done, total, who)),
    )
    warnings = [*planning_warnings, *voiced.warnings]
    beds = _beds(music, ambience, warnings)
    mouths = {shot.id: shot_mouths(shot, voiced, board.fps) for shot in board.shots}
    subtitle_cues = word_timed(cues(board), voiced.words())

    dialogue = mix(_clips(board, voiced.speech), total_frames(board), board.fps)
    with (
        tempfile.TemporaryDirectory(prefix="storyreel-takes-") as work,
        ThreadPoolExecutor(max_workers=1) as sound,
    ):
        # The mix needs only the voices, so it is mastered while the shots render; this
        # process would otherwise sit idle waiting for the render workers.
        mastered = sound.submit(master, dialogue, music=beds[0], ambience=beds[1], target=loudness)
        takes = render_shots(board, engine, Path(work), workers, report, cast.references(), mouths)
        report(Progress("cut", 0, 1, out.name))
        track = mastered.result()
        shot_frames = [frames_for(shot.duration, board.fps) for shot in board.shots]
        burn = subtitle_cues if burn_subtitles else None
        cut_film(takes, shot_frames, track, out, settings, burn=burn)
    files = write_subtitles(out, subtitle_cues, board)
    report(Progress("cut", 1, 1, out.name))
    return Film(out, files[0], board, total_frames(board), warnings, files)


def write_subtitles(film: Path, subtitle_cues: list[Cue], board: Storyboard) -> list[Path]:
    """SRT, WebVTT and ASS beside the film, each written atomically."""
    texts = {
        ".srt": to_srt(subtitle_cues),
        ".vtt": to_vtt(subtitle_cues),
        ".ass": to_ass(subtitle_cues, board.width, board.height, board.language),
    }
    paths = []
    for suffix, text in texts.items():
        path = film.with_suffix(suffix)
        write_text_atomic(path, text)
        paths.append(path)
    return paths


# --- voice and sound --------------------------------------------------------------------


def _cast_voices(board: Storyboard, voices: dict[str, VoiceProfile]) -> dict[str, VoiceProfile]:
    """The cast's voices (keyed by subject key) by the names the storyboard uses."""
    names = {line.character for shot in board.shots for line in shot.lines}
    return {name: voices[key] for name in names if (key := subject_key(name)) in voices}


def _beds(
    music: Path | None, ambience: Path | None, warnings: list[str]
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Decoded music and ambience; a file that cannot be used is a warning, and the
    film is made without it."""
    out: list[np.ndarray | None] = []
    for kind, path in (("music", music), ("ambience", ambience)):
        if path is None:
            out.append(None)
            continue
        try:
            out.append(load_bed(path))
        except SoundError as error:
            warnings.append(f"{kind} left out: {error}")
            out.append(None)
    return out[0], out[1]


def _clips(board: Storyboard, speech: dict[tuple[str, int], Speech]) -> list[Clip]:
    clips: list[Clip] = []
    for placement in placements(board):
        for index, line in enumerate(placement.shot.lines):
            spoken = speech.get((placement.shot.id, index))
            if spoken is not None:
                clips.append(Clip(line_start(board, placement, line), spoken.samples))
    return clips


# --- render -----------------------------------------------------------------------------


def render_requests(
    board: Storyboard,
    work: Path,
    references: dict[str, SubjectRef] | None = None,
    mouths: dict[str, dict[str, list[float]]] | None = None,
) -> Iterator[RenderRequest]:
    """One request per shot; `mouths` holds each shot's lip-sync tracks by shot id."""
    refs = references or {}
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
            references=[refs[k] for k in map(subject_key, shot.subjects) if k in refs],
            mouths=(mouths or {}).get(shot.id, {}),
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
    board: Storyboard,
    engine: str,
    work: Path,
    workers: int | None,
    report: ProgressFn,
    references: dict[str, SubjectRef] | None = None,
    mouths: dict[str, dict[str, list[float]]] | None = None,
) -> list[Take]:
    """Render every shot, in parallel processes when there is more than one core."""
    requests = list(render_requests(board, work, references, mouths))
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

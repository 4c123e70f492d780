"""Story to finished film: parse, direct, voice, render, cut.

    storyreel make examples/the_kite_mender.fountain -o film.mp4

The CLI, the studio's API, the Kling-compatible task runner and the benches build one
`MakeConfig` and call `make_film`; progress reaches them as `Progress` events.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from storyreel.cast import Cast, SubjectRef, subject_key
from storyreel.cast.library import script_people
from storyreel.config import MakeConfig, RequestPicture
from storyreel.cut.audio import Clip, mix, write_sound
from storyreel.cut.film import cut_film
from storyreel.cut.label import Label
from storyreel.cut.sound import Mixed, fit_bed, load_bed, mix_film
from storyreel.cut.soundtrack import (
    SOUND_WORLD,
    Generated,
    ambience_track,
    foley_track,
    picture_level,
    scene_spans,
    score_style,
    score_track,
    sound_events,
)
from storyreel.deliver import ExportRequest, export_order, load_exporter, rewrites_film
from storyreel.direct import PlanSettings, plan_board
from storyreel.direct.grammar import transition_of
from storyreel.direct.planner import load_planner
from storyreel.errors import OutputError, SoundError, StoryreelError
from storyreel.events import EventFn, JobEvent
from storyreel.files import atomic_folder
from storyreel.keys import digest, file_digest, job_key, shot_seed
from storyreel.media.encode import VideoSettings
from storyreel.model import Script, Storyboard, TransitionKind
from storyreel.model import Transition as ScriptTransition
from storyreel.project import Project
from storyreel.qa import CheckResult
from storyreel.render.engine import RenderRequest, load_engine, model_identity
from storyreel.run.cache import TakeCache, VoiceCache
from storyreel.run.executors import Executor, executor_for
from storyreel.run.jobs import RenderOutcome, render_takes
from storyreel.run.lineage import PREVIOUS, FromPrevious, Lineage, lineages, recorded
from storyreel.run.lock import project_lock
from storyreel.run.takes import Judge, RenderFn, choose_takes
from storyreel.script import read_story
from storyreel.script.branches import Branches, read_branches
from storyreel.stages import Stage
from storyreel.store import Store, open_store
from storyreel.store.records import VersionRecord
from storyreel.store.versions import (
    STORYBOARD_FILE,
    TIMELINE,
    filmed_board,
    pinned_takes,
    record_version,
)
from storyreel.timeline import FILM_RATE, LineKey, Timeline
from storyreel.voice import Speech, Voice, VoiceProfile
from storyreel.voice.engines import load_voice
from storyreel.voice.stage import VoicedBoard, mouths, voice_storyboard
from storyreel.wav import wav_bytes


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
    # The storyboard as filmed: the plan with the timeline's durations written in (what
    # the version records and a contact sheet shows).
    storyboard: Storyboard
    timeline: Timeline  # where every shot, line and cue sits in the film
    warnings: list[str] = field(default_factory=list)
    renders: RenderOutcome | None = None  # which shots were rendered, cached or pinned
    # What the after-render checks found, by shot id (failures are also warnings).
    checks: dict[str, list[CheckResult]] = field(default_factory=dict)
    # The files each exporter of the after-cut hook wrote, by exporter name.
    exports: dict[str, list[Path]] = field(default_factory=dict)
    # The sound's stems (dialogue, ambience, foley, music) kept in the project, by name.
    stems: dict[str, Path] = field(default_factory=dict)

    @property
    def frames(self) -> int:
        return self.timeline.frames

    @property
    def duration(self) -> float:
        return self.timeline.duration

    @property
    def take_keys(self) -> dict[str, str]:
        """Shot id -> the cache key of the take the film shows (a pinned take's own)."""
        outcome = self.renders
        if outcome is None:
            return {}
        return {shot: _take_key(outcome, shot) for shot in outcome.takes}

    @property
    def subtitle_files(self) -> list[Path]:
        """SRT, WebVTT and ASS beside the film (the built-in `subtitles` exporter)."""
        return self.exports.get("subtitles", [])

    @property
    def subtitles(self) -> Path:
        return next(p for p in self.subtitle_files if p.suffix == ".srt")


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
    """The storyboard planned from the story alone (no storyboard file), dressed by
    `project`'s cast when there is one."""
    script = read_story(story)
    described: dict[str, str] = {}
    if project is not None:
        cast = Cast(project.cast_dir)
        cast.add_script_characters(script)  # new characters join the project's cast
        described = cast.descriptions(script_people(script))
    frame = PlanSettings(
        width=settings.width,
        height=settings.height,
        fps=settings.fps,
        project=project.root if project is not None else None,
    )
    return plan_board(story, script, None, cast=described, settings=frame).board


def make_film(
    story: Path,
    out: Path,
    config: MakeConfig | None = None,
    *,
    project: Project | None = None,
    progress: ProgressFn | None = None,
    on_event: EventFn | None = None,
    script: Script | None = None,
    localize: Callable[[Storyboard], Storyboard] | None = None,
    executor: Executor | None = None,
    cutdown: Mapping[str, str] | None = None,
) -> Film:
    """Make the film of `story` at `out` as `config` says (the defaults film on a laptop
    with nothing installed). `progress` hears each stage; `on_event` every job's events
    (queued, started, progress, done, failed), as the store records them. `script` is
    the story already read and changed (a variant's length and end card); None reads
    `story`. `localize` is a last change to the planned storyboard before anything is
    voiced or rendered (a variant's lines and cards in its language: the shots, their
    order and lengths stay the plan's, so the pictures a language does not change are
    the same takes). `executor` renders the shots instead of one the make starts and
    stops itself (a matrix of variants keeps one Ray session for all its makes).
    `cutdown` makes a shorter cut of a film already made: by shot id, the key of the
    longer take each shot's take is the first frames of (run/jobs.py `trims`)."""
    config = config or MakeConfig()
    out = check_output(out)
    project = project or Project.at(None, story)
    report = progress or (lambda _: None)
    # An unknown engine, voice or planner, or a bad option, fails now, before the voices
    # are made or the project is touched.
    capabilities = load_engine(config.engine, config.engine_options).capabilities
    voice = load_voice(config.voice, config.voice_options)
    load_planner(config.planner, config.planner_options)

    # A story that cannot be read fails here, before the project's state is touched.
    report(Progress("parse", 0, 1, str(story)))
    script = script or read_story(story)
    branches = read_branches(story, script)  # a bad choice fails here too, with its line
    report(Progress("parse", 1, 1))
    # One make per project at a time: a second one waits `config.wait` seconds, then
    # refuses with the holder's pid.
    with project_lock(project, timeout=config.wait):
        store = open_store(project)
        try:
            job = _Make(
                story,
                script,
                out,
                project,
                store,
                config,
                report,
                on_event,
                branches,
                localize,
                executor,
                dict(cutdown or {}),
            )
            return _make_locked(job, capabilities.max_duration, voice)
        finally:
            store.close()


def warm_up(config: MakeConfig, film: Film) -> None:
    """Load in this process what making `film` again after a small edit needs and a full
    make may not have loaded (the voice a lone line is spoken with), so a make that
    stays up between edits (`make --watch`) answers the next one at once."""
    voice = load_voice(config.voice, config.voice_options)
    prepare = getattr(voice, "prepare", None)
    if callable(prepare):
        prepare({line.lang for line in film.timeline.lines})


@dataclass(frozen=True)
class _Make:
    """One make as its stages see it: what it reads, where it writes, whom it tells."""

    story: Path
    script: Script
    out: Path
    project: Project
    store: Store
    config: MakeConfig
    report: ProgressFn
    on_event: EventFn | None
    branches: Branches | None = None  # the story's choices, when it has any
    localize: Callable[[Storyboard], Storyboard] | None = None  # see make_film
    executor: Executor | None = None  # the caller's, left open; None: the make's own
    cutdown: Mapping[str, str] = field(default_factory=dict)  # see make_film


def _make_locked(job: _Make, max_duration: float | None, voice: Voice) -> Film:
    """The stages in order, each a function of what the ones before returned:
    direct -> voice -> render -> [after render: checks] -> cut -> [after cut: exporters]."""
    planned = _direct(job, max_duration)
    voiced = voice_storyboard(
        planned.board,
        engine=voice,
        voices=_cast_voices(planned.board, planned.cast.voices()),
        on_line=lambda done, total, who: job.report(Progress("voice", done, total, who)),
        cache=VoiceCache(job.project),
        opening=film_opening(job.script),
    )
    job.report(Progress("voice", voiced.lines, voiced.lines, voiced.summary()))
    warnings = [*planned.warnings, *voiced.warnings]
    warnings.extend(job.branches.warnings if job.branches else ())
    # The timeline gains the story's sound events (foley on the frames of the actions).
    timeline = _with_sound_events(job, planned.board, voiced.timeline)
    voiced = replace(voiced, timeline=timeline)
    sound = _sound(job, planned.board, voiced, warnings)
    cut = _Cut(job, planned, voiced.timeline, sound.key if job.config.sound else "none")
    # The sound needs only the voices: it is mixed, mastered and encoded in a thread
    # while the shots are prepared and rendered (at once, when an earlier make left it
    # in the project). A thread, not a process: a fresh process would pay its warm-up
    # (FFT plans, filter responses) again, which cost more than sharing the interpreter.
    with ThreadPoolExecutor(max_workers=1) as sounds:
        sound_file, sound_job = (
            _sound_soon(sounds, job.project, sound, voiced.timeline)
            if job.config.sound
            else (None, None)
        )
        lips = mouths(voiced.timeline, voiced.speech)
        refs = planned.cast.references()
        requests = list(
            render_requests(
                planned.board,
                voiced.timeline,
                job.project,
                job.store,
                refs,
                lips,
                picture=job.config.request_picture,
            )
        )
        # Each shot as the last version made it, for a shot re-rendered from its take.
        lineage = lineages(planned.latest.takes, planned.latest.outputs) if planned.latest else {}
        outcome = render_shots(requests, job, cut.planned, lineage)
        if outcome.failed:
            raise ShotsFailed(outcome.failed, len(requests))
        checks = after_render(
            job.config,
            requests,
            outcome,
            warnings,
            job.store,
            lambda more: render_shots(more, job, lineage=lineage),
        )
        cut.planned(outcome)  # best of N may have chosen other takes
        cut.run(outcome, sound_file)
        if sound_job is not None:
            sound_job.result()  # the stems written after the AAC, or what went wrong
    warnings.extend(outcome.warnings)
    film = Film(
        job.out, voiced.timeline.filmed(planned.board), voiced.timeline, warnings, outcome, checks
    )
    if job.config.sound:
        film.stems = sound_stems(job.project, sound.key)
    take_keys = film.take_keys
    film.exports.update(
        after_cut(job.config, film, planned.board, take_keys, job.branches, cut=cut.needed)
    )
    outputs = {
        **_film_outputs(job.out, cut.key),
        **planned.read_board,
        TIMELINE: _recorded(voiced.timeline),
    }
    previous = {k: p for k, p in outcome.previous.items() if take_keys.get(k) == outcome.keys[k]}
    if previous:
        outputs[PREVIOUS] = recorded(previous)
    _record(job.store, planned.latest, film.storyboard, take_keys, outputs, job.config.message)
    job.report(Progress("cut", 1, 1, job.out.name))
    return film


@dataclass(frozen=True)
class _Planned:
    """What the direct stage hands on: the frozen storyboard and what it was made from."""

    board: Storyboard
    cast: Cast
    latest: VersionRecord | None  # the version the last make recorded
    read_board: dict[str, str]  # the storyboard file's digest as this make read it
    warnings: list[str]


def _direct(job: _Make, max_duration: float | None) -> _Planned:
    """The storyboard to film: the user's storyboard file when there is one (read here,
    written only by `storyreel board`), merged with a fresh plan when the story or the
    cast changed; the cast's descriptions win over the script's, in the prompts too."""
    cast = Cast(job.project.cast_dir)
    cast.add_script_characters(job.script)  # never replaces what the user set in the cast
    board_file = job.config.storyboard or job.project.storyboard_path
    # What the file held as this make read it: a checkout may replace that without --force.
    read_board = {STORYBOARD_FILE: file_digest(board_file)} if board_file.is_file() else {}
    # The project is locked: the latest version is the same at the end of the make.
    latest = versions[-1] if (versions := job.store.versions()) else None
    config = job.config
    warnings: list[str] = []
    board = plan_board(
        job.story,
        job.script,
        board_file,
        # The cast's descriptions win over the script's, in the prompts too.
        cast=cast.descriptions(script_people(job.script)),
        settings=PlanSettings(
            planner=config.planner,
            planner_options=config.planner_options,
            width=config.width,
            height=config.height,
            fps=config.fps,
            max_duration=max_duration,
            # The project's own words (vocab/*.yaml) read the story's world.
            project=job.project.root,
        ),
        # Planned from the story alone, shots keep the ids the last make filmed them under.
        previous=filmed_board(latest),
        warnings=warnings,
    ).board
    if job.localize is not None:
        board = job.localize(board)
    job.report(Progress("direct", 1, 1, f"{len(board.shots)} shots"))
    return _Planned(board, cast, latest, read_board, warnings)


class _Cut:
    """The cut stage: whether the film needs cutting is known once every take's key is
    (before anything renders), and the cut itself runs once the takes are there."""

    def __init__(self, job: _Make, planned: _Planned, timeline: Timeline, sound: str) -> None:
        self.job, self.plan, self.timeline, self.sound = job, planned, timeline, sound
        self.key = ""
        self.needed = False

    def planned(self, outcome: RenderOutcome) -> None:
        config, board, timeline = self.job.config, self.plan.board, self.timeline
        self.key = job_key(
            "cut",
            takes=[_take_key(outcome, shot.id) for shot in board.shots],
            board=board,
            # What the cut reads of the timeline: each shot's frames (a pinned take's key
            # does not say how long it plays) and, burned in, the cues. Not its words:
            # keying a feature's every word would cost a second.
            frames=timeline.shot_frames(),
            # The fades, dissolves and wipes drawn in (the film's edges are not on the board).
            transitions=list(timeline.transitions),
            burn=list(timeline.cues) if config.burn_subtitles else False,
            label=repr(film_label(config, board)),
            # What the exporters that rewrite the film (subtitle tracks, labels, the
            # signature) were asked: the film is theirs as much as the cut's.
            delivered={n: o for n, o in config.exporters.items() if rewrites_film(n)},
            sound=self.sound,
            settings=repr(config.video),
        )
        self.needed = not _film_is_current(self.plan.latest, self.job.out, self.key)

    def run(self, outcome: RenderOutcome, sound_file: Future[Path] | None) -> None:
        if not self.needed:
            return
        out, config = self.job.out, self.job.config
        self.job.report(Progress("cut", 0, 1, out.name))
        takes = [outcome.takes[shot.id] for shot in self.plan.board.shots]
        cut_film(
            takes,
            self.timeline,
            # Waited for once the cut has encoded what it must: the sound overlaps that.
            sound_file.result if sound_file is not None else None,
            out,
            config.video,
            burn=config.burn_subtitles,
            label=film_label(config, self.plan.board),
            runs=_runs_folder(self.job.project),
        )


def _runs_folder(project: Project) -> Path:
    """Where the cut keeps the frames it encoded again (cut/film.py), by key."""
    folder = project.state_dir / "cut"
    folder.mkdir(exist_ok=True)
    return folder


def film_label(config: MakeConfig, board: Storyboard) -> Label | None:
    """The visible AI label the cut draws, in the board's language, or None when off."""
    if config.label == "off":
        return None
    return Label.for_language(board.language, config.label)


def after_render(
    config: MakeConfig,
    requests: Sequence[RenderRequest],
    outcome: RenderOutcome,
    warnings: list[str],
    store: Store,
    render: RenderFn,
) -> dict[str, list[CheckResult]]:
    """The after-render hook: every configured check on each shot's take (their scores
    stored with the take, so a cached take judged before is not judged again); with
    `config.takes` and `config.retake`, more takes rendered by `render` and the best
    put into `outcome` (run/takes.py). What the chosen take fails becomes a warning;
    the result holds what was judged now, by shot id."""
    if not config.checks:
        return {}
    chosen = choose_takes(
        requests,
        outcome,
        Judge(config.checks, store),
        render,
        takes=config.takes,
        retake=config.retake,
    )
    warnings.extend(chosen.warnings)
    found: dict[str, list[CheckResult]] = {}
    for shot, judged in chosen.candidates.items():
        best = judged[0]
        if not best.checked_now:
            continue
        found[shot] = list(best.results)
        tried = len(judged)
        among = f" (the best of {tried} takes)" if tried > 1 else ""
        for result in best.results:
            if not result.passed:
                notes = "; ".join(result.notes)
                warnings.append(f"shot {shot} fails {result.check}{among}: {notes}")
    return found


def after_cut(
    config: MakeConfig,
    film: Film,
    board: Storyboard,
    take_keys: Mapping[str, str] | None = None,
    branches: Branches | None = None,
    *,
    cut: bool = True,
) -> dict[str, list[Path]]:
    """The after-cut hook: every configured exporter on the finished film, its files
    beside the film; those that rewrite the film first, the one that signs it last. A
    story with choices gets its player (`branches`) as well. When the film was current
    (`cut` False), those that rewrite it already did, with the same options (they are
    part of the cut's key): it is left as it is."""
    engine = load_engine(config.engine, config.engine_options)
    identity = model_identity(engine)
    request = ExportRequest(
        film.path,
        board,
        film.timeline,
        film.path.parent,
        takes=dict(film.renders.takes) if film.renders else {},
        take_keys=dict(take_keys or {}),
        model=None if identity is None else str(identity),
        storyboard_key=digest(film.storyboard.model_dump(mode="json")),
        label=film_label(config, board),
        stems=dict(film.stems),
        branches=branches,
    )
    chosen = dict(config.exporters)
    if branches is not None:
        chosen.setdefault("branches", {})
    done = {n: [film.path] for n in chosen if not cut and rewrites_film(n)}
    exporters = [
        (name, load_exporter(name, opts)) for name, opts in chosen.items() if name not in done
    ]
    exporters.sort(key=lambda item: export_order(item[1]))
    made = {name: exporter.export(request) for name, exporter in exporters}
    return {name: done.get(name) or made[name] for name in chosen}


def film_opening(script: Script) -> TransitionKind:
    """How the film starts: `fade` when the script opens on FADE IN (淡入) before its
    first line or action, a cut otherwise. The storyboard has no shot before the first
    to carry it, so the voice stage lays it out as the timeline's opening transition."""
    for scene in script.scenes:
        for element in scene.elements:
            if isinstance(element, ScriptTransition):
                kind = transition_of(element.text)
                return TransitionKind.fade if kind != TransitionKind.cut else kind
            return TransitionKind.cut
    return TransitionKind.cut


class ShotsFailed(StoryreelError):
    """Some shots have no take; every other shot was rendered and kept in the cache."""

    exit_code = 1

    def __init__(self, failed: dict[str, str], total: int) -> None:
        self.failed = failed
        reasons = "; ".join(f"shot {shot}: {why}" for shot, why in failed.items())
        super().__init__(
            f"{len(failed)} of {total} shots failed, so no film was cut ({reasons}); "
            "the other shots are cached and the next make renders only these"
        )


def _take_key(outcome: RenderOutcome, shot_id: str) -> str:
    """The cache key of the take this make used (a pinned take's own key)."""
    if shot_id in outcome.pinned:
        return outcome.takes[shot_id].path.stem
    return outcome.keys[shot_id]


def _film_outputs(out: Path, film_key: str) -> dict[str, Any]:
    return {"film": str(out.resolve()), "film_key": film_key, "film_size": out.stat().st_size}


def _film_is_current(latest: VersionRecord | None, out: Path, film_key: str) -> bool:
    if latest is None or not out.is_file():
        return False
    return all(latest.outputs.get(k) == v for k, v in _film_outputs(out, film_key).items())


def _recorded(timeline: Timeline) -> dict[str, Any]:
    """The timeline as a version keeps it: without each line's words, which would be
    most of it (every version is read at every make); its cues keep what was shown."""
    return timeline.model_dump(mode="json", exclude={"lines": {"__all__": {"words"}}})


def _record(
    store: Store,
    latest: VersionRecord | None,
    board: Storyboard,
    take_keys: dict[str, str],
    outputs: dict[str, Any],
    message: str = "",
) -> None:
    """A new version, unless this make filmed exactly what the latest one did."""
    if latest is not None and latest.outputs == outputs and latest.takes == take_keys:
        return
    record_version(store, board, take_keys, outputs, message)


# --- voice and sound --------------------------------------------------------------------


@dataclass(frozen=True)
class _Sound:
    """The film's sound as the mix makes it: the voices placed, the user's beds, what
    the story's sound world adds, the target; keyed on all of it."""

    key: str
    clips: list[Clip]
    beds: tuple[np.ndarray | None, np.ndarray | None]  # the user's music and ambience
    loudness: float
    board: Storyboard
    score: bool  # a generated score under the film (no music file given)
    effects: bool  # generated ambience beds and foley


def _with_sound_events(job: _Make, board: Storyboard, timeline: Timeline) -> Timeline:
    if not job.config.effects:
        return timeline
    seeds = {shot.id: shot_seed(job.store.uid, shot.id) for shot in board.shots}
    return timeline.model_copy(update={"events": sound_events(board, timeline, seeds)})


def _sound(job: _Make, board: Storyboard, voiced: VoicedBoard, warnings: list[str]) -> _Sound:
    config, timeline = job.config, voiced.timeline
    beds = _beds(config.music, config.ambience, warnings)
    clips = _clips(timeline, voiced.speech)
    score = config.score and beds[0] is None
    effects = config.effects
    key = job_key(
        "sound",
        frames=timeline.frames,
        fps=timeline.fps,
        clips=[(c.start, c.samples) for c in clips],
        music=config.music,
        ambience=config.ambience,
        loudness=config.loudness,
        # What the generated sound world reads: the events, each scene's beds, the
        # cards, the fades, the score's style, and the generators' version.
        world=SOUND_WORLD if effects else None,
        events=list(timeline.events),
        scenes=[repr(span) for span in scene_spans(board, timeline)] if effects else None,
        cards=[shot.id for shot in board.shots if shot.card is not None],
        transitions=list(timeline.transitions),
        score=repr(score_style(board)) if score else None,
    )
    return _Sound(key, clips, beds, config.loudness, board, score, effects)


# The stems kept beside each mastered sound (float WAV, the mix's gain): delivery
# exports them for an editor.
STEMS = ("dialogue", "ambience", "foley", "music")


def _sound_file(
    project: Project,
    sound: _Sound,
    timeline: Timeline,
    ready: Callable[[Path], None] | None = None,
) -> Path:
    """The film's mastered sound as AAC, with its stems beside it, kept in the project
    by its key (only the latest: a sound is cheap to make again, a take is not).

    `ready` hears of the AAC as soon as it is written: the cut needs nothing more, and
    the stems (float WAV, for delivery) are written after it, into a hidden folder
    renamed into place once complete. A sound is current when both are there."""
    folder = project.state_dir / "sound"
    path = folder / f"{sound.key}.m4a"
    stems_dir = folder / sound.key
    if path.is_file() and stems_dir.is_dir():
        if ready is not None:
            ready(path)
        return path
    folder.mkdir(exist_ok=True)
    mixed = _mixed(sound, timeline, Generated(folder / GENERATED))
    write_sound(mixed.master, path)
    if ready is not None:
        ready(path)
    with atomic_folder(stems_dir) as tmp:
        for name, track in mixed.stems.items():
            (tmp / f"{name}.wav").write_bytes(wav_bytes(track, FILM_RATE, "float32"))
    for old in folder.iterdir():
        if old.name not in (path.name, stems_dir.name, GENERATED):
            shutil.rmtree(old) if old.is_dir() else old.unlink(missing_ok=True)
    return path


def _sound_soon(
    sounds: ThreadPoolExecutor, project: Project, sound: _Sound, timeline: Timeline
) -> tuple[Future[Path], Future[Path]]:
    """The sound made in `sounds`: a future of its AAC, set as soon as that is written
    (what the cut waits for), and one of the whole job, stems included (whose result
    says that they were written, or raises what went wrong)."""
    aac: Future[Path] = Future()

    def failed(job: Future[Path]) -> None:
        if aac.done():
            return
        # It stopped before the AAC was written: the cut hears why.
        error = None if job.cancelled() else job.exception()
        if error is None:
            aac.cancel()
        else:
            aac.set_exception(error)

    job = sounds.submit(_sound_file, project, sound, timeline, aac.set_result)
    job.add_done_callback(failed)
    return aac, job


def sound_stems(project: Project, key: str) -> dict[str, Path]:
    """The stems kept with the sound of `key` (those the mix had), by name."""
    folder = project.state_dir / "sound" / key
    return {name: p for name in STEMS if (p := folder / f"{name}.wav").is_file()}


# Where the generated loops and scores are kept, beside the sounds.
GENERATED = "generated"


def _mixed(sound: _Sound, timeline: Timeline, generated: Generated) -> Mixed:
    """Dialogue, the story's sound world (or the user's beds) and the score, mixed.

    A generated bed's K-weighted copy is laid from its loop's (or the score's), kept
    beside it: a re-make whose timeline moved measures the beds without filtering them."""
    dialogue = mix(sound.clips, timeline.frames, timeline.fps)
    length = len(dialogue)
    music_file, ambience_file = sound.beds
    filtered = replace(generated, weighted=True)
    weighted: dict[str, np.ndarray] = {}
    seen = picture_level(timeline)
    music = fit_bed(music_file, length) if music_file is not None else None
    if music is None and sound.score:
        music = score_track(sound.board, timeline, generated=generated)
        weighted["music"] = score_track(sound.board, timeline, generated=filtered)
    # Every track here is this mix's own: the fades are applied in place.
    if music is not None:
        edges = picture_level(timeline, edges_only=True)
        music *= edges
        if "music" in weighted:
            weighted["music"] *= edges
    ambience = fit_bed(ambience_file, length) if ambience_file is not None else None
    foley = None
    if sound.effects:
        if ambience is None:
            ambience = ambience_track(sound.board, timeline, generated=generated)
            weighted["ambience"] = ambience_track(sound.board, timeline, generated=filtered)
            ambience *= seen
            weighted["ambience"] *= seen
        if timeline.events:
            foley = foley_track(timeline.events, timeline)
            foley *= seen
    return mix_film(
        dialogue,
        music=music,
        ambience=ambience,
        foley=foley,
        weighted=weighted,
        target=sound.loudness,
    )


def voiced_frames(board: Storyboard, project: Project, voice: Voice) -> dict[str, int]:
    """Each shot's frames once its lines are voiced as a make of `project` voices them
    (its cast's voices, its voice cache: a line spoken before is not spoken again, and
    one spoken now is there for the make): what a shot must last for its speech."""
    voiced = voice_storyboard(
        board,
        engine=voice,
        voices=_cast_voices(board, Cast(project.cast_dir).voices()),
        cache=VoiceCache(project),
    )
    return {shot.shot_id: shot.frames for shot in voiced.timeline.shots}


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


def _clips(timeline: Timeline, speech: Mapping[LineKey, Speech]) -> list[Clip]:
    """Every spoken line's sound where the timeline places it in the film."""
    return [
        Clip(timeline.line_start(line), speech[line.key].samples)
        for line in timeline.lines
        if line.key in speech
    ]


# --- render -----------------------------------------------------------------------------


def render_requests(
    board: Storyboard,
    timeline: Timeline,
    project: Project,
    store: Store,
    references: dict[str, SubjectRef] | None = None,
    mouths: dict[str, dict[str, list[float]]] | None = None,
    *,
    picture: RequestPicture = "annotated",
) -> Iterator[RenderRequest]:
    """One request per shot, as long as the timeline plays it; `mouths` holds each
    shot's lip-sync tracks by shot id.

    Seeds come from the shot's id, not its position, so an unchanged shot keeps its
    seed (and its take) when shots are added or removed around it.
    """
    refs = references or {}
    frames = {timed.shot_id: timed.frames for timed in timeline.shots}
    for shot in board.shots:
        yield RenderRequest.for_shot(
            board,
            shot,
            project.state_dir / f"shot-{shot.id}.mp4",  # the cache stages its own
            seed=shot_seed(store.uid, shot.id),
            references=[refs[k] for k in map(subject_key, shot.subjects) if k in refs],
            mouths=(mouths or {}).get(shot.id, {}),
            frames=frames[shot.id],
            picture=picture,
        )


def render_shots(
    requests: list[RenderRequest],
    job: _Make,
    on_planned: Callable[[RenderOutcome], None] | None = None,
    lineage: Mapping[str, Lineage] | None = None,
) -> RenderOutcome:
    """A take for every shot: pinned, from the cache, or rendered now (from its previous
    take, by `lineage`, where the engine can: run/lineage.py)."""
    frames = {r.shot.id: r.frame_count for r in requests}
    done: dict[str, float] = {}
    total = 0

    def planned(outcome: RenderOutcome, to_render: Sequence[RenderRequest]) -> None:
        nonlocal total
        total = sum(frames[r.shot.id] for r in to_render)
        if on_planned is not None:
            on_planned(outcome)
        kept = len(outcome.cached) + len(outcome.pinned) + len(outcome.trimmed)
        report(
            Progress(
                "render",
                0,
                total,
                f"{len(requests)} shots: {kept} cached, {len(to_render)} to render",
            )
        )

    def on_event(event: JobEvent) -> None:
        job.store.record_event(event)
        if listener is not None:
            listener(event)
        if event.shot_id is None or event.kind != "render":
            return
        if event.event in ("progress", "done"):
            fraction = 1.0 if event.event == "done" else event.fraction or 0.0
            done[event.shot_id] = fraction * frames[event.shot_id]
            report(Progress("render", sum(done.values()), total, f"shot {event.shot_id}"))

    config, report, listener = job.config, job.report, job.on_event
    cache = TakeCache(job.project, job.store)
    cache.clear_staging()  # what a killed make left half-rendered
    runner = job.executor or executor_for(
        config.executor,
        workers=min(config.workers or os.cpu_count() or 1, len(requests)),
        ray_address=config.ray_address,
    )
    try:
        return render_takes(
            requests,
            config.engine,
            cache,
            runner,
            options=config.engine_options,
            pins=pinned_takes(job.store),
            on_event=on_event,
            on_planned=planned,
            previous=FromPrevious(lineage or {}, config.from_previous, config.message),
            trims=job.cutdown,
            # Judged where each take is rendered, while the others still render.
            checks=config.checks,
        )
    except BaseException:
        cache.clear_staging()  # workers stopped mid-take leave their partial files
        raise
    finally:
        close = getattr(runner, "close", None)
        if close is not None and job.executor is None:
            close()

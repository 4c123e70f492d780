"""The voice stage of a make: every line spoken, placed in its shot, the shot stretched
to fit its speech, and each speaker's mouth track made for the engines.

    voiced = voice_storyboard(board)                    # espeak-ng, cast from descriptions
    voiced = voice_storyboard(board, engine=HttpVoice(...), voices={"MEI": profile})
    voiced.timeline                                     # where everything sits in the film

The storyboard is read, never changed: the timing is the Timeline's.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from storyreel.errors import VoiceError
from storyreel.keys import engine_version, voice_key
from storyreel.model import Storyboard, TransitionKind
from storyreel.timeline import FILM_RATE, LineKey, LineTime, ShotTime, Timeline, frames_for, lay_out
from storyreel.voice.base import Speech, Voice, VoiceProfile
from storyreel.voice.casting import cast_board
from storyreel.voice.espeak import EspeakVoice
from storyreel.voice.speak import speak_line
from storyreel.voice.visemes import add_tracks, mouth_track

# Breathing room around speech inside a shot, in seconds.
LEAD_IN = 0.35
BETWEEN_LINES = 0.3
TAIL = 0.6

# Called after each line with (lines done, lines in all, speaker).
LineProgress = Callable[[int, int, str], None]


class SpeechCache(Protocol):
    """Where spoken lines are kept between makes (run/cache.py's VoiceCache)."""

    def get_speech(self, key: str) -> Speech | None: ...

    def put_speech(self, key: str, speech: Speech) -> None: ...


@dataclass
class VoicedBoard:
    """What the voice stage made: speech per line (at FILM_RATE), where every shot and
    line sits in the film, how many lines came from the cache, and warnings for the
    lines it had to leave silent."""

    timeline: Timeline
    speech: dict[LineKey, Speech] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    lines: int = 0
    cached: int = 0

    def summary(self) -> str:
        return f"{self.lines} lines: {self.cached} cached, {self.lines - self.cached} voiced"


def profiles_for(
    board: Storyboard, voices: Mapping[str, VoiceProfile] | None = None
) -> dict[str, VoiceProfile]:
    """Every speaker's voice: the cast's profile where one is set, else one cast from
    what the story says of them (voice/casting.py); the same in every shot and scene."""
    return cast_board(board, voices)


def voice_storyboard(
    board: Storyboard,
    *,
    engine: Voice | None = None,
    voices: Mapping[str, VoiceProfile] | None = None,
    on_line: LineProgress | None = None,
    cache: SpeechCache | None = None,
    opening: TransitionKind = TransitionKind.cut,
    workers: int | None = None,
) -> VoicedBoard:
    """Speak every line, place it in its shot and stretch the shot to fit the speech.

    `board` is not changed: where each shot and line sits is the returned timeline's,
    shots in whole frames so the timeline's duration is the film's. A line that cannot
    be spoken is left silent with a warning; the film is still made. A line the `cache`
    holds (the same text, language, voice and engine) is not spoken again. `opening` is
    how the film starts (`fade`: from black, a FADE IN).

    Lines the cache lacks are spoken `workers` at a time (None: one per core) when the
    engine declares it may run concurrently (`concurrent = True`); the result, the
    warnings and the progress calls are the same, in the same order, as one at a time.
    """
    engine = engine or EspeakVoice()
    profiles = profiles_for(board, voices)
    jobs = [
        (shot.id, index, line.character, line.text, line.lang, profiles[line.character])
        for shot in board.shots
        for index, line in enumerate(shot.lines)
    ]
    outcomes = _speak_all(engine, jobs, cache, workers, on_line)
    speech: dict[LineKey, Speech] = {}
    warnings: list[str] = []
    cached = 0
    shots: list[ShotTime] = []
    lines: list[LineTime] = []
    frame = 0
    results = iter(outcomes)
    for shot in board.shots:
        cursor = LEAD_IN
        for index, line in enumerate(shot.lines):
            outcome = next(results)
            if isinstance(outcome, VoiceError):
                warnings.append(f"shot {shot.id}: {line.character}'s line is not voiced: {outcome}")
                continue
            spoken, was_cached = outcome
            cached += was_cached
            speech[(shot.id, index)] = spoken
            lines.append(
                LineTime(
                    shot_id=shot.id,
                    index=index,
                    character=line.character,
                    text=line.text,
                    lang=line.lang,
                    translation=line.translation,
                    shot_start=frame,
                    # To the millisecond, as the storyboard's seconds were rounded.
                    offset_ms=round(round(cursor, 3) * 1000),
                    duration_ms=round(round(spoken.duration, 3) * 1000),
                    words=tuple(spoken.words),
                )
            )
            cursor += spoken.duration + BETWEEN_LINES
        seconds = shot.duration
        if shot.lines:
            seconds = max(seconds, cursor - BETWEEN_LINES + TAIL)
        shots.append(ShotTime(shot_id=shot.id, start=frame, frames=frames_for(seconds, board.fps)))
        frame = shots[-1].end
    return VoicedBoard(
        lay_out(board, shots, lines, opening=opening), speech, warnings, len(jobs), cached
    )


# (shot id, line index, speaker, text, language, profile)
_Job = tuple[str, int, str, str, str, VoiceProfile]
_Outcome = tuple[Speech, bool] | VoiceError


def _speak_all(
    engine: Voice,
    jobs: list[_Job],
    cache: SpeechCache | None,
    workers: int | None,
    on_line: LineProgress | None,
) -> list[_Outcome]:
    """Every job's speech and whether the cache had it, or the VoiceError that kept it
    silent, in order. The cache is read and written on this thread only."""
    keys = [line_key(engine, j[3], j[4], j[5]) if cache is not None else "" for j in jobs]
    kept: dict[int, Speech] = {}
    if cache is not None:
        for i, key in enumerate(keys):
            if (found := cache.get_speech(key)) is not None:
                kept[i] = found
    # A line said twice with one voice is spoken once; the repeat counts as cached, as
    # it would have been found in the cache had the lines been spoken one by one.
    first: dict[str, int] = {}
    repeats: dict[int, int] = {}
    todo: list[int] = []
    for i in range(len(jobs)):
        if i in kept:
            continue
        if cache is not None and keys[i] in first:
            repeats[i] = first[keys[i]]
            continue
        first[keys[i]] = i
        todo.append(i)
    count = _worker_count(engine, workers, len(todo))
    outcomes: list[_Outcome] = []
    with ThreadPoolExecutor(max_workers=count) if count > 1 else nullcontext() as pool:
        futures: dict[int, Future[Speech]] = {}
        if pool is not None:
            # One onnxruntime thread per line when lines run side by side.
            tune = getattr(engine, "for_workers", None)
            speaker: Voice = tune(count) if callable(tune) else engine
            futures = {i: pool.submit(_speak, speaker, *jobs[i][3:]) for i in todo}
        for i, job in enumerate(jobs):
            try:
                if i in kept:
                    outcomes.append((kept[i], True))
                    continue
                if i in repeats:
                    earlier = outcomes[repeats[i]]
                    outcomes.append(
                        earlier if isinstance(earlier, VoiceError) else (earlier[0], True)
                    )
                    continue
                try:
                    spoken = futures[i].result() if i in futures else _speak(engine, *job[3:])
                except VoiceError as error:
                    outcomes.append(error)
                    continue
                if cache is not None:
                    cache.put_speech(keys[i], spoken)
                outcomes.append((spoken, False))
            except BaseException:
                for future in futures.values():
                    future.cancel()
                raise
            finally:
                if on_line is not None:
                    on_line(i + 1, len(jobs), job[2])
    return outcomes


def _worker_count(engine: Voice, workers: int | None, lines: int) -> int:
    if not getattr(engine, "concurrent", False):
        return 1
    wanted = workers if workers is not None else (os.cpu_count() or 1)
    return max(1, min(wanted, lines))


def _speak(engine: Voice, text: str, lang: str, profile: VoiceProfile) -> Speech:
    """One line's speech at FILM_RATE."""
    return speak_line(engine, text, lang, profile).resampled(FILM_RATE)


def line_key(engine: Voice, text: str, lang: str, profile: VoiceProfile) -> str:
    """The cache key of one spoken line: the text, its language, the voice profile (a
    reference clip for cloning by its content), the engine's name and version, and
    whatever else the engine says decides its sound (`identity()`: a server and model)."""
    identify = getattr(engine, "identity", None)
    identity: Any = identify() if callable(identify) else None
    # A missing clip is the engine's error to report when it speaks; here it keys by name.
    clip = Path(profile.reference) if profile.reference else None
    return voice_key(
        text,
        lang,
        profile,
        engine.name,
        engine_version(engine),
        identity=identity,
        reference=clip if clip is not None and clip.is_file() else None,
        rate=FILM_RATE,
    )


Mouths = dict[str, list[float]]  # per speaking character, openness in each frame


def mouths(timeline: Timeline, speech: Mapping[LineKey, Speech]) -> dict[str, Mouths]:
    """Per shot id, the per-frame mouth openness of each character who speaks in it."""
    out: dict[str, Mouths] = {shot.shot_id: {} for shot in timeline.shots}
    frames = {shot.shot_id: shot.frames for shot in timeline.shots}
    for line in timeline.lines:
        spoken = speech.get(line.key)
        if spoken is None:
            continue
        count = frames[line.shot_id]
        track = out[line.shot_id].setdefault(line.character, [0.0] * count)
        add_tracks(track, mouth_track(spoken, timeline.fps, count, offset=line.offset))
    return out

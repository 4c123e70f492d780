"""The voice stage of a make: every line spoken, placed in its shot, the shot stretched
to fit its speech, and each speaker's mouth track made for the engines.

    voiced = voice_storyboard(board)                    # espeak-ng, cast from descriptions
    voiced = voice_storyboard(board, engine=HttpVoice(...), voices={"MEI": profile})
    voiced.timeline                                     # where everything sits in the film

The storyboard is read, never changed: the timing is the Timeline's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
    return {**cast_board(board), **(voices or {})}


def voice_storyboard(
    board: Storyboard,
    *,
    engine: Voice | None = None,
    voices: Mapping[str, VoiceProfile] | None = None,
    on_line: LineProgress | None = None,
    cache: SpeechCache | None = None,
    opening: TransitionKind = TransitionKind.cut,
) -> VoicedBoard:
    """Speak every line, place it in its shot and stretch the shot to fit the speech.

    `board` is not changed: where each shot and line sits is the returned timeline's,
    shots in whole frames so the timeline's duration is the film's. A line that cannot
    be spoken is left silent with a warning; the film is still made. A line the `cache`
    holds (the same text, language, voice and engine) is not spoken again. `opening` is
    how the film starts (`fade`: from black, a FADE IN).
    """
    engine = engine or EspeakVoice()
    cast = profiles_for(board, voices)
    total = sum(len(shot.lines) for shot in board.shots)
    done = 0
    speech: dict[LineKey, Speech] = {}
    warnings: list[str] = []
    cached = 0
    shots: list[ShotTime] = []
    lines: list[LineTime] = []
    frame = 0
    for shot in board.shots:
        cursor = LEAD_IN
        for index, line in enumerate(shot.lines):
            profile = cast[line.character]
            try:
                spoken, was_cached = _spoken(engine, line.text, line.lang, profile, cache)
                cached += was_cached
            except VoiceError as error:
                warnings.append(f"shot {shot.id}: {line.character}'s line is not voiced: {error}")
                continue
            finally:
                done += 1
                if on_line is not None:
                    on_line(done, total, line.character)
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
        lay_out(board, shots, lines, opening=opening), speech, warnings, total, cached
    )


def _spoken(
    engine: Voice, text: str, lang: str, profile: VoiceProfile, cache: SpeechCache | None
) -> tuple[Speech, bool]:
    """The line's speech at FILM_RATE, and whether the cache had it."""
    if cache is None:
        return speak_line(engine, text, lang, profile).resampled(FILM_RATE), False
    key = line_key(engine, text, lang, profile)
    if (kept := cache.get_speech(key)) is not None:
        return kept, True
    spoken = speak_line(engine, text, lang, profile).resampled(FILM_RATE)
    cache.put_speech(key, spoken)
    return spoken, False


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

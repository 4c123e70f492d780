"""Where everything sits in the film: every shot, spoken line, word, subtitle cue,
transition and sound event, on the film's clock.

The voice stage makes the Timeline (it alone knows how long each line is heard) and
leaves the storyboard as it was planned. The cut, the subtitles, the sound mix, the
render requests and the studio read the Timeline; none of them goes back to the
storyboard or the script for timing.

Shots are in frames, the film's own unit, so the film's duration is exact. Lines are
placed to the millisecond and words as the synthesizer heard them: the sound and the
subtitles are finer than a frame (a frame is 42 ms at 24 fps), and rounding them to
frames would move the dialogue. Seconds are properties, for the edges.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from storyreel.model import Storyboard, TransitionKind

LineKey = tuple[str, int]  # (shot id, index of the line in the shot)
# The film's sound runs at 48 kHz, video's own rate: every spoken line is resampled to
# it once, and the mix, the stems and the AAC track share it.
FILM_RATE = 48_000


# How long each side of a picture transition lasts, in seconds (the cut draws them;
# an engine that encodes in the film's format puts a keyframe where they end).
FADE_SIDE = 0.5  # between shots: out, then in: a second of black-ish film
# The opening fade is as long as a fade between shots, so the take's keyframe half a
# second in (head_keyframes) ends it; the closing fade has no take after it to copy.
OPENING_FADE = FADE_SIDE
CLOSING_FADE = 1.0
DISSOLVE_SIDE = 0.5  # a one-second dissolve, half on each side of the cut


def head_keyframes(fps: int) -> frozenset[int]:
    """Frames of a take where a transition into its shot ends: half a second in. An
    engine that encodes in the film's format puts a keyframe there, so the cut copies
    the take's packets from that frame on and encodes only the transition's own frames
    again."""
    sides = (FADE_SIDE, DISSOLVE_SIDE, OPENING_FADE)
    return frozenset(round(seconds * fps) for seconds in sides) - {0}


def frames_for(seconds: float, fps: int) -> int:
    """Frame count for a duration, at least one frame."""
    return max(1, round(seconds * fps))


@dataclass(frozen=True, slots=True)
class WordTiming:
    """When one word is heard. `char_start:char_end` indexes the text that was spoken."""

    text: str
    start: float  # seconds from the start of the line's speech
    end: float
    char_start: int
    char_end: int


@dataclass(frozen=True)
class Cue:
    """One subtitle on the film's clock, in seconds (what the subtitle files write)."""

    start: float
    end: float
    text: str
    character: str
    lang: str
    # The script's translation of the line, shown as a second line.
    translation: str | None = None
    # (shot id, line index) of the line it comes from.
    key: LineKey | None = None


class _Value(BaseModel):
    # A value handed from stage to stage: nobody downstream may change it.
    model_config = ConfigDict(extra="forbid", frozen=True)


class ShotTime(_Value):
    """One shot in the film: its first frame and how many frames it lasts."""

    shot_id: str
    start: int = Field(ge=0)
    frames: int = Field(ge=1)

    @property
    def end(self) -> int:
        """The first frame after the shot."""
        return self.start + self.frames


class LineTime(_Value):
    """One spoken line: where its speech starts in its shot and how long it is heard."""

    shot_id: str
    index: int = Field(ge=0)  # the line's place among its shot's lines
    character: str
    text: str
    lang: str
    translation: str | None = None
    # The first frame of the line's shot in the film.
    shot_start: int = Field(ge=0)
    offset_ms: int = Field(ge=0)  # from the start of its shot
    duration_ms: int = Field(ge=0)
    words: tuple[WordTiming, ...] = ()

    @property
    def key(self) -> LineKey:
        return (self.shot_id, self.index)

    @property
    def offset(self) -> float:
        """Seconds from the start of its shot."""
        return self.offset_ms / 1000

    @property
    def duration(self) -> float:
        return self.duration_ms / 1000


class Transition(_Value):
    """How one shot hands over to the next, at the first frame of the next one.

    The film's edges are transitions too: `after` None opens the film (FADE IN from
    black at frame 0), `before` None closes it (FADE OUT to black at its last frame).
    """

    kind: TransitionKind
    frame: int = Field(ge=0)
    after: str | None  # the shot id it leaves; None: black, before the film
    before: str | None  # the shot id it enters; None: black, after the film


class SoundEvent(_Value):
    """A sound placed on the film's clock (an effect, a music cue), in frames."""

    kind: str
    frame: int = Field(ge=0)
    frames: int = Field(ge=0)


class Timeline(_Value):
    """The film's clock: what sits where, made once by the voice stage."""

    fps: int = Field(gt=0)
    shots: tuple[ShotTime, ...] = ()
    lines: tuple[LineTime, ...] = ()
    # Subtitles as the film shows them: a long line is several cues, cut between words.
    cues: tuple[Cue, ...] = ()
    transitions: tuple[Transition, ...] = ()
    events: tuple[SoundEvent, ...] = ()

    @model_validator(mode="after")
    def _in_order(self) -> Self:
        # Shots tile the film from frame 0, and every line is heard inside its shot:
        # what the cut, the mix and the subtitles all rely on.
        start = 0
        for shot in self.shots:
            if shot.start != start:
                raise ValueError(
                    f"shot {shot.shot_id} starts at frame {shot.start}, not {start}: "
                    "shots follow one another without gaps"
                )
            start = shot.end
        by_id = {shot.shot_id: shot for shot in self.shots}
        for line in self.lines:
            home = by_id.get(line.shot_id)
            if home is None:
                raise ValueError(f"line {line.key} is in shot {line.shot_id}, which has no place")
            if line.shot_start != home.start:
                raise ValueError(
                    f"line {line.key} says its shot starts at frame {line.shot_start}, "
                    f"the shot starts at {home.start}"
                )
            # Whole milliseconds round up: a line may end in the shot's last millisecond.
            if line.offset_ms + line.duration_ms > math.ceil(home.frames * 1000 / self.fps):
                raise ValueError(
                    f"line {line.key} ends at {line.offset_ms + line.duration_ms} ms, "
                    f"after its shot's {home.frames} frames"
                )
        return self

    @property
    def frames(self) -> int:
        return self.shots[-1].end if self.shots else 0

    @property
    def duration(self) -> float:
        """The film's length in seconds."""
        return self.frames / self.fps

    def shot(self, shot_id: str) -> ShotTime:
        for shot in self.shots:
            if shot.shot_id == shot_id:
                return shot
        raise KeyError(f"no shot {shot_id!r} in the timeline")

    def shot_frames(self) -> list[int]:
        """Each shot's frame count, in film order."""
        return [shot.frames for shot in self.shots]

    def line_start(self, line: LineTime) -> float:
        """Seconds from the start of the film to the line's first sound."""
        return line.shot_start / self.fps + line.offset

    def lines_in(self, shot_id: str) -> list[LineTime]:
        return [line for line in self.lines if line.shot_id == shot_id]

    def filmed(self, board: Storyboard) -> Storyboard:
        """`board` with the film's timing written into a copy: each shot's duration in
        whole frames, each voiced line's start and duration. What a version records and
        a contact sheet shows; `board` itself is not changed."""
        voiced = {line.key: line for line in self.lines}
        frames = {shot.shot_id: shot.frames for shot in self.shots}
        shots = []
        for shot in board.shots:
            lines = [
                line.model_copy(update={"start": timed.offset, "duration": timed.duration})
                if (timed := voiced.get((shot.id, index))) is not None
                else line
                for index, line in enumerate(shot.lines)
            ]
            seconds = frames[shot.id] / self.fps
            shots.append(shot.model_copy(update={"duration": seconds, "lines": lines}))
        return board.model_copy(update={"shots": shots})


def lay_out(
    board: Storyboard,
    shots: Sequence[ShotTime],
    lines: Sequence[LineTime],
    *,
    opening: TransitionKind = TransitionKind.cut,
) -> Timeline:
    """The Timeline of `board`'s shots and spoken lines: their transitions from the
    storyboard, and the subtitle cues from the lines and their words.

    The last shot's `transition` (into nothing) closes the film: anything but a cut
    ends it in black. `opening` is how the film starts (a FADE IN is `fade`).
    """
    transitions = [
        Transition(kind=shot.transition, frame=after.end, after=shot.id, before=before.shot_id)
        for shot, after, before in zip(board.shots, shots, shots[1:], strict=False)
    ]
    if shots and opening != TransitionKind.cut:
        transitions.insert(
            0, Transition(kind=opening, frame=0, after=None, before=shots[0].shot_id)
        )
    if shots and board.shots and (last := board.shots[-1].transition) != TransitionKind.cut:
        end = shots[-1]
        transitions.append(Transition(kind=last, frame=end.end, after=end.shot_id, before=None))
    return Timeline(
        fps=board.fps,
        shots=tuple(shots),
        lines=tuple(lines),
        cues=tuple(_cues(board.fps, lines)),
        transitions=tuple(transitions),
    )


def _cues(fps: int, lines: Sequence[LineTime]) -> list[Cue]:
    out: list[Cue] = []
    for line in lines:
        if line.duration_ms <= 0:
            continue
        start = line.shot_start / fps + line.offset
        cue = Cue(
            start,
            start + line.duration,
            line.text,
            line.character,
            line.lang,
            translation=line.translation,
            key=line.key,
        )
        out.extend(split_cue(cue, line.words))
    return out


# --- subtitle cues that follow the voice ------------------------------------------------

# Reading-speed conventions for one subtitle line: about 42 characters of Latin text,
# about 16 of Chinese, Japanese or Korean (each carries a syllable or more).
MAX_LATIN = 42
MAX_CJK = 16
# Full-width characters, CJK punctuation included: each takes a CJK cell on screen.
_WIDE = re.compile(
    r"[\u1100-\u11ff\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]"
)


def _budget(text: str) -> float:
    """How much of a subtitle line `text` fills, 1.0 being a full line."""
    wide = len(_WIDE.findall(text))
    return wide / MAX_CJK + (len(text) - wide) / MAX_LATIN


def split_cue(cue: Cue, words: Sequence[WordTiming]) -> list[Cue]:
    """`cue` as one or more cues of at most one subtitle line each, cut between words.

    Each piece runs from its first word's start to the next piece's first word, the
    last one to the end of the line, so the pieces tile the line's time exactly. A line
    with a translation gets it as the second line of every piece, split in step.
    """
    words = [w for w in words if w.char_end > w.char_start]
    if _budget(cue.text) <= 1.0 or len(words) < 2:
        return [cue]
    groups: list[list[WordTiming]] = [[]]
    for i, word in enumerate(words):
        group = groups[-1]
        if group:
            # The piece would run to where the next word starts: its punctuation counts.
            end = words[i + 1].char_start if i + 1 < len(words) else len(cue.text)
            if _budget(cue.text[group[0].char_start : end].strip()) > 1.0:
                groups.append([])
        groups[-1].append(word)
    if len(groups) == 1:
        return [cue]
    # Text cuts: each piece keeps the punctuation after its last word.
    cuts = [0] + [g[0].char_start for g in groups[1:]] + [len(cue.text)]
    times = [cue.start] + [cue.start + g[0].start for g in groups[1:]] + [cue.end]
    translations = _split_translation(
        cue.translation, [cuts[i + 1] - cuts[i] for i in range(len(groups))]
    )
    out: list[Cue] = []
    for i in range(len(groups)):
        t0, t1 = times[i], max(times[i + 1], times[i])
        text = cue.text[cuts[i] : cuts[i + 1]].strip()
        if not text or t1 <= t0:
            continue
        out.append(replace(cue, start=t0, end=t1, text=text, translation=translations[i]))
    return out or [cue]


def _split_translation(text: str | None, shares: list[int]) -> list[str | None]:
    """`text` cut at spaces (or anywhere, for CJK) into len(shares) pieces sized like
    the shares of the original they go with."""
    if not text:
        return [None] * len(shares)
    wide = bool(_WIDE.search(text))
    units = list(text) if wide else text.split()
    total = sum(shares) or 1
    pieces: list[str | None] = []
    taken = 0
    seen = 0
    for i, share in enumerate(shares):
        seen += share
        upto = len(units) if i == len(shares) - 1 else round(len(units) * seen / total)
        chunk = units[taken:upto]
        taken = max(taken, upto)
        joined = ("" if wide else " ").join(chunk).strip()
        pieces.append(joined or None)
    return pieces

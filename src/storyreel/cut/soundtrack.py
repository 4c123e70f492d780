"""The story's sound world laid on the film's clock: foley on the frames of the actions,
ambience under every scene, a score under the whole film, and the picture's fades.

    events = sound_events(board, timeline, seeds)      # foley, placed (frozen values)
    room = ambience_track(board, timeline)             # one bed per scene, cross-faded
    fx = foley_track(events, timeline)
    music = score_track(board, timeline)

Everything here is a pure function of the storyboard, the timeline and the shots'
seeds, so the same film always sounds the same and the mix can be keyed on its inputs.
The beats come from storyreel.beats, the functions the previs engine draws the steps,
blows and lightning with: a footstep is heard on the frame the foot lands.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from storyreel.beats import beat_frames, cycle_phases
from storyreel.cut import ambience, foley, score
from storyreel.cut.dsp import k_weighted, k_weighted_loop
from storyreel.files import atomic_path
from storyreel.model import Storyboard, TransitionKind
from storyreel.timeline import (
    CLOSING_FADE,
    FADE_SIDE,
    FILM_RATE,
    OPENING_FADE,
    SoundEvent,
    Timeline,
)

Track = np.ndarray

# Made sounds are keyed on this with their inputs: raise it when a generator's sound
# or the way the world is laid changes, so old mixes are made again.
SOUND_WORLD = 2

# Scenes hand their ambience over in an equal-power cross-fade this long, centred on
# the cut: a hard cut in the picture still breathes in the sound.
SCENE_CROSSFADE_S = 0.8
# A title card carries the score but no room: the ambience dips out and back this fast.
CARD_DIP_S = 0.25


@dataclass(frozen=True)
class SceneSpan:
    """One scene's stretch of the film, in frames, and the beds under it."""

    scene: int
    start: int
    end: int
    layers: tuple[tuple[str, float], ...]  # (bed kind, gain in dB)


@dataclass(frozen=True)
class Generated:
    """The generated loops and scores, kept in `folder` (the project's) once made: a
    re-make, in a new process, reads them instead of generating them again. Without a
    folder they are made in memory each time (the generators cache within a process).

    `weighted` gives each one's K-weighted copy instead (cut/dsp.py), kept beside it:
    a bed or a score laid from them is the bed's weighted copy (the cross-fades, fades
    and dips move far slower than the filter responds), so a make measures its beds'
    loudness without filtering them again, whatever the timeline did to them.

    What is kept is bounded: one loop per bed kind, and the latest few scores."""

    folder: Path | None = None
    weighted: bool = False

    def loop(self, kind: str, rate: int = FILM_RATE) -> Track:
        name = f"bed-{kind}-{rate}"
        if self.weighted:
            plain = replace(self, weighted=False)
            return self._kept(f"k{name}", lambda: k_weighted_loop(plain.loop(kind, rate), rate))
        return self._kept(name, lambda: np.asarray(ambience.loop(kind, rate=rate)))

    def score(self, style: score.ScoreStyle, seconds: float, rate: int, seed: int) -> Track:
        """`seconds` of the score. It is made for a whole number of half minutes and cut:
        the music is the same from its start whatever its length, so a film a few
        seconds longer after an edit cuts the same kept music."""
        # Longer than the film, always: the generator fades its own last seconds out.
        span = SCORE_SPAN_S * (seconds // SCORE_SPAN_S + 1)
        digest = hashlib.sha256(repr((style, seed, rate)).encode()).hexdigest()[:16]
        name = f"score-{digest}-{int(span)}"

        def made() -> Track:
            return score.score(style, span, rate=rate, seed=seed)

        if self.weighted:
            plain = replace(self, weighted=False)
            music = self._kept(
                f"k{name}",
                lambda: k_weighted(plain._kept(name, made, _SCORES_KEPT), rate),
                keep=_SCORES_KEPT,
            )
        else:
            music = self._kept(name, made, keep=_SCORES_KEPT)
        out = music[: round(seconds * rate)].astype(np.float32)
        fade = min(len(out), round(SCORE_FADE_S * rate))
        # Linear, not to silence early: a film that ends on a cut still hears its music
        # to the last frame.
        out[len(out) - fade :] *= np.linspace(1.0, 0.05, fade, dtype=np.float32)
        return out

    def _kept(self, name: str, make: Callable[[], Track], keep: int = 0) -> Track:
        """`name` as kept, or made now (and kept), as float32 either way: what a make
        mixes does not depend on whether an earlier one left it here."""
        if self.folder is None:
            return np.asarray(make(), dtype=np.float32)
        path = self.folder / f"{SOUND_WORLD}-{name}.npy"
        try:
            kept: Track = np.load(path, allow_pickle=False)
            return kept
        except (OSError, ValueError):  # absent, or cut short: make it again
            pass
        made = np.asarray(make(), dtype=np.float32)
        self.folder.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp, tmp.open("wb") as out:
            np.save(out, made, allow_pickle=False)
        if keep:
            kind = name.split("-")[0]
            older = sorted(self.folder.glob(f"*-{kind}-*.npy"), key=lambda p: p.stat().st_mtime)
            for stale in older[:-keep]:
                stale.unlink(missing_ok=True)
        return made


# Scores are made in spans of this many seconds, and the latest few kept.
SCORE_SPAN_S = 30.0
_SCORES_KEPT = 3
# A score cut to the film's length fades out over its last seconds.
SCORE_FADE_S = 3.0


# A sound the text names is heard this far into the first shot of its sentence.
HEARD_AT_S = 0.25


# --- foley ------------------------------------------------------------------------------


def sound_events(
    board: Storyboard, timeline: Timeline, seeds: Mapping[str, int]
) -> tuple[SoundEvent, ...]:
    """Every effect of the film on its frame: the steps and blows of each subject's
    action on the frames the picture shows them (storyreel.beats), a one-off action's
    sound where its shot begins, the props it handles, thunder after each flash of a
    storm, and what the text says is heard ("Blades clash", 钟声) as its shot begins.
    `seeds` are the shots' render seeds: the storm strikes where the picture's
    lightning does. Title cards have none."""
    scenes = {info.scene: info for info in board.scenes}
    out: set[tuple[int, str]] = set()
    told = ""  # the action text the last shot heard: a sentence sounds once
    for shot in board.shots:
        if shot.card is not None:
            continue
        timed = timeline.shot(shot.id)
        if shot.action and shot.action != told:
            at = timed.start + min(timed.frames - 1, round(HEARD_AT_S * timeline.fps))
            out.update((at, kind) for kind in foley.heard_in(shot.action))
        told = shot.action
        info = scenes.get(shot.scene)
        place = info.setting.kind if info else None
        for subject, action in sorted(shot.actions.items()):
            kinds = list(foley.for_action(action, setting=place))
            for thing in shot.things:
                if thing.holder in (None, subject):
                    kinds += [k for k in foley.for_thing(thing.kind, action) if k not in kinds]
            if not kinds:
                continue
            if cycle_phases(action) > 1:
                beats = beat_frames(action, timed.frames, timeline.fps)
                out.update((timed.start + frame, kinds[0]) for frame in beats)
                # A fight's sword rings on some of its blows, not all: every other.
                for frame in beats[::2]:
                    out.update((timed.start + frame, kind) for kind in kinds[1:])
            else:
                out.update((timed.start, kind) for kind in kinds)
        weather = [(w.kind, w.intensity) for w in info.weather] if info else []
        for seconds in foley.thunder_times(
            weather, timed.frames, timeline.fps, seeds.get(shot.id, 0)
        ):
            frame = round(seconds * timeline.fps)
            if frame < timed.frames:
                out.add((timed.start + frame, "thunder"))
    return tuple(
        SoundEvent(kind=kind, frame=frame, frames=_frames_of(kind, timeline.fps))
        for frame, kind in sorted(out)
    )


def _frames_of(kind: str, fps: int) -> int:
    return -(-len(foley.sound(kind)) * fps // FILM_RATE)


def foley_track(events: tuple[SoundEvent, ...], timeline: Timeline, rate: int = FILM_RATE) -> Track:
    """The effects laid where the timeline puts them, each one of a few takes of its
    sound (by its frame: neighbouring steps never sound identical, and the few takes
    stay in the generator's cache)."""
    length = _samples(timeline.frames, timeline.fps, rate)
    out = np.zeros(length, np.float32)
    for event in events:
        at = _samples(event.frame, timeline.fps, rate)
        if at >= length:
            continue
        one = foley.sound(event.kind, rate=rate, seed=event.frame % _TAKES)
        end = min(length, at + len(one))
        out[at:end] += one[: end - at]
    return out


_TAKES = 6


# --- ambience ---------------------------------------------------------------------------


def scene_spans(board: Storyboard, timeline: Timeline) -> list[SceneSpan]:
    """The film's scenes in order with the beds each gets (cut/ambience.layers_for)."""
    scenes = {info.scene: info for info in board.scenes}
    spans: list[SceneSpan] = []
    for shot in board.shots:
        timed = timeline.shot(shot.id)
        if spans and spans[-1].scene == shot.scene:
            last = spans[-1]
            spans[-1] = SceneSpan(last.scene, last.start, timed.end, last.layers)
            continue
        info = scenes.get(shot.scene)
        place = info.setting if info else None
        layers = ambience.layers_for(
            place.kind if place else None,
            place.interior if place else None,
            place.time if place else None,
            [(w.kind, w.intensity) for w in info.weather] if info else [],
        )
        spans.append(SceneSpan(shot.scene, timed.start, timed.end, layers))
    return spans


def ambience_track(
    board: Storyboard,
    timeline: Timeline,
    rate: int = FILM_RATE,
    generated: Generated = Generated(),
) -> Track:
    """Each scene's beds under it, handed over to the next scene's in a cross-fade at
    the cut; silent under title cards. Two scenes with the same bed start it at
    different places in its loop, so they do not sound like a repeat."""
    length = _samples(timeline.frames, timeline.fps, rate)
    out = np.zeros(length, np.float32)
    half = round(SCENE_CROSSFADE_S * rate / 2)
    spans = scene_spans(board, timeline)
    for index, span in enumerate(spans):
        start = _samples(span.start, timeline.fps, rate)
        end = _samples(span.end, timeline.fps, rate)
        lead = half if index > 0 else 0
        tail = half if index < len(spans) - 1 else 0
        first, last = max(0, start - lead), min(length, end + tail)
        if last <= first:
            continue
        bed = np.zeros(last - first, np.float32)
        for kind, gain in span.layers:
            loop = generated.loop(kind, rate)
            _add_looped(bed, loop, _seed(f"{kind}:{span.scene}"), np.float32(10 ** (gain / 20)))
        # Equal-power ramps: the two scenes' beds sum to a steady level across the cut.
        if lead:
            ramp = np.sin(np.linspace(0, np.pi / 2, min(2 * lead, len(bed)), dtype=np.float32))
            bed[: len(ramp)] *= ramp
        if tail:
            ramp = np.cos(np.linspace(0, np.pi / 2, min(2 * tail, len(bed)), dtype=np.float32))
            bed[len(bed) - len(ramp) :] *= ramp
        out[first:last] += bed
    out *= card_gain(board, timeline, rate)
    return out


def card_gain(board: Storyboard, timeline: Timeline, rate: int = FILM_RATE) -> Track:
    """1 under the film, 0 under its title cards, with short ramps between."""
    length = _samples(timeline.frames, timeline.fps, rate)
    gain = np.ones(length, np.float32)
    dip = max(1, round(CARD_DIP_S * rate))
    for shot in board.shots:
        if shot.card is None:
            continue
        timed = timeline.shot(shot.id)
        start = _samples(timed.start, timeline.fps, rate)
        end = _samples(timed.end, timeline.fps, rate)
        gain[start:end] = 0.0
        before = np.linspace(1.0, 0.0, dip, dtype=np.float32)
        lo = max(0, start - dip)
        gain[lo:start] = np.minimum(gain[lo:start], before[dip - (start - lo) :])
        hi = min(length, end + dip)
        gain[end:hi] = np.minimum(gain[end:hi], before[::-1][: hi - end])
    return gain


# --- the picture's fades ----------------------------------------------------------------


def picture_level(timeline: Timeline, rate: int = FILM_RATE, *, edges_only: bool = False) -> Track:
    """How much of the picture is seen, sample by sample: 0 in black, 1 in the clear.

    The sound of the world follows it (a fade to black takes the rain with it); the
    score follows only the film's own fade in and out (`edges_only`)."""
    length = _samples(timeline.frames, timeline.fps, rate)
    level = np.ones(length, np.float32)
    for transition in timeline.transitions:
        if transition.kind is not TransitionKind.fade:
            continue
        at = _samples(transition.frame, timeline.fps, rate)
        opening, closing = transition.after is None, transition.before is None
        if edges_only and not (opening or closing):
            continue
        before = 0 if opening else round((CLOSING_FADE if closing else FADE_SIDE) * rate)
        after = 0 if closing else round((OPENING_FADE if opening else FADE_SIDE) * rate)
        for lo, hi, rising in ((at - before, at, False), (at, at + after, True)):
            lo, hi = max(0, lo), min(length, hi)
            if hi <= lo:
                continue
            ramp = np.linspace(0.0, 1.0, hi - lo, dtype=np.float32)
            level[lo:hi] = np.minimum(level[lo:hi], ramp if rising else ramp[::-1])
    return level


# --- score ------------------------------------------------------------------------------


def score_style(board: Storyboard) -> score.ScoreStyle:
    """The score's genre, mood, key and tempo from what the story says and shows; the
    key from its title alone (as the score's seed), so that editing a line keeps the
    music and its kept copy (only a change of genre makes a new score)."""
    return score.style_for(" ".join(_story_words(board)), board.music, key_by=board.title or "")


def score_track(
    board: Storyboard,
    timeline: Timeline,
    rate: int = FILM_RATE,
    generated: Generated = Generated(),
) -> Track:
    """A generated score as long as the film, in the story's style."""
    length = _samples(timeline.frames, timeline.fps, rate)
    music = generated.score(score_style(board), length / rate, rate, _seed(board.title or ""))
    if len(music) == length:  # as it always is: the score is cut to the film
        return music
    out = np.zeros(length, np.float32)
    out[: min(length, len(music))] = music[:length]
    return out


def _story_words(board: Storyboard) -> Iterator[str]:
    yield board.title or ""
    for info in board.scenes:
        if info.setting.kind:
            yield info.setting.kind.replace("_", " ")
        yield from (w.kind.replace("_", " ") for w in info.weather)
    for shot in board.shots:
        yield shot.action
        yield from shot.actions.values()
        yield from (line.text for line in shot.lines)


# --- helpers ----------------------------------------------------------------------------


def _add_looped(out: Track, loop: Track, offset: int, gain: np.float32) -> None:
    """Add `loop` at `gain` onto `out`, played round and round from `offset` (taken
    modulo its length): a slice per time round, not an index per sample."""
    at, start = 0, offset % len(loop)
    while at < len(out):
        piece = loop[start : start + len(out) - at]
        out[at : at + len(piece)] += piece * gain
        at, start = at + len(piece), 0


def _samples(frames: int, fps: int, rate: int) -> int:
    return frames * rate // fps


def _seed(text: str) -> int:
    # hashlib, not hash(): string hashing is salted per process.
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")

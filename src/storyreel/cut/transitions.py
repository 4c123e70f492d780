"""Which frames of the film a transition changes, and how: a pure plan over the Timeline.

A transition never changes the film's length. Every shot keeps the frames the Timeline
gave it, so the sound, the subtitles and the studio's shot list stay where the voice
stage put them:

* a fade between two shots darkens the last half second of one and brightens the
  first half second of the next (FADE OUT, FADE IN);
* the film's own edges: an opening `fade` (FADE IN) from black over half a second,
  the last shot, when its `transition` is anything but a cut, to black over a second
  (FADE OUT: the film's last breath);
* a dissolve is centred on the cut and *borrows* its frames: in the half second before
  the cut the outgoing shot plays under the incoming shot's first frame, held; in the
  half second after, the incoming shot plays over the outgoing shot's last frame, held.
  Each shot's own frames play at their own times, so a line spoken at the cut is
  still in sync with its picture; what overlaps is the still handles, which is what an
  editor does when a take has no spare frames;
* a cut and a match cut change nothing.

Each side is at most half of its shot, so a short shot between two transitions keeps
a frame of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from storyreel.model import TransitionKind
from storyreel.render.previs.cards import fade_in_weight, fade_out_weight
from storyreel.timeline import (
    CLOSING_FADE,
    DISSOLVE_SIDE,
    FADE_SIDE,
    OPENING_FADE,
    ShotTime,
    Timeline,
)

EffectKind = Literal["fade", "dissolve", "wipe"]
Neighbour = Literal["next_first", "previous_last"]


@dataclass(frozen=True, slots=True)
class Effect:
    """What one frame of the film becomes.

    `fade`: the frame mixed with black, `weight` 1 the picture and 0 black.
    `dissolve`: the frame mixed with a neighbouring shot's held frame (`neighbour`),
    `weight` being how much of the *incoming* shot shows (0..1).
    `wipe`: as a dissolve, but the incoming shot covers that share of the width."""

    kind: EffectKind
    weight: float
    neighbour: Neighbour | None = None


def _side(seconds: float, fps: int, shot: ShotTime) -> int:
    return max(0, min(round(seconds * fps), shot.frames // 2))


def transition_effects(timeline: Timeline) -> dict[int, Effect]:
    """Film frame index -> its effect, for every frame a transition touches."""
    by_id = {shot.shot_id: shot for shot in timeline.shots}
    fps = timeline.fps
    effects: dict[int, Effect] = {}
    for transition in timeline.transitions:
        if transition.kind in (TransitionKind.cut, TransitionKind.match_cut):
            continue
        before = by_id.get(transition.after) if transition.after is not None else None
        after = by_id.get(transition.before) if transition.before is not None else None
        if (transition.after is not None and before is None) or (
            transition.before is not None and after is None
        ):
            continue  # a shot this timeline does not play
        if before is None and after is None:
            continue
        if before is None or after is None:
            # An edge of the film: from black or to black, whatever the kind.
            shot = after if after is not None else before
            assert shot is not None
            count = _side(OPENING_FADE if after is not None else CLOSING_FADE, fps, shot)
            if after is not None:
                _fade_in(effects, after.start, count)
            else:
                _fade_out(effects, shot.end - count, count)
            continue
        if transition.kind in (TransitionKind.dissolve, TransitionKind.wipe):
            # A wipe is timed as a dissolve: the edge crosses the frame in that second.
            kind: EffectKind = "wipe" if transition.kind == TransitionKind.wipe else "dissolve"
            out_n = _side(DISSOLVE_SIDE, fps, before)
            in_n = _side(DISSOLVE_SIDE, fps, after)
            total = out_n + in_n
            for k in range(total):
                t = (k + 1) / (total + 1)
                frame = transition.frame - out_n + k
                neighbour: Neighbour = "next_first" if k < out_n else "previous_last"
                effects[frame] = Effect(kind, t, neighbour)
        else:  # fade (and any kind added later): out to black, then in
            out_n = _side(FADE_SIDE, fps, before)
            in_n = _side(FADE_SIDE, fps, after)
            _fade_out(effects, transition.frame - out_n, out_n)
            _fade_in(effects, transition.frame, in_n)
    return effects


def _fade_in(effects: dict[int, Effect], start: int, count: int) -> None:
    for i in range(count):
        effects[start + i] = Effect("fade", fade_in_weight(i, count))


def _fade_out(effects: dict[int, Effect], start: int, count: int) -> None:
    for i in range(count):
        effects[start + i] = Effect("fade", fade_out_weight(i, count))

"""When the picture's moving parts happen, in frames of a shot: the steps of a walk,
the blows of a fight, the strikes of a storm.

The previs engine draws them from these functions and the mix sounds them from the
same ones, so a footstep is heard on the frame the foot lands and thunder follows the
flash it belongs to. Pure functions of the shot's action, length, frame rate and seed.
"""

from __future__ import annotations

import numpy as np

# Every action a figure can be drawn doing, and the words that mean one of them.
ACTIONS: tuple[str, ...] = (
    "stand",
    "walk",
    "run",
    "sit",
    "kneel",
    "lie",
    "fight",
    "point",
    "hold",
    "give",
    "hug",
    "fall",
    "jump",
    "look",
    "laugh",
    "cry",
    "eat",
    "drink",
    "open",
    "wave",
    "dance",
)
_ACTION_ALIASES: dict[str, str] = {
    "hand_over": "give",
    "swing": "fight",
    "look_at": "look",
    "speak": "stand",
    "smile": "stand",
    "throw": "fight",
    "read": "hold",
    "write": "hold",
    "hang": "hold",
    "climb": "jump",
    "sleep": "lie",
}
# Actions that move: how many drawn phases a cycle has, phases a second, and the phases
# on whose first frame the action is heard. A walk's legs swap over as phase 1 and phase
# 3 begin (figure.pose_for): a foot lands; a fight's blow falls as phase 1 begins.
_CYCLES: dict[str, tuple[int, float, tuple[int, ...]]] = {
    "walk": (4, 8.0, (1, 3)),
    "run": (4, 12.0, (1, 3)),
    "fight": (2, 3.0, (1,)),
    "wave": (2, 4.0, ()),
    "dance": (2, 3.0, (0,)),
}


def action_of(name: str | None) -> str:
    """The drawn action for an action word ("hand_over" -> "give"); unknown: stand."""
    key = (name or "stand").strip().lower().replace(" ", "_").replace("-", "_")
    key = _ACTION_ALIASES.get(key, key)
    return key if key in ACTIONS else "stand"


def cycle_phases(action: str) -> int:
    """How many distinct drawings the action's cycle has (1: it does not move)."""
    return _CYCLES.get(action_of(action), (1, 0.0, ()))[0]


def phase_at(action: str, frame: int, fps: int) -> int:
    """The cycle phase of `action` shown in frame `frame` at `fps`."""
    count, rate, _ = _CYCLES.get(action_of(action), (1, 0.0, ()))
    if count == 1:
        return 0
    return int(frame * rate / max(1, fps)) % count


def beat_frames(action: str, frames: int, fps: int) -> tuple[int, ...]:
    """The frames of a shot `frames` long on which `action` is heard: where one of its
    sounding phases begins. A still action has none."""
    count, _, sounding = _CYCLES.get(action_of(action), (1, 0.0, ()))
    if count == 1 or not sounding:
        return ()
    out: list[int] = []
    before = -1
    for frame in range(frames):
        phase = phase_at(action, frame, fps)
        if phase != before and phase in sounding and frame > 0:
            out.append(frame)
        before = phase
    return tuple(out)


def strike_frames(seed: int, level: float, frames: int, fps: int) -> tuple[int, ...]:
    """The frames on which lightning strikes in a storm shot of `level` (0..1): the first
    within the shot's first second, so a short shot has one, and about one more per
    three seconds of a strong storm. Frames are drawn on twos (previs/frames.py), so a
    strike starts on an even frame."""
    rng = np.random.default_rng([seed & 0xFFFFFFFF, 0x5EED])
    frames = max(1, frames)
    extra = round(2 * level * frames / (3 * fps))
    strikes = 1 + int(rng.integers(0, 1 + extra))
    starts = [int(rng.integers(0, max(1, min(frames, fps))))]
    starts += [int(rng.integers(0, frames)) for _ in range(strikes - 1)]
    return tuple(sorted({start // 2 * 2 for start in starts}))

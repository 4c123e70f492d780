"""Temporal defects: frozen runs, duplicated and dropped frames, black or blank frames,
flashes.

All of them show in three series of the small grey frames (qa/frames.py): the mean
change from each frame to the next, the share of the frame that changes, and each
frame's brightness. FFmpeg's freezedetect and blackdetect filters (PyAV bundles them)
are about as fast on one take (bench/qa.py: 0.32 s against NumPy's 0.41 s with its
decode, at 720p), but they find neither drops nor flashes, report seconds rather
than frames, and need a decode of their own, where this one decode is shared with
the flicker and motion checks.

- frozen: a run of unchanged frames between moving ones, beyond the animation's
  usual hold (a take that is still from start to end, or eases to a stop, is the
  motion check's concern, not a defect here);
- duplicated: a single unchanged frame between moving ones;
- dropped: a change much larger than the motion around it (the frames between went
  missing), or a gap in the frames' times. Where the whole picture moves (a pan, a
  push-in), "larger" is judged block by block of the frame against each block's own
  typical change, so a figure jumping to its next drawing is not taken for a drop,
  and a drop among a walk's held drawings still shows in the moving background;
- black and blank: a frame almost all dark, or of one flat tone;
- flash: a frame much brighter than the frames around it.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from storyreel.qa import CheckResult, Evidence
from storyreel.qa.frames import TakeFrames, UnreadableTake, read_take
from storyreel.render.engine import RenderRequest, Take

# Frames either side that tell how fast the picture moves around a frame.
_WINDOW = 6


class TemporalOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # How long the picture must stand still between moving frames to be a freeze. An
    # animation drawn on holds (previs draws a fight at 3 drawings a second) stays
    # under it; 0.4 s is 10 frames at 24 fps, plainly seen as a stall.
    frozen_seconds: float = Field(default=0.4, gt=0.0, le=10.0)
    # Duplicated single frames a take may have (a model's stutter is seen from 2).
    max_duplicated: int = Field(default=1, ge=0, le=1000)
    # Mean change (grey levels, 0..255) below which a frame has not changed: an
    # encoder's noise on a copied frame stays under it, a slow pan's step does not.
    still: float = Field(default=0.03, ge=0.0, le=10.0)
    # Mean change above which the picture around a frame is moving...
    moving: float = Field(default=0.1, ge=0.0, le=50.0)
    # ...over at least this share of the frame: a talking mouth or a blinking eye
    # that stops is acting, not a stalled picture, and its first move no lost frame.
    moving_area: float = Field(default=0.02, ge=0.0, le=1.0)
    # A single repeated frame is a stutter only in steady motion: a slow pan's
    # sub-pixel steps repeat frames on their own (previs does at 0.3 grey levels).
    steady: float = Field(default=0.5, ge=0.0, le=50.0)
    # A change this many times the largest change within half a second of it (so the
    # steps of an animation drawn on holds count as its motion), and `jump` grey levels
    # more, means frames went missing between the two...
    dropped_ratio: float = Field(default=2.0, ge=1.1, le=100.0)
    jump: float = Field(default=0.2, ge=0.0, le=255.0)
    # ...or, where the picture's edges move all over the frame (a pan, a push-in), a
    # change this many times the typical one (the median within half a second) where
    # the parts of the frame that move each moved `block_ratio` times their own typical
    # change (the median over them), and at least `held_ratio` times the largest
    # change around: a figure's pose jumping to its next drawing moves only the figure,
    # a slow push-in's one-pixel steps are no larger than the ones before them.
    median_ratio: float = Field(default=2.0, ge=1.1, le=100.0)
    block_ratio: float = Field(default=2.4, ge=1.1, le=100.0)
    held_ratio: float = Field(default=1.3, ge=1.0, le=100.0)
    # A block of the small frame (8x8 pixels) whose typical change is at least this
    # (grey levels) moves; the frame's edges move when 3 % of its blocks do.
    block_moving: float = Field(default=0.5, ge=0.0, le=255.0)
    moving_blocks: float = Field(default=0.03, ge=0.0, le=1.0)
    # A frame this much darker than 255 everywhere (mean grey level under it) is black.
    black: float = Field(default=12.0, ge=0.0, le=128.0)
    # A frame whose grey levels spread less than this (standard deviation) is blank.
    blank: float = Field(default=1.5, ge=0.0, le=64.0)
    # A frame this many grey levels brighter than the frames around it is a flash.
    flash: float = Field(default=40.0, ge=1.0, le=255.0)


class TemporalCheck:
    name: ClassVar[str] = "temporal"
    Options: ClassVar[type[TemporalOptions]] = TemporalOptions

    def __init__(self, options: TemporalOptions | None = None) -> None:
        self.options = options or TemporalOptions()

    def check(self, take: Take, request: RenderRequest) -> CheckResult:
        try:
            frames = read_take(take.path)
        except UnreadableTake as error:
            return CheckResult(check=self.name, score=0.0, passed=False, notes=[str(error)])
        # A title card is meant to be a still, mostly dark picture: only flashes and
        # lost frames are defects there. A storm's lightning is a flash it asks for.
        expected = _CARD_STILL if request.shot.card is not None else frozenset()
        if stormy(request):
            expected |= {"flash"}
        return judge(frames, self.options, self.name, expected=expected)


_CARD_STILL = frozenset({"black", "blank", "frozen", "duplicated"})


def stormy(request: RenderRequest) -> bool:
    """Whether the shot's scene has a storm, whose lightning flashes the picture on
    purpose (previs draws it, a generative engine is asked for it)."""
    return any(kind == "storm_lightning" and level > 0 for kind, level in request.weather)


def flash_frames(bright: NDArray[np.float64], options: TemporalOptions | None = None) -> set[int]:
    """The frames of a flash in a take of these per-frame brightnesses."""
    return {e.frame for e in _flashes(bright, options or TemporalOptions())}


def judge(
    frames: TakeFrames,
    options: TemporalOptions,
    name: str = "temporal",
    *,
    expected: frozenset[str] = frozenset(),
) -> CheckResult:
    """The take's temporal defects; kinds in `expected` are what the shot asks for (a
    title card's stillness) and neither fail nor count."""
    diffs = frames.differences()
    area = frames.changed_area()
    bright = frames.brightness()
    marked = [*_dark_or_flat(frames, options), *_flashes(bright, options)]
    # The change into and out of a black frame or a flash is no sign of lost frames,
    # and two black frames in a row are no freeze.
    odd = {e.frame for e in marked}
    frozen_frames = max(2, round(options.frozen_seconds * frames.fps))
    runs = [
        e
        for e in _still_runs(diffs, area, options, frozen_frames)
        if not {e.frame - 1, e.frame} & odd
    ]
    # A freeze ends with a jump to where the picture would be: part of the freeze.
    odd |= {e.frame + int(e.value) for e in runs if e.kind == "frozen"}
    evidence = [
        *marked,
        *runs,
        *(e for e in _dropped(frames, diffs, area, options) if not {e.frame - 1, e.frame} & odd),
    ]
    evidence = [e for e in evidence if e.kind not in expected]
    evidence.sort(key=lambda e: (e.frame, e.kind))
    counts: dict[str, int] = {}
    for found in evidence:
        counts[found.kind] = counts.get(found.kind, 0) + 1
    duplicated = counts.get("duplicated", 0)
    failing = [e for e in evidence if e.kind != "duplicated" or duplicated > options.max_duplicated]
    bad = sum(int(e.value) if e.kind == "frozen" else 1 for e in failing)
    notes = _notes(failing)
    return CheckResult(
        check=name,
        score=max(0.0, 1.0 - bad / max(1, frames.count)),
        passed=not failing,
        notes=notes,
        evidence=evidence,
        series={"difference": _rounded(diffs), "brightness": _rounded(bright)},
    )


def _notes(failing: list[Evidence]) -> list[str]:
    """One note per defect, a run of frames of one kind in one note (black frames 0-47)."""
    notes: list[str] = []
    frame_kinds = ("black", "blank", "flash", "duplicated")
    i = 0
    while i < len(failing):
        found = failing[i]
        j = i
        if found.kind in frame_kinds:
            while (
                j + 1 < len(failing)
                and failing[j + 1].kind == found.kind
                and failing[j + 1].frame == failing[j].frame + 1
            ):
                j += 1
        if j > i:
            notes.append(f"{found.kind} frames {found.frame}-{failing[j].frame}")
        else:
            notes.append(_note(found))
        i = j + 1
    return notes


def _note(found: Evidence) -> str:
    if found.kind == "frozen":
        return f"frozen for {int(found.value)} frames from frame {found.frame}"
    if found.kind == "dropped":
        return f"frames dropped before frame {found.frame}"
    return f"{found.kind} frame {found.frame}"


def _still_runs(
    diffs: NDArray[np.float64],
    area: NDArray[np.float64],
    options: TemporalOptions,
    frozen_frames: int,
) -> list[Evidence]:
    """Runs of unchanged frames with motion on both sides: frozen when long, duplicated
    when a single frame."""
    found: list[Evidence] = []
    runs = _runs_of(diffs < options.still)
    # An animation drawn on holds stands still between its drawings: the frames of a
    # run beyond its usual hold are the freeze (the picture held as usual, then failed
    # to move on), so that is where the freeze is placed.
    holds = [end - i for i, end in runs if i > 0 and end < len(diffs) and end - i < frozen_frames]
    usual = int(np.median(holds)) if len(holds) >= 2 else 0
    for i, end in runs:
        before = diffs[max(0, i - _WINDOW) : i]
        after = diffs[end : end + _WINDOW]
        # The mean and the largest, not the median: an animation on holds moves on one
        # frame in four (a figure's next drawing changes a twentieth of the frame).
        moving = (
            before.size > 0
            and after.size > 0
            and float(before.mean()) >= options.moving
            and float(after.mean()) >= options.moving
            and float(area[max(0, i - _WINDOW) : i].max()) >= options.moving_area
            and float(area[end : end + _WINDOW].max()) >= options.moving_area
        )
        length = end - i  # frames i+1 .. end repeat frame i
        steady = min(before.min(initial=0.0), after.min(initial=0.0)) >= options.steady
        # A slow push-in changes a few hundredths of the frame, but the picture it stalled
        # catches up in one jump when the freeze ends: that is no acting.
        caught_up = (
            end < len(diffs)
            and before.size > 0
            and float(before.mean()) >= options.moving
            and float(diffs[end]) > options.dropped_ratio * float(before.max()) + options.jump
        )
        if (moving or caught_up) and length - usual >= frozen_frames:
            found.append(Evidence(frame=i + 1 + usual, kind="frozen", value=float(length - usual)))
        elif length == 1 and steady:
            found.append(Evidence(frame=i + 1, kind="duplicated", value=float(diffs[i])))
    return found


def _runs_of(flags: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """The runs of true values: (first index, index after the last)."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(flags):
        if not flags[i]:
            i += 1
            continue
        end = i
        while end < len(flags) and flags[end]:
            end += 1
        runs.append((i, end))
        i = end
    return runs


def _dropped(
    frames: TakeFrames,
    diffs: NDArray[np.float64],
    area: NDArray[np.float64],
    options: TemporalOptions,
) -> list[Evidence]:
    found: list[Evidence] = []
    fps = frames.fps
    steps = np.diff(frames.times)
    for i, step in enumerate(steps):
        if step > 1.5 / fps:  # the file's own frame times skip
            found.append(Evidence(frame=i + 1, kind="dropped", value=float(step * fps - 1)))
    gaps = {e.frame for e in found}
    reach = max(_WINDOW, round(fps / 2))
    blocks = _block_changes(frames.gray)
    for i, change in enumerate(diffs):
        around = np.concatenate([diffs[max(0, i - reach) : i], diffs[i + 1 : i + 1 + reach]])
        if around.size < 2 or i + 1 in gaps:
            continue
        level = float(around.max())
        jumped = change > options.dropped_ratio * level + options.jump
        if level >= options.moving and area[i] >= options.moving_area and jumped:
            found.append(Evidence(frame=i + 1, kind="dropped", value=float(change / level)))
            continue
        typical = float(np.median(around))
        if (
            typical >= options.moving
            and change > options.median_ratio * typical + options.jump
            and change > options.held_ratio * level
            and _edges_jumped(blocks, i, reach, options)
        ):
            found.append(Evidence(frame=i + 1, kind="dropped", value=float(change / typical)))
    return found


def _block_changes(gray: NDArray[np.uint8], side: int = 8) -> NDArray[np.float32]:
    """The mean change of each 8x8 block of the small frames from each frame to the
    next: (frames - 1, blocks)."""
    count, height, width = gray.shape
    rows, cols = height // side, width // side
    if count < 2 or rows == 0 or cols == 0:
        return np.zeros((max(0, count - 1), 0), dtype=np.float32)
    cut = gray[:, : rows * side, : cols * side].astype(np.int16)
    change = np.abs(np.diff(cut, axis=0)).astype(np.float32)
    means = change.reshape(count - 1, rows, side, cols, side).mean(axis=(2, 4))
    return np.asarray(means.reshape(count - 1, -1), dtype=np.float32)


def _edges_jumped(
    blocks: NDArray[np.float32], i: int, reach: int, options: TemporalOptions
) -> bool:
    """Whether the blocks of the frame that move around change `i` each moved much more
    than they do around it (the whole picture jumped, not one figure in it)."""
    if blocks.shape[1] == 0:
        return False
    around = np.concatenate([blocks[max(0, i - reach) : i], blocks[i + 1 : i + 1 + reach]])
    typical = np.median(around, axis=0)
    moving = typical >= options.block_moving
    if moving.sum() < max(1, options.moving_blocks * blocks.shape[1]):
        return False
    return float(np.median(blocks[i, moving] / typical[moving])) >= options.block_ratio


def _dark_or_flat(frames: TakeFrames, options: TemporalOptions) -> list[Evidence]:
    found: list[Evidence] = []
    gray = frames.gray.reshape(frames.count, -1)
    means = gray.mean(axis=1)
    spreads = gray.std(axis=1)
    for i in range(frames.count):
        if means[i] < options.black:
            found.append(Evidence(frame=i, kind="black", value=float(means[i])))
        elif spreads[i] < options.blank and not _bright_spike(means, i, options.flash):
            found.append(Evidence(frame=i, kind="blank", value=float(spreads[i])))
    return found


def _flashes(bright: NDArray[np.float64], options: TemporalOptions) -> list[Evidence]:
    return [
        Evidence(frame=i, kind="flash", value=float(bright[i]))
        for i in range(len(bright))
        if _bright_spike(bright, i, options.flash)
    ]


def _bright_spike(bright: NDArray[np.float64], i: int, delta: float) -> bool:
    around = np.concatenate([bright[max(0, i - _WINDOW) : i], bright[i + 1 : i + 1 + _WINDOW]])
    return around.size > 0 and float(bright[i] - np.median(around)) > delta


def _rounded(values: NDArray[np.float64]) -> list[float]:
    return [round(float(v), 3) for v in values]

"""Temporal defects: frozen runs, duplicated and dropped frames, black or blank frames,
flashes.

All of them show in three series of the small grey frames (qa/frames.py): the mean
change from each frame to the next, the share of the frame that changes, and each
frame's brightness. FFmpeg's freezedetect and blackdetect filters (PyAV bundles them)
are about as fast on one take (bench/qa.py: 0.32 s against NumPy's 0.41 s with its
decode, at 720p), but they find neither drops nor flashes, report seconds rather
than frames, and need a decode of their own, where this one decode is shared with
the flicker and motion checks.

- frozen: a run of unchanged frames between moving ones (a take that is still from
  start to end, or eases to a stop, is the motion check's concern, not a defect here);
- duplicated: a single unchanged frame between moving ones;
- dropped: a change much larger than the motion around it (the frames between went
  missing), or a gap in the frames' times;
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
    # more, means frames went missing between the two.
    dropped_ratio: float = Field(default=2.0, ge=1.1, le=100.0)
    jump: float = Field(default=0.2, ge=0.0, le=255.0)
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
        # lost frames are defects there.
        expected = _CARD_STILL if request.shot.card is not None else frozenset()
        return judge(frames, self.options, self.name, expected=expected)


_CARD_STILL = frozenset({"black", "blank", "frozen", "duplicated"})


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
        *(
            e
            for e in _dropped(diffs, area, frames.times, frames.fps, options)
            if not {e.frame - 1, e.frame} & odd
        ),
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
    still = diffs < options.still
    i = 0
    while i < len(diffs):
        if not still[i]:
            i += 1
            continue
        end = i
        while end < len(diffs) and still[end]:
            end += 1
        before = diffs[max(0, i - _WINDOW) : i]
        after = diffs[end : end + _WINDOW]
        # The mean, not the median: an animation on holds moves on one frame in four.
        moving = (
            before.size > 0
            and after.size > 0
            and float(before.mean()) >= options.moving
            and float(after.mean()) >= options.moving
            and float(area[max(0, i - _WINDOW) : i].mean()) >= options.moving_area
            and float(area[end : end + _WINDOW].mean()) >= options.moving_area
        )
        length = end - i  # frames i+1 .. end repeat frame i
        steady = min(before.min(initial=0.0), after.min(initial=0.0)) >= options.steady
        if moving and length >= frozen_frames:
            found.append(Evidence(frame=i + 1, kind="frozen", value=float(length)))
        elif length == 1 and steady:
            found.append(Evidence(frame=i + 1, kind="duplicated", value=float(diffs[i])))
        i = end
    return found


def _dropped(
    diffs: NDArray[np.float64],
    area: NDArray[np.float64],
    times: NDArray[np.float64],
    fps: float,
    options: TemporalOptions,
) -> list[Evidence]:
    found: list[Evidence] = []
    steps = np.diff(times)
    for i, step in enumerate(steps):
        if step > 1.5 / fps:  # the file's own frame times skip
            found.append(Evidence(frame=i + 1, kind="dropped", value=float(step * fps - 1)))
    gaps = {e.frame for e in found}
    reach = max(_WINDOW, round(fps / 2))
    for i, change in enumerate(diffs):
        around = np.concatenate([diffs[max(0, i - reach) : i], diffs[i + 1 : i + 1 + reach]])
        if around.size < 2 or i + 1 in gaps:
            continue
        level = float(around.max())
        jumped = change > options.dropped_ratio * level + options.jump
        if level >= options.moving and area[i] >= options.moving_area and jumped:
            found.append(Evidence(frame=i + 1, kind="dropped", value=float(change / level)))
    return found


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

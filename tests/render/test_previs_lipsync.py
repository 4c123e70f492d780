"""Lip sync in previs: the speaker's mouth moves with the voice track and keeps still
in silence; nobody else's mouth moves."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from storyreel.model import CameraMove, ShotSize
from storyreel.render.engines.previs import PrevisEngine
from storyreel.render.previs.mouth import mouth_box
from storyreel.render.previs.panel import draw_plate

from .previs_support import decode, make_request

FRAMES = 36  # 1.5 s at 24 fps
# Silent for the first 12 frames, then talking (open, closed, open ...), then silent.
TRACK = [0.0] * 12 + [0.9 if (i // 2) % 2 == 0 else 0.1 for i in range(16)] + [0.0] * 8


def frame_box(request: object, name: str, t: float) -> tuple[int, int, int, int]:
    """The mouth's box in frame pixels at time fraction `t`."""
    plate = draw_plate(request)  # type: ignore[arg-type]
    spot = plate.mouths[name]
    x0, y0, x1, y1 = mouth_box(spot, plate.canvas.shape[1], plate.canvas.shape[0])
    window = plate.plan.window(t)
    sx = request.width / window.w  # type: ignore[attr-defined]
    sy = request.height / window.h  # type: ignore[attr-defined]
    return (
        int((x0 - window.x) * sx),
        int((y0 - window.y) * sy),
        int((x1 - window.x) * sx) + 1,
        int((y1 - window.y) * sy) + 1,
    )


def crop(frame: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    x0, y0, x1, y1 = box
    return frame[max(y0, 0) : y1, max(x0, 0) : x1].astype(int)


def test_previs_declares_lip_sync() -> None:
    assert PrevisEngine.capabilities.lip_sync


@pytest.mark.parametrize(
    ("size", "move"),
    [
        (ShotSize.close_up, CameraMove.static),
        (ShotSize.medium_close_up, CameraMove.pan),
    ],
)
def test_the_speakers_mouth_moves_only_while_they_speak(
    tmp_path: Path, size: ShotSize, move: CameraMove
) -> None:
    request = make_request(
        tmp_path / "take.mp4",
        size=size,
        move=move,
        direction="right" if move == CameraMove.pan else None,
        duration=FRAMES / 24,
        width=640,
        height=360,
    )
    request = replace(request, mouths={"MEI": TRACK})
    PrevisEngine().render(request)
    frames, _ = decode(request.out_path)
    assert len(frames) == FRAMES

    def mouth(i: int) -> np.ndarray:
        return crop(frames[i], frame_box(request, "MEI", i / (FRAMES - 1)))

    if move == CameraMove.static:
        # Still during the silence before the line: the same pixels, frame after frame.
        assert np.abs(mouth(2) - mouth(9)).max() <= 2
    # Open (frame 12) against closed (frame 14), and open against the silent mouth.
    assert np.abs(mouth(12) - mouth(14)).mean() > 8
    assert np.abs(mouth(12) - mouth(4)).mean() > 8

    # An open mouth shows its dark red inside.
    def inside(m: np.ndarray) -> int:
        return int(((m[..., 0] - m[..., 1] > 40) & (m.sum(axis=2) < 260)).sum())

    assert inside(mouth(12)) > inside(mouth(4)) + 10


def test_a_silent_listener_keeps_still(tmp_path: Path) -> None:
    request = make_request(
        tmp_path / "take.mp4",
        size=ShotSize.medium,
        subjects=("MEI", "NAINAI"),
        duration=FRAMES / 24,
        width=640,
        height=360,
    )
    request = replace(request, mouths={"NAINAI": TRACK})
    PrevisEngine().render(request)
    frames, _ = decode(request.out_path)
    # Pixel for pixel within one run of frames between keyframes (the take has one at
    # 12, where a transition into the shot ends: a keyframe quantizes the whole picture
    # anew). Silent, then NAINAI's mouth open (13, 16) and closed (14, 18).
    mei = {i: crop(frames[i], frame_box(request, "MEI", 0.0)).astype(int) for i in range(36)}
    for group in ((4, 8, 11), (13, 14, 16, 18)):
        assert all(np.abs(mei[i] - mei[group[0]]).max() <= 2 for i in group)
    # Across the keyframe only the codec's noise: an opened mouth moves far more.
    assert np.abs(mei[13] - mei[4]).mean() < 3
    nainai = [crop(frames[i], frame_box(request, "NAINAI", 0.0)) for i in (4, 12)]
    assert np.abs(nainai[1] - nainai[0]).mean() > 4


def test_without_a_track_nothing_changes(tmp_path: Path) -> None:
    base = make_request(tmp_path / "a.mp4", size=ShotSize.close_up, duration=0.5)
    PrevisEngine().render(base)
    silent = replace(base, out_path=tmp_path / "b.mp4", mouths={"MEI": [0.0] * 12})
    PrevisEngine().render(silent)
    a, _ = decode(base.out_path)
    b, _ = decode(silent.out_path)
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))

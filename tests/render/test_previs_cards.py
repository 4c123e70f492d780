"""Title cards and picture transitions: text centred on the card, fades that reach
black, dissolves through the average, wipes that cross the frame."""

from __future__ import annotations

import numpy as np
import pytest

from storyreel.render.previs.cards import (
    YUV_BLACK,
    dissolve_planes,
    dissolve_rgb,
    fade_in_weight,
    fade_out_weight,
    fade_planes,
    fade_rgb,
    title_card,
    wipe_planes,
    wipe_rgb,
)
from storyreel.render.previs.frames import to_yuv

RNG = np.random.default_rng(7)


def picture(w: int = 64, h: int = 36) -> np.ndarray:
    return RNG.integers(0, 256, (h, w, 3), dtype=np.uint8)


@pytest.mark.parametrize("text", ["THE END", "白发剑士与黑甲武士"])
@pytest.mark.parametrize("backdrop", ["black", "soft"])
def test_a_title_card_centres_its_text(text: str, backdrop: str) -> None:
    card = title_card(text, 640, 360, backdrop=backdrop)  # type: ignore[arg-type]
    assert card.shape == (360, 640, 3) and card.dtype == np.uint8
    ys, xs = np.nonzero(card.max(axis=2) > 160)  # the text is near white
    assert len(xs) > 200
    cx, cy = (xs.min() + xs.max()) / 2, (ys.min() + ys.max()) / 2
    assert abs(cx - 320) < 0.03 * 640 and abs(cy - 180) < 0.05 * 360
    # Nothing else on the card is bright.
    assert xs.min() > 60 and xs.max() < 580


def test_a_long_title_wraps_inside_the_card() -> None:
    card = title_card("a title far too long to fit on one line of the card " * 2, 320, 180)
    ys, xs = np.nonzero(card.max(axis=2) > 160)
    assert xs.min() > 20 and xs.max() < 300
    assert ys.max() - ys.min() > 25  # more than one line


def test_a_card_needs_a_size() -> None:
    with pytest.raises(ValueError, match="positive size"):
        title_card("x", 0, 10)


def test_fade_out_reaches_black_at_its_last_frame_and_fade_in_starts_there() -> None:
    frame = picture()
    n = 12
    weights = [fade_out_weight(i, n) for i in range(n)]
    assert weights == sorted(weights, reverse=True) and weights[-1] == 0.0
    assert not fade_rgb(frame, weights[-1]).any()
    assert np.array_equal(fade_rgb(frame, 1.0), frame)
    assert fade_in_weight(0, n) == 0.0 and fade_in_weight(n - 1, n) > 0.9
    with pytest.raises(ValueError):
        fade_out_weight(n, n)


def test_fading_planes_reaches_video_black() -> None:
    planes = to_yuv(picture())
    black = fade_planes(planes, 0.0)
    for plane, value in zip(black, YUV_BLACK, strict=True):
        assert (plane == value).all()
    half = fade_planes(planes, 0.5)
    assert abs(int(half[0].mean()) - (16 + (planes[0].mean() - 16) / 2)) <= 1


def test_a_dissolve_passes_through_the_average() -> None:
    a, b = picture(), picture()
    mid = dissolve_rgb(a, b, 0.5)
    average = (a.astype(np.int16) + b.astype(np.int16)) / 2
    assert np.abs(mid - average).max() <= 0.5
    assert np.array_equal(dissolve_rgb(a, b, 0.0), a)
    assert np.array_equal(dissolve_rgb(a, b, 1.0), b)
    pa, pb = to_yuv(a), to_yuv(b)
    for plane, x, y in zip(dissolve_planes(pa, pb, 0.5), pa, pb, strict=True):
        assert np.abs(plane - (x.astype(np.int16) + y) / 2).max() <= 0.5


def test_a_wipe_crosses_the_frame() -> None:
    a, b = picture(), picture()
    left = wipe_rgb(a, b, 0.25, "left")
    assert np.array_equal(left[:, 48:], b[:, 48:]) and np.array_equal(left[:, :48], a[:, :48])
    right = wipe_rgb(a, b, 0.25, "right")
    assert np.array_equal(right[:, :16], b[:, :16]) and np.array_equal(right[:, 16:], a[:, 16:])
    assert np.array_equal(wipe_rgb(a, b, 1.0), b)
    planes = wipe_planes(to_yuv(a), to_yuv(b), 0.5, "right")
    assert np.array_equal(planes[0][:, :32], to_yuv(b)[0][:, :32])
    assert np.array_equal(planes[1][:, :16], to_yuv(b)[1][:, :16])
    with pytest.raises(ValueError, match="direction"):
        wipe_rgb(a, b, 0.5, "up")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="one size"):
        dissolve_rgb(a, picture(32, 18), 0.5)

"""Setting kinds: each draws its own recognisable place, lit for its time of day."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from storyreel.model import Setting, ShotSize
from storyreel.render.engine import RenderRequest
from storyreel.render.previs.backdrop import paint_backdrop
from storyreel.render.previs.frames import FrameMaker
from storyreel.render.previs.overlay import draw_overlay
from storyreel.render.previs.panel import draw_plate
from storyreel.render.previs.sets import ALIASES, SET_KINDS, paint_set, set_kind
from storyreel.render.previs.stage import Stage
from storyreel.run.jobs import render_key

from .previs_support import MakeRequest, make_request

W, H = 320, 180
# A wide shot's canvas: 3.4 world units tall, the subject's feet near the bottom.
STAGE = Stage(W, H, H / 3.4, -W / (H / 3.4) / 2, 2.6, H)

# The kinds a story's world names (the setting vocabulary's keys and their synonyms).
NAMED_KINDS = (
    "street", "night_market", "market", "alley", "rooftop", "balcony", "square", "park",
    "garden", "courtyard", "forest", "bamboo_forest", "mountain", "meadow", "field", "beach",
    "harbour", "lighthouse", "boat_deck", "sea", "ocean", "river", "lake", "desert",
    "snowfield", "farm", "village", "temple", "palace_hall", "castle", "battlefield", "bridge",
    "train_carriage", "station", "bus", "car_interior", "airport", "spaceship", "office",
    "classroom", "library", "hospital", "kitchen", "living_room", "bedroom", "bathroom",
    "corridor", "restaurant", "cafe", "bar", "shop", "workshop", "factory", "stage", "cave",
    "church", "prison", "underwater", "sky",
)  # fmt: skip


def _paint(kind: str, time: str = "day", location: str = "THE PLACE") -> np.ndarray:
    return paint_set(STAGE, Setting(location=location, time=time), kind).pixels  # type: ignore[arg-type]


def _small(pixels: np.ndarray) -> np.ndarray:
    """Mean of 10x10 blocks: the picture's layout and colours, not its fine lines."""
    h, w = pixels.shape[0] // 10 * 10, pixels.shape[1] // 10 * 10
    blocks = pixels[:h, :w].astype(np.float32).reshape(h // 10, 10, w // 10, 10, 3)
    small: np.ndarray = blocks.mean(axis=(1, 3))
    return small


def _luma(pixels: np.ndarray) -> np.ndarray:
    weights = np.asarray((0.299, 0.587, 0.114), np.float32)
    luma: np.ndarray = pixels.astype(np.float32) @ weights
    return luma


@pytest.fixture(scope="module")
def days() -> dict[str, np.ndarray]:
    return {kind: _paint(kind) for kind in SET_KINDS}


def test_every_named_kind_is_drawn() -> None:
    assert len(SET_KINDS) >= 40
    missing = [k for k in NAMED_KINDS if set_kind(k, None) != ALIASES.get(k, k)]
    assert not missing, f"kinds without a set: {missing}"
    assert set(SET_KINDS) >= {ALIASES.get(k, k) for k in NAMED_KINDS}


def test_every_kind_differs_from_every_other(days: dict[str, np.ndarray]) -> None:
    small = {kind: _small(pixels) for kind, pixels in days.items()}
    for kind, pixels in days.items():
        assert pixels.shape == (H, W, 3) and pixels.dtype == np.uint8, kind
    close = [
        (a, b, round(float(np.abs(small[a] - small[b]).mean()), 1))
        for a, b in itertools.combinations(SET_KINDS, 2)
        if np.abs(small[a] - small[b]).mean() < 8.0
    ]
    assert not close, f"sets that look alike (mean abs difference < 8/255): {close}"


def test_bamboo_forest_is_green_stalks_in_the_middle(days: dict[str, np.ndarray]) -> None:
    band = days["bamboo_forest"][int(H * 0.2) : int(H * 0.55)].astype(np.int16)
    r, g, b = band[..., 0], band[..., 1], band[..., 2]
    green = (g > r + 15) & (g > b + 15)
    assert green.mean() > 0.5
    # Stalks: the band's columns alternate between stalk and gaps, not one flat wash.
    columns = green.mean(axis=0)
    assert columns.std() > 0.1


def test_night_is_darker_than_day_everywhere(days: dict[str, np.ndarray]) -> None:
    for kind in SET_KINDS:
        day, night = _luma(days[kind]).mean(), _luma(_paint(kind, "night")).mean()
        assert night < day * 0.75, f"{kind}: night {night:.0f} vs day {day:.0f}"


def test_dusk_warms_an_exterior_sky() -> None:
    day, dusk = _paint("meadow", "day"), _paint("meadow", "dusk")
    sky = slice(0, int(H * 0.25))
    warmth = [float(p[sky, :, 0].mean() - p[sky, :, 2].mean()) for p in (day, dusk)]
    assert warmth[1] > warmth[0] + 20


def test_a_train_carriage_is_not_a_living_room(days: dict[str, np.ndarray]) -> None:
    train, room = _small(days["train_carriage"]), _small(days["living_room"])
    assert np.abs(train - room).mean() > 20
    # Rows of windows: several lit by the sky across the upper half, not one.
    window_row = days["train_carriage"][int(H * 0.3), :].astype(np.int16)
    sky_blue = (window_row[:, 2] > window_row[:, 0] + 30).astype(np.int8)
    assert np.count_nonzero(np.diff(sky_blue) == 1) >= 3


def test_interiors_dim_and_warm_at_dusk() -> None:
    day, dusk = _paint("office", "day"), _paint("office", "dusk")
    assert _luma(dusk).mean() < _luma(day).mean() * 0.9
    warmth = [float(p[..., 0].mean() - p[..., 2].mean()) for p in (day, dusk)]
    assert warmth[1] > warmth[0] + 15


def test_interiors_light_their_lamps_at_night() -> None:
    night = _luma(_paint("living_room", "night"))
    # Lamplight pools: the brightest parts of a night room are far above its average.
    assert np.percentile(night, 99.5) > night.mean() + 60


def test_a_place_looks_the_same_in_every_shot_and_places_differ() -> None:
    a = _paint("village", location="MILL VILLAGE")
    assert np.array_equal(a, _paint("village", location="MILL VILLAGE"))
    assert not np.array_equal(a, _paint("village", location="RIVER VILLAGE"))


def test_aliases_and_unknown_kinds_fall_back_clearly() -> None:
    assert np.array_equal(_paint("ocean"), _paint("sea"))
    assert set_kind("Bamboo Forest", None) == "bamboo_forest"
    inside = Setting(location="SOMEWHERE", interior="int", time="day")
    outside = Setting(location="SOMEWHERE", interior="ext", time="day")
    assert set_kind("zeppelin", inside) == "living_room"
    assert set_kind("zeppelin", outside) in ("street", "park")
    fallback = paint_set(STAGE, inside, "zeppelin").pixels
    assert np.array_equal(fallback, paint_set(STAGE, inside, "living_room").pixels)


def test_paint_backdrop_draws_a_kind_or_keeps_inferring_from_words() -> None:
    market = Setting(location="NIGHT MARKET", interior="ext", time="night")
    inferred = paint_backdrop(STAGE, market)
    assert np.array_equal(inferred, paint_backdrop(STAGE, market, None))
    temple = paint_backdrop(STAGE, market, "temple")
    assert np.array_equal(temple, paint_set(STAGE, market, "temple").pixels)
    assert np.abs(_small(temple) - _small(inferred)).mean() > 8


def _frames(request: RenderRequest, count: int) -> list[np.ndarray]:
    plate = draw_plate(request)
    overlay, boxes = draw_overlay(request)
    maker = FrameMaker(plate, overlay, boxes)
    return [maker.frame(i / max(1, count - 1), i).to_ndarray(format="rgb24") for i in range(count)]


def test_the_view_slides_past_a_train_window_but_not_through_its_passenger(
    request_for: MakeRequest,
) -> None:
    setting = Setting(location="INT. TRAIN", interior="int", time="day")
    request = replace(request_for(setting=setting, size=ShotSize.wide), set_kind="train_carriage")
    plate = draw_plate(request)
    assert plate.passing is not None and plate.passing.boxes
    frames = _frames(request, 6)
    assert np.array_equal(frames[0], frames[1])  # moving views are drawn on twos
    moved = np.abs(frames[0].astype(np.int16) - frames[4].astype(np.int16)).max(axis=2) > 12
    assert moved.any()
    # Only the windows change, and not where the figure stands in front of them.
    inside = np.zeros_like(moved)
    for x0, y0, x1, y1 in plate.passing.boxes:
        inside[y0:y1, x0:x1] = True  # a static wide shot: canvas and frame coincide
    assert not (moved & ~inside).any()
    x0, y0, x1, y1 = plate.figures["MEI"]
    figure = frames[0][max(0, y0) : y1, max(0, x0) : x1]
    later = frames[4][max(0, y0) : y1, max(0, x0) : x1]
    assert np.array_equal(figure[:, figure.shape[1] // 3 : 2 * figure.shape[1] // 3],
                          later[:, later.shape[1] // 3 : 2 * later.shape[1] // 3])  # fmt: skip


def test_the_take_key_changes_with_the_set_and_weather(tmp_path: Path) -> None:
    request = make_request(tmp_path / "a.mp4")
    keys = {
        render_key(r, "previs", "1")
        for r in (
            request,
            replace(request, set_kind="temple"),
            replace(request, set_kind="cave"),
            replace(request, weather=(("rain", 1.0),)),
            replace(request, weather=(("rain", 0.5),)),
        )
    }
    assert len(keys) == 5

"""Weather and atmosphere layers: what each does to the pixels, per frame and per seed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from storyreel.errors import EngineError
from storyreel.model import Setting, ShotSize
from storyreel.render.engine import RenderRequest
from storyreel.render.engines.previs import PrevisEngine
from storyreel.render.previs.frames import FrameMaker
from storyreel.render.previs.overlay import draw_overlay
from storyreel.render.previs.panel import compose_panel, draw_plate
from storyreel.render.previs.weather import WEATHER_KINDS, check_weather, particles_for

from .previs_support import MakeRequest, decode

STREET_NIGHT = Setting(location="HARBOUR ROAD", interior="ext", time="night")
STREET_DAY = Setting(location="HARBOUR ROAD", interior="ext", time="day")


def _request(
    request_for: MakeRequest,
    weather: tuple[tuple[str, float], ...],
    setting: Setting = STREET_NIGHT,
    kind: str = "street",
    **kwargs: object,
) -> RenderRequest:
    base = request_for(setting=setting, size=ShotSize.wide, duration=1.0, **kwargs)
    return replace(base, set_kind=kind, weather=weather)


def _frames(request: RenderRequest, count: int = 8) -> list[np.ndarray]:
    """The engine's frames (YUV, as encoded) back in RGB, without the caption band."""
    plate = draw_plate(request)
    overlay, boxes = draw_overlay(request)
    maker = FrameMaker(plate, overlay, boxes)
    frames = [maker.frame(i / (count - 1), i).to_ndarray(format="rgb24") for i in range(count)]
    return [f[: int(f.shape[0] * 0.78)].astype(np.int16) for f in frames]


def _luma(rgb: np.ndarray) -> np.ndarray:
    luma: np.ndarray = rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114
    return luma


def test_rain_adds_thin_bright_falling_streaks_that_move(request_for: MakeRequest) -> None:
    dry = _frames(_request(request_for, ()))
    wet = _frames(_request(request_for, (("rain", 1.0),)))
    # The overcast veil is the same in every frame; the streaks are what changes.
    streaks = np.abs(_luma(wet[0]) - _luma(wet[2])) > 12
    assert 0.005 < streaks.mean() < 0.15
    brighter = _luma(wet[0]) - _luma(wet[2])
    on_first = streaks & (brighter > 0)
    assert on_first.any()
    # Thin lines falling steeply: a streak pixel's neighbour below is far more often a
    # streak pixel than its neighbour to the side.
    down = (on_first[:-1, :] & on_first[1:, :]).sum()
    side = (on_first[:, :-1] & on_first[:, 1:]).sum()
    assert down > 3 * side
    # Rain dims the street like an overcast sky, and the picture is not the dry one.
    assert _luma(wet[0]).mean() != pytest.approx(_luma(dry[0]).mean(), abs=0.5)
    assert np.array_equal(wet[0], wet[1])  # on twos
    assert not np.array_equal(wet[2], wet[4])


def test_snow_falls_as_white_dots(request_for: MakeRequest) -> None:
    frames = _frames(_request(request_for, (("snow", 1.0),), setting=STREET_DAY))
    changed = np.abs(_luma(frames[0]) - _luma(frames[4])) > 20
    assert changed.any()
    whiter = changed & (_luma(frames[0]) > _luma(frames[4]))
    flakes = frames[0][whiter]
    assert flakes.min(axis=1).mean() > 170  # white: every channel high
    assert (flakes.max(axis=1) - flakes.min(axis=1)).mean() < 40  # and grey, not tinted


def test_a_storm_flashes_a_bright_frame(request_for: MakeRequest) -> None:
    frames = _frames(_request(request_for, (("storm_lightning", 1.0),)), count=24)
    means = np.array([_luma(f).mean() for f in frames])
    assert means.max() > np.median(means) + 40
    assert (means > np.median(means) + 20).sum() <= len(means) // 2  # a flash, not a lit shot


def test_fog_lowers_contrast(request_for: MakeRequest) -> None:
    clear = _frames(_request(request_for, (), setting=STREET_DAY), count=2)[0]
    foggy = _frames(_request(request_for, (("fog", 1.0),), setting=STREET_DAY), count=2)[0]
    assert _luma(foggy).std() < 0.7 * _luma(clear).std()


def test_the_moon_rises_in_a_night_sky_and_sunset_warms_it(request_for: MakeRequest) -> None:
    night = Setting(location="MEADOW", interior="ext", time="night")
    plain = _frames(_request(request_for, (), night, "meadow"), count=2)[0]
    moon = _frames(_request(request_for, (("moon_stars", 1.0),), night, "meadow"), count=2)[0]
    # A big bright disc in the sky (the set's own small moon is there either way).
    bright = [int((_luma(p[:60]) > 200).sum()) for p in (plain, moon)]
    assert bright[1] > bright[0] + 200
    day = Setting(location="MEADOW", interior="ext", time="day")
    fair = _frames(_request(request_for, (), day, "meadow"), count=2)[0]
    sunset = _frames(_request(request_for, (("sunset", 1.0),), day, "meadow"), count=2)[0]
    sky = slice(0, 40)
    warmth = [float(p[sky, :, 0].mean() - p[sky, :, 2].mean()) for p in (fair, sunset)]
    assert warmth[1] > warmth[0] + 25


@pytest.mark.parametrize("kind", WEATHER_KINDS)
def test_every_weather_changes_the_picture(request_for: MakeRequest, kind: str) -> None:
    setting = STREET_NIGHT if kind == "moon_stars" else STREET_DAY
    plain = _frames(_request(request_for, (), setting), count=3)
    weather = _frames(_request(request_for, ((kind, 1.0),), setting), count=3)
    # Some kinds tint the whole picture, others move a few flakes or leaves across it.
    changed = [(np.abs(a - b).max(axis=2) > 16).mean() for a, b in zip(plain, weather, strict=True)]
    assert max(changed) > 0.002, kind


def test_weather_is_the_same_for_a_seed_and_differs_between_seeds(
    request_for: MakeRequest, tmp_path: Path
) -> None:
    weather = (("rain", 0.8), ("wind_leaves", 0.6), ("storm_lightning", 0.5))
    request = _request(request_for, weather)
    takes = []
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        out = tmp_path / f"{name}.mp4"
        PrevisEngine().render(replace(request, seed=seed, out_path=out))
        takes.append(out.read_bytes())
    assert takes[0] == takes[1]
    assert takes[0] != takes[2]
    frames, _ = decode(tmp_path / "a.mp4")
    assert len(frames) == request.frame_count


def test_rain_stays_outside(request_for: MakeRequest) -> None:
    kitchen = Setting(location="KITCHEN", interior="int", time="day")
    assert particles_for((("rain", 1.0),), 320, 180, 24, 24, 0, interior=True) is None
    assert particles_for((("rain", 1.0),), 320, 180, 24, 24, 0, interior=False) is not None
    frames = _frames(_request(request_for, (("rain", 1.0), ("steam", 1.0)), kitchen, "kitchen"))
    assert np.abs(frames[0] - frames[4]).max() > 0  # the steam still rises


def test_weather_is_checked() -> None:
    assert check_weather([("rain", 1.7), ("fog", -1), ("clear", 1.0)]) == (
        ("rain", 1.0),
        ("fog", 0.0),
    )
    with pytest.raises(EngineError, match=r"unknown weather 'hail'.*rain"):
        check_weather([("hail", 0.5)])


def test_stills_show_the_weather_of_their_moment(request_for: MakeRequest) -> None:
    request = _request(request_for, (("snow", 1.0),), setting=STREET_DAY)
    fair = compose_panel(replace(request, weather=()), overlay=False, t=0.5)
    early, middle = (compose_panel(request, overlay=False, t=t) for t in (0.0, 0.5))
    assert not np.array_equal(early, middle)  # the flakes have fallen on
    whiter = _luma(middle.astype(np.int16)) > _luma(fair.astype(np.int16)) + 20
    assert whiter.any()


def test_the_wind_carries_bamboo_leaves_in_a_bamboo_grove() -> None:
    def colours(kind: str | None) -> np.ndarray:
        particles = particles_for(
            (("wind_leaves", 1.0),), 640, 360, 24, 24, 0, interior=False, set_kind=kind
        )
        assert particles is not None
        return np.concatenate([swarm.yuv for swarm in particles.swarms])

    # In YUV, green sits below the neutral 128 on both chroma axes; orange and brown
    # autumn leaves are red (V) above it.
    assert (colours("bamboo_forest")[:, 2] < 128).all()
    assert (colours("park")[:, 2] > 140).any()

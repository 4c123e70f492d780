"""The picture a previs take delivers (annotated, slate only, clean) and its record of
what it drew: every element's kind, name and box on the middle frame, checked against
the pixels."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from storyreel.config import MakeConfig
from storyreel.model import Angle, ShotLine, ShotSize
from storyreel.render.drawn import Drawn, read_drawn
from storyreel.render.engine import RenderRequest
from storyreel.render.engines.previs import PrevisEngine
from storyreel.render.previs import compose_panel
from storyreel.render.previs.manifest import middle_frame

from .previs_support import MARKET_NIGHT, MakeRequest, decode

LINE = ShotLine(character="MEI", text="The lanterns are lit.", lang="en")


def _pixels(box: tuple[float, float, float, float], req: RenderRequest) -> tuple[int, ...]:
    x0, y0, x1, y1 = box
    w, h = req.width, req.height
    return round(x0 * w), round(y0 * h), round(x1 * w), round(y1 * h)


def _one(elements: tuple[Drawn, ...], kind: str, name: str | None = None) -> Drawn:
    found = [e for e in elements if e.kind == kind and (name is None or e.name == name)]
    assert len(found) == 1, (kind, name, elements)
    return found[0]


def test_a_clean_picture_has_no_slate_and_no_caption(request_for: MakeRequest) -> None:
    req = request_for(lines=(LINE,))
    bare = compose_panel(req, overlay=False)
    annotated = compose_panel(req)
    clean = compose_panel(replace(req, picture="clean"))
    assert np.array_equal(clean, bare)
    # The annotated picture differs from it in the slate (top left) and the band (bottom).
    assert np.abs(annotated[:20, :60].astype(int) - bare[:20, :60]).max() > 40
    assert np.abs(annotated[-12:].astype(int) - bare[-12:]).max() > 40


def test_under_burned_subtitles_the_caption_band_is_off(request_for: MakeRequest) -> None:
    assert MakeConfig(burn_subtitles=True).request_picture == "slate"
    assert MakeConfig(burn_subtitles=True, picture="clean").request_picture == "clean"
    assert MakeConfig().request_picture == "annotated"
    req = request_for(lines=(LINE,))
    bare = compose_panel(req, overlay=False)
    slate = compose_panel(replace(req, picture="slate"))
    annotated = compose_panel(req)
    # The bottom third is the plain picture: the film's subtitles will be burned there.
    third = req.height // 3
    assert np.array_equal(slate[-third:], bare[-third:])
    assert not np.array_equal(annotated[-third:], bare[-third:])
    assert np.array_equal(slate[:20, :60], annotated[:20, :60])  # the slate stays


def test_the_picture_is_in_the_take_key(request_for: MakeRequest) -> None:
    from storyreel.run.jobs import render_key

    req = request_for()
    keys = {render_key(replace(req, picture=p), "previs", "1") for p in ("annotated", "clean")}
    assert len(keys) == 2


def test_a_take_records_what_it_drew(request_for: MakeRequest) -> None:
    req = replace(
        request_for(lines=(LINE,), setting=MARKET_NIGHT, duration=1.0, size=ShotSize.full),
        set_kind="night_market",
        weather=(("rain", 0.6),),
        things=(("lantern", None), ("cup", "MEI")),
    )
    take = PrevisEngine().render(req)
    drawn = read_drawn(take.path)
    assert drawn is not None
    assert drawn.frame == middle_frame(req.frame_count)[0] == 12
    kinds = {(e.kind, e.name) for e in drawn.elements}
    assert ("setting", "night_market") in kinds
    assert ("weather", "rain") in kinds
    assert ("thing", "lantern") in kinds
    assert ("person", "MEI") in kinds
    assert _one(drawn.elements, "thing", "cup").holder == "MEI"
    assert _one(drawn.elements, "caption").name == "MEI: The lanterns are lit."
    assert _one(drawn.elements, "slate").name.startswith("S1 · shot 7")
    for element in drawn.elements:
        x0, y0, x1, y1 = element.box
        assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1


def test_a_clean_take_records_no_overlay(request_for: MakeRequest) -> None:
    take = PrevisEngine().render(replace(request_for(lines=(LINE,)), picture="clean"))
    drawn = read_drawn(take.path)
    assert drawn is not None
    assert {e.kind for e in drawn.elements} == {"setting", "person"}


@pytest.mark.parametrize("angle", [Angle.eye_level, Angle.dutch, Angle.high])
def test_a_persons_box_holds_the_figures_pixels(request_for: MakeRequest, angle: Angle) -> None:
    plain = request_for(duration=1.0)
    shot = plain.shot.model_copy(update={"angle": angle})
    req = replace(plain, shot=shot, picture="clean")  # the figure alone differs
    take = PrevisEngine().render(req)
    drawn = read_drawn(take.path)
    assert drawn is not None
    person = _one(drawn.elements, "person", "MEI")
    middle, t = middle_frame(req.frame_count)
    frames, _ = decode(take.path)
    # The figure's pixels: what the middle frame shows that the empty place does not.
    empty = compose_panel(req, subjects=False, overlay=False, t=t)
    changed = np.abs(frames[middle].astype(int) - empty.astype(int)).max(axis=2) > 40
    assert changed.sum() > 200
    x0, y0, x1, y1 = _pixels(person.box, req)
    inside = changed[max(0, y0 - 2) : y1 + 2, max(0, x0 - 2) : x1 + 2].sum()
    assert inside / changed.sum() > 0.97
    # And the box is about the figure, not the frame.
    ys, xs = np.nonzero(changed)
    figure_area = (xs.max() + 1 - xs.min()) * (ys.max() + 1 - ys.min())
    assert (x1 - x0) * (y1 - y0) < 1.3 * figure_area


def test_a_props_box_holds_its_pixels(request_for: MakeRequest) -> None:
    base = request_for(duration=1.0, size=ShotSize.full)
    req = replace(base, things=(("lantern", None),))
    take = PrevisEngine().render(req)
    drawn = read_drawn(take.path)
    assert drawn is not None
    lantern = _one(drawn.elements, "thing", "lantern")
    _, t = middle_frame(req.frame_count)
    without = compose_panel(base, overlay=False, t=t)
    with_it = compose_panel(req, overlay=False, t=t)
    changed = np.abs(with_it.astype(int) - without.astype(int)).max(axis=2) > 40
    assert changed.sum() > 20
    x0, y0, x1, y1 = _pixels(lantern.box, req)
    inside = changed[max(0, y0 - 2) : y1 + 2, max(0, x0 - 2) : x1 + 2].sum()
    assert inside / changed.sum() > 0.97

"""What the previs panels show: framing, stable characters, settings and captions."""

from __future__ import annotations

import numpy as np
import pytest

from storyreel.fonts import face_index, faces, font
from storyreel.model import Character, Setting, ShotLine, ShotSize
from storyreel.render.previs import compose_panel, look_for
from storyreel.render.previs.look import COLOURS
from storyreel.render.previs.overlay import caption_lines, wrap

from .previs_support import (
    KITCHEN_DAY,
    KITCHEN_NIGHT,
    LEO,
    MARKET_NIGHT,
    MEI,
    NAINAI,
    PARK_DAY,
    MakeRequest,
    area,
    changed_box,
)


def figure_mask(req_kwargs: dict[str, object], request_for: MakeRequest) -> np.ndarray:
    """Pixels the cast changes over the same backdrop (no slate or caption)."""
    req = request_for(**req_kwargs)
    bare = compose_panel(req, subjects=False, overlay=False)
    full = compose_panel(req, overlay=False)
    mask: np.ndarray = np.abs(bare.astype(int) - full.astype(int)).max(axis=2) > 24
    return mask


# --- framing -------------------------------------------------------------------------


def test_close_up_frames_the_figure_much_larger_than_a_wide_shot(request_for: MakeRequest) -> None:
    boxes = {}
    for size in (ShotSize.wide, ShotSize.close_up):
        req = request_for(size=size)
        bare = compose_panel(req, subjects=False, overlay=False)
        full = compose_panel(req, overlay=False)
        boxes[size] = changed_box(bare, full)
    assert area(boxes[ShotSize.close_up]) >= 3 * area(boxes[ShotSize.wide])
    # In the wide shot the whole figure stands small in the frame.
    _, y0, _, y1 = boxes[ShotSize.wide]
    assert 0.15 * 180 <= y1 - y0 <= 0.45 * 180


def test_each_tighter_size_shows_more_of_the_subject(request_for: MakeRequest) -> None:
    sizes = [
        ShotSize.extreme_wide,
        ShotSize.wide,
        ShotSize.full,
        ShotSize.medium,
        ShotSize.close_up,
    ]
    covered = [figure_mask({"size": s}, request_for).mean() for s in sizes]
    assert covered == sorted(covered)


def test_close_up_head_fills_most_of_the_height(request_for: MakeRequest) -> None:
    # The face is skin-coloured: in a close-up, skin spans a good part of the frame.
    req = request_for(size=ShotSize.close_up)
    panel = compose_panel(req, overlay=False)
    skin = np.array(look_for(MEI).skin)
    rows = np.nonzero((np.abs(panel.astype(int) - skin).max(axis=2) < 12).any(axis=1))[0]
    assert rows.max() - rows.min() >= 0.4 * 180


def test_other_subjects_stand_beside_the_first(request_for: MakeRequest) -> None:
    mask = figure_mask({"size": ShotSize.wide, "subjects": ("MEI", "NAINAI")}, request_for)
    columns = np.nonzero(mask.any(axis=0))[0]
    # Two figures side by side: a gap of background columns between them.
    gaps = np.diff(columns)
    assert gaps.max() > 3
    left_end = columns[np.argmax(gaps)]
    assert left_end < 320 / 2  # the first subject stands on the left


def test_a_shot_without_subjects_frames_the_setting(request_for: MakeRequest) -> None:
    req = request_for(subjects=())
    assert np.array_equal(
        compose_panel(req, overlay=False), compose_panel(req, subjects=False, overlay=False)
    )


# --- characters ----------------------------------------------------------------------


def colour_share(panel: np.ndarray, mask: np.ndarray, colour: tuple[int, int, int]) -> float:
    near = np.abs(panel.astype(int) - np.array(colour)).max(axis=2) < 16
    return float((near & mask).sum() / max(1, mask.sum()))


@pytest.mark.parametrize(
    ("size", "setting", "scene"),
    [(ShotSize.medium, PARK_DAY, 1), (ShotSize.full, MARKET_NIGHT, 4)],
)
def test_figures_keep_their_palette_across_shots(
    request_for: MakeRequest, size: ShotSize, setting: Setting, scene: int
) -> None:
    kwargs: dict[str, object] = {
        "size": size,
        "setting": setting,
        "scene": scene,
        "subjects": ("MEI", "NAINAI"),
    }
    req = request_for(**kwargs)
    panel = compose_panel(req, overlay=False)
    mask = figure_mask(kwargs, request_for)
    red, green = COLOURS["red"], COLOURS["green"]
    # MEI's red raincoat and NAINAI's green cardigan both show, in every shot.
    assert colour_share(panel, mask, red) > 0.05
    assert colour_share(panel, mask, green) > 0.02


def test_looks_follow_the_description() -> None:
    mei, nainai, leo = look_for(MEI), look_for(NAINAI), look_for(LEO)
    assert mei.top == COLOURS["red"] and mei.garment == "coat"
    assert mei.hair == COLOURS["black"] and mei.hair_style == "short"
    assert nainai.age == "old" and nainai.glasses and nainai.hair_style == "bun"
    assert nainai.top == COLOURS["green"]
    assert leo.age == "child" and leo.height < mei.height and leo.top == COLOURS["yellow"]
    assert len({mei.top, nainai.top, leo.top}) == 3


def test_chinese_descriptions() -> None:
    look = look_for(Character(name="林", description="七十多岁，白发，戴眼镜，穿蓝色外套，白胡子"))
    assert look.age == "old" and look.glasses
    assert look.top == COLOURS["blue"]
    assert look.beard is not None and sum(look.beard) > 600  # white
    assert sum(look.hair) > 600
    coat = look_for(Character(name="梅", description="红色雨衣，黑色短发"))
    assert coat.top == COLOURS["red"] and coat.hair == COLOURS["black"]
    assert coat.hair_style == "short"


def test_undescribed_characters_differ_but_are_stable() -> None:
    a1 = look_for(Character(name="ANNA"))
    a2 = look_for(Character(name="ANNA"))
    b = look_for(Character(name="BORIS"))
    assert a1 == a2
    assert a1 != b


# --- settings ------------------------------------------------------------------------


def brightness(panel: np.ndarray) -> float:
    return float(panel.astype(np.float32).mean())


def test_backdrops_differ_by_place_and_time(request_for: MakeRequest) -> None:
    def bare(setting: Setting) -> np.ndarray:
        return compose_panel(request_for(setting=setting), subjects=False, overlay=False)

    park_day = bare(PARK_DAY)
    park_night = bare(PARK_DAY.model_copy(update={"time": "night"}))
    kitchen_day, kitchen_night = bare(KITCHEN_DAY), bare(KITCHEN_NIGHT)
    assert brightness(park_night) < brightness(park_day) - 40
    assert brightness(kitchen_night) < brightness(kitchen_day) - 30
    assert np.abs(park_day.astype(int) - kitchen_day.astype(int)).mean() > 25
    # The same place looks the same in another shot; another place looks different.
    assert np.array_equal(bare(PARK_DAY), park_day)
    other = bare(Setting(location="RIVERSIDE", interior="ext", time="day"))
    assert np.abs(other.astype(int) - park_day.astype(int)).mean() > 5


# --- slate and caption ---------------------------------------------------------------


def test_caption_shows_chinese_text(request_for: MakeRequest) -> None:
    line = ShotLine(character="NAINAI", text="风不吃风筝。风只是想跟它玩。", lang="zh")
    req = request_for(lines=(line,), width=640, height=360)
    with_caption = compose_panel(req)
    without = compose_panel(req, overlay=False)
    band = slice(300, 360)
    changed = np.abs(with_caption[band].astype(int) - without[band].astype(int)).max(axis=2)
    assert (changed > 30).mean() > 0.5  # the band darkens the whole bottom
    glyphs = with_caption[band].min(axis=2) > 200  # light text on the dark band
    assert glyphs.sum() > 300
    assert caption_lines(req.shot, 14, 600)[0].text.startswith("NAINAI：风不吃")


def test_fonts_pick_the_face_per_language() -> None:
    assert {"SC", "TC", "JP", "KR"} <= set(faces())
    family = font(20, "zh").getname()[0] or ""
    assert "CJK" in family and family.endswith("SC")
    assert (font(20, "ja").getname()[0] or "").endswith("JP")
    assert (font(20, "ko").getname()[0] or "").endswith("KR")
    assert (font(20, "yue").getname()[0] or "")[-2:] in ("HK", "TC")
    assert face_index("en") == face_index("zh")
    assert font(20, "zh") is font(20, "zh")  # cached


def test_wrapping_cjk_per_character_and_latin_per_word() -> None:
    face = font(16, "zh")
    width = face.getlength("风不吃风筝风只") + 1
    lines = wrap("风不吃风筝。风只是想跟它玩。", face, width)
    assert len(lines) >= 2
    assert all(face.getlength(line) <= width + face.getlength("。") for line in lines)
    assert not any(line.startswith("。") for line in lines)
    words = wrap("The wind just ate it again today", face, face.getlength("The wind just") + 1)
    assert words[0] == "The wind just"
    assert " ".join(words) == "The wind just ate it again today"


def test_long_captions_stop_at_three_lines_with_an_ellipsis(request_for: MakeRequest) -> None:
    text = "The kite climbs and climbs into the pink sky. " * 6
    req = request_for(action=text, width=320, height=180)
    lines = caption_lines(req.shot, 12, 280)
    assert len(lines) == 3
    assert lines[-1].text.endswith("…")

"""The film-grammar vocabulary: every English and Chinese term parses to one value."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from storyreel.model import Angle, CameraMove, Setting, Shot, ShotSize, TransitionKind

# The eight Chinese sizes for the seven English ones: 近景 and 中近景 are both a medium
# close-up (see model._TERMS).
ZH_SIZES = {
    "大远景": ShotSize.extreme_wide,
    "远景": ShotSize.wide,
    "全景": ShotSize.full,
    "中景": ShotSize.medium,
    "中近景": ShotSize.medium_close_up,
    "近景": ShotSize.medium_close_up,
    "特写": ShotSize.close_up,
    "大特写": ShotSize.extreme_close_up,
}
EN_SIZES = {
    "extreme wide": ShotSize.extreme_wide,
    "Wide": ShotSize.wide,
    "full": ShotSize.full,
    "medium": ShotSize.medium,
    "Medium Close-Up": ShotSize.medium_close_up,
    "close-up": ShotSize.close_up,
    "close up": ShotSize.close_up,
    "extreme close-up": ShotSize.extreme_close_up,
    "ECU": ShotSize.extreme_close_up,
}
ZH_MOVES = {
    "固定": CameraMove.static,
    "推": CameraMove.push_in,
    "拉": CameraMove.pull_out,
    "摇": CameraMove.pan,
    "移": CameraMove.track,
    "跟": CameraMove.follow,
    "升": CameraMove.crane_up,
    "降": CameraMove.crane_down,
    "环绕": CameraMove.orbit,
    "手持": CameraMove.handheld,
}
EN_MOVES = {
    "static": CameraMove.static,
    "push in": CameraMove.push_in,
    "pull out": CameraMove.pull_out,
    "pan": CameraMove.pan,
    "tilt": CameraMove.tilt,
    "track": CameraMove.track,
    "follow": CameraMove.follow,
    "crane up": CameraMove.crane_up,
    "crane down": CameraMove.crane_down,
    "orbit": CameraMove.orbit,
    "handheld": CameraMove.handheld,
}
ANGLES = {
    "eye level": Angle.eye_level,
    "high": Angle.high,
    "low": Angle.low,
    "overhead": Angle.overhead,
    "dutch": Angle.dutch,
    "平视": Angle.eye_level,
    "俯拍": Angle.high,
    "仰拍": Angle.low,
    "顶拍": Angle.overhead,
    "斜角": Angle.dutch,
}
TRANSITIONS = {
    "cut": TransitionKind.cut,
    "dissolve": TransitionKind.dissolve,
    "fade": TransitionKind.fade,
    "match cut": TransitionKind.match_cut,
    "切": TransitionKind.cut,
    "叠化": TransitionKind.dissolve,
    "淡出": TransitionKind.fade,
    "匹配剪辑": TransitionKind.match_cut,
}


@pytest.mark.parametrize(("term", "size"), sorted({**ZH_SIZES, **EN_SIZES}.items()))
def test_every_size_term_parses(term: str, size: ShotSize) -> None:
    assert ShotSize(term) is size


def test_every_chinese_size_term_is_covered_and_every_size_has_a_chinese_name() -> None:
    assert len(ZH_SIZES) == 8
    assert set(ZH_SIZES.values()) == set(ShotSize)
    assert {s.zh for s in ShotSize} <= set(ZH_SIZES)


@pytest.mark.parametrize(("term", "move"), sorted({**ZH_MOVES, **EN_MOVES}.items()))
def test_every_move_term_parses(term: str, move: CameraMove) -> None:
    assert CameraMove(term) is move


@pytest.mark.parametrize(("term", "angle"), sorted(ANGLES.items()))
def test_every_angle_term_parses(term: str, angle: Angle) -> None:
    assert Angle(term) is angle


@pytest.mark.parametrize(("term", "kind"), sorted(TRANSITIONS.items()))
def test_every_transition_term_parses(term: str, kind: TransitionKind) -> None:
    assert TransitionKind(term) is kind


def test_a_shot_takes_the_terms_and_rejects_anything_else() -> None:
    setting = Setting(location="ROOF")
    shot = Shot.model_validate(
        {"id": "1", "scene": 1, "size": "特写", "angle": "仰拍", "move": "手持",
         "duration": 2, "setting": setting, "transition": "叠化", "screen": {"MEI": "left"}}
    )  # fmt: skip
    assert (shot.size, shot.angle, shot.move, shot.transition) == (
        ShotSize.close_up,
        Angle.low,
        CameraMove.handheld,
        TransitionKind.dissolve,
    )
    assert shot.screen == {"MEI": pytest.approx(1 / 3)}
    with pytest.raises(ValidationError):
        Shot(id="1", scene=1, size="closeish", duration=2, setting=setting)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Shot(id="1", scene=1, size="wide", duration=2, setting=setting, screen={"MEI": 1.5})

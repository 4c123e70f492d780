"""Engine prompts for a shot, composed from its fields in English and in Chinese.

A generative engine sees only the prompt, so everything that makes the shot this shot
goes in: framing, angle, move, who is in it (with the cast's descriptions, which win
over the script's, so a face stays the same across shots), what happens, what is said,
where and when, the style. Story text is quoted as written; it is not translated.

This is the only place prompts are made: planning fills every shot's prompt here
(`with_prompts`), and engines send the shot's prompt as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from storyreel.model import Angle, CameraMove, Character, Prompt, Setting, Shot, Storyboard

# What a video model should steer away from in every shot: the usual failure modes of
# diffusion video, and burnt-in text (subtitles are ours to add).
_NEGATIVE_EN = (
    "blurry, low quality, distorted faces, extra limbs, deformed hands, flicker, "
    "inconsistent character, text, subtitles, watermark, logo"
)
_NEGATIVE_ZH = (
    "模糊，低画质，面部扭曲，多余肢体，手部畸形，闪烁，角色不一致，文字，字幕，水印，标志"
)

_MOVE_EN = {
    CameraMove.static: "static camera",
    CameraMove.push_in: "camera slowly pushes in",
    CameraMove.pull_out: "camera pulls out",
    CameraMove.pan: "camera pans",
    CameraMove.tilt: "camera tilts",
    CameraMove.track: "tracking shot",
    CameraMove.follow: "camera follows the subject",
    CameraMove.crane_up: "crane shot rising",
    CameraMove.crane_down: "crane shot descending",
    CameraMove.orbit: "camera orbits the subject",
    CameraMove.handheld: "handheld camera",
}
_MOVE_ZH = {
    CameraMove.static: "固定镜头",
    CameraMove.push_in: "镜头缓缓推近",
    CameraMove.pull_out: "镜头拉远",
    CameraMove.pan: "横摇镜头",
    CameraMove.tilt: "纵摇镜头",
    CameraMove.track: "移动镜头",
    CameraMove.follow: "跟拍",
    CameraMove.crane_up: "升镜头",
    CameraMove.crane_down: "降镜头",
    CameraMove.orbit: "环绕镜头",
    CameraMove.handheld: "手持镜头",
}
_DIRECTION_ZH = {"left": "向左", "right": "向右", "up": "向上", "down": "向下"}
_TIME_ZH = {"day": "白天", "night": "夜晚", "dawn": "黎明", "dusk": "黄昏"}
_PLACE_EN = {"int": "interior", "ext": "exterior", "int/ext": "interior and exterior"}
_PLACE_ZH = {"int": "内景", "ext": "外景", "int/ext": "内外景"}


def compose(
    shot: Shot, characters: dict[str, Character], style: Prompt | None = None
) -> tuple[Prompt, Prompt]:
    """The prompt and the negative prompt for `shot`, in the film's `style`."""
    style = style or Prompt()
    en = [
        _framing_en(shot),
        _who(shot, characters, "en"),
        _what_en(shot, characters),
        _where_en(shot.setting),
        ", ".join(p for p in (style.en, "cinematic lighting", "consistent characters") if p),
    ]
    zh = [
        _framing_zh(shot),
        _who(shot, characters, "zh"),
        _what_zh(shot, characters),
        _where_zh(shot.setting),
        "，".join(p for p in (style.zh, "电影感光影", "角色形象一致") if p),
    ]
    if shot.slow_motion:
        en.insert(1, "slow motion, high frame rate")
        zh.insert(1, "慢动作，高速摄影")
    negative_en, negative_zh = _NEGATIVE_EN, _NEGATIVE_ZH
    if shot.move == CameraMove.static:
        negative_en += ", camera shake"
        negative_zh += "，镜头晃动"
    if shot.angle != Angle.dutch:
        negative_en += ", tilted horizon"
        negative_zh += "，地平线倾斜"
    if not shot.subjects:
        negative_en += ", people"
        negative_zh += "，人物"
    sentences = [p[:1].upper() + p[1:] for p in en if p]
    return (
        Prompt(en=". ".join(sentences) + ".", zh="。".join(p for p in zh if p) + "。"),
        Prompt(en=negative_en, zh=negative_zh),
    )


def with_prompts(board: Storyboard) -> Storyboard:
    """`board` with a prompt and a negative prompt in both languages on every shot:
    what a planner or a person left empty is composed; what is written is kept."""
    shots = [_prompted(shot, board) for shot in board.shots]
    if all(new is old for new, old in zip(shots, board.shots, strict=True)):
        return board
    return board.model_copy(update={"shots": shots})


def _prompted(shot: Shot, board: Storyboard) -> Shot:
    written = (shot.prompt.en, shot.prompt.zh, shot.negative.en, shot.negative.zh)
    if all(written):
        return shot
    prompt, negative = compose(shot, board.characters, board.style)
    return shot.model_copy(
        update={
            "prompt": Prompt(en=shot.prompt.en or prompt.en, zh=shot.prompt.zh or prompt.zh),
            "negative": Prompt(
                en=shot.negative.en or negative.en, zh=shot.negative.zh or negative.zh
            ),
        }
    )


def dress(board: Storyboard, descriptions: Mapping[str, str]) -> Storyboard:
    """`board` with its characters described as `descriptions` say (the cast's, which
    win over the script's and the storyboard file's). A shot's prompt composed from the
    old descriptions is composed again; a prompt someone wrote is theirs and kept."""
    characters = described(board.characters, descriptions)
    if characters == board.characters:
        return board
    shots = []
    for shot in board.shots:
        old, _ = compose(shot, board.characters, board.style)
        if shot.prompt == old:
            new, _ = compose(shot, characters, board.style)
            shot = shot.model_copy(update={"prompt": new})
        shots.append(shot)
    return board.model_copy(update={"characters": characters, "shots": shots})


def described(
    characters: Mapping[str, Character], descriptions: Mapping[str, str]
) -> dict[str, Character]:
    """`characters` with the description `descriptions` gives each (an empty one is no
    description: the character keeps their own)."""
    return {
        name: character.model_copy(update={"description": descriptions[name]})
        if descriptions.get(name) and descriptions[name] != character.description
        else character
        for name, character in characters.items()
    }


def _framing_en(shot: Shot) -> str:
    move = _MOVE_EN[shot.move]
    if shot.direction and shot.move != CameraMove.static:
        move += f" {shot.direction}"
    angle = "" if shot.angle == Angle.eye_level else f", {shot.angle.en} angle"
    return f"{shot.size.en.capitalize()} shot{angle}, {move}"


def _framing_zh(shot: Shot) -> str:
    move = _MOVE_ZH[shot.move]
    if shot.direction and shot.move != CameraMove.static:
        move = _DIRECTION_ZH[shot.direction] + move
    angle = "" if shot.angle == Angle.eye_level else f"，{shot.angle.zh}"
    return f"{shot.size.zh}{angle}，{move}"


def _who(shot: Shot, characters: dict[str, Character], lang: str) -> str:
    people = []
    for name in shot.subjects:
        description = characters[name].description if name in characters else ""
        if lang == "zh":
            people.append(f"{name}（{description}）" if description else name)
        else:
            people.append(f"{name} ({description})" if description else name)
    return ("、" if lang == "zh" else ", ").join(people)


def _what_en(shot: Shot, characters: dict[str, Character]) -> str:
    said = [f'{ln.character} says: "{ln.text}"' for ln in shot.lines]
    if said:
        return "; ".join(said)
    return _by_name(shot.action, characters).strip().rstrip(".。")


def _what_zh(shot: Shot, characters: dict[str, Character]) -> str:
    said = [f"{ln.character}说：“{ln.text}”" for ln in shot.lines]
    if said:
        return "；".join(said)
    return _by_name(shot.action, characters).strip().rstrip(".。")


def _by_name(action: str, characters: dict[str, Character]) -> str:
    """The action with each character's first-mention description taken out ("MEI (20s,
    red raincoat) waves" -> "MEI waves"): who is in the shot, and how they look, is said
    once, from the cast, so a description the cast replaced never reaches an engine."""
    for name in characters:
        # A Chinese name has no word boundary before it (一位卖灯老人（...）).
        edge = r"(?<!\w)" if name[:1].isascii() else ""
        mention = rf"{edge}({re.escape(name)})\s*[(（][^()（）]*[)）]"
        action = re.sub(mention, r"\1", action, flags=re.IGNORECASE)
    return action


def _where_en(setting: Setting) -> str:
    parts = [_PLACE_EN[setting.interior] if setting.interior else "", setting.location]
    parts.append(setting.time or "")
    where = ", ".join(p for p in parts if p)
    return where[:1].upper() + where[1:]


def _where_zh(setting: Setting) -> str:
    parts = [_PLACE_ZH[setting.interior] if setting.interior else "", setting.location]
    parts.append(_TIME_ZH[setting.time] if setting.time else "")
    return "，".join(p for p in parts if p)

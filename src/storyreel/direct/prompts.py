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

from storyreel.model import (
    Angle,
    CameraMove,
    Character,
    Prompt,
    SceneInfo,
    SetPlace,
    Setting,
    Shot,
    Storyboard,
)
from storyreel.vocab import load_vocabulary

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


# The weather in plain visual words, light and heavy forms where they differ.
_WEATHER_EN = {
    "rain": ("light drizzle", "rain falling", "heavy downpour"),
    "snow": ("light snowfall", "snow falling", "heavy snowstorm"),
    "fog": ("thin mist", "fog", "thick fog"),
    "wind_leaves": ("a breeze stirring leaves", "leaves blowing in the wind", "a gale of leaves"),
    "storm_lightning": ("distant lightning", "a storm with lightning", "a violent thunderstorm"),
    "fire_smoke": ("wisps of smoke", "fire and smoke", "raging fire and black smoke"),
    "steam": ("wisps of steam", "steam rising", "clouds of steam"),
    "dust": ("drifting dust", "dust in the air", "a dust storm"),
    "moon_stars": ("moonlight", "moonlight and stars", "a full moon in a starry sky"),
    "sunrise": ("first light", "sunrise", "a blazing sunrise"),
    "sunset": ("evening glow", "sunset", "a fiery sunset"),
    "clear": ("clear sky", "bright sunshine", "blazing sunshine"),
}
_WEATHER_ZH = {
    "rain": ("细雨", "下雨", "暴雨"),
    "snow": ("小雪", "下雪", "暴风雪"),
    "fog": ("薄雾", "雾气", "浓雾"),
    "wind_leaves": ("微风吹动树叶", "风吹落叶", "狂风卷起落叶"),
    "storm_lightning": ("远处闪电", "暴风雨，电闪雷鸣", "狂风暴雨，雷电交加"),
    "fire_smoke": ("轻烟", "火光与浓烟", "熊熊大火，滚滚黑烟"),
    "steam": ("热气袅袅", "蒸汽升腾", "蒸汽弥漫"),
    "dust": ("微尘飘浮", "尘土飞扬", "沙尘暴"),
    "moon_stars": ("月光", "月光与星空", "明月当空，繁星点点"),
    "sunrise": ("晨曦", "日出", "壮丽的日出"),
    "sunset": ("晚霞", "日落", "火红的夕阳"),
    "clear": ("晴空", "阳光明媚", "烈日当空"),
}


def compose(
    shot: Shot,
    characters: dict[str, Character],
    style: Prompt | None = None,
    scene: SceneInfo | None = None,
) -> tuple[Prompt, Prompt]:
    """The prompt and the negative prompt for `shot`, in the film's `style`, in the
    world of its `scene` (the place's kind, the weather, the people's looks)."""
    style = style or Prompt()
    looks = _looks(characters, scene)
    en = [
        _framing_en(shot),
        _card_en(shot) or _who(shot, looks, "en"),
        _what(shot, characters, "en", scene is not None),
        _things(shot, "en"),
        "" if shot.card else _where_en(shot.setting, scene),
        "" if shot.card else _weather(scene, "en"),
        ", ".join(p for p in (style.en, "cinematic lighting", "consistent characters") if p),
    ]
    zh = [
        _framing_zh(shot),
        _card_zh(shot) or _who(shot, looks, "zh"),
        _what(shot, characters, "zh", scene is not None),
        _things(shot, "zh"),
        "" if shot.card else _where_zh(shot.setting, scene),
        "" if shot.card else _weather(scene, "zh"),
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
    if not shot.subjects and not _crowded(shot, scene):
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
    prompt, negative = compose(shot, board.characters, board.style, board.scene_info(shot.scene))
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
        scene = board.scene_info(shot.scene)
        old, _ = compose(shot, board.characters, board.style, scene)
        if shot.prompt == old:
            new, _ = compose(shot, characters, board.style, scene)
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


def _looks(characters: dict[str, Character], scene: SceneInfo | None) -> dict[str, str]:
    """How each person looks: the cast's description (carried by `characters`) wins
    over what the scene's text says of an unnamed person."""
    looks = {p.name: p.description for p in scene.people} if scene else {}
    for name, character in characters.items():
        if character.description or name not in looks:
            looks[name] = character.description
    return looks


def _who(shot: Shot, looks: dict[str, str], lang: str) -> str:
    people = []
    for name in shot.subjects:
        description = looks.get(name, "")
        if not description or description.lower() in name.lower():
            # An unnamed person's name is how the text describes them (白发剑士); an
            # English prompt says what they are in English too ("a swordsman").
            kind = _person_kind(name) if lang == "en" else None
            people.append(f"{name} (a {kind})" if kind else name)
        elif lang == "zh":
            people.append(f"{name}（{description}）")
        else:
            people.append(f"{name} ({description})")
    return ("、" if lang == "zh" else ", ").join(people)


def _person_kind(name: str) -> str | None:
    """The English word for the kind of person a Chinese name ends in (剑士: swordsman)."""
    if name.isascii():
        return None
    for entry in load_vocabulary().people.values():
        if entry.en and any(name.endswith(word) for word in entry.zh):
            return entry.en[0]
    return None


def _card_en(shot: Shot) -> str:
    return f'Title card: the words "{shot.card}" on a plain dark background' if shot.card else ""


def _card_zh(shot: Shot) -> str:
    return f"字幕卡：深色背景上的文字“{shot.card}”" if shot.card else ""


def _what(shot: Shot, characters: dict[str, Character], lang: str, staged: bool) -> str:
    """What is seen happening, as plain visual words: each subject's action ("MEI
    walks", 白发剑士挥剑), who is speaking to whom; never the script's lines.

    A shot of people without any action (one a person or an LLM wrote) says its action
    text, the one description of it there is."""
    if shot.card:
        return ""
    zh = lang == "zh"
    said = [ln.character for ln in shot.lines if ln.character in shot.subjects]
    parts = []
    for name in shot.subjects:
        kind = shot.actions.get(name)
        if kind and kind != "speak" and kind != "stand":
            parts.append(_act(name, kind, zh))
        elif name in said:
            parts.append(f"{name}在说话" if zh else f"{name} speaking")
    if shot.lines and not said:
        parts.append("画外音" if zh else "voice-over")
    if parts or shot.actions or shot.lines or (staged and not shot.subjects):
        # What the world says is all there is to see; the script's words stay out.
        return ("，" if zh else ", ").join(parts)
    return _by_name(shot.action, characters).strip().rstrip(".。")


def _act(name: str, kind: str, zh: bool) -> str:
    entry = load_vocabulary().actions.get(kind)
    if zh:
        # A two-character verb reads as the action (战斗), a single one as a fragment (打).
        words = [w for w in entry.zh if len(w) > 1] or list(entry.zh) if entry else []
        verb = words[0] if words else kind
        return f"{name}{verb}"
    verb = entry.en[0] if entry and entry.en else kind.replace("_", " ")
    return f"{name} {_third_person(verb)}"


def _third_person(verb: str) -> str:
    head, _, rest = verb.partition(" ")
    if head.endswith(("s", "sh", "ch", "x", "z", "o")):
        head += "es"
    elif head.endswith("y") and head[-2:-1] not in "aeiou":
        head = head[:-1] + "ies"
    else:
        head += "s"
    return f"{head} {rest}".strip()


def _things(shot: Shot, lang: str) -> str:
    props = load_vocabulary().props
    zh = lang == "zh"
    out = []
    for thing in shot.things:
        entry = props.get(thing.kind)
        if zh:
            word = entry.zh[0] if entry and entry.zh else thing.name or thing.kind
            out.append(f"{thing.holder}手中的{word}" if thing.holder else word)
        else:
            word = entry.en[0] if entry and entry.en else thing.kind.replace("_", " ")
            out.append(f"{word} in {thing.holder}'s hand" if thing.holder else word)
    if not out:
        return ""
    focus = shot.focus if shot.focus in {t.kind for t in shot.things} else None
    if focus and not shot.subjects:
        first = out[[t.kind for t in shot.things].index(focus)]
        return (
            f"特写{first}，画面主体为{first}" if zh else f"insert of the {first}, filling the frame"
        )
    return ("画面中有" + "、".join(out)) if zh else "with " + ", ".join(out)


def _weather(scene: SceneInfo | None, lang: str) -> str:
    if scene is None:
        return ""
    table = _WEATHER_ZH if lang == "zh" else _WEATHER_EN
    words = [
        table[w.kind][0 if w.intensity < 0.34 else 2 if w.intensity > 0.66 else 1]
        for w in scene.weather
    ]
    if scene.crowd:
        words.append("熙熙攘攘的人群" if lang == "zh" else "a bustling crowd in the background")
    return ("，" if lang == "zh" else ", ").join(words)


def _crowded(shot: Shot, scene: SceneInfo | None) -> bool:
    return scene is not None and scene.crowd and shot.card is None


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


def _place(
    setting: Setting, place: SetPlace | None, lang: str
) -> tuple[str, str | None, str | None]:
    """The place's name (the kind's plain words, with the heading's own name when it says
    more), inside or out, and the time: the scene's world wins over the heading."""
    kind = place.kind if place else None
    entry = load_vocabulary().settings.get(kind) if kind else None
    if entry is None:
        name = setting.location or (kind or "").replace("_", " ")
    else:
        words = entry.zh if lang == "zh" else entry.en
        # In English the kind's own name says most ("boat deck", where `en` has "deck").
        name = (
            (words[0] if words else kind or "") if lang == "zh" else (kind or "").replace("_", " ")
        )
        known = {w.lower() for w in (*entry.en, *entry.zh)}
        if setting.location and setting.location.lower() not in known:
            name = (
                f"{name}（{setting.location}）" if lang == "zh" else f"{name} ({setting.location})"
            )
    interior = (place.interior if place else None) or setting.interior
    time = (place.time if place else None) or setting.time
    return name, interior, time


def _where_en(setting: Setting, scene: SceneInfo | None = None) -> str:
    name, interior, time = _place(setting, scene.setting if scene else None, "en")
    parts = [_PLACE_EN[interior] if interior else "", name, time or ""]
    where = ", ".join(p for p in parts if p)
    return where[:1].upper() + where[1:]


def _where_zh(setting: Setting, scene: SceneInfo | None = None) -> str:
    name, interior, time = _place(setting, scene.setting if scene else None, "zh")
    parts = [_PLACE_ZH[interior] if interior else "", name, _TIME_ZH[time] if time else ""]
    return "，".join(p for p in parts if p)

"""What a character looks like on the previs panels, read from their description.

`look_for` is pure and stable: the same Character gives the same Look in every shot and
every run, so a figure is recognisable across the film. Words in the description win
(English and Chinese); whatever they leave open comes from a hash of the name, so two
undescribed characters still differ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from storyreel.model import Character
from storyreel.render.previs.util import RGB, mix, stable_random

HairStyle = Literal["short", "long", "bald", "bun", "ponytail"]
# "skirt" is a top over a skirt in the bottom colour; "dress" is one colour throughout.
Garment = Literal["shirt", "jacket", "coat", "dress", "skirt", "hoodie"]
Age = Literal["child", "teen", "adult", "old"]


@dataclass(frozen=True)
class Look:
    name: str
    skin: RGB
    hair: RGB
    hair_style: HairStyle
    top: RGB  # the main garment
    garment: Garment  # its silhouette
    bottom: RGB  # trousers or skirt
    shoes: RGB
    hat: RGB | None = None
    beard: RGB | None = None
    glasses: bool = False
    age: Age = "adult"
    # Standing height relative to an adult (1.0) and shoulder width relative to average.
    height: float = 1.0
    build: float = 1.0
    stoop: bool = False


# Animatic colours: recognisably "red" or "blue", but softened so panels stay pleasant.
COLOURS: dict[str, RGB] = {
    "red": (196, 52, 48),
    "crimson": (170, 30, 50),
    "maroon": (120, 32, 40),
    "blue": (52, 98, 184),
    "navy": (36, 50, 96),
    "teal": (32, 128, 128),
    "black": (38, 38, 44),
    "grey": (128, 130, 136),
    "gray": (128, 130, 136),
    "silver": (176, 180, 188),
    "white": (236, 236, 230),
    "green": (64, 140, 76),
    "olive": (110, 116, 56),
    "yellow": (232, 196, 52),
    "brown": (118, 78, 48),
    "beige": (206, 186, 150),
    "tan": (196, 160, 112),
    "purple": (120, 72, 156),
    "violet": (140, 96, 190),
    "pink": (232, 140, 170),
    "orange": (232, 128, 44),
    "gold": (212, 168, 56),
    "golden": (212, 168, 56),
    "blonde": (226, 196, 120),
    "blond": (226, 196, 120),
    "auburn": (140, 62, 36),
    "ginger": (190, 96, 44),
    "红": (196, 52, 48),
    "蓝": (52, 98, 184),
    "藏青": (36, 50, 96),
    "黑": (38, 38, 44),
    "灰": (128, 130, 136),
    "银": (176, 180, 188),
    "白": (236, 236, 230),
    "绿": (64, 140, 76),
    "黄": (232, 196, 52),
    "棕": (118, 78, 48),
    "褐": (118, 78, 48),
    "咖啡": (118, 78, 48),
    "米色": (206, 186, 150),
    "紫": (120, 72, 156),
    "粉": (232, 140, 170),
    "橙": (232, 128, 44),
    "橘": (232, 128, 44),
    "金": (212, 168, 56),
}
# Hair in "gold"/"金" is blonde, not metallic; "white"/"grey" hair is a little warmer.
_HAIR_COLOURS: dict[str, RGB] = {
    "gold": COLOURS["blonde"],
    "golden": COLOURS["blonde"],
    "金": COLOURS["blonde"],
    "white": (226, 224, 218),
    "白": (226, 224, 218),
    "grey": (160, 160, 158),
    "gray": (160, 160, 158),
    "灰": (160, 160, 158),
    "red": COLOURS["ginger"],
    "红": COLOURS["ginger"],
}

# Nouns a colour can belong to. The first one after the colour word decides.
_NOUNS: dict[str, tuple[str, ...]] = {
    "hair": ("hair", "bun", "ponytail", "braid", "curls", "头发", "发", "辫", "马尾"),
    "beard": ("beard", "moustache", "mustache", "stubble", "胡子", "胡须", "须"),
    "hat": ("hat", "cap", "beanie", "hood", "帽"),
    "bottom": ("trousers", "pants", "jeans", "skirt", "shorts", "裤", "短裙"),
    "top": (
        "raincoat", "coat", "jacket", "dress", "shirt", "blouse", "sweater", "jumper",
        "hoodie", "cardigan", "suit", "uniform", "robe", "gown", "vest", "top", "tunic",
        "qipao", "cheongsam", "overalls", "apron", "t-shirt", "tee", "scarf",
        "雨衣", "外套", "大衣", "夹克", "裙", "衬衫", "毛衣", "卫衣", "西装", "制服",
        "旗袍", "长袍", "袍", "背心", "风衣", "棉袄", "衣", "T恤",
    ),
}  # fmt: skip
_GARMENTS: tuple[tuple[Garment, tuple[str, ...]], ...] = (
    ("coat", ("raincoat", "coat", "robe", "gown", "雨衣", "大衣", "风衣", "长袍", "袍", "棉袄")),
    ("skirt", ("skirt", "半身裙", "短裙")),
    ("dress", ("dress", "qipao", "cheongsam", "裙", "旗袍")),
    ("hoodie", ("hoodie", "sweater", "jumper", "卫衣", "毛衣", "cardigan")),
    ("jacket", ("jacket", "suit", "uniform", "blazer", "夹克", "西装", "制服", "外套")),
)

_CJK = re.compile(r"[\u3400-\u9fff]")
_COLOUR_RE = re.compile(
    "|".join(
        rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w)
        for w in sorted(COLOURS, key=len, reverse=True)
    ),
    re.IGNORECASE,
)
# The colour word's noun must come before the next clause: ", " or "，" or "和"/"and".
_CLAUSE_END = re.compile(r"[,，、;；。.()（）]|\band\b|\bwith\b|和|戴|穿")

_SKINS: tuple[RGB, ...] = (
    (247, 214, 186),
    (238, 200, 166),
    (226, 182, 144),
    (204, 152, 112),
    (168, 116, 82),
    (122, 84, 60),
)
_DEFAULT_HAIR: tuple[RGB, ...] = (
    (38, 34, 34),
    (58, 42, 32),
    (96, 64, 40),
    (140, 92, 52),
    (30, 30, 36),
)
_DEFAULT_TOPS: tuple[RGB, ...] = (
    (72, 112, 160),
    (170, 84, 72),
    (86, 130, 98),
    (196, 150, 70),
    (124, 96, 150),
    (70, 140, 150),
    (180, 110, 140),
    (90, 90, 100),
)
_DEFAULT_BOTTOMS: tuple[RGB, ...] = ((52, 60, 84), (70, 64, 60), (40, 42, 48), (108, 96, 80))


def _has(text: str, words: tuple[str, ...]) -> bool:
    return any(_find(text, w) >= 0 for w in words)


def _find(text: str, word: str) -> int:
    """Position of `word` in lower-cased `text`: whole words for Latin, anywhere for CJK."""
    if word.isascii():
        m = re.search(rf"\b{re.escape(word)}s?\b", text)
        return m.start() if m else -1
    return text.find(word)


def colour_assignments(description: str) -> dict[str, tuple[str, RGB]]:
    """Which colour word goes to which part: {"top": ("red", rgb), "hair": ...}.

    A colour belongs to the first noun after it in the same clause ("short black hair",
    "红色雨衣", "白胡子"); a colour with no noun ("dressed in red") goes to the clothing.
    """
    text = description.lower()
    found: dict[str, tuple[str, RGB]] = {}
    loose: list[tuple[str, RGB]] = []
    for m in _COLOUR_RE.finditer(text):
        word = m.group(0)
        rest = text[m.end() :]
        end = _CLAUSE_END.search(rest)
        clause = rest[: end.start()] if end else rest
        best: tuple[int, str] | None = None
        for part, nouns in _NOUNS.items():
            for noun in nouns:
                at = _find(clause, noun)
                if at >= 0 and (best is None or at < best[0]):
                    best = (at, part)
        rgb = COLOURS.get(word) or COLOURS[word.lower()]
        if best is None:
            loose.append((word, rgb))
            continue
        part = best[1]
        if part in ("hair", "beard"):
            rgb = _HAIR_COLOURS.get(word, rgb)
        found.setdefault(part, (word, rgb))
    for word, rgb in loose:
        if "top" not in found:
            found["top"] = (word, rgb)
        elif "bottom" not in found:
            found["bottom"] = (word, rgb)
    return found


def _age(text: str) -> Age:
    # "ten years old" is a child, not an old man.
    text = re.sub(r"\b(years?|yrs?)\s+old\b", "years", text)
    decade = re.search(r"\b(\d{1,2})0s\b", text)
    years = re.search(r"\b(\d{1,2})\b(?:\s*(?:years?|yrs?|y/o|岁))?", text)
    zh_decade = re.search(r"([一二三四五六七八九])十(?:多|几)?岁", text)
    age: int | None = None
    if decade:
        age = int(decade.group(1)) * 10
    elif zh_decade:
        age = "一二三四五六七八九".index(zh_decade.group(1)) * 10 + 10
    elif years:
        age = int(years.group(1))
    if _has(text, ("child", "kid", "toddler", "little girl", "little boy", "小孩", "孩子", "儿童")):
        return "child"
    if _has(text, ("elderly", "old", "aged", "grandmother", "grandfather", "grandma", "grandpa")):
        return "old"
    if _has(text, ("老人", "老太", "老头", "老奶奶", "老爷爷", "奶奶", "爷爷", "年迈", "老年")):
        return "old"
    if _has(text, ("teen", "teenage", "teenager", "少年", "少女")):
        return "teen"
    if age is not None:
        if age <= 11:
            return "child"
        if age <= 17:
            return "teen"
        if age >= 60:
            return "old"
    return "adult"


def _garment(text: str) -> Garment | None:
    for garment, words in _GARMENTS:
        if _has(text, words):
            return garment
    return None


def look_for(character: Character, gender: str | None = None) -> Look:
    """The stable look of `character`: description words first, then the `gender` the
    scene's world read for them (pronouns, titles, names), name hash for the rest."""
    text = character.description.lower()
    rng = stable_random("look", character.name.strip().lower())
    colours = colour_assignments(text)
    age = _age(text)
    female = _has(text, ("woman", "girl", "she", "her", "female", "lady", "mother", "grandmother"))
    female = female or _has(text, ("女", "她", "奶奶", "妈妈", "姐", "妹", "婆"))
    female = female or gender == "female"

    # Defaults are drawn first and always in the same order, so a described attribute
    # never shifts the hashed choice of another one.
    skin = rng.choice(_SKINS)
    hair = rng.choice(_DEFAULT_HAIR)
    top = rng.choice(_DEFAULT_TOPS)
    bottom = rng.choice(_DEFAULT_BOTTOMS)
    garment: Garment = rng.choice(("shirt", "jacket", "hoodie", "coat", "shirt"))
    style: HairStyle = rng.choice(("long", "ponytail", "bun")) if female else "short"
    build = rng.uniform(0.9, 1.12)

    if age == "old":
        hair = mix(hair, (200, 200, 198), 0.85)
    if "hair" in colours:
        hair = colours["hair"][1]
    if "top" in colours:
        top = colours["top"][1]
    if "bottom" in colours:
        bottom = colours["bottom"][1]
    garment = _garment(text) or garment

    if _has(text, ("bald", "shaved head", "光头", "秃")):
        style = "bald"
    elif _has(text, ("bun", "发髻", "盘发")):
        style = "bun"
    elif _has(text, ("ponytail", "马尾", "braid", "辫")):
        style = "ponytail"
    elif _has(text, ("long hair", "long black hair", "长发")) or re.search(
        r"long\b[^,]*hair", text
    ):
        style = "long"
    elif _has(text, ("短发", "crew cut", "buzz cut")) or re.search(r"short\b[^,]*hair", text):
        style = "short"

    if _has(text, ("stocky", "broad", "burly", "heavy", "heavyset", "fat", "chubby", "胖", "壮")):
        build = 1.25
    elif _has(text, ("thin", "slim", "skinny", "slender", "wiry", "瘦", "苗条")):
        build = 0.85

    # Bodies differ where the story says who is a woman and who a man: narrower
    # shoulders and a little less height, or broader shoulders (a child's stays a child's).
    if age != "child" and (female or gender == "male"):
        build *= 0.88 if female else 1.08
    height = {"child": 0.62, "teen": 0.9, "adult": 1.0, "old": 0.94}[age]
    if female and age != "child":
        height *= 0.95
    if _has(text, ("tall", "高个", "高大")):
        height *= 1.06
    elif re.search(r"\bshort\b(?![^,]*hair)", text) or _has(text, ("矮",)):
        height *= 0.94

    beard: RGB | None = None
    if _has(text, ("beard", "moustache", "mustache", "stubble", "胡子", "胡须")):
        beard = colours["beard"][1] if "beard" in colours else hair

    hat = colours["hat"][1] if "hat" in colours else None
    if hat is None and _has(text, ("hat", "cap", "beanie", "帽")):
        hat = mix(top, (40, 40, 40), 0.3)

    return Look(
        name=character.name,
        skin=skin,
        hair=hair,
        hair_style=style,
        top=top,
        garment=garment,
        bottom=bottom,
        shoes=(46, 40, 38),
        hat=hat,
        beard=beard,
        glasses=_has(text, ("glasses", "spectacles", "眼镜")),
        age=age,
        height=height,
        build=build,
        stoop=age == "old",
    )

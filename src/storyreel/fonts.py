"""One font for every script: Noto Sans CJK, with the face chosen per language.

The bundled collection (a .ttc) holds one face per CJK region. Han characters are drawn
differently in each region, so a Japanese line set in the Simplified Chinese face looks
wrong to a Japanese reader; all faces also carry Latin, so the SC face is the default.
"""

from __future__ import annotations

from functools import lru_cache

from noto_cjk_sans_otc import FONT_PATH
from PIL import ImageFont

# Region suffix of the face's family name ("Noto Sans CJK SC") per language, in order
# of preference. Cantonese is written in Traditional characters; HK forms first.
_REGIONS: dict[str, tuple[str, ...]] = {
    "zh": ("SC",),
    "zh-hans": ("SC",),
    "zh-cn": ("SC",),
    "zh-sg": ("SC",),
    "zh-hant": ("TC",),
    "zh-tw": ("TC",),
    "zh-hk": ("HK", "TC"),
    "yue": ("HK", "TC"),
    "ja": ("JP",),
    "ko": ("KR",),
}
_DEFAULT_REGIONS = ("SC",)


@lru_cache(maxsize=1)
def faces() -> dict[str, int]:
    """Index of each proportional face in the collection by region ("SC" -> 2).

    Read from the file rather than hard-coded: the face order of a .ttc is the
    packager's choice and has changed between Noto releases.
    """
    found: dict[str, int] = {}
    index = 0
    while True:
        try:
            family, _style = ImageFont.truetype(FONT_PATH, 12, index=index).getname()
        except OSError:  # past the last face
            break
        name = family or ""
        # Skip the monospaced faces; captions want proportional Latin.
        if name.startswith("Noto Sans CJK "):
            found.setdefault(name.rsplit(" ", 1)[-1], index)
        index += 1
    return found


def face_index(lang: str = "en") -> int:
    """Face index in the collection for a language tag ("zh", "ja", "zh-TW", "en")."""
    tag = lang.strip().lower().replace("_", "-")
    regions = _REGIONS.get(tag) or _REGIONS.get(tag.split("-", 1)[0]) or _DEFAULT_REGIONS
    available = faces()
    for region in (*regions, *_DEFAULT_REGIONS):
        if region in available:
            return available[region]
    return 0


@lru_cache(maxsize=64)
def _font(size: int, index: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_PATH, size, index=index)


def font(size: int, lang: str = "en") -> ImageFont.FreeTypeFont:
    """The CJK-capable font at `size` pixels for text in `lang`, cached."""
    return _font(max(1, int(size)), face_index(lang))

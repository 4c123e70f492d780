"""Which of Kokoro's voices a character speaks with: from their profile, deterministic.

The pack (kokoro-js@1.2.1's voices) has few voices per language and gender (Mandarin:
four women, four men), fewer than a film's characters. A style vector is a point in
the space the model was trained on, and the weighted mean of two is a voice between
them, so each language and gender gets a *palette*: its own voices first, then even
blends of two, then 70/30 blends. Languages with one voice of a gender borrow a kin
language's voice for their blends (Spanish from Italian and Portuguese).

A profile's variant (f1..f5, m1..m7, the espeak-ng vocabulary casting uses) and which
side of the middle its pitch falls on pick one palette entry, so distinct variants get
distinct voices and two characters cast the same variant still differ by pitch.
Elderly variants (grandma, grandpa) pick from the language's lowest voices, children
(a high pitch, which casting gives a child) from its highest; the rate sets the speed.
`profile.speaker` names a pack voice or a blend ("zf_xiaobei:0.7+zf_xiaoni:0.3") to
override all of this.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from storyreel.errors import VoiceError
from storyreel.voice.base import Gender, VoiceProfile
from storyreel.voice.g2p import Accent

# One style per phoneme count (1..510), each 256 floats.
STYLE_SHAPE = (510, 1, 256)
LANGS: frozenset[str] = frozenset({"zh", "en", "ja", "es"})
# A voice's name starts with its language (a: American, b: British English) and sex.
PREFIX_LANG = {
    "a": "en", "b": "en", "z": "zh", "j": "ja", "e": "es",
    "f": "fr", "h": "hi", "i": "it", "p": "pt",
}  # fmt: skip
SEX: dict[str, Gender] = {"f": "female", "m": "male"}

# Each language's adult voices in the order casting hands them out, and the voices
# for elderly characters and for children. Chosen by pitch, measured as median F0 on a
# reference sentence in the voice's language (bench/kokoro_voices.py prints it): the
# adult women's voices lie at 165 Hz or above, the men's at 150 Hz or below, which is
# how a listener tells them apart. Measured (Hz): zh women xiaobei 237, xiaoni 242,
# xiaoxiao 240, xiaoyi 311 (a girl's); zh men yunjian 140, yunyang 146, yunxi 179 (a
# young man's), yunxia 303 (a boy's); en women heart 203, jessica 204, sarah 200,
# bella 194, river 182, aoede 180, nova 167, sky 158, kore 151, alloy 146, nicole 141
# (a whisper); en men fenrir 149, eric 155, liam 131, puck 123, adam 119, michael 114,
# echo 114, onyx 85; ja women alpha 278, nezumi 239, gongitsune 235, tebukuro 325 (a
# girl's); ja man kumo 94; es woman dora 169, man alex 134.
# American voices speak English; British ones are kept for a `speaker` that names them.
# The novelty voices (am_santa, em_santa) are left out.
ORDER: dict[tuple[str, Gender], tuple[str, ...]] = {
    ("zh", "female"): ("zf_xiaobei", "zf_xiaoni", "zf_xiaoxiao"),
    ("zh", "male"): ("zm_yunjian", "zm_yunyang"),
    ("en", "female"): (
        "af_heart", "af_bella", "af_sarah", "af_jessica", "af_aoede", "af_river", "af_nova",
    ),
    ("en", "male"): ("am_michael", "am_puck", "am_echo", "am_liam", "am_adam", "am_onyx"),
    ("ja", "female"): ("jf_alpha", "jf_gongitsune", "jf_nezumi"),
    ("ja", "male"): ("jm_kumo",),
    ("es", "female"): ("ef_dora",),
    ("es", "male"): ("em_alex",),
}  # fmt: skip
# Voices blended in at a fifth or less where a language has few of its own: its
# voices of another age, or a related language's.
KIN: dict[tuple[str, Gender], tuple[str, ...]] = {
    ("zh", "female"): ("zf_xiaoyi",),
    ("zh", "male"): ("zm_yunxi",),
    ("en", "male"): ("am_fenrir",),
    ("ja", "female"): ("jf_tebukuro",),
    ("es", "female"): ("if_sara", "pf_dora", "ff_siwis"),
    ("es", "male"): ("im_nicola", "pm_alex", "am_michael"),
    ("ja", "male"): ("zm_yunjian", "zm_yunyang", "am_michael"),
}
ELDERLY: dict[tuple[str, Gender], tuple[str, ...]] = {
    ("zh", "female"): ("zf_xiaobei", "zf_xiaoxiao"),
    ("zh", "male"): ("zm_yunjian", "zm_yunyang"),
    ("en", "female"): ("af_nova", "af_aoede"),
    ("en", "male"): ("am_onyx", "am_adam"),
    ("ja", "female"): ("jf_gongitsune", "jf_nezumi"),
    ("ja", "male"): ("jm_kumo",),
    ("es", "female"): ("ef_dora",),
    ("es", "male"): ("em_alex",),
}
# A child's voice: the language's girl's and boy's voices where it has them, else its
# highest women's voices.
CHILD: dict[tuple[str, Gender], tuple[str, ...]] = {
    ("zh", "female"): ("zf_xiaoyi",),
    ("zh", "male"): ("zm_yunxia",),
    ("en", "female"): ("af_jessica", "af_heart"),
    ("ja", "female"): ("jf_tebukuro",),
    ("es", "female"): ("ef_dora",),
}
# The measured median F0 above, by voice, for matching a recorded voice.
PITCH_HZ: dict[str, float] = {
    "zf_xiaobei": 237, "zf_xiaoni": 242, "zf_xiaoxiao": 240, "zf_xiaoyi": 311,
    "zm_yunjian": 140, "zm_yunyang": 146, "zm_yunxi": 179, "zm_yunxia": 303,
    "af_heart": 203, "af_jessica": 204, "af_sarah": 200, "af_bella": 194, "af_river": 182,
    "af_aoede": 180, "af_nova": 167, "am_fenrir": 149, "am_liam": 131, "am_puck": 123,
    "am_adam": 119, "am_michael": 114, "am_echo": 114, "am_onyx": 85,
    "jf_alpha": 278, "jf_nezumi": 239, "jf_gongitsune": 235, "jf_tebukuro": 325,
    "jm_kumo": 94, "ef_dora": 169, "em_alex": 134,
}  # fmt: skip
# A recorded voice's profile (cast/voiceprint.py) puts its pitch on espeak-ng's scale:
# these are the median F0 that espeak-ng's f3 and m3 give at pitch 0, 25, 50, 75 and
# 99, as that module measures them, so the profile's pitch reads back as Hz.
_SCALE = (0, 25, 50, 75, 99)
_ESPEAK_HZ: dict[Gender, tuple[float, ...]] = {
    "female": (152, 168, 205, 260, 332),
    "male": (77, 86, 102, 132, 171),
}
# Casting gives children a pitch this high or higher (voice/casting.py: +20 to +28).
_CHILD_PITCH = 66
_VARIANT = re.compile(r"^([fm])([1-9])$")
# How many ordinary variants casting hands out per sex (voice/casting.py).
_VARIANTS: dict[Gender, int] = {"female": 5, "male": 7, "neutral": 5}
_SPEAKER = re.compile(r"^\s*([A-Za-z0-9_]+)\s*(?::\s*([0-9]*\.?[0-9]+))?\s*$")
_BASE_RATE = 165.0
_MIN_SPEED, _MAX_SPEED = 0.5, 2.0

Mix = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class VoiceChoice:
    """The voices mixed (name, weight; weights sum to 1), the speed, the English accent."""

    mix: Mix
    speed: float
    accent: Accent = "us"

    @property
    def label(self) -> str:
        """How a `speaker` would name this voice: "zf_xiaobei" or "a:0.7+b:0.3"."""
        if len(self.mix) == 1:
            return self.mix[0][0]
        return "+".join(f"{name}:{weight:g}" for name, weight in self.mix)


def voice_names(folder: Path) -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in folder.glob("*.bin")))


def pack(names: tuple[str, ...]) -> dict[str, dict[str, list[str]]]:
    """The voices by language and sex, as `storyreel voices` lists them."""
    out: dict[str, dict[str, list[str]]] = {}
    for name in names:
        lang = PREFIX_LANG.get(name[:1])
        sex = SEX.get(name[1:2])
        if lang and sex:
            out.setdefault(lang, {}).setdefault(sex, []).append(name)
    return out


def palette(lang: str, gender: Gender, names: tuple[str, ...]) -> list[Mix]:
    """Every voice casting may give a `gender` character in `lang`, in order."""
    present = set(names)
    own = [v for v in ORDER.get((lang, gender), ()) if v in present]
    kin = [v for v in KIN.get((lang, gender), ()) if v in present]
    if not own:
        # A pack without this language's voices of this sex: the language's others.
        own = [v for sex in ("female", "male") for v in ORDER.get((lang, sex), ()) if v in present]
    if not own:
        return []
    # The language's own voices, alone and blended; a kin voice only ever as a fifth
    # or less of a blend, so the voice stays in the language's pitch range and accent.
    pairs = list(combinations(own, 2))
    entries: list[Mix] = [((v, 1.0),) for v in own]
    entries += [((a, 0.5), (b, 0.5)) for a, b in pairs]
    entries += [((a, 0.7), (b, 0.3)) for a, b in pairs]
    entries += [((b, 0.7), (a, 0.3)) for a, b in pairs]
    entries += [((a, 0.8), (k, 0.2)) for a in own for k in kin]
    entries += [((a, 0.6), (k, 0.2), (j, 0.2)) for a in own for k, j in combinations(kin, 2)]
    entries += [((a, 0.4), (b, 0.4), (k, 0.2)) for a, b in pairs for k in kin]
    return entries


def choose(lang: str, profile: VoiceProfile, names: tuple[str, ...]) -> VoiceChoice:
    """The voice and speed `profile` speaks `lang` with, from the voices `names`."""
    speed = min(max(profile.rate / _BASE_RATE, _MIN_SPEED), _MAX_SPEED)
    if profile.speaker:
        mix = parse_speaker(profile.speaker, names)
        return VoiceChoice(mix, round(speed, 3), _accent(mix))
    gender = _sex(profile)
    heard = nearest(lang, gender, heard_hz(profile), names) if profile.reference else None
    if heard is not None:
        # A voice from a recording (a digital actor): the voice nearest its pitch.
        return VoiceChoice(heard, round(speed, 3), _accent(heard))
    high = profile.pitch >= 50
    entries: list[Mix]
    # Casting gives children of either sex a female variant and a high pitch.
    if profile.pitch >= _CHILD_PITCH and profile.variant.startswith("f"):
        kids = CHILD.get((lang, profile.gender), ()) or CHILD.get((lang, "female"), ())
        entries = [((v, 1.0),) for v in kids if v in names]
        index = int(high)
    elif profile.variant in ("grandma", "grandpa"):
        entries = [((v, 1.0),) for v in ELDERLY.get((lang, gender), ()) if v in names]
        index = int(high)
    else:
        entries = []
        index = 0
    if not entries:
        entries = palette(lang, gender, names)
        # Variants first, then the other side of the pitch: distinct variants are
        # distinct voices wherever the palette has as many entries as variants.
        index = _variant_index(profile.variant) + _VARIANTS[gender] * int(high)
    if not entries:
        raise VoiceError(
            f"kokoro has no {lang!r} voice in its pack; the voices installed are "
            f"{', '.join(names) or 'none'}"
        )
    mix = entries[index % len(entries)]
    return VoiceChoice(mix, round(speed, 3), _accent(mix))


def heard_hz(profile: VoiceProfile) -> float:
    """The median F0 a recorded voice's profile stands for (see `_ESPEAK_HZ`)."""
    scale = _ESPEAK_HZ[_sex(profile)]
    logs = [math.log2(hz) for hz in scale]
    pitch = min(max(profile.pitch, _SCALE[0]), _SCALE[-1])
    for i in range(len(_SCALE) - 1):
        if pitch <= _SCALE[i + 1]:
            share = (pitch - _SCALE[i]) / (_SCALE[i + 1] - _SCALE[i])
            return float(2 ** (logs[i] + share * (logs[i + 1] - logs[i])))
    return scale[-1]


def nearest(lang: str, gender: Gender, hz: float, names: tuple[str, ...]) -> Mix | None:
    """The `lang` voice of that sex (adult, elderly, child or kin) whose measured pitch
    is nearest `hz` on a log scale; None where none is known."""
    key = (lang, gender)
    pool = {*ORDER.get(key, ()), *KIN.get(key, ()), *ELDERLY.get(key, ()), *CHILD.get(key, ())}
    known = sorted(v for v in pool if v in names and v in PITCH_HZ)
    same_language = [v for v in known if PREFIX_LANG.get(v[:1]) == lang]
    if not same_language:
        return None
    best = min(same_language, key=lambda v: (abs(math.log2(PITCH_HZ[v] / hz)), v))
    return ((best, 1.0),)


def parse_speaker(speaker: str, names: tuple[str, ...]) -> Mix:
    """ "af_heart" or "zf_xiaobei:0.7+zf_xiaoni:0.3" as voices and weights summing to 1."""
    parts: list[tuple[str, float]] = []
    for piece in speaker.split("+"):
        match = _SPEAKER.match(piece)
        if not match:
            raise VoiceError(
                f"kokoro cannot read the speaker {speaker!r}: write a voice name "
                "(zf_xiaobei) or a blend (zf_xiaobei:0.7+zf_xiaoni:0.3)"
            )
        name, weight = match.group(1), float(match.group(2) or 1.0)
        if name not in names:
            raise VoiceError(
                f"kokoro has no voice {name!r}; its voices: {', '.join(names) or 'none'}"
            )
        if weight <= 0:
            raise VoiceError(f"the weight of {name!r} in {speaker!r} must be above 0")
        parts.append((name, weight))
    total = sum(weight for _, weight in parts)
    return tuple((name, round(weight / total, 4)) for name, weight in parts)


def _sex(profile: VoiceProfile) -> Gender:
    """The profile's gender; for a neutral one, the one its variant sounds."""
    if profile.gender != "neutral":
        return profile.gender
    return "female" if profile.variant.startswith("f") or profile.variant == "grandma" else "male"


def _variant_index(variant: str) -> int:
    if match := _VARIANT.match(variant):
        return int(match.group(2)) - 1
    # Any other variant name still picks the same entry every time.
    return int.from_bytes(hashlib.sha256(variant.encode()).digest()[:2], "big")


def _accent(mix: Mix) -> Accent:
    lead = max(mix, key=lambda part: part[1])[0]
    return "gb" if lead.startswith("b") else "us"

"""Casting: give every character a voice of their own, derived only from who they are.

The description decides what a reader would expect (gender, age); a hash of the name
decides everything the description leaves open, so two "20s, tired" characters still
sound apart, and a film re-rendered next year casts the same voices again.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence

from storyreel.model import Character, Storyboard
from storyreel.script.lexicon import lexicon
from storyreel.script.people import given_name_gender, title_gender, zh_number
from storyreel.vocab import load_vocabulary
from storyreel.voice.base import Gender, VoiceProfile

# The variants that sound like ordinary speakers; m8 and the novelty voices are left
# out. Children of either sex get the female variants: a child's voice sits far above
# what the male variants reach even at the top of the pitch scale.
_FEMALE = ("f1", "f2", "f3", "f4", "f5")
_MALE = ("m1", "m2", "m3", "m4", "m5", "m6", "m7")
_ELDERLY_FEMALE = ("grandma", "f1", "f4")
_ELDERLY_MALE = ("grandpa", "m1", "m3", "m6")


def _cues(words: str) -> tuple[str, ...]:
    """Cue words written as one space-separated string, far easier to read and extend."""
    return tuple(words.split())


# --- gender -----------------------------------------------------------------------------

_EN_FEMALE = _cues(
    "woman women girl girls gal lady ladies she her hers herself female feminine mother "
    "mom mum mommy mama wife daughter sister aunt auntie niece grandmother grandma granny "
    "queen princess actress waitress hostess bride girlfriend nun madam ma'am mrs ms miss "
    "widow matriarch heroine businesswoman policewoman schoolgirl"
)
_EN_MALE = _cues(
    "man men boy boys guy lad gentleman gentlemen he him his himself male masculine father "
    "dad daddy papa husband son brother uncle nephew grandfather grandpa king prince actor "
    "waiter groom boyfriend monk sir mr widower patriarch businessman policeman fisherman "
    "schoolboy beard bearded moustache mustache"
)
# Chinese has no word boundaries, so these are matched longest first and each character
# is used once: 姐夫 (brother-in-law) must not also count as 姐, nor 伯母 as 伯.
_ZH_FEMALE = _cues(
    "女 姑娘 小姐 妈 母 奶奶 婆 姐 妹 妻 太太 夫人 阿姨 姨 她 娘 嫂 媳 姑 闺 妇 公主 皇后 "
    "王后 伯母 婶 舅妈 姥姥 外婆 老板娘"
)
_ZH_MALE = _cues(
    "男 先生 爷 爸 父 公公 哥 弟 丈夫 他 叔 伯 舅 少爷 小伙 儿子 老头 和尚 老汉 大汉 胡子 "
    "王子 国王 皇帝 绅士 小子 姐夫 妹夫 姑父 姨父 姨夫 外公 姥爷 老公"
)

# --- age --------------------------------------------------------------------------------

_CHILD_AGE = 8.0
_TEEN_AGE = 15.0
_YOUNG_AGE = 25.0
_MIDDLE_AGE = 45.0
_ELDERLY_AGE = 72.0

# Numbers win over words: "45 years old" is not elderly, "a girl in her 20s" not a child.
_EN_DECADE = re.compile(r"\b(early|mid|late)?[- ]?(\d{1,2})0['’]?s\b", re.IGNORECASE)
_EN_YEARS = re.compile(
    r"\b(\d{1,3})\s*-?\s*(?:years?|yrs?)\s*-?\s*old\b|\b(\d{1,3})\s*y/?o\b"
    r"|\bage[ds]?\s*(\d{1,3})\b|^\s*\(?(\d{1,3})\)?\s*(?:,|$)",
    re.IGNORECASE,
)
_ZH_NUM = "零〇一二两三四五六七八九十百0-9０-９"
_ZH_AGE = re.compile(rf"([{_ZH_NUM}]+)\s*(多|来|几)?\s*(?:岁|周岁|出头)")

# Word cues, checked in this order; the first that matches sets the age.
_EN_AGE_WORDS: tuple[tuple[float, re.Pattern[str]], ...] = (
    (
        _ELDERLY_AGE,
        re.compile(
            r"\b(?:elderly|(?<!middle[- ])aged(?!\s*\d)|ancient|frail|wrinkled|geriatric|"
            r"senior citizen|octogenarian|septuagenarian|nonagenarian|pensioner|"
            r"grandmother|grandfather|grandma|grandpa|granny|(?:white|gr[ae]y|silver)[- ]haired|"
            # "old" alone is too loose ("old coat", "old friend"); an old *person* is not.
            r"old\s+(?:\w+\s+)?(?:man|men|woman|women|lady|ladies|person|people|fellow|guy|"
            r"gentleman|timer|soldier|sailor|farmer|fisherman|monk|priest|couple|widow|"
            r"widower)|^\s*old\b)",
            re.IGNORECASE,
        ),
    ),
    (
        _CHILD_AGE,
        re.compile(
            r"\b(?:child|children|kid|kids|toddler|baby|infant|little (?:girl|boy)|"
            r"schoolgirl|schoolboy)\b",
            re.IGNORECASE,
        ),
    ),
    (_TEEN_AGE, re.compile(r"\b(?:teen|teens|teenager|teenage|adolescent|boy|girl)\b", re.I)),
    (_MIDDLE_AGE, re.compile(r"\bmiddle[- ]aged\b", re.IGNORECASE)),
    (_YOUNG_AGE, re.compile(r"\b(?:young|youthful)\b", re.IGNORECASE)),
)
_ZH_AGE_WORDS: tuple[tuple[float, tuple[str, ...]], ...] = (
    (
        _ELDERLY_AGE,
        _cues(
            "老人 老头 老太 老奶奶 老爷爷 老妇 老汉 老者 老翁 老婆婆 大爷 大娘 年迈 年老 苍老 "
            "老年 白发 银发 古稀 耄耋 爷爷 奶奶 外婆 外公 姥姥 姥爷 老迈 暮年 垂暮 佝偻"
        ),
    ),
    (60.0, ("花甲",)),
    (_CHILD_AGE, _cues("小男孩 小女孩 小孩 孩子 儿童 孩童 幼儿 婴儿 童")),
    (_TEEN_AGE, _cues("男孩 女孩 少年 少女")),
    (_MIDDLE_AGE, ("中年", "半百", "不惑")),
    (_YOUNG_AGE, ("青年", "年轻", "小伙子", "而立")),
)


# The world's age groups (model.ScenePerson.age) as the ages casting reasons with.
_GROUP_AGE: dict[str, float] = {
    "child": _CHILD_AGE,
    "teen": _TEEN_AGE,
    "young": _YOUNG_AGE,
    "adult": 35.0,
    "middle": _MIDDLE_AGE,
    "old": _ELDERLY_AGE,
}


def cast_board(
    board: Storyboard, voices: Mapping[str, VoiceProfile] | None = None
) -> dict[str, VoiceProfile]:
    """A voice for everyone who speaks in `board`, each as distinct as the pool allows.

    A voice the cast sets (`voices`, by name) wins outright. Otherwise what a character
    is said to be decides: their description (the user's cast file wins over the
    script's there already), then how their lines are marked ("VOICEOVER (female,
    warm)"), then what the story's world says of them in its scenes (she/他, titles,
    given names: script/people.py). Speakers are cast in the order of their first line,
    so adding a character later in the story never changes an earlier one's voice."""
    marks: dict[str, list[str]] = {}
    for shot in board.shots:
        for line in shot.lines:
            if line.parenthetical:
                marks.setdefault(line.character, []).append(line.parenthetical)
    speakers = dict.fromkeys(line.character for shot in board.shots for line in shot.lines)
    return cast_characters(
        [board.characters.get(name, Character(name=name)) for name in speakers],
        marks=marks,
        world=_world_people(board),
        voices=voices,
    )


def cast_characters(
    characters: Iterable[Character],
    *,
    marks: Mapping[str, Sequence[str]] | None = None,
    world: Mapping[str, tuple[Gender | None, float | None]] | None = None,
    voices: Mapping[str, VoiceProfile] | None = None,
) -> dict[str, VoiceProfile]:
    """Each character's voice, in the order given (`voice_for` with what `marks` and
    `world` say of them); characters of one gender never share a variant while the
    pool has a free one, and none takes a variant the cast's own voices (`voices`,
    which win) already speak with."""
    given = dict(voices or {})
    taken = {profile.variant for profile in given.values()}
    cast: dict[str, VoiceProfile] = {}
    for character in characters:
        if character.name in given:
            cast[character.name] = given[character.name]
            continue
        gender, age = (world or {}).get(character.name, (None, None))
        profile = voice_for(
            character,
            marks=(marks or {}).get(character.name, ()),
            gender=gender,
            age=age,
            taken=taken,
        )
        taken.add(profile.variant)
        cast[character.name] = profile
    return cast


def _world_people(board: Storyboard) -> dict[str, tuple[Gender | None, float | None]]:
    """Each named person's gender and age as the scenes' world tells them (the most
    frequent where scenes disagree)."""
    genders: dict[str, Counter[str]] = {}
    ages: dict[str, Counter[str]] = {}
    for scene in board.scenes:
        for person in scene.people:
            if person.gender:
                genders.setdefault(person.name, Counter())[person.gender] += 1
            if person.age:
                ages.setdefault(person.name, Counter())[person.age] += 1
    out: dict[str, tuple[Gender | None, float | None]] = {}
    for name in genders.keys() | ages.keys():
        gender = genders[name].most_common(1)[0][0] if name in genders else None
        group = ages[name].most_common(1)[0][0] if name in ages else None
        out[name] = (
            "female" if gender == "female" else "male" if gender == "male" else None,
            _GROUP_AGE.get(group) if group else None,
        )
    return out


def voice_for(
    character: Character,
    *,
    marks: Iterable[str] = (),
    gender: Gender | None = None,
    age: float | None = None,
    taken: Collection[str] = (),
) -> VoiceProfile:
    """The voice `character` is cast with; the same character always gets the same one.

    `marks` are the parentheticals of their lines, `gender` and `age` what the story's
    world says of them: each counts only where the description is silent. `taken` are
    variants other characters speak with, avoided while the pool has others."""
    text = unicodedata.normalize("NFKC", f"{character.description} {character.name}")
    marked = unicodedata.normalize("NFKC", " ".join(marks))
    gender = _first_said(_gender(text), _gender(marked), gender, _named(character.name))
    age = next((a for a in (_age(text), _age(marked), age) if a is not None), None)
    draw = _Draw(character.name)

    child = age is not None and age < 13
    elderly = age is not None and age >= 60
    pool: tuple[str, ...]
    if child:
        pool = _FEMALE
    elif gender == "female":
        pool = _ELDERLY_FEMALE if elderly else _FEMALE
    elif gender == "male":
        pool = _ELDERLY_MALE if elderly else _MALE
    else:
        pool = _FEMALE + _MALE
    variant = draw.choice(pool, avoid=taken)
    if gender == "neutral" and not child:
        # The pool decided; report what was picked so a second engine casts alike.
        gender = "female" if variant in _FEMALE else "male"

    pitch = 50.0 + draw.spread(8)
    range_ = 50.0 + draw.spread(10)
    rate = 165.0 + draw.spread(15)
    if age is not None:
        if age < 13:
            # A boy keeps a little below a girl of the same age.
            pitch += 20 if gender == "male" else 28
            range_ += 12
            rate += 10
        elif age < 18:
            pitch += 12 if gender == "male" else 8
            range_ += 6
            rate += 15
        elif age < 30:
            pitch += 3
            rate += 8
        if age > 55:
            # Older voices are slower and flatter; women's voices also drop in pitch.
            rate -= (age - 55) * 1.1
            range_ -= (age - 55) * 0.7
            if gender == "female":
                pitch -= (age - 55) * 0.4

    return VoiceProfile(
        variant=variant,
        gender=gender,
        pitch=_clamp(pitch, 0, 99),
        range=_clamp(range_, 0, 99),
        rate=_clamp(rate, 80, 450),
        volume=100,
    )


def _named(name: str) -> Gender | None:
    """What a title or a common given name says (Mrs Chen, 王先生, JUNE, 小梅): the last
    word, after everything the story says of the person."""
    lex = lexicon(load_vocabulary())
    return title_gender(name, lex) or given_name_gender(name, lex)


def _first_said(*said: Gender | None) -> Gender:
    """The first definite gender among `said`, in order of authority."""
    return next((g for g in said if g in ("female", "male")), "neutral")


def _gender(text: str) -> Gender:
    lowered = text.casefold()
    female = _count_en(lowered, _EN_FEMALE)
    male = _count_en(lowered, _EN_MALE)
    zh_female, zh_male = _count_zh(lowered)
    female += zh_female
    male += zh_male
    if female > male:
        return "female"
    if male > female:
        return "male"
    return "neutral"


def _count_en(text: str, words: Iterable[str]) -> int:
    pattern = r"(?<![\w'])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w'])"
    return len(re.findall(pattern, text))


def _count_zh(text: str) -> tuple[int, int]:
    cues = sorted(
        [(w, 0) for w in _ZH_FEMALE] + [(w, 1) for w in _ZH_MALE],
        key=lambda cue: -len(cue[0]),
    )
    counts = [0, 0]
    used = [False] * len(text)
    for word, side in cues:
        start = text.find(word)
        while start != -1:
            end = start + len(word)
            if not any(used[start:end]):
                counts[side] += 1
                used[start:end] = [True] * len(word)
            start = text.find(word, end)
    return counts[0], counts[1]


def _age(text: str) -> float | None:
    if m := _EN_DECADE.search(text):
        offset = {"early": 2.0, "late": 8.0}.get((m.group(1) or "").lower(), 5.0)
        return int(m.group(2)) * 10 + offset
    if m := _ZH_AGE.search(text):
        value = zh_number(m.group(1))
        if value is not None:
            # 二十多岁 / 十几岁 / 四十来岁: "and a bit" in the teens or decades.
            extra = {"多": 3.0, "几": 5.0, "来": 0.0}.get(m.group(2) or "", 0.0)
            if "出头" in m.group(0):
                extra = 2.0
            return value + extra
    if m := _EN_YEARS.search(text):
        digits = next(g for g in m.groups() if g is not None)
        return float(digits)
    for age, en_pattern in _EN_AGE_WORDS:
        if en_pattern.search(text):
            return age
    for age, zh_words in _ZH_AGE_WORDS:
        if any(word in text for word in zh_words):
            return age
    return None


class _Draw:
    """Deterministic pseudo-random draws from a name (hashlib, never `hash()`, whose
    string hashing is salted per process)."""

    def __init__(self, name: str) -> None:
        key = unicodedata.normalize("NFKC", name).strip().casefold()
        self._digest = hashlib.sha256(f"storyreel.voice:{key}".encode()).digest()
        self._next = 0

    def _unit(self) -> float:
        # 16 bits per draw; a sha256 digest holds 16 draws, far more than used.
        i = self._next
        self._next += 2
        return int.from_bytes(self._digest[i : i + 2], "big") / 65536.0

    def choice(self, options: tuple[str, ...], avoid: Collection[str] = ()) -> str:
        """One of `options`, drawn; those in `avoid` are skipped while any other is left."""
        free = tuple(o for o in options if o not in avoid) or options
        return free[int(self._unit() * len(free))]

    def spread(self, amount: float) -> float:
        """Uniform in [-amount, amount)."""
        return (self._unit() * 2.0 - 1.0) * amount


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))

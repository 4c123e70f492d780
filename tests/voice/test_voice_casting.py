"""Casting: who a character is decides how they sound, the same way every time."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from pydantic import ValidationError

from storyreel.model import Character
from storyreel.voice import VoiceProfile, voice_for
from storyreel.voice.casting import _age, _gender


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("20s, red raincoat, she never smiles", "female"),
        ("a tired mother of three", "female"),
        ("businesswoman, sharp suit", "female"),
        ("二十多岁的姑娘，红色雨衣", "female"),
        ("李小姐，护士", "female"),
        ("奶奶，满头白发", "female"),
        ("伯母，和蔼", "female"),
        ("40s, a man in a grey coat, his hands shake", "male"),
        ("retired fisherman, father of the bride's groom; he laughs", "male"),
        ("王先生，四十岁", "male"),
        ("男，三十出头", "male"),
        ("爷爷，拄着拐杖", "male"),
        ("姐夫，爱喝酒", "male"),
        ("老人，坐在门口", "neutral"),
        ("70s, wrinkled hands", "neutral"),
        ("", "neutral"),
    ],
)
def test_gender_from_description(description: str, expected: str) -> None:
    assert _gender(description) == expected


@pytest.mark.parametrize(
    ("description", "low", "high"),
    [
        ("20s, red raincoat", 20, 29),
        ("late 60s, stooped", 66, 69),
        ("mid-30s", 33, 37),
        ("a 45-year-old teacher", 45, 45),
        ("45, tired", 45, 45),
        ("aged 12, freckles", 12, 12),
        ("七十多岁的老人", 71, 79),
        ("二十多岁", 21, 29),
        ("十几岁的少年", 11, 19),
        ("三十出头", 30, 33),
        ("8岁", 8, 8),
        ("an elderly woman", 60, 100),
        ("old man with a cane", 60, 100),
        ("老人", 60, 100),
        ("白发苍苍", 60, 100),
        ("a child with a kite", 1, 12),
        ("小孩", 1, 12),
        ("a teenager", 13, 19),
        ("middle-aged accountant", 40, 55),
    ],
)
def test_age_from_description(description: str, low: float, high: float) -> None:
    age = _age(description)
    assert age is not None
    assert low <= age <= high


@pytest.mark.parametrize(
    "description",
    ["an old coat and an old friend", "45 years old, but looks 30", "red raincoat", ""],
)
def test_no_false_elderly(description: str) -> None:
    age = _age(description)
    assert age is None or age < 60


def test_same_character_same_voice() -> None:
    a = Character(name="Maya", description="20s, red raincoat, she")
    assert voice_for(a) == voice_for(Character(name="Maya", description="20s, red raincoat, she"))
    # Fountain shouts names; prose does not. They are the same person.
    assert voice_for(a) == voice_for(Character(name="MAYA", description=a.description))


def test_voice_is_stable_across_processes() -> None:
    # Python's hash() is salted per process; the voice must not be.
    code = (
        "from storyreel.model import Character; from storyreel.voice import voice_for; "
        "print(voice_for(Character(name='老周', description='五十多岁，男')).model_dump_json())"
    )
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1
    here = voice_for(Character(name="老周", description="五十多岁，男"))
    assert VoiceProfile.model_validate_json(outputs.pop()) == here


def test_same_description_different_names_differ() -> None:
    description = "30s, nurse, she"
    voices = {voice_for(Character(name=n, description=description)) for n in ("Ana", "Bea", "Cleo")}
    assert len(voices) == 3


def test_gender_picks_variant_family() -> None:
    for name in ("A", "B", "C", "D", "E", "F"):
        she = voice_for(Character(name=name, description="a young woman"))
        he = voice_for(Character(name=name, description="a young man"))
        assert she.gender == "female" and she.variant.startswith("f")
        assert he.gender == "male" and he.variant.startswith("m")


def test_age_shapes_the_voice() -> None:
    for name in ("Lin", "Chen", "Wu"):
        adult = voice_for(Character(name=name, description="30s, she"))
        old = voice_for(Character(name=name, description="七十多岁，她"))
        child = voice_for(Character(name=name, description="小女孩"))
        assert old.rate < adult.rate
        assert old.range < adult.range
        assert child.pitch > adult.pitch


def test_ungendered_elder_still_gets_a_voice() -> None:
    voice = voice_for(Character(name="老周", description="老人"))
    assert voice.gender in ("female", "male")
    assert voice.rate < 165 - 15  # slower than any adult's base rate


def test_profile_rejects_out_of_range() -> None:
    with pytest.raises(ValidationError):
        VoiceProfile(pitch=120)
    with pytest.raises(ValidationError):
        VoiceProfile(rate=20)
    with pytest.raises(ValidationError):
        VoiceProfile(variant="../../etc/passwd")
